#pragma once
// The rules of the system of record as pure functions on the protobuf
// messages: what a valid organisation, assessment and answer are, how answers
// merge, and the DRAFT -> SUBMITTED -> APPROVED state machine. Every problem
// is reported with its JSON path. Example:
//   RoleIndex roles = IndexRoles(catalogue);
//   absl::Status s = ApplyAnswers(assessment, request.answers(), roles, "answers");
//   // INVALID_ARGUMENT "answers[3].inSource: must be 0..5" (the catalogue's scale), untouched

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/common/status.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"

namespace socm::assessment {

namespace pb = soc::maturity::assessment::v1;

inline constexpr size_t kMaxDisplayName = 200;
inline constexpr size_t kMaxNote = 4000;

// The role codes, function codes and shape (id, version, scale, dimensions, combine; no
// functions) of one catalogue version.
struct RoleIndex {
  std::set<std::string> roles;
  std::set<std::string> functions;
  soc::maturity::catalogue::v1::Catalogue shape;
};
RoleIndex IndexRoles(const soc::maturity::catalogue::v1::Catalogue& catalogue);

std::vector<FieldViolation> ValidateTenantName(const std::string& display_name);
// `prefix` is prepended to every path ("" or "organization.").
std::vector<FieldViolation> ValidateOrganization(const pb::Organization& org,
                                                 const std::string& prefix);
// Everything of a create request but the catalogue's existence.
std::vector<FieldViolation> ValidateNewAssessment(const pb::CreateAssessmentRequest& request);
// Function targets must name functions of the catalogue and lie on its scale.
std::vector<FieldViolation> ValidateFunctionTargets(
    const google::protobuf::Map<std::string, double>& targets, const RoleIndex& index,
    const std::string& path);

// Validates every answer (levels by dimension code or their short forms, each on the
// catalogue's scale), then replaces each named role's answer (an answer with no rating, target
// or note removes it). Stored answers carry levels and the short forms both. All or nothing:
// on error the assessment is unchanged. `path` names the list, e.g. "answers".
absl::Status ApplyAnswers(pb::Assessment& assessment,
                          const google::protobuf::RepeatedPtrField<pb::Answer>& answers,
                          const RoleIndex& index, const std::string& path);

// Answers stored before levels existed carry only the short forms: gives each its levels, and
// every answer its short forms, as replies carry them.
void NormalizeStoredAnswers(pb::Assessment& assessment);

enum class Transition { kSubmit, kApprove, kReopen };
// Who moves an assessment on: separation of duties depends on it.
struct TransitionActor {
  // The key id or the person; recorded as submitted_by at a submit.
  std::string principal;
  bool admin = false;
};
// DRAFT -submit-> SUBMITTED -approve-> APPROVED; reopen takes SUBMITTED or
// APPROVED back to DRAFT. Anything else is FAILED_PRECONDITION. Whoever made the
// latest submit cannot approve it, and only an admin reopens an approved
// assessment: both PERMISSION_DENIED.
absl::Status ApplyTransition(pb::Assessment& assessment, Transition transition,
                             const TransitionActor& actor);
// The roles with a rating in any dimension (a note or target alone is not one).
int CountAnswered(const pb::Assessment& assessment);

// Answers change only in DRAFT.
absl::Status CheckEditable(const pb::Assessment& assessment);

// The entity tag of one revision of an assessment (quoted, as HTTP sends it).
std::string Etag(const std::string& assessment_id, int64_t revision);

// YYYY-MM-DD with a real day of a real month.
bool IsDate(const std::string& s);

}  // namespace socm::assessment
