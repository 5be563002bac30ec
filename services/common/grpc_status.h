#pragma once
// The one place where absl::Status and grpc::Status meet. The codes are
// numerically equal. The details travel as a google.rpc.Status, the standard
// gRPC clients read (grpcurl, and every language's status helpers): field
// violations as google.rpc.BadRequest, the code's name as google.rpc.ErrorInfo's
// reason. The message of an unexpected failure (INTERNAL, UNKNOWN, DATA_LOSS)
// is logged here and never sent: it may hold SQL or addresses. Example:
//   reactor->Finish(socm::ToGrpcStatus(status));
//   ...
//   absl::Status s = socm::FromGrpcStatus(grpc_status);  // ViolationsOf(s) as sent

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace socm {

// The ErrorInfo.domain of the suite's errors.
inline constexpr char kErrorDomain[] = "soc-maturity";

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace socm
