#include "services/assessment/server/approved_score_service.h"

#include <google/protobuf/util/json_util.h>

#include "services/assessment/server/handler_support.h"
#include "services/common/access.h"
#include "services/common/caller_metadata.h"
#include "services/common/log.h"
#include "services/scoring/domain/scoring.h"

namespace socm::assessment {

using namespace handlers;  // NOLINT(build/namespaces)

ScoresToKeep ScoresOf(const pb::Assessment& approved,
                      const soc::maturity::catalogue::v1::Catalogue& catalogue) {
  ScoresToKeep out;
  out.org = approved.organization_id();
  out.id = approved.id();
  out.revision = approved.revision();
  // Function scores do not depend on the language of the names.
  const pb::ApprovedScore kept =
      scoring::ApprovedScoreOf(scoring::ComputeScore(approved, catalogue, "ja"));
  (void)google::protobuf::util::MessageToJsonString(kept, &out.scores);
  return out;
}

void KeepScores(AssessmentStore& store, const Caller& caller, const pb::Assessment& approved,
                const soc::maturity::catalogue::v1::Catalogue& catalogue) {
  if (auto s = store.StoreApprovedScores(caller, {ScoresOf(approved, catalogue)}); !s.ok()) {
    Log(LogLevel::kWarn, "approved scores not kept",
        {{"assessment", approved.id()}, {"error", s.ToString()}});
  }
}

grpc::ServerUnaryReactor* ApprovedScoreServiceImpl::ListApprovedScores(
    grpc::CallbackServerContext* context, const pb::ListApprovedScoresRequest* request,
    pb::ListApprovedScoresResponse* response) {
  auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
  if (!authorized.ok()) return Finish(context, authorized.status());
  const Caller& caller = *authorized;
  if (auto s = NeedTenant(caller); !s.ok()) return Finish(context, s);
  if (request->catalogue_id().empty()) {
    return Finish(context, InvalidFields({Violation("catalogueId", "required")}));
  }
  auto rows = store_.ListApprovedScores(caller, request->catalogue_id(), request->industry());
  if (!rows.ok()) return Finish(context, rows.status());
  std::vector<ScoresToKeep> keep;
  for (ApprovedRow& row : *rows) {
    if (!row.stored) {
      // Scored now from its pinned catalogue version (versions are immutable and cached).
      auto catalogue = catalogues_.Get(caller, row.assessment.catalogue_id(),
                                       row.assessment.catalogue_version());
      if (!catalogue.ok()) return Finish(context, catalogue.status());
      const auto& scored = keep.emplace_back(ScoresOf(row.assessment, **catalogue));
      pb::ApprovedScore computed;
      auto parsed = google::protobuf::util::JsonStringToMessage(scored.scores, &computed);
      if (!parsed.ok()) return Finish(context, absl::InternalError(parsed.ToString()));
      *row.score.mutable_function_scores() = std::move(*computed.mutable_function_scores());
    }
    *response->add_scores() = std::move(row.score);
  }
  // Kept for the next read; the answer does not wait on it to be right.
  if (auto s = assessments_.StoreApprovedScores(caller, keep); !s.ok()) {
    Log(LogLevel::kWarn, "approved scores not kept",
        {{"count", keep.size()}, {"error", s.ToString()}});
  }
  return Finish(context, absl::OkStatus());
}

}  // namespace socm::assessment
