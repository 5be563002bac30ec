#include "services/common/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace socm {
namespace {

// The absl payload key; the type URL its value would have inside an Any.
constexpr char kDetailsType[] = "type.googleapis.com/soc.maturity.common.v1.ErrorDetails";

}  // namespace

FieldViolation Violation(std::string field, std::string description) {
  FieldViolation v;
  v.set_field(std::move(field));
  v.set_description(std::move(description));
  return v;
}

absl::Status WithViolations(absl::StatusCode code, std::string message,
                            const std::vector<FieldViolation>& violations) {
  absl::Status status(code, message);
  if (violations.empty()) return status;
  soc::maturity::common::v1::ErrorDetails details;
  for (const FieldViolation& v : violations) *details.add_violations() = v;
  status.SetPayload(kDetailsType, absl::Cord(details.SerializeAsString()));
  return status;
}

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations) {
    parts.push_back(v.field().empty() ? v.description()
                                      : absl::StrCat(v.field(), ": ", v.description()));
  }
  return WithViolations(absl::StatusCode::kInvalidArgument, absl::StrJoin(parts, "; "), violations);
}

std::vector<FieldViolation> ViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kDetailsType);
  if (!payload.has_value()) return out;
  soc::maturity::common::v1::ErrorDetails details;
  if (details.ParseFromString(std::string(*payload))) {
    out.assign(details.violations().begin(), details.violations().end());
  }
  return out;
}

bool IsUnexpected(absl::StatusCode code) {
  return code == absl::StatusCode::kInternal || code == absl::StatusCode::kUnknown ||
         code == absl::StatusCode::kDataLoss;
}

std::string CodeName(absl::StatusCode code) { return absl::StatusCodeToString(code); }

}  // namespace socm
