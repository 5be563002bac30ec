#include "services/assessment/server/audit_sealer.h"

#include <chrono>

#include "services/assessment/server/handler_support.h"
#include "services/common/log.h"

namespace socm::assessment {
namespace {

constexpr int64_t kThinEveryMicros = 3600LL * 1000000;

}  // namespace

AuditSealer::AuditSealer(SqlAuditChain& chain, int interval_ms, prometheus::Registry& registry,
                         CatalogueAuditPull* pull)
    : chain_(chain), interval_ms_(interval_ms), pull_(pull) {
  // A pass fails when the database cannot be reached or when a tenant's head does not match
  // its last signed seal (an edit made with database access): the alert rules watch both.
  auto& passes = prometheus::BuildCounter()
                     .Name("audit_seal_passes_total")
                     .Help("Sealing passes of the audit chain, by result (ok, failed).")
                     .Register(registry);
  passes_ok_ = &passes.Add({{"result", "ok"}});
  passes_failed_ = &passes.Add({{"result", "failed"}});
  sealed_ = &prometheus::BuildCounter()
                 .Name("audit_entries_sealed_total")
                 .Help("Audit entries linked into their tenant's chain.")
                 .Register(registry)
                 .Add({});
  thinned_ = &prometheus::BuildCounter()
                  .Name("audit_seals_thinned_total")
                  .Help("Seals older than a day removed, keeping the newest of each hour.")
                  .Register(registry)
                  .Add({});
  last_success_ = &prometheus::BuildGauge()
                       .Name("audit_seal_last_success_timestamp_seconds")
                       .Help("When a sealing pass last succeeded for every tenant.")
                       .Register(registry)
                       .Add({});
}

void AuditSealer::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void AuditSealer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AuditSealer::Pass(bool& failing) {
  if (pull_ != nullptr) {
    // Its failures are counted by the puller; the records wait in the catalogue's database,
    // so sealing goes on regardless.
    auto pulled = pull_->PullOnce();
    if (!pulled.ok()) {
      Log(LogLevel::kWarn, "could not take the catalogue service's audit records; retrying",
          {{"error", std::string(pulled.status().message())}});
    }
  }
  const int64_t now = handlers::NowMicros();
  if (now - last_thinned_ >= kThinEveryMicros) {
    auto thinned = chain_.ThinSeals(now);
    if (thinned.ok()) {
      thinned_->Increment(static_cast<double>(*thinned));
      last_thinned_ = now;
    } else {
      Log(LogLevel::kWarn, "could not thin the audit chain's old seals; retrying",
          {{"error", std::string(thinned.status().message())}});
    }
  }
  auto sealed = chain_.SealPending(now);
  if (sealed.ok()) {
    passes_ok_->Increment();
    sealed_->Increment(static_cast<double>(*sealed));
    last_success_->SetToCurrentTime();
  } else {
    passes_failed_->Increment();
    // Logged once until a pass succeeds again, not every interval.
    if (!failing) {
      Log(LogLevel::kWarn, "the audit sealer's pass failed; it retries",
          {{"error", std::string(sealed.status().message())}});
    }
  }
  failing = !sealed.ok();
}

void AuditSealer::Loop() {
  bool failing = false;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (wake_.wait_for(lock, std::chrono::milliseconds(interval_ms_),
                         [this] { return stopping_; })) {
        return;
      }
    }
    Pass(failing);
  }
}

}  // namespace socm::assessment
