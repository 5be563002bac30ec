#pragma once
// SqlAssessmentStore keeps the system of record in SQLite or PostgreSQL (the
// same SQL on both, see services/common/db/db.h). Each object is one row: a
// few indexed columns plus its protobuf JSON document, so a write is one row
// replaced under a revision check, and the audit log records the documents
// before and after.

#include <memory>

#include "services/assessment/store/assessment_store.h"
#include "services/common/db/db.h"

namespace socm::assessment {

// The schema, as versioned migrations.
const std::vector<db::Migration>& AssessmentMigrations();

class SqlAssessmentStore : public AssessmentStore {
 public:
  // Applies pending migrations, then serves from `database`.
  static absl::StatusOr<std::unique_ptr<SqlAssessmentStore>> Open(
      std::unique_ptr<db::Database> database);

  absl::StatusOr<pb::Tenant> CreateTenant(const pb::Tenant& tenant,
                                          const WriteContext& ctx) override;
  absl::StatusOr<PageOf<pb::Tenant>> ListTenants(Page page) override;
  absl::StatusOr<pb::Tenant> GetTenant(const std::string& id) override;
  absl::StatusOr<pb::ApiKey> CreateApiKey(const pb::ApiKey& key, const std::string& key_hash,
                                          const WriteContext& ctx) override;
  absl::StatusOr<PageOf<pb::ApiKey>> ListApiKeys(const std::string& tenant, Page page) override;
  absl::Status RevokeApiKey(const std::string& tenant, const std::string& key_id,
                            const WriteContext& ctx) override;
  absl::StatusOr<pb::ApiKey> FindApiKey(const std::string& key_hash) override;
  absl::StatusOr<pb::Organization> CreateOrganization(const pb::Organization& org,
                                                      const WriteContext& ctx) override;
  absl::StatusOr<PageOf<pb::Organization>> ListOrganizations(const std::string& tenant,
                                                             const std::string& only,
                                                             Page page) override;
  absl::StatusOr<pb::Organization> GetOrganization(const std::string& tenant,
                                                   const std::string& id) override;
  absl::StatusOr<pb::Organization> UpdateOrganization(
      const std::string& id, const std::function<absl::Status(pb::Organization&)>& mutate,
      const WriteContext& ctx) override;
  absl::Status DeleteOrganization(const std::string& id, const WriteContext& ctx) override;
  absl::StatusOr<pb::Assessment> CreateAssessment(const pb::Assessment& assessment,
                                                  const WriteContext& ctx) override;
  absl::StatusOr<PageOf<pb::Assessment>> ListAssessments(const std::string& tenant,
                                                         const std::string& org,
                                                         Page page) override;
  absl::StatusOr<int64_t> GetAssessmentRevision(const std::string& tenant, const std::string& org,
                                                const std::string& id) override;
  absl::StatusOr<pb::Assessment> GetAssessment(const std::string& tenant, const std::string& org,
                                               const std::string& id) override;
  absl::StatusOr<pb::Assessment> UpdateAssessment(
      const std::string& org, const std::string& id, const std::string& etag,
      const std::string& action, const std::function<absl::Status(pb::Assessment&)>& mutate,
      const WriteContext& ctx) override;
  absl::Status DeleteAssessment(const std::string& org, const std::string& id,
                                const std::string& etag, const WriteContext& ctx) override;
  absl::StatusOr<PageOf<pb::AuditEntry>> ListAuditLog(const std::string& tenant,
                                                      const std::string& org, Page page) override;

 private:
  explicit SqlAssessmentStore(std::unique_ptr<db::Database> database) : db_(std::move(database)) {}
  std::unique_ptr<db::Database> db_;
};

}  // namespace socm::assessment
