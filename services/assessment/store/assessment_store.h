#pragma once
// AssessmentStore is the system of record's storage: tenants, API keys,
// organisations, assessments and the audit log. Every tenant-scoped call takes
// the tenant explicitly and never returns another tenant's rows: an object of
// another tenant is NOT_FOUND, exactly like one that does not exist. Every
// write appends its audit entry in the same transaction, and a create with an
// idempotency key stores its result in that transaction too.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"

namespace socm::assessment {

namespace pb = soc::maturity::assessment::v1;

// Who writes, when, and the idempotency key of a create.
struct WriteContext {
  std::string tenant;  // "" for the operator's tenant-level writes
  std::string actor;   // the API key id, or "operator"
  int64_t now_micros = 0;
  std::string idempotency_key;  // "" when none
  std::string request_hash;     // tells a replay from a reused key
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

class AssessmentStore {
 public:
  virtual ~AssessmentStore() = default;

  virtual absl::StatusOr<pb::Tenant> CreateTenant(const pb::Tenant& tenant,
                                                  const WriteContext& ctx) = 0;
  virtual absl::StatusOr<PageOf<pb::Tenant>> ListTenants(Page page) = 0;
  virtual absl::StatusOr<pb::Tenant> GetTenant(const std::string& id) = 0;

  // `key` carries no secret; `key_hash` is the SHA-256 of the secret.
  virtual absl::StatusOr<pb::ApiKey> CreateApiKey(const pb::ApiKey& key,
                                                  const std::string& key_hash,
                                                  const WriteContext& ctx) = 0;
  virtual absl::StatusOr<PageOf<pb::ApiKey>> ListApiKeys(const std::string& tenant, Page page) = 0;
  virtual absl::Status RevokeApiKey(const std::string& tenant, const std::string& key_id,
                                    const WriteContext& ctx) = 0;
  // The live (not revoked) key with this hash, or NOT_FOUND.
  virtual absl::StatusOr<pb::ApiKey> FindApiKey(const std::string& key_hash) = 0;

  virtual absl::StatusOr<pb::Organization> CreateOrganization(const pb::Organization& org,
                                                              const WriteContext& ctx) = 0;
  // `only` non-empty: just that organisation (an org-pinned key's view).
  virtual absl::StatusOr<PageOf<pb::Organization>> ListOrganizations(const std::string& tenant,
                                                                     const std::string& only,
                                                                     Page page) = 0;
  virtual absl::StatusOr<pb::Organization> GetOrganization(const std::string& tenant,
                                                           const std::string& id) = 0;
  // Applies `mutate` to the stored organisation inside the transaction.
  virtual absl::StatusOr<pb::Organization> UpdateOrganization(
      const std::string& id, const std::function<absl::Status(pb::Organization&)>& mutate,
      const WriteContext& ctx) = 0;
  // Deletes the organisation and its assessments; the audit log stays.
  virtual absl::Status DeleteOrganization(const std::string& id, const WriteContext& ctx) = 0;

  virtual absl::StatusOr<pb::Assessment> CreateAssessment(const pb::Assessment& assessment,
                                                          const WriteContext& ctx) = 0;
  // Newest first (by assessedOn, then creation).
  virtual absl::StatusOr<PageOf<pb::Assessment>> ListAssessments(const std::string& tenant,
                                                                 const std::string& org,
                                                                 Page page) = 0;
  virtual absl::StatusOr<pb::Assessment> GetAssessment(const std::string& tenant,
                                                       const std::string& org,
                                                       const std::string& id) = 0;
  // The current revision alone: one indexed read, no document parsed.
  virtual absl::StatusOr<int64_t> GetAssessmentRevision(const std::string& tenant,
                                                        const std::string& org,
                                                        const std::string& id) = 0;
  // One transaction: read; ABORTED if `etag` is given and stale; `mutate`;
  // bump revision and etag; write; audit `action`.
  virtual absl::StatusOr<pb::Assessment> UpdateAssessment(
      const std::string& org, const std::string& id, const std::string& etag,
      const std::string& action, const std::function<absl::Status(pb::Assessment&)>& mutate,
      const WriteContext& ctx) = 0;
  virtual absl::Status DeleteAssessment(const std::string& org, const std::string& id,
                                        const std::string& etag, const WriteContext& ctx) = 0;

  // Newest first.
  virtual absl::StatusOr<PageOf<pb::AuditEntry>> ListAuditLog(const std::string& tenant,
                                                              const std::string& org,
                                                              Page page) = 0;
};

}  // namespace socm::assessment
