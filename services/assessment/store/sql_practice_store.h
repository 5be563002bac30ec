#pragma once
// SqlPracticeStore keeps campaigns, comments and evidence records in the system-of-record
// database, beside the assessments they belong to (SqlAssessmentStore's database and schema).
// SqlBlobStore is the default BlobStore: evidence bytes in a table of the same database.

#include "services/assessment/store/practice_store.h"
#include "services/assessment/store/quotas.h"
#include "services/common/db/db.h"

namespace socm::assessment {

class SqlBlobStore : public BlobStore {
 public:
  explicit SqlBlobStore(db::Database& database) : db_(database) {}
  absl::Status Put(const std::string& tenant, const std::string& id,
                   const std::string& organization, const std::string& assessment,
                   const std::string& bytes) override;
  absl::StatusOr<std::string> Get(const std::string& tenant, const std::string& id) override;
  absl::Status Delete(const std::string& tenant, const std::string& id) override;

 private:
  db::Database& db_;
};

class SqlPracticeStore : public PracticeStore {
 public:
  // `database` must be migrated by SqlAssessmentStore::Open and outlive this store, as must
  // `blobs`.
  SqlPracticeStore(db::Database& database, BlobStore& blobs, TenantQuotas quotas = {})
      : db_(database), blobs_(blobs), quotas_(quotas) {}

  absl::StatusOr<PageOf<pb::PortfolioRow>> ListPortfolioRows(const Caller& caller,
                                                             const std::string& catalogue_id,
                                                             const OrganizationFilter& filter,
                                                             Page page, bool headers_only) override;
  absl::StatusOr<std::vector<ApprovedRow>> ListApprovedScores(const Caller& caller,
                                                              const std::string& catalogue_id,
                                                              const std::string& industry) override;
  absl::StatusOr<int64_t> ApprovedGeneration(const Caller& caller) override;
  absl::StatusOr<std::map<std::string, pb::Assessment>> GetAssessments(
      const Caller& caller, const std::vector<std::string>& ids) override;
  absl::StatusOr<pb::Campaign> CreateCampaign(const Caller& caller, const pb::Campaign& campaign,
                                              const OrganizationFilter& filter,
                                              const pb::Assessment& templ, int total,
                                              const WriteOptions& write) override;
  absl::StatusOr<PageOf<pb::Campaign>> ListCampaigns(const Caller& caller, Page page) override;
  absl::StatusOr<pb::Campaign> GetCampaign(const Caller& caller, const std::string& id) override;
  absl::StatusOr<pb::RoleComment> CreateComment(const Caller& caller, const std::string& org,
                                                const std::string& assessment,
                                                const pb::RoleComment& comment,
                                                const WriteOptions& write) override;
  absl::StatusOr<PageOf<pb::RoleComment>> ListComments(const Caller& caller, const std::string& org,
                                                       const std::string& assessment,
                                                       const std::string& role, Page page) override;
  absl::StatusOr<pb::Evidence> AddEvidence(const Caller& caller, const std::string& org,
                                           const std::string& assessment,
                                           const pb::Evidence& evidence, const std::string& content,
                                           const WriteOptions& write) override;
  absl::StatusOr<std::vector<pb::Evidence>> ListEvidence(const Caller& caller,
                                                         const std::string& org,
                                                         const std::string& assessment,
                                                         const std::string& role) override;
  absl::StatusOr<std::pair<pb::Evidence, std::string>> GetEvidence(const Caller& caller,
                                                                   const std::string& org,
                                                                   const std::string& assessment,
                                                                   const std::string& role,
                                                                   const std::string& id) override;
  absl::Status DeleteEvidence(const Caller& caller, const std::string& org,
                              const std::string& assessment, const std::string& role,
                              const std::string& id, const WriteOptions& write) override;

 private:
  // The campaign's assessments with their status and answered count, scoped to the caller.
  absl::Status FillProgress(db::Connection& c, const Caller& caller, pb::Campaign& campaign);

  db::Database& db_;
  BlobStore& blobs_;
  TenantQuotas quotas_;
};

}  // namespace socm::assessment
