#include "services/assessment/server/catalogue_audit_pull.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/log.h"
#include "services/common/metadata.h"

namespace socm::assessment {
namespace {

namespace cpb = soc::maturity::catalogue::v1;

constexpr int kRecordsPerRound = 200;
constexpr int kRoundsPerPass = 5;

void Prepare(grpc::ClientContext& context, PrincipalSigner& signer) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  context.AddMetadata(kPrincipalTokenMetadata,
                      signer.TokenFor(ServiceCaller(kAssessmentServicePrincipal)));
}

}  // namespace

CatalogueAuditPull::CatalogueAuditPull(std::shared_ptr<grpc::Channel> channel,
                                       PrincipalSigner& signer, SqlAuditChain& chain,
                                       prometheus::Registry& registry)
    : stub_(cpb::CatalogueService::NewStub(channel)), signer_(signer), chain_(chain) {
  auto& records = prometheus::BuildCounter()
                      .Name("audit_catalogue_records_total")
                      .Help(
                          "The catalogue service's audit records taken, by result: admitted "
                          "(stored), repeated (already stored), refused (invalid, logged).")
                      .Register(registry);
  admitted_ = &records.Add({{"result", "admitted"}});
  repeated_ = &records.Add({{"result", "repeated"}});
  refused_ = &records.Add({{"result", "refused"}});
  failed_ = &prometheus::BuildCounter()
                 .Name("audit_catalogue_pull_failures_total")
                 .Help(
                     "Passes that could not take or store the catalogue service's audit "
                     "records; the records wait in the catalogue's database.")
                 .Register(registry)
                 .Add({});
}

absl::StatusOr<int> CatalogueAuditPull::PullRound(int64_t& stored) {
  cpb::TakeAuditRecordsRequest take;
  take.set_limit(kRecordsPerRound);
  cpb::TakeAuditRecordsResponse taken;
  grpc::ClientContext take_context;
  Prepare(take_context, signer_);
  const grpc::Status took = stub_->TakeAuditRecords(&take_context, take, &taken);
  if (!took.ok()) return FromGrpcStatus(took);
  if (taken.records().empty()) return 0;

  std::vector<ForeignEntry> entries;
  cpb::AcknowledgeAuditRecordsRequest ack;
  for (const auto& record : taken.records()) {
    ack.add_ids(record.id());
    const auto violations = CheckCatalogueRecord(record);
    if (violations.empty()) {
      entries.push_back(EntryOfCatalogueRecord(record));
      continue;
    }
    // Kept nowhere else once acknowledged, so the log line carries the whole record.
    std::string fields;
    for (const auto& v : violations)
      absl::StrAppend(&fields, v.field(), ": ", v.description(), "; ");
    Log(LogLevel::kError, "refused a catalogue audit record",
        {{"record", record.ShortDebugString()}, {"violations", fields}});
    refused_->Increment();
  }
  auto added = chain_.AdmitForeign(entries);
  if (!added.ok()) return added.status();
  admitted_->Increment(static_cast<double>(*added));
  repeated_->Increment(static_cast<double>(static_cast<int64_t>(entries.size()) - *added));
  stored += *added;

  cpb::AcknowledgeAuditRecordsResponse acked;
  grpc::ClientContext ack_context;
  Prepare(ack_context, signer_);
  const grpc::Status ok = stub_->AcknowledgeAuditRecords(&ack_context, ack, &acked);
  if (!ok.ok()) return FromGrpcStatus(ok);
  return taken.records_size();
}

absl::StatusOr<int64_t> CatalogueAuditPull::PullOnce() {
  int64_t stored = 0;
  for (int round = 0; round < kRoundsPerPass; ++round) {
    auto taken = PullRound(stored);
    if (!taken.ok()) {
      failed_->Increment();
      return taken.status();
    }
    if (*taken < kRecordsPerRound) break;
  }
  return stored;
}

}  // namespace socm::assessment
