#include "services/assessment/server/approved_score_service.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
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

namespace {

// What an answer depends on besides the data: the caller's tenant and scope, and the request.
std::string KeptKey(const Caller& caller, const pb::ListApprovedScoresRequest& request) {
  std::vector<std::string> scope = caller.organizations;
  std::sort(scope.begin(), scope.end());
  return absl::StrCat(caller.tenant.value(), "\n", request.catalogue_id(), "\n", request.industry(),
                      "\n", caller.scoped() ? absl::StrJoin(scope, ",") : "*");
}

}  // namespace

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
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = NeedTenant(caller); !s.ok()) return s;
    if (request->catalogue_id().empty()) {
      return InvalidFields({Violation("catalogueId", "required")});
    }
    // Read before the rows: a change that commits after this read moves the generation past
    // the one kept with this answer, so a kept answer is never older than its generation.
    auto generation = store_.ApprovedGeneration(caller);
    if (!generation.ok()) return generation.status();
    const std::string key = KeptKey(caller, *request);
    if (auto kept = kept_.Get(key); kept && (*kept)->generation == *generation) {
      *response = (*kept)->answer;
      return absl::OkStatus();
    }
    auto rows = store_.ListApprovedScores(caller, request->catalogue_id(), request->industry());
    if (!rows.ok()) return rows.status();
    std::vector<size_t> unkept;
    for (size_t i = 0; i < rows->size(); ++i) {
      if (!(*rows)[i].stored) unkept.push_back(i);
    }
    // Assessments approved before scores were kept are scored here, a batch of documents at a
    // time. Thousands of them may take longer than the caller waits: then what is done is kept,
    // and the caller is told to come back for the rest.
    constexpr size_t kBatch = 200;
    const auto stop_at = context->deadline() - std::chrono::milliseconds(500);
    size_t done = 0;
    auto come_back = [&]() {
      return absl::UnavailableError(
          absl::StrCat("scoring approved assessments kept from before scores were "
                       "stored: ",
                       done, " done, ", unkept.size() - done, " to go; retry"));
    };
    for (size_t begin = 0; begin < unkept.size(); begin += kBatch) {
      if (begin > 0 && std::chrono::system_clock::now() > stop_at) return come_back();
      std::vector<std::string> ids;
      for (size_t j = begin; j < std::min(unkept.size(), begin + kBatch); ++j) {
        ids.push_back((*rows)[unkept[j]].score.assessment_id());
      }
      auto documents = store_.GetAssessments(caller, ids);
      if (!documents.ok()) return documents.status();
      // Kept batch by batch, so that a caller who gives up still leaves this much done.
      std::vector<ScoresToKeep> keep;
      for (size_t j = begin; j < std::min(unkept.size(), begin + kBatch); ++j) {
        ApprovedRow& row = (*rows)[unkept[j]];
        auto found = documents->find(row.score.assessment_id());
        // Deleted, reopened or written since the first query: what the first query chose is no
        // longer there to score, and the answer would mix two moments.
        if (found == documents->end() || found->second.status() != pb::APPROVED ||
            found->second.revision() != row.score.revision()) {
          Keep(caller, keep);
          return absl::UnavailableError(
              "an assessment changed while the benchmark was read; retry");
        }
        // Scored from its pinned catalogue version (versions are immutable and cached).
        const pb::Assessment& approved = found->second;
        auto catalogue =
            catalogues_.Get(caller, approved.catalogue_id(), approved.catalogue_version());
        if (!catalogue.ok()) {
          Keep(caller, keep);
          return catalogue.status();
        }
        keep.push_back(ScoresOf(approved, **catalogue, &row.score));
        ++done;
        if (std::chrono::system_clock::now() > stop_at) {
          Keep(caller, keep);
          return come_back();
        }
      }
      Keep(caller, keep);
    }
    scoring::ScoreColumns columns;
    const auto organizations = static_cast<int32_t>(rows->size());
    for (const ApprovedRow& row : *rows) {
      scoring::AddToColumns(row.score, columns);
    }
    response->set_organization_count(organizations);
    for (auto& [code, scores] : columns) {
      auto* f = response->add_functions();
      f->set_code(code);
      f->mutable_scores()->Assign(scores.begin(), scores.end());
    }
    kept_.Put(key, std::make_shared<const KeptAnswer>(KeptAnswer{*generation, *response}));
    return absl::OkStatus();
  });
}

void ApprovedScoreServiceImpl::Keep(const Caller& caller, const std::vector<ScoresToKeep>& keep) {
  // For the next read; the answer does not wait on it to be right.
  if (auto s = assessments_.StoreApprovedScores(caller, keep); !s.ok()) {
    Log(LogLevel::kWarn, "approved scores not kept",
        {{"count", keep.size()}, {"error", s.ToString()}});
  }
}

}  // namespace socm::assessment
