#pragma once
// The ScoringService RPCs: fetch the assessment and its pinned catalogue,
// then the pure arithmetic of domain/scoring.h. A score depends only on
// (assessment, revision, language). The newest one computed per (assessment,
// language) is kept in process; GetScore asks the assessment service whether
// that revision is still current (a header-only answer when it is) and only
// fetches the document when it is not, unless the revision board (Redis) already vouches
// for the cached revision. Computing a score takes microseconds, less than a Redis round
// trip, so scores themselves are not kept in Redis.

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "services/common/arena_allocator.h"
#include "services/common/assessment_client.h"
#include "services/common/catalogue_client.h"
#include "services/common/lru_cache.h"
#include "services/common/revision_board.h"
#include "services/scoring/domain/scoring.h"
#include "soc/maturity/scoring/v1/scoring.grpc.pb.h"

namespace socm::scoring {

namespace spb = soc::maturity::scoring::v1;

class ScoringServiceImpl final : public spb::ScoringService::CallbackService {
 public:
  // The clients must outlive the service.
  ScoringServiceImpl(AssessmentClient& assessments, CatalogueClient& catalogues,
                     prometheus::Registry& registry);

  grpc::ServerUnaryReactor* GetScore(grpc::CallbackServerContext* context,
                                     const spb::GetScoreRequest* request, Score* response) override;
  grpc::ServerUnaryReactor* GetTrend(grpc::CallbackServerContext* context,
                                     const spb::GetTrendRequest* request,
                                     spb::GetTrendResponse* response) override;
  grpc::ServerUnaryReactor* GetBenchmark(grpc::CallbackServerContext* context,
                                         const spb::GetBenchmarkRequest* request,
                                         spb::GetBenchmarkResponse* response) override;
  grpc::ServerUnaryReactor* GetPortfolio(grpc::CallbackServerContext* context,
                                         const spb::GetPortfolioRequest* request,
                                         spb::GetPortfolioResponse* response) override;

  // The board that lets a cached score go out without asking the assessment service
  // (revision_board.h); null: every request asks.
  void set_revision_board(RevisionBoard* board) { board_ = board; }

  // The score of one stored assessment, through the cache.
  absl::StatusOr<Score> ScoreOf(const Caller& caller, const Assessment& assessment,
                                const std::string& lang, bool explain = false);

 private:
  // The slow path of GetScore: the assessment service says whether `cached` (or the caller's
  // copy) is current, and sends the assessment when it is not.
  void AskAssessment(grpc::CallbackServerContext* context, const spb::GetScoreRequest& request,
                     const Caller& caller, const std::string& lang,
                     std::shared_ptr<const Score> cached, grpc::ServerUnaryReactor* reactor,
                     Score* response);
  // Each of `versions` of catalogue `id` into the catalogue client's cache, one after the
  // other without blocking, then `done`.
  void FetchCatalogues(const grpc::CallbackServerContext& context, const Caller& caller,
                       const std::string& id, std::shared_ptr<std::vector<std::string>> versions,
                       size_t next, std::function<void(absl::Status)> done);
  // A portfolio page being answered: its rows, the score of each row's latest assessment, and
  // the rows whose score had to be computed.
  struct PortfolioPage {
    soc::maturity::assessment::v1::ListPortfolioRowsResponse rows;
    std::vector<std::shared_ptr<const Score>> scores;
    std::vector<int> misses;
  };
  // The scores of page->misses from `next` on, one assessment after the other, then `done`.
  void FetchMisses(const grpc::CallbackServerContext& context, const Caller& caller,
                   std::shared_ptr<PortfolioPage> page, size_t next,
                   std::function<void(absl::Status)> done);
  static std::string CacheKey(const Caller& caller, const std::string& org,
                              const std::string& assessment_id, const std::string& lang,
                              bool explain);

  AssessmentClient& assessments_;
  RevisionBoard* board_ = nullptr;
  CatalogueClient& catalogues_;
  ArenaAllocator<spb::GetScoreRequest, Score> get_score_allocator_;
  LruCache<std::string, std::shared_ptr<const Score>> cache_{4096};
  prometheus::Counter* hit_;
  prometheus::Counter* miss_;
};

}  // namespace socm::scoring
