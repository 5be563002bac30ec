#include "services/assessment/server/audit_sealer.h"

#include <chrono>

#include "services/assessment/server/handler_support.h"
#include "services/common/log.h"

namespace socm::assessment {

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

void AuditSealer::Loop() {
  // A failing pass is logged once until one succeeds again, not every interval.
  bool failing = false;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (wake_.wait_for(lock, std::chrono::milliseconds(interval_ms_),
                         [this] { return stopping_; })) {
        return;
      }
    }
    auto sealed = chain_.SealPending(handlers::NowMicros());
    if (!sealed.ok() && !failing) {
      Log(LogLevel::kWarn, "the audit sealer's pass failed; it retries",
          {{"error", std::string(sealed.status().message())}});
    }
    failing = !sealed.ok();
  }
}

}  // namespace socm::assessment
