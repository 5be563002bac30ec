// The score route: its own handler, because the gateway keeps the score JSON it
// last sent and lets scoring answer "unchanged" (see ScoreBodies).
#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/binding.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "services/common/cache_metrics.h"
#include "services/common/lru_cache.h"
#include "soc/maturity/scoring/v1/scoring.grpc.pb.h"

namespace socm::gateway {
namespace {

namespace spb = soc::maturity::scoring::v1;

// The score JSON last sent per (tenant, organisation, assessment, language, explain), with its
// revision. While the revision board vouches for that revision (the assessment, in this
// organisation, has not been written since), the body goes out with no backend call: the
// caller was authenticated here, the route's role checked, and its scope must include the
// organisation. Otherwise the gateway sends the revision along; scoring answers with the
// header alone while it is current, so neither side serialises the score again.
class ScoreBodies {
 public:
  explicit ScoreBodies(prometheus::Registry& registry) {
    const CacheCounters counters = CacheCountersFor(registry, "score_json");
    hit_ = counters.hit;
    miss_ = counters.miss;
  }
  struct Body {
    int32_t revision;
    std::string json;
  };
  static std::string Key(const Caller& caller, const spb::GetScoreRequest& request) {
    return absl::StrCat(caller.tenant.value(), "/", request.organization_id(), "/",
                        request.assessment_id(), "/", request.lang(),
                        request.explain() ? "/explain" : "");
  }
  std::shared_ptr<const Body> Get(const std::string& key) {
    return bodies_.Get(key).value_or(nullptr);
  }
  // Whether the board vouches that `known` is still the assessment's current score.
  bool Vouched(const std::optional<RevisionBoard::Entry>& entry,
               const spb::GetScoreRequest& request, const Body& known) {
    if (!entry || entry->revision != known.revision || entry->org != request.organization_id())
      return false;
    hit_->Increment();
    return true;
  }
  // The answer to a request that sent `known` along.
  Response Answer(const std::string& key, const std::shared_ptr<const Body>& known,
                  const spb::Score& score) {
    // A scoring service older than the unchanged flag answers with the header alone.
    const bool header_only = score.unchanged() || (known && score.revision() == known->revision &&
                                                   score.catalogue_id().empty());
    if (known && header_only) {
      hit_->Increment();
      return JsonResponse(http::status::ok, known->json);
    }
    miss_->Increment();
    Response response = ProtoResponse(score);
    if (response.result() == http::status::ok)
      bodies_.Put(key, std::make_shared<const Body>(Body{score.revision(), response.body()}));
    return response;
  }

 private:
  // About 4.5 KB a body.
  LruCache<std::string, std::shared_ptr<const Body>> bodies_{2048};
  prometheus::Counter* hit_;
  prometheus::Counter* miss_;
};

}  // namespace

NamedHandlers ScoreHandlers(const RouteContext& context, prometheus::Registry& registry) {
  auto bodies = std::make_shared<ScoreBodies>(registry);
  std::shared_ptr<spb::ScoringService::Stub> scoring =
      spb::ScoringService::NewStub(context.backends.scoring());
  NamedHandlers out;
  out["score"] = [&context, bodies, scoring](const RouteSpec& route) {
    return Authed(
        context, route.need,
        [&context, &route, scoring, bodies](CallPtr call, const Caller& caller, Respond respond) {
          spb::GetScoreRequest request;
          if (absl::Status s = BindRequest(route, *call, &request); !s.ok())
            return respond(ErrorResponse(s));
          const std::string key = ScoreBodies::Key(caller, request);
          std::shared_ptr<const ScoreBodies::Body> known = bodies->Get(key);
          auto ask_scoring = [call, scoring, bodies, key, known,
                              respond](spb::GetScoreRequest request) {
            if (known) request.set_known_revision(known->revision);
            UnaryCall<spb::Score>(
                *call, std::move(request), SOCM_ASYNC(scoring, GetScore),
                [bodies, key, known, respond](absl::Status status, spb::Score& score) {
                  if (!status.ok()) return respond(ErrorResponse(status));
                  respond(bodies->Answer(key, known, score));
                });
          };
          if (!known || context.revisions == nullptr || !caller.MaySee(request.organization_id())) {
            return ask_scoring(std::move(request));
          }
          const std::string tenant = caller.tenant.value();
          const std::string assessment = request.assessment_id();
          context.revisions->CurrentAsync(
              tenant, assessment,
              [bodies, known, respond, ask_scoring,
               request = std::move(request)](std::optional<RevisionBoard::Entry> entry) mutable {
                if (bodies->Vouched(entry, request, *known))
                  return respond(JsonResponse(http::status::ok, known->json));
                ask_scoring(std::move(request));
              });
        });
  };
  return out;
}

}  // namespace socm::gateway
