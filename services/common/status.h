#pragma once
// The one place where absl::Status and grpc::Status meet. The codes are
// numerically equal; field violations ride along as a status payload on the
// absl side and as the binary details on the gRPC side, so the gateway can
// list them in the REST error body. Example:
//   return socm::InvalidFields({Violation("answers[3].inSource", "must be 0..5")});
//   ...
//   reactor->Finish(socm::ToGrpcStatus(status));

#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "soc/maturity/common/v1/errors.pb.h"

namespace socm {

using FieldViolation = soc::maturity::common::v1::FieldViolation;

FieldViolation Violation(std::string field, std::string description);

// INVALID_ARGUMENT with "field: description; ..." as message and the list attached.
absl::Status InvalidFields(const std::vector<FieldViolation>& violations);

// The violations attached to a status, or none.
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// "NOT_FOUND" for grpc::NOT_FOUND, as the REST error body spells it.
std::string CodeName(absl::StatusCode code);

}  // namespace socm

// Returns the status from the enclosing function when it is not OK.
#define SOCM_STATUS_RETURN(expr)         \
  do {                                   \
    const absl::Status _socm_s = (expr); \
    if (!_socm_s.ok()) return _socm_s;   \
  } while (false)
