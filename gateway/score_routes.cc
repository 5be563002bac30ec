// The score route: its own handler, because the gateway keeps the score JSON it
// last sent and lets scoring answer "unchanged" (kept_bodies.h).
#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/binding.h"
#include "gateway/gateway.h"
#include "gateway/kept_bodies.h"
#include "gateway/responses.h"
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
using ScoreBodies = KeptBodies<int32_t>;

std::string KeyOf(const Caller& caller, const spb::GetScoreRequest& request) {
  return absl::StrCat(caller.tenant.value(), "/", request.organization_id(), "/",
                      request.assessment_id(), "/", request.lang(),
                      request.explain() ? "/explain" : "");
}

// Whether the board vouches that `known` is still the assessment's current score.
bool Vouched(const std::optional<RevisionBoard::Entry>& entry, const spb::GetScoreRequest& request,
             const ScoreBodies::Body& known) {
  return entry && entry->revision == known.version && entry->org == request.organization_id();
}

// The answer to a request that sent `known` along.
Response Answer(ScoreBodies& bodies, const std::string& key,
                const std::shared_ptr<const ScoreBodies::Body>& known, const spb::Score& score) {
  // A scoring service older than the unchanged flag answers with the header alone.
  const bool header_only = score.unchanged() || (known && score.revision() == known->version &&
                                                 score.catalogue_id().empty());
  if (known && header_only) return bodies.Hit(*known);
  return bodies.Fresh(key, score.revision(), score);
}

}  // namespace

NamedHandlers ScoreHandlers(const RouteContext& context, prometheus::Registry& registry) {
  // About 4.5 KB a body.
  auto bodies = std::make_shared<ScoreBodies>(registry, "score_json", 2048);
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
          const std::string key = KeyOf(caller, request);
          std::shared_ptr<const ScoreBodies::Body> known = bodies->Get(key);
          auto ask_scoring = [call, scoring, bodies, key, known,
                              respond](spb::GetScoreRequest request) {
            if (known) request.set_known_revision(known->version);
            UnaryCall<spb::Score>(
                *call, std::move(request), SOCM_ASYNC(scoring, GetScore),
                [bodies, key, known, respond](absl::Status status, spb::Score& score) {
                  if (!status.ok()) return respond(ErrorResponse(status));
                  respond(Answer(*bodies, key, known, score));
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
                if (Vouched(entry, request, *known)) return respond(bodies->Hit(*known));
                ask_scoring(std::move(request));
              });
        });
  };
  return out;
}

}  // namespace socm::gateway
