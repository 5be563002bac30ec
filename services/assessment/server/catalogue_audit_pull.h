#pragma once
// Brings the catalogue service's audit records (its publications) into each tenant's audit
// log: take the oldest pending records, store them (each once, by id), then acknowledge them.
// A crash between storing and acknowledging takes them again and stores nothing twice; a
// catalogue service that cannot be reached keeps them until it can. Runs on the sealer's
// thread before each sealing pass, so a publication is sealed like any other entry.
#include <grpcpp/channel.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <memory>

#include "absl/status/statusor.h"
#include "services/assessment/store/sql_audit_chain.h"
#include "services/common/principal_token.h"
#include "soc/maturity/catalogue/v1/catalogue.grpc.pb.h"

namespace socm::assessment {

class CatalogueAuditPull {
 public:
  // `chain` and `registry` must outlive this.
  // `signer` signs the assessment service's own principal token for the catalogue service.
  CatalogueAuditPull(std::shared_ptr<grpc::Channel> channel, PrincipalSigner& signer,
                     SqlAuditChain& chain, prometheus::Registry& registry);
  // Takes records until none are pending (at most a few rounds); how many it stored anew.
  absl::StatusOr<int64_t> PullOnce();

 private:
  absl::StatusOr<int> PullRound(int64_t& stored);
  std::unique_ptr<soc::maturity::catalogue::v1::CatalogueService::Stub> stub_;
  PrincipalSigner& signer_;
  SqlAuditChain& chain_;
  prometheus::Counter* admitted_;
  prometheus::Counter* repeated_;
  prometheus::Counter* refused_;
  prometheus::Counter* failed_;
};

}  // namespace socm::assessment
