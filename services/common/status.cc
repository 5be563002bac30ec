#include "services/common/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace socm {
namespace {

constexpr char kDetailsType[] = "type.googleapis.com/soc.maturity.common.v1.ErrorDetails";

}  // namespace

FieldViolation Violation(std::string field, std::string description) {
  FieldViolation v;
  v.set_field(std::move(field));
  v.set_description(std::move(description));
  return v;
}

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  soc::maturity::common::v1::ErrorDetails details;
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations) {
    *details.add_violations() = v;
    parts.push_back(v.field().empty() ? v.description()
                                      : absl::StrCat(v.field(), ": ", v.description()));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  status.SetPayload(kDetailsType, absl::Cord(details.SerializeAsString()));
  return status;
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

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  auto payload = status.GetPayload(kDetailsType);
  if (payload.has_value()) {
    return grpc::Status(code, std::string(status.message()), std::string(*payload));
  }
  return grpc::Status(code, std::string(status.message()));
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  if (!status.error_details().empty()) {
    soc::maturity::common::v1::ErrorDetails details;
    if (details.ParseFromString(status.error_details())) {
      out.SetPayload(kDetailsType, absl::Cord(status.error_details()));
    }
  }
  return out;
}

std::string CodeName(absl::StatusCode code) { return absl::StatusCodeToString(code); }

}  // namespace socm
