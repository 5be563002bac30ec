#include "services/scoring/server/scoring_service.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/cache_metrics.h"
#include "services/common/caller_metadata.h"
#include "services/common/grpc_status.h"
#include "services/common/status.h"

namespace socm::scoring {
namespace {

namespace apb = soc::maturity::assessment::v1;

grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* context, const absl::Status& status) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

absl::StatusOr<std::string> Language(const std::string& lang) {
  if (lang.empty()) return std::string("ja");
  if (lang == "ja" || lang == "en") return lang;
  return InvalidFields({Violation("lang", "must be ja or en")});
}

}  // namespace

ScoringServiceImpl::ScoringServiceImpl(AssessmentClient& assessments, CatalogueClient& catalogues,
                                       prometheus::Registry& registry)
    : assessments_(assessments), catalogues_(catalogues) {
  SetMessageAllocatorFor_GetScore(&get_score_allocator_);
  const CacheCounters counters = CacheCountersFor(registry, "score_memory");
  hit_ = counters.hit;
  miss_ = counters.miss;
}

std::string ScoringServiceImpl::CacheKey(const Caller& caller, const std::string& org,
                                         const std::string& assessment_id, const std::string& lang,
                                         bool explain) {
  return absl::StrCat(caller.tenant.value(), "/", org, "/", assessment_id, "/", lang,
                      explain ? "/explain" : "");
}

absl::StatusOr<Score> ScoringServiceImpl::ScoreOf(const Caller& caller,
                                                  const Assessment& assessment,
                                                  const std::string& lang, bool explain) {
  const std::string key =
      CacheKey(caller, assessment.organization_id(), assessment.id(), lang, explain);
  if (auto hit = cache_.Get(key); hit && (*hit)->revision() == assessment.revision()) {
    hit_->Increment();
    return **hit;
  }
  miss_->Increment();
  auto catalogue =
      catalogues_.Get(caller, assessment.catalogue_id(), assessment.catalogue_version());
  if (!catalogue.ok()) return catalogue.status();
  auto score = std::make_shared<const Score>(ComputeScore(assessment, **catalogue, lang, explain));
  cache_.Put(key, score);
  return *score;
}

grpc::ServerUnaryReactor* ScoringServiceImpl::GetScore(grpc::CallbackServerContext* context,
                                                       const spb::GetScoreRequest* request,
                                                       Score* response) {
  auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
  if (!authorized.ok()) return Done(context, authorized.status());
  auto lang = Language(request->lang());
  if (!lang.ok()) return Done(context, lang.status());
  const Caller& caller = *authorized;
  // The caller's copy first (it then needs no score sent), else our own.
  const bool caller_knows = request->known_revision() > 0;
  std::shared_ptr<const Score> cached;
  if (!caller_knows) {
    cached = cache_
                 .Get(CacheKey(caller, request->organization_id(), request->assessment_id(), *lang,
                               request->explain()))
                 .value_or(nullptr);
  }
  auto* reactor = context->DefaultReactor();
  // Our copy goes out at once while the revision board vouches for it (the caller's scope
  // includes the organisation, and the assessment, there, has not been written since).
  if (cached && board_ != nullptr && board_->enabled() &&
      caller.MaySee(request->organization_id())) {
    board_->CurrentAsync(caller.tenant.value(), request->assessment_id(),
                         [this, context, request, response, reactor, cached, caller,
                          lang = *lang](std::optional<RevisionBoard::Entry> entry) {
                           if (entry && entry->revision == cached->revision() &&
                               entry->org == request->organization_id()) {
                             hit_->Increment();
                             *response = *cached;
                             return reactor->Finish(grpc::Status::OK);
                           }
                           AskAssessment(context, *request, caller, lang, cached, reactor,
                                         response);
                         });
    return reactor;
  }
  AskAssessment(context, *request, caller, *lang, cached, reactor, response);
  return reactor;
}

void ScoringServiceImpl::AskAssessment(grpc::CallbackServerContext* context,
                                       const spb::GetScoreRequest& request, const Caller& caller,
                                       const std::string& lang, std::shared_ptr<const Score> cached,
                                       grpc::ServerUnaryReactor* reactor, Score* response) {
  const bool caller_knows = request.known_revision() > 0;
  const int32_t known_revision =
      caller_knows ? request.known_revision() : (cached ? cached->revision() : 0);
  // Asynchronous, so that no callback thread waits on the assessment service: that checks the
  // caller may see the assessment and that the revision is current.
  assessments_.GetAssessmentAsync(
      *context, caller, request.organization_id(), request.assessment_id(), known_revision,
      [this, caller, lang, explain = request.explain(), reactor, response, cached, caller_knows,
       known_revision](absl::StatusOr<Assessment> assessment) {
        if (!assessment.ok()) return reactor->Finish(ToGrpcStatus(assessment.status()));
        // An assessment service older than the unchanged flag sends the header alone.
        if (assessment->unchanged() ||
            (known_revision > 0 && assessment->revision() == known_revision &&
             assessment->catalogue_id().empty())) {
          if (caller_knows) {
            response->set_assessment_id(assessment->id());
            response->set_revision(known_revision);
            response->set_unchanged(true);
            return reactor->Finish(grpc::Status::OK);
          }
          hit_->Increment();
          *response = *cached;
          return reactor->Finish(grpc::Status::OK);
        }
        auto score = ScoreOf(caller, *assessment, lang, explain);
        if (!score.ok()) return reactor->Finish(ToGrpcStatus(score.status()));
        *response = std::move(*score);
        reactor->Finish(grpc::Status::OK);
      });
}

grpc::ServerUnaryReactor* ScoringServiceImpl::GetTrend(grpc::CallbackServerContext* context,
                                                       const spb::GetTrendRequest* request,
                                                       spb::GetTrendResponse* response) {
  auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
  if (!authorized.ok()) return Done(context, authorized.status());
  const Caller& caller = *authorized;
  // No call on this thread: every assessment of the organisation, then each catalogue version
  // the chosen ones are pinned to (kept in process after the first time), then the scores
  // (from the cache, or computed here).
  auto* reactor = context->DefaultReactor();
  assessments_.ListAssessmentsAsync(
      *context, caller, request->organization_id(),
      [this, context, caller, request, response,
       reactor](absl::StatusOr<std::vector<Assessment>> list) {
        if (!list.ok()) return reactor->Finish(ToGrpcStatus(list.status()));
        // Without a catalogue named, the trend follows the newest assessment's catalogue.
        std::string catalogue_id = request->catalogue_id();
        if (catalogue_id.empty() && !list->empty()) catalogue_id = list->front().catalogue_id();
        auto chosen = std::make_shared<std::vector<Assessment>>();
        std::set<std::string> versions;
        for (auto& a : *list) {
          if (a.catalogue_id() != catalogue_id) continue;
          versions.insert(a.catalogue_version());
          chosen->push_back(std::move(a));
        }
        std::stable_sort(chosen->begin(), chosen->end(),
                         [](const Assessment& a, const Assessment& b) {
                           if (a.assessed_on() != b.assessed_on())
                             return a.assessed_on() < b.assessed_on();
                           return a.create_time().seconds() < b.create_time().seconds();
                         });
        FetchCatalogues(
            *context, caller, catalogue_id,
            std::make_shared<std::vector<std::string>>(versions.begin(), versions.end()), 0,
            [this, caller, catalogue_id, chosen, request, response, reactor](absl::Status s) {
              if (!s.ok()) return reactor->Finish(ToGrpcStatus(s));
              std::vector<std::pair<Assessment, Score>> history;
              for (auto& a : *chosen) {
                auto score = ScoreOf(caller, a, "ja");
                if (!score.ok()) return reactor->Finish(ToGrpcStatus(score.status()));
                history.emplace_back(std::move(a), std::move(*score));
              }
              response->set_organization_id(request->organization_id());
              response->set_catalogue_id(catalogue_id);
              for (auto& p : BuildTrend(history)) *response->add_points() = std::move(p);
              reactor->Finish(grpc::Status::OK);
            });
      });
  return reactor;
}

void ScoringServiceImpl::FetchCatalogues(const grpc::CallbackServerContext& context,
                                         const Caller& caller, const std::string& id,
                                         std::shared_ptr<std::vector<std::string>> versions,
                                         size_t next, std::function<void(absl::Status)> done) {
  if (next == versions->size()) return done(absl::OkStatus());
  const std::string version = (*versions)[next];
  catalogues_.GetAsync(context, caller, id, version,
                       [this, &context, caller, id, versions, next, done = std::move(done)](
                           absl::StatusOr<std::shared_ptr<const Catalogue>> catalogue) mutable {
                         if (!catalogue.ok()) return done(catalogue.status());
                         FetchCatalogues(context, caller, id, versions, next + 1, std::move(done));
                       });
}

grpc::ServerUnaryReactor* ScoringServiceImpl::GetBenchmark(grpc::CallbackServerContext* context,
                                                           const spb::GetBenchmarkRequest* request,
                                                           spb::GetBenchmarkResponse* response) {
  // Over the organisations the caller sees: a person serving five customers compares those
  // five; a scope below the benchmark's minimum is refused like a tenant below it.
  auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
  if (!authorized.ok()) return Done(context, authorized.status());
  const Caller& caller = *authorized;
  if (request->catalogue_id().empty())
    return Done(context, InvalidFields({Violation("catalogueId", "required")}));
  // Two calls, neither on this thread: the scores the system of record kept at approval, every
  // organisation in one answer, then the catalogue's latest version (its functions).
  auto* reactor = context->DefaultReactor();
  apb::ListApprovedScoresRequest list;
  list.set_catalogue_id(request->catalogue_id());
  list.set_industry(request->industry());
  assessments_.ListApprovedScoresAsync(
      *context, caller, std::move(list),
      [this, context, caller, request, response,
       reactor](absl::StatusOr<apb::ListApprovedScoresResponse> kept) {
        if (!kept.ok()) return reactor->Finish(ToGrpcStatus(kept.status()));
        auto columns = std::make_shared<ScoreColumns>();
        for (auto& f : *kept->mutable_functions()) {
          (*columns)[f.code()].assign(f.scores().begin(), f.scores().end());
        }
        const int organizations = kept->organization_count();
        catalogues_.GetAsync(*context, caller, request->catalogue_id(), "",
                             [request, response, reactor, columns, organizations](
                                 absl::StatusOr<std::shared_ptr<const Catalogue>> catalogue) {
                               if (!catalogue.ok())
                                 return reactor->Finish(ToGrpcStatus(catalogue.status()));
                               auto benchmark = BuildBenchmark(**catalogue, std::move(*columns),
                                                               organizations, request->industry());
                               if (!benchmark.ok())
                                 return reactor->Finish(ToGrpcStatus(benchmark.status()));
                               *response = std::move(*benchmark);
                               reactor->Finish(grpc::Status::OK);
                             });
      });
  return reactor;
}

grpc::ServerUnaryReactor* ScoringServiceImpl::GetPortfolio(grpc::CallbackServerContext* context,
                                                           const spb::GetPortfolioRequest* request,
                                                           spb::GetPortfolioResponse* response) {
  auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
  if (!authorized.ok()) return Done(context, authorized.status());
  const Caller& caller = *authorized;
  if (request->catalogue_id().empty())
    return Done(context, InvalidFields({Violation("catalogueId", "required")}));
  if (request->page_size() < 0 || request->page_size() > 500) {
    return Done(context, InvalidFields({Violation("pageSize", "must be 0..500")}));
  }
  if (!request->format().empty() && request->format() != "json") {
    return Done(
        context,
        InvalidFields({Violation("format", "csv and xlsx are rendered by the reporting service")}));
  }
  apb::ListPortfolioRowsRequest rows_request;
  rows_request.set_catalogue_id(request->catalogue_id());
  rows_request.set_industry(request->industry());
  rows_request.set_label(request->label());
  // 0 here means every row: a JSON page defaults to 50 like every list.
  rows_request.set_page_size(request->page_size() == 0 ? 50 : request->page_size());
  rows_request.set_page_token(request->page_token());
  // Headers only: a score still current in the cache needs no document read or parsed.
  rows_request.set_headers_only(true);
  auto* reactor = context->DefaultReactor();
  // No call on this thread: the page's rows (headers), then, one after the other, each latest
  // assessment whose score is not cached at its revision, and the catalogue versions those
  // are pinned to.
  assessments_.ListPortfolioRowsAsync(
      *context, caller, std::move(rows_request),
      [this, context, caller, request, response,
       reactor](absl::StatusOr<apb::ListPortfolioRowsResponse> rows) {
        if (!rows.ok()) return reactor->Finish(ToGrpcStatus(rows.status()));
        auto page = std::make_shared<PortfolioPage>();
        page->rows = std::move(*rows);
        page->scores.resize(page->rows.rows_size());
        for (int i = 0; i < page->rows.rows_size(); ++i) {
          const auto& row = page->rows.rows(i);
          if (!row.has_latest_assessment()) continue;
          const Assessment& header = row.latest_assessment();
          auto hit =
              cache_.Get(CacheKey(caller, header.organization_id(), header.id(), "ja", false));
          if (hit && (*hit)->revision() == header.revision()) {
            hit_->Increment();
            page->scores[i] = *hit;
          } else {
            page->misses.push_back(i);
          }
        }
        FetchMisses(*context, caller, page, 0,
                    [this, caller, page, request, response, reactor](absl::Status s) {
                      if (!s.ok()) return reactor->Finish(ToGrpcStatus(s));
                      response->set_catalogue_id(request->catalogue_id());
                      for (int i = 0; i < page->rows.rows_size(); ++i) {
                        const auto& row = page->rows.rows(i);
                        *response->add_organizations() = PortfolioLine(
                            row.organization(),
                            row.has_latest_assessment() ? &row.latest_assessment() : nullptr,
                            page->scores[i].get());
                      }
                      response->set_next_page_token(page->rows.next_page_token());
                      reactor->Finish(grpc::Status::OK);
                    });
      });
  return reactor;
}

void ScoringServiceImpl::FetchMisses(const grpc::CallbackServerContext& context,
                                     const Caller& caller, std::shared_ptr<PortfolioPage> page,
                                     size_t next, std::function<void(absl::Status)> done) {
  if (next == page->misses.size()) return done(absl::OkStatus());
  const int i = page->misses[next];
  const Assessment& header = page->rows.rows(i).latest_assessment();
  assessments_.GetAssessmentAsync(
      context, caller, header.organization_id(), header.id(), 0,
      [this, &context, caller, page, next, i,
       done = std::move(done)](absl::StatusOr<Assessment> full) mutable {
        if (!full.ok()) return done(full.status());
        auto assessment = std::make_shared<Assessment>(std::move(*full));
        catalogues_.GetAsync(
            context, caller, assessment->catalogue_id(), assessment->catalogue_version(),
            [this, &context, caller, page, next, i, assessment, done = std::move(done)](
                absl::StatusOr<std::shared_ptr<const Catalogue>> catalogue) mutable {
              if (!catalogue.ok()) return done(catalogue.status());
              auto score = ScoreOf(caller, *assessment, "ja");
              if (!score.ok()) return done(score.status());
              page->scores[i] = std::make_shared<const Score>(std::move(*score));
              FetchMisses(context, caller, page, next + 1, std::move(done));
            });
      });
}

}  // namespace socm::scoring
