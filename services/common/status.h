#pragma once
// Errors with the fields they are about, for domain code: an absl::Status of
// INVALID_ARGUMENT whose payload lists field violations by JSON path. No gRPC
// here; services/common/grpc_status.h carries these across the wire. Example:
//   return socm::InvalidFields({Violation("answers[3].inSource", "must be 0..5")});

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "soc/maturity/common/v1/errors.pb.h"

namespace socm {

using FieldViolation = soc::maturity::common::v1::FieldViolation;

FieldViolation Violation(std::string field, std::string description);

// INVALID_ARGUMENT with "field: description; ..." as message and the list attached.
absl::Status InvalidFields(const std::vector<FieldViolation>& violations);

// A status of any code with `violations` attached (what crossed the wire).
absl::Status WithViolations(absl::StatusCode code, std::string message,
                            const std::vector<FieldViolation>& violations);

// The violations attached to a status, or none.
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

// INTERNAL, UNKNOWN and DATA_LOSS: failures nobody expected, whose message
// (SQL, paths, addresses) goes to the log and never to a client.
bool IsUnexpected(absl::StatusCode code);

// "NOT_FOUND" for grpc::NOT_FOUND, as the REST error body spells it.
std::string CodeName(absl::StatusCode code);

}  // namespace socm

// Returns the status from the enclosing function when it is not OK.
#define SOCM_STATUS_RETURN(expr)         \
  do {                                   \
    const absl::Status _socm_s = (expr); \
    if (!_socm_s.ok()) return _socm_s;   \
  } while (false)
