#pragma once
// PracticeStore keeps what an MSSP's practice adds around assessments: the portfolio's rows,
// campaigns, and comments and evidence per role. Like AssessmentStore, every call takes the
// Caller first and reads the tenant and organisation scope from it alone; what lies outside
// is NOT_FOUND. Example:
//   store.ListPortfolioRows(caller, {.catalogue_id = "isogj-soc-csirt"}, {0, 50});

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "services/assessment/store/assessment_store.h"
#include "soc/maturity/assessment/v1/approved_scores.pb.h"
#include "soc/maturity/assessment/v1/practice.pb.h"

namespace socm::assessment {

// Which organisations: every filter given must match.
struct OrganizationFilter {
  std::vector<std::string> ids;  // empty: any
  std::string industry;          // "": any
  std::string label_key;         // "": any
  std::string label_value;
};

// Whether `org` passes every filter given.
bool Matches(const OrganizationFilter& filter, const pb::Organization& org);

// Where evidence bytes live. The default keeps them in the system-of-record database; a
// deployment may put them in object storage behind the same three calls.
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual absl::Status Put(const std::string& tenant, const std::string& id,
                           const std::string& organization, const std::string& assessment,
                           const std::string& bytes) = 0;
  virtual absl::StatusOr<std::string> Get(const std::string& tenant, const std::string& id) = 0;
  virtual absl::Status Delete(const std::string& tenant, const std::string& id) = 0;
};

// One organisation's latest approved assessment on a catalogue: its kept function scores, or,
// when none are kept for its current revision (stored false), its organisation, id and
// revision alone (GetAssessments reads the assessment itself).
struct ApprovedRow {
  pb::ApprovedScore score;
  bool stored = false;
};

class PracticeStore {
 public:
  virtual ~PracticeStore() = default;

  // Every organisation the caller sees (of `industry`, when given) with an approved assessment
  // on `catalogue_id`, in creation order, each with its latest approved one (newest
  // assessedOn, then newest creation): one query, whatever the number of organisations.
  virtual absl::StatusOr<std::vector<ApprovedRow>> ListApprovedScores(
      const Caller& caller, const std::string& catalogue_id, const std::string& industry) = 0;
  // The caller's tenant's approved generation: it moves in the same transaction as any change
  // ListApprovedScores could show (0 before the first).
  virtual absl::StatusOr<int64_t> ApprovedGeneration(const Caller& caller) = 0;
  // The assessments of `ids` the caller sees, by id, in one query (missing ones are absent).
  virtual absl::StatusOr<std::map<std::string, pb::Assessment>> GetAssessments(
      const Caller& caller, const std::vector<std::string>& ids) = 0;

  // The organisations the caller sees that pass `filter`, in creation order, each with its
  // latest assessment on `catalogue_id` (newest assessedOn, then newest creation).
  virtual absl::StatusOr<PageOf<pb::PortfolioRow>> ListPortfolioRows(
      const Caller& caller, const std::string& catalogue_id, const OrganizationFilter& filter,
      Page page, bool headers_only) = 0;

  // One draft of `templ` (catalogue, version, title, date) per organisation the caller sees
  // that passes `filter`, and the campaign naming them, in one transaction. `total` is the
  // number of roles of the pinned catalogue version.
  virtual absl::StatusOr<pb::Campaign> CreateCampaign(const Caller& caller,
                                                      const pb::Campaign& campaign,
                                                      const OrganizationFilter& filter,
                                                      const pb::Assessment& templ, int total,
                                                      const WriteOptions& write) = 0;
  // Newest first, each with its progress.
  virtual absl::StatusOr<PageOf<pb::Campaign>> ListCampaigns(const Caller& caller, Page page) = 0;
  virtual absl::StatusOr<pb::Campaign> GetCampaign(const Caller& caller, const std::string& id) = 0;

  virtual absl::StatusOr<pb::RoleComment> CreateComment(const Caller& caller,
                                                        const std::string& org,
                                                        const std::string& assessment,
                                                        const pb::RoleComment& comment,
                                                        const WriteOptions& write) = 0;
  // Oldest first; `role` "" for every role.
  virtual absl::StatusOr<PageOf<pb::RoleComment>> ListComments(const Caller& caller,
                                                               const std::string& org,
                                                               const std::string& assessment,
                                                               const std::string& role,
                                                               Page page) = 0;

  // The bytes first (the blob store), then the record in a transaction: a file is listed
  // only once all of it is stored.
  virtual absl::StatusOr<pb::Evidence> AddEvidence(const Caller& caller, const std::string& org,
                                                   const std::string& assessment,
                                                   const pb::Evidence& evidence,
                                                   const std::string& content,
                                                   const WriteOptions& write) = 0;
  // Oldest first; `role` "" for every role.
  virtual absl::StatusOr<std::vector<pb::Evidence>> ListEvidence(const Caller& caller,
                                                                 const std::string& org,
                                                                 const std::string& assessment,
                                                                 const std::string& role) = 0;
  virtual absl::StatusOr<std::pair<pb::Evidence, std::string>> GetEvidence(
      const Caller& caller, const std::string& org, const std::string& assessment,
      const std::string& role, const std::string& id) = 0;
  virtual absl::Status DeleteEvidence(const Caller& caller, const std::string& org,
                                      const std::string& assessment, const std::string& role,
                                      const std::string& id, const WriteOptions& write) = 0;
};

}  // namespace socm::assessment
