#pragma once
// The audit chain in the system-of-record database (see domain/audit_chain.h): the sealer's
// pass, the check of a tenant's chain and the export in chain order. Writers never wait for
// it: they insert entries unsealed, and the pass links them afterwards, one tenant at a time
// under that tenant's head row.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assessment/domain/audit_chain.h"
#include "services/assessment/domain/foreign_audit.h"
#include "services/assessment/store/assessment_store.h"
#include "services/common/db/db.h"

namespace socm::assessment {

struct AuditExport {
  std::string jsonl;
  int64_t last_sequence = 0;
  bool more = false;
};

class SqlAuditChain {
 public:
  // `database` and `signer` must outlive this.
  SqlAuditChain(db::Database& database, const AuditSigner& signer)
      : db_(database), signer_(signer) {}

  // Links every tenant's committed, unsealed entries (up to `batch` a tenant) and signs the
  // heads reached; the number of entries sealed. A tenant whose head does not match its last
  // signed seal is not sealed (FAILED_PRECONDITION, after the other tenants).
  absl::StatusOr<int64_t> SealPending(int64_t now_micros, int batch = 500);
  // Checks the caller's tenant's whole chain, after sealing what is committed.
  absl::StatusOr<pb::VerifyAuditLogResponse> Verify(const Caller& caller, int64_t now_micros);
  // The caller's tenant's sealed entries after `after_sequence`, in chain order.
  absl::StatusOr<AuditExport> Export(const Caller& caller, int64_t after_sequence, int limit,
                                     int64_t now_micros);
  // A pass that found entries leaves a seal: tens of thousands a day for a busy tenant. Seals
  // of the last 24 hours stay; older ones are thinned to the newest of each hour, every
  // tenant's newest seal kept. Every entry stays covered by a later seal, so a check finds the
  // same breaks, only less narrowly placed between seals. The number of seals removed.
  absl::StatusOr<int64_t> ThinSeals(int64_t now_micros);
  // Stores entries another service wrote, each once: an entry already in the log (a record
  // taken again after a lost acknowledgement) is left as it is. The number newly stored.
  absl::StatusOr<int64_t> AdmitForeign(const std::vector<ForeignEntry>& entries);

 private:
  absl::StatusOr<int64_t> SealTenant(const std::string& tenant, int64_t now_micros, int batch);
  db::Database& db_;
  const AuditSigner& signer_;
};

}  // namespace socm::assessment
