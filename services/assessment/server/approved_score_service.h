#pragma once
// The ApprovedScoreService RPC: each organisation's latest approved assessment on a catalogue
// with its function scores, as kept when it was approved. Assessments approved before scores
// were kept (or whose kept scores are of an older revision) are scored here on first read and
// kept then, so that the next read is the query alone. Each answer is kept in the process
// with the tenant's approved generation read before it, and given again while that generation
// has not moved: every replica reads the generation from the system of record, and every change
// an answer could show moves it in its own transaction (the triggers of migration 8). Example:
//   ScoresToKeep keep = ScoresOf(approved, catalogue);
//   store.StoreApprovedScores(caller, {keep});

#include "services/assessment/store/assessment_store.h"
#include "services/assessment/store/practice_store.h"
#include "services/common/catalogue_client.h"
#include "services/common/lru_cache.h"
#include "services/common/work_queue.h"
#include "soc/maturity/assessment/v1/approved_scores.grpc.pb.h"

namespace socm::assessment {

// What the store keeps of `approved`'s score (computed on `catalogue`, its pinned version);
// the score itself also in `computed`, when given.
ScoresToKeep ScoresOf(const pb::Assessment& approved,
                      const soc::maturity::catalogue::v1::Catalogue& catalogue,
                      pb::ApprovedScore* computed = nullptr);

// Keeps `approved`'s scores once its approval has committed. A failure is logged, not
// returned: it costs the next benchmark one computation, and the write stands.
void KeepScores(AssessmentStore& store, const Caller& caller, const pb::Assessment& approved,
                const soc::maturity::catalogue::v1::Catalogue& catalogue);

class ApprovedScoreServiceImpl final : public pb::ApprovedScoreService::CallbackService {
 public:
  // Every argument must outlive the service.
  ApprovedScoreServiceImpl(WorkQueue& work, AssessmentStore& assessments, PracticeStore& store,
                           CatalogueClient& catalogues)
      : work_(work), assessments_(assessments), store_(store), catalogues_(catalogues) {}

  grpc::ServerUnaryReactor* ListApprovedScores(grpc::CallbackServerContext* context,
                                               const pb::ListApprovedScoresRequest* request,
                                               pb::ListApprovedScoresResponse* response) override;

 private:
  void Keep(const Caller& caller, const std::vector<ScoresToKeep>& keep);

  struct KeptAnswer {
    int64_t generation = 0;
    pb::ListApprovedScoresResponse answer;
  };

  WorkQueue& work_;
  AssessmentStore& assessments_;
  PracticeStore& store_;
  CatalogueClient& catalogues_;
  // By tenant, catalogue, industry and the caller's scope. 10,000 organisations make an answer
  // of about 720 KB: at most a few tens of MB.
  LruCache<std::string, std::shared_ptr<const KeptAnswer>> kept_{32};
};

}  // namespace socm::assessment
