#include "services/assessment/server/approved_score_service.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "services/assessment/server/handler_support.h"
#include "services/common/access.h"
#include "services/common/caller_metadata.h"
#include "services/common/log.h"
#include "services/scoring/domain/scoring.h"

namespace socm::assessment {

using namespace handlers;  // NOLINT(build/namespaces)

ScoresToKeep ScoresOf(const pb::Assessment& approved,
                      const soc::maturity::catalogue::v1::Catalogue& catalogue,
                      pb::ApprovedScore* computed) {
  ScoresToKeep out;
  out.org = approved.organization_id();
  out.id = approved.id();
  out.revision = approved.revision();
  // Function scores do not depend on the language of the names.
  const pb::ApprovedScore kept =
      scoring::ApprovedScoreOf(scoring::ComputeScore(approved, catalogue, "ja"));
  out.scores = absl::Base64Escape(kept.SerializeAsString());
  if (computed != nullptr) *computed = kept;
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
  scoring::ScoreColumns columns;
  // Scoring thousands of assessments approved before scores were kept may take longer than the
  // caller waits: then what is done is kept, and the caller is told to come back for the rest.
  const auto stop_at = context->deadline() - std::chrono::milliseconds(300);
  for (ApprovedRow& row : *rows) {
    if (!row.stored && keep.size() % 64 == 63 && std::chrono::system_clock::now() > stop_at) {
      const size_t left = static_cast<size_t>(std::count_if(
          rows->begin(), rows->end(), [](const ApprovedRow& r) { return !r.stored; }));
      Keep(caller, keep);
      return Finish(context, absl::UnavailableError(absl::StrCat(
                                 "scoring approved assessments kept from before scores were "
                                 "stored: ",
                                 keep.size(), " done, ", left - keep.size(), " to go; retry")));
    }
    if (!row.stored) {
      // Scored now from its pinned catalogue version (versions are immutable and cached).
      pb::Assessment approved;
      if (auto s = ParseStoredAssessment(row.document, &approved); !s.ok()) {
        return Finish(context, s);
      }
      auto catalogue =
          catalogues_.Get(caller, approved.catalogue_id(), approved.catalogue_version());
      if (!catalogue.ok()) return Finish(context, catalogue.status());
      keep.push_back(ScoresOf(approved, **catalogue, &row.score));
    }
    scoring::AddToColumns(row.score, columns);
  }
  response->set_organization_count(static_cast<int32_t>(rows->size()));
  for (auto& [code, scores] : columns) {
    auto* f = response->add_functions();
    f->set_code(code);
    f->mutable_scores()->Assign(scores.begin(), scores.end());
  }
  Keep(caller, keep);
  return Finish(context, absl::OkStatus());
}

void ApprovedScoreServiceImpl::Keep(const Caller& caller, const std::vector<ScoresToKeep>& keep) {
  // For the next read; the answer does not wait on it to be right.
  if (auto s = assessments_.StoreApprovedScores(caller, keep); !s.ok()) {
    Log(LogLevel::kWarn, "approved scores not kept",
        {{"count", keep.size()}, {"error", s.ToString()}});
  }
}

}  // namespace socm::assessment
