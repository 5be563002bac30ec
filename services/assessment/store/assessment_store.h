#pragma once
// AssessmentStore is the system of record's storage: tenants, API keys,
// organisations, assessments and the audit log. Every tenant-scoped call takes
// the Caller first, reads its tenant and organisation scope from it alone, and
// never returns another tenant's rows or an organisation outside the scope:
// those are NOT_FOUND, exactly like an object that does not exist. Every write
// appends its audit entry (naming the caller's principal) in the same
// transaction, and a create with an idempotency key stores its result in that
// transaction too. Example:
//   store.GetAssessment(caller, "org_1", "as_1");
//   store.CreateApiKey(operator_caller.ActingFor(TenantId("tn_1")), key, hash, write);

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/caller.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"

namespace socm::assessment {

namespace pb = soc::maturity::assessment::v1;

// When a write happens, and the idempotency key of a create. Who writes, and
// in which tenant, is the Caller every method takes first.
struct WriteOptions {
  int64_t now_micros = 0;
  std::string idempotency_key;  // "" when none
  std::string request_hash;     // tells a replay from a reused key
  std::string audit_detail;     // recorded in the audit entry, e.g. an imported file's hash
};

struct Page {
  int offset = 0;
  int limit = 50;
};

template <typename T>
struct PageOf {
  std::vector<T> items;
  bool more = false;
};

// How kept scores were computed: raise it when the scoring arithmetic changes, and scores kept
// before count no more (the next benchmark scores them again and keeps them).
inline constexpr int64_t kKeptScoresMethod = 1;

// The function scores of an approved assessment at one revision (`scores`: a pb::ApprovedScore
// holding function_scores, serialized, in base64: a benchmark parses thousands of them).
struct ScoresToKeep {
  std::string org;
  std::string id;
  int64_t revision = 0;
  std::string scores;
};

class AssessmentStore {
 public:
  virtual ~AssessmentStore() = default;

  // The operator's: tenants belong to no tenant.
  virtual absl::StatusOr<pb::Tenant> CreateTenant(const Caller& caller, const pb::Tenant& tenant,
                                                  const WriteOptions& write) = 0;
  virtual absl::StatusOr<PageOf<pb::Tenant>> ListTenants(Page page) = 0;
  virtual absl::StatusOr<pb::Tenant> GetTenant(const std::string& id) = 0;

  // `key` carries no secret; `key_hash` is the SHA-256 of the secret.
  virtual absl::StatusOr<pb::ApiKey> CreateApiKey(const Caller& caller, const pb::ApiKey& key,
                                                  const std::string& key_hash,
                                                  const WriteOptions& write) = 0;
  virtual absl::StatusOr<PageOf<pb::ApiKey>> ListApiKeys(const Caller& caller, Page page) = 0;
  virtual absl::Status RevokeApiKey(const Caller& caller, const std::string& key_id,
                                    const WriteOptions& write) = 0;
  // The live (not revoked) key with this hash, or NOT_FOUND: authentication itself.
  virtual absl::StatusOr<pb::ApiKey> FindApiKey(const std::string& key_hash) = 0;

  virtual absl::StatusOr<pb::Organization> CreateOrganization(const Caller& caller,
                                                              const pb::Organization& org,
                                                              const WriteOptions& write) = 0;
  // All the caller sees: its pinned organisation alone, or every one of the tenant.
  virtual absl::StatusOr<PageOf<pb::Organization>> ListOrganizations(const Caller& caller,
                                                                     Page page) = 0;
  virtual absl::StatusOr<pb::Organization> GetOrganization(const Caller& caller,
                                                           const std::string& id) = 0;
  // Applies `mutate` to the stored organisation inside the transaction.
  virtual absl::StatusOr<pb::Organization> UpdateOrganization(
      const Caller& caller, const std::string& id,
      const std::function<absl::Status(pb::Organization&)>& mutate, const WriteOptions& write) = 0;
  // Deletes the organisation; one that still has assessments is FAILED_PRECONDITION unless
  // `force`, which deletes them with their comments and evidence. The audit log stays.
  virtual absl::Status DeleteOrganization(const Caller& caller, const std::string& id, bool force,
                                          const WriteOptions& write) = 0;

  virtual absl::StatusOr<pb::Assessment> CreateAssessment(const Caller& caller,
                                                          const pb::Assessment& assessment,
                                                          const WriteOptions& write) = 0;
  // Newest first (by assessedOn, then creation).
  virtual absl::StatusOr<PageOf<pb::Assessment>> ListAssessments(const Caller& caller,
                                                                 const std::string& org,
                                                                 Page page) = 0;
  virtual absl::StatusOr<pb::Assessment> GetAssessment(const Caller& caller, const std::string& org,
                                                       const std::string& id) = 0;
  // The current revision alone: one indexed read, no document parsed.
  virtual absl::StatusOr<int64_t> GetAssessmentRevision(const Caller& caller,
                                                        const std::string& org,
                                                        const std::string& id) = 0;
  // One transaction: read; ABORTED if `etag` is given and stale; `mutate`;
  // bump revision and etag; write; audit `action`.
  virtual absl::StatusOr<pb::Assessment> UpdateAssessment(
      const Caller& caller, const std::string& org, const std::string& id, const std::string& etag,
      const std::string& action, const std::function<absl::Status(pb::Assessment&)>& mutate,
      const WriteOptions& write) = 0;
  virtual absl::Status DeleteAssessment(const Caller& caller, const std::string& org,
                                        const std::string& id, const std::string& etag,
                                        const WriteOptions& write) = 0;
  // Keeps the function scores of approved assessments as computed at their revisions, in one
  // transaction. A derived value, not a change: no revision, no audit entry. An assessment
  // that has moved on or is no longer approved keeps nothing.
  virtual absl::Status StoreApprovedScores(const Caller& caller,
                                           const std::vector<ScoresToKeep>& scores) = 0;

  // The actor of the newest audit entry with this action on this target ("" when none).
  virtual absl::StatusOr<std::string> LastAuditActor(const Caller& caller, const std::string& org,
                                                     const std::string& target,
                                                     const std::string& action) = 0;
  // Newest first.
  virtual absl::StatusOr<PageOf<pb::AuditEntry>> ListAuditLog(const Caller& caller,
                                                              const std::string& org,
                                                              Page page) = 0;
  // The tenant's whole log, newest first, or one organisation's even after its deletion
  // (`org`); for a caller not pinned to an organisation.
  virtual absl::StatusOr<PageOf<pb::AuditEntry>> ListTenantAuditLog(const Caller& caller,
                                                                    const std::string& org,
                                                                    Page page) = 0;
};

}  // namespace socm::assessment
