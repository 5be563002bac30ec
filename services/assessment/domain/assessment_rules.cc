#include "services/assessment/domain/assessment_rules.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/catalogue/domain/model_shape.h"
#include "services/common/crypto.h"

namespace socm::assessment {
namespace {

void CheckName(const std::string& value, const std::string& path, bool required,
               std::vector<FieldViolation>& out) {
  if (value.empty()) {
    if (required) out.push_back(Violation(path, "required"));
  } else if (value.size() > kMaxDisplayName) {
    out.push_back(Violation(path, absl::StrCat("at most ", kMaxDisplayName, " bytes")));
  } else if (!IsValidUtf8(value)) {
    out.push_back(Violation(path, "must be valid UTF-8"));
  }
}

}  // namespace

RoleIndex IndexRoles(const soc::maturity::catalogue::v1::Catalogue& catalogue) {
  RoleIndex index;
  index.shape.set_id(catalogue.id());
  index.shape.set_version(catalogue.version());
  *index.shape.mutable_scale() = catalogue.scale();
  *index.shape.mutable_dimensions() = catalogue.dimensions();
  *index.shape.mutable_in_source_levels() = catalogue.in_source_levels();
  *index.shape.mutable_out_source_levels() = catalogue.out_source_levels();
  index.shape.set_combine(catalogue.combine());
  index.shape.set_combine_dimension(catalogue.combine_dimension());
  catalogue::NormalizeCatalogue(index.shape);
  for (const auto& f : catalogue.functions()) {
    index.functions.insert(f.code());
    for (const auto& r : f.roles()) index.roles.insert(r.code());
  }
  return index;
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int y, m, d;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  if (!absl::SimpleAtoi(s.substr(0, 4), &y) || !absl::SimpleAtoi(s.substr(5, 2), &m) ||
      !absl::SimpleAtoi(s.substr(8, 2), &d)) {
    return false;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::vector<FieldViolation> ValidateTenantName(const std::string& display_name) {
  std::vector<FieldViolation> out;
  CheckName(display_name, "displayName", true, out);
  return out;
}

std::vector<FieldViolation> ValidateOrganization(const pb::Organization& org,
                                                 const std::string& prefix) {
  std::vector<FieldViolation> out;
  CheckName(org.display_name(), prefix + "displayName", true, out);
  CheckName(org.industry(), prefix + "industry", false, out);
  if (org.employee_count() < 0) out.push_back(Violation(prefix + "employeeCount", "must be >= 0"));
  if (org.labels_size() > 32) out.push_back(Violation(prefix + "labels", "at most 32 labels"));
  for (const auto& [key, value] : org.labels()) {
    const std::string path = absl::StrCat(prefix, "labels.", key);
    if (key.empty() || key.size() > 63)
      out.push_back(Violation(path, "label keys are 1..63 bytes"));
    CheckName(value, path, false, out);
    if (!IsValidUtf8(key)) out.push_back(Violation(prefix + "labels", "keys must be valid UTF-8"));
  }
  return out;
}

std::vector<FieldViolation> ValidateNewAssessment(const pb::CreateAssessmentRequest& request) {
  std::vector<FieldViolation> out;
  if (request.catalogue_id().empty()) out.push_back(Violation("catalogueId", "required"));
  CheckName(request.title(), "title", true, out);
  if (request.assessed_on().empty()) {
    out.push_back(Violation("assessedOn", "required"));
  } else if (!IsDate(request.assessed_on())) {
    out.push_back(Violation("assessedOn", "must be a date YYYY-MM-DD"));
  }
  if (!pb::ScoringPolicy_IsValid(request.scoring_policy())) {
    out.push_back(Violation("scoringPolicy", "unknown policy"));
  }
  return out;
}

std::vector<FieldViolation> ValidateFunctionTargets(
    const google::protobuf::Map<std::string, double>& targets, const RoleIndex& index,
    const std::string& path) {
  std::vector<FieldViolation> out;
  const catalogue::Scale scale = catalogue::ScaleOf(index.shape);
  for (const auto& [code, value] : targets) {
    const std::string p = absl::StrCat(path, ".", code);
    if (index.functions.count(code) == 0) {
      out.push_back(Violation(p, "no such function in the catalogue"));
    } else if (!std::isfinite(value) || value < scale.lowest || value > scale.highest) {
      out.push_back(Violation(p, absl::StrCat("must be ", scale.Range())));
    }
  }
  return out;
}

absl::Status ApplyAnswers(pb::Assessment& assessment,
                          const google::protobuf::RepeatedPtrField<pb::Answer>& answers,
                          const RoleIndex& index, const std::string& path) {
  std::vector<FieldViolation> out;
  std::set<std::string> seen;
  std::vector<pb::Answer> normalized;
  if (answers.empty()) out.push_back(Violation(path, "at least one answer is required"));
  for (int i = 0; i < answers.size(); ++i) {
    pb::Answer& a = normalized.emplace_back(answers[i]);
    const std::string p = absl::StrCat(path, "[", i, "]");
    if (a.role_code().empty()) {
      out.push_back(Violation(p + ".roleCode", "required"));
    } else if (index.roles.count(a.role_code()) == 0) {
      out.push_back(
          Violation(p + ".roleCode",
                    absl::StrCat("no role ", a.role_code(), " in catalogue ",
                                 assessment.catalogue_id(), " ", assessment.catalogue_version())));
    } else if (!seen.insert(a.role_code()).second) {
      out.push_back(Violation(p + ".roleCode", "the same role appears twice"));
    }
    for (auto& v : catalogue::ValidateAnswerLevels(a, index.shape, p)) out.push_back(v);
    for (auto& v : catalogue::FoldShortForms(a, p)) out.push_back(v);
    catalogue::FillShortForms(a);
    if (a.has_note() && a.note().size() > kMaxNote) {
      out.push_back(Violation(p + ".note", absl::StrCat("at most ", kMaxNote, " bytes")));
    } else if (a.has_note() && !IsValidUtf8(a.note())) {
      out.push_back(Violation(p + ".note", "must be valid UTF-8"));
    }
  }
  if (!out.empty()) return InvalidFields(out);

  for (const pb::Answer& a : normalized) {
    auto* list = assessment.mutable_answers();
    auto it = std::find_if(list->begin(), list->end(),
                           [&](const pb::Answer& x) { return x.role_code() == a.role_code(); });
    const bool empty = a.levels().empty() && !a.has_target() && (!a.has_note() || a.note().empty());
    if (empty) {
      if (it != list->end()) list->erase(it);
    } else if (it != list->end()) {
      *it = a;
    } else {
      *list->Add() = a;
    }
  }
  // Catalogue order is not known here; code order keeps documents stable.
  std::sort(assessment.mutable_answers()->begin(), assessment.mutable_answers()->end(),
            [](const pb::Answer& x, const pb::Answer& y) { return x.role_code() < y.role_code(); });
  return absl::OkStatus();
}

void NormalizeStoredAnswers(pb::Assessment& assessment) {
  for (pb::Answer& a : *assessment.mutable_answers()) {
    catalogue::FoldShortForms(a, "");
    catalogue::FillShortForms(a);
  }
}

absl::Status ApplyTransition(pb::Assessment& assessment, Transition transition,
                             const TransitionActor& actor) {
  const pb::AssessmentStatus from = assessment.status();
  switch (transition) {
    case Transition::kSubmit:
      if (from != pb::DRAFT)
        return absl::FailedPreconditionError("only a DRAFT assessment can be submitted");
      assessment.set_status(pb::SUBMITTED);
      assessment.set_submitted_by(actor.principal);
      break;
    case Transition::kApprove:
      if (from != pb::SUBMITTED) {
        return absl::FailedPreconditionError("only a SUBMITTED assessment can be approved");
      }
      if (!actor.principal.empty() && assessment.submitted_by() == actor.principal) {
        return absl::PermissionDeniedError(
            "you submitted this assessment, so someone else must approve it (separation of "
            "duties)");
      }
      assessment.set_status(pb::APPROVED);
      break;
    case Transition::kReopen:
      if (from != pb::SUBMITTED && from != pb::APPROVED) {
        return absl::FailedPreconditionError(
            "only a SUBMITTED or APPROVED assessment can be reopened");
      }
      if (from == pb::APPROVED && !actor.admin) {
        return absl::PermissionDeniedError("only an admin can reopen an approved assessment");
      }
      assessment.set_status(pb::DRAFT);
      break;
  }
  return absl::OkStatus();
}

int CountAnswered(const pb::Assessment& assessment) {
  int n = 0;
  for (const auto& a : assessment.answers()) {
    if (a.levels_size() > 0 || a.has_in_source() || a.has_out_source() || a.has_level()) ++n;
  }
  return n;
}

absl::Status CheckEditable(const pb::Assessment& assessment) {
  if (assessment.status() == pb::DRAFT) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the assessment is ", pb::AssessmentStatus_Name(assessment.status()), "; reopen it to edit"));
}

std::string Etag(const std::string& assessment_id, int64_t revision) {
  return absl::StrCat("\"", Sha256Hex(absl::StrCat(assessment_id, "/", revision)).substr(0, 20),
                      "\"");
}

}  // namespace socm::assessment
