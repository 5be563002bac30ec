#include "services/common/grpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace socm {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  std::string message(status.message());
  if (IsUnexpected(status.code())) {
    Log(LogLevel::kError, "unexpected failure",
        {{"code", CodeName(status.code())}, {"error", message}});
    message = "internal error";
  }
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(message);
  const std::vector<FieldViolation> violations = ViolationsOf(status);
  if (!violations.empty()) {
    google::rpc::BadRequest bad_request;
    for (const FieldViolation& v : violations) {
      auto* out = bad_request.add_field_violations();
      out->set_field(v.field());
      out->set_description(v.description());
    }
    details.add_details()->PackFrom(bad_request);
  }
  google::rpc::ErrorInfo info;
  info.set_reason(CodeName(status.code()));
  info.set_domain(kErrorDomain);
  details.add_details()->PackFrom(info);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), message,
                      details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  std::vector<FieldViolation> violations;
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad_request;
      if (!any.UnpackTo(&bad_request)) continue;
      for (const auto& v : bad_request.field_violations())
        violations.push_back(Violation(v.field(), v.description()));
    }
  }
  if (violations.empty() && !status.error_details().empty()) {
    // A peer older than google.rpc.Status sends our own ErrorDetails.
    soc::maturity::common::v1::ErrorDetails old;
    if (old.ParseFromString(status.error_details())) {
      violations.assign(old.violations().begin(), old.violations().end());
    }
  }
  return WithViolations(code, status.error_message(), violations);
}

}  // namespace socm
