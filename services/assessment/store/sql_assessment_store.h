#pragma once
// SqlAssessmentStore keeps the system of record in SQLite or PostgreSQL (the
// same SQL on both, see services/common/db/db.h). Each object is one row: a
// few indexed columns plus its protobuf JSON document, so a write is one row
// replaced under a revision check, and the audit log records the documents
// before and after.

#include <memory>

#include "services/assessment/store/assessment_store.h"
#include "services/assessment/store/quotas.h"
#include "services/common/db/db.h"
#include "services/common/revision_board.h"

namespace socm::assessment {

// The schema, as versioned migrations.
const std::vector<db::Migration>& AssessmentMigrations();

class SqlAssessmentStore : public AssessmentStore {
 public:
  // Applies pending migrations, then serves from `database`.
  static absl::StatusOr<std::unique_ptr<SqlAssessmentStore>> Open(
      std::unique_ptr<db::Database> database);
  // Organisations and assessments a tenant may create (set before serving).
  void set_quotas(const TenantQuotas& quotas) { quotas_ = quotas; }
  // Where each write announces the assessment's revision (revision_board.h): held before the
  // transaction opens, published or buried after it commits. Null: no board.
  void set_revision_board(RevisionBoard* board) { board_ = board; }

  absl::StatusOr<pb::Tenant> CreateTenant(const Caller& caller, const pb::Tenant& tenant,
                                          const WriteOptions& write) override;
  absl::StatusOr<PageOf<pb::Tenant>> ListTenants(Page page) override;
  absl::StatusOr<pb::Tenant> GetTenant(const std::string& id) override;
  absl::StatusOr<pb::ApiKey> CreateApiKey(const Caller& caller, const pb::ApiKey& key,
                                          const std::string& key_hash,
                                          const WriteOptions& write) override;
  absl::StatusOr<PageOf<pb::ApiKey>> ListApiKeys(const Caller& caller, Page page) override;
  absl::Status RevokeApiKey(const Caller& caller, const std::string& key_id,
                            const WriteOptions& write) override;
  absl::StatusOr<pb::ApiKey> FindApiKey(const std::string& key_hash) override;
  absl::StatusOr<pb::Organization> CreateOrganization(const Caller& caller,
                                                      const pb::Organization& org,
                                                      const WriteOptions& write) override;
  absl::StatusOr<PageOf<pb::Organization>> ListOrganizations(const Caller& caller,
                                                             Page page) override;
  absl::StatusOr<pb::Organization> GetOrganization(const Caller& caller,
                                                   const std::string& id) override;
  absl::StatusOr<pb::Organization> UpdateOrganization(
      const Caller& caller, const std::string& id,
      const std::function<absl::Status(pb::Organization&)>& mutate,
      const WriteOptions& write) override;
  absl::Status DeleteOrganization(const Caller& caller, const std::string& id, bool force,
                                  const WriteOptions& write) override;
  absl::StatusOr<pb::Assessment> CreateAssessment(const Caller& caller,
                                                  const pb::Assessment& assessment,
                                                  const WriteOptions& write) override;
  absl::StatusOr<PageOf<pb::Assessment>> ListAssessments(const Caller& caller,
                                                         const std::string& org,
                                                         Page page) override;
  absl::StatusOr<int64_t> GetAssessmentRevision(const Caller& caller, const std::string& org,
                                                const std::string& id) override;
  absl::StatusOr<pb::Assessment> GetAssessment(const Caller& caller, const std::string& org,
                                               const std::string& id) override;
  absl::StatusOr<pb::Assessment> UpdateAssessment(
      const Caller& caller, const std::string& org, const std::string& id, const std::string& etag,
      const std::string& action, const std::function<absl::Status(pb::Assessment&)>& mutate,
      const WriteOptions& write) override;
  absl::Status DeleteAssessment(const Caller& caller, const std::string& org, const std::string& id,
                                const std::string& etag, const WriteOptions& write) override;
  absl::Status StoreApprovedScores(const Caller& caller,
                                   const std::vector<ScoresToKeep>& scores) override;
  absl::StatusOr<std::string> LastAuditActor(const Caller& caller, const std::string& org,
                                             const std::string& target,
                                             const std::string& action) override;
  absl::StatusOr<PageOf<pb::AuditEntry>> ListAuditLog(const Caller& caller, const std::string& org,
                                                      Page page) override;
  absl::StatusOr<PageOf<pb::AuditEntry>> ListTenantAuditLog(const Caller& caller,
                                                            const std::string& org,
                                                            Page page) override;
  // The database, for the practice store that shares it.
  db::Database& database() { return *db_; }

 private:
  explicit SqlAssessmentStore(std::unique_ptr<db::Database> database) : db_(std::move(database)) {}
  std::unique_ptr<db::Database> db_;
  TenantQuotas quotas_;
  RevisionBoard* board_ = nullptr;
};

}  // namespace socm::assessment
