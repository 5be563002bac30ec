#pragma once
// Building HTTP responses: JSON bodies, protobuf JSON mapping, and the one
// error shape of the public API:
//   {"error": {"code": "INVALID_ARGUMENT", "message": "...",
//              "details": [{"field": "lang", "description": "must be ja or en"}]}}

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "gateway/http_types.h"

namespace socm::gateway {

// The standard HTTP status for a gRPC code (INVALID_ARGUMENT 400, NOT_FOUND
// 404, ABORTED 409, UNAVAILABLE 503, ...).
http::status HttpStatusFor(absl::StatusCode code);

Response JsonResponse(http::status status, std::string body);
// The error body for `status`. The message of an unexpected failure, an
// unavailable backend or a missed deadline is replaced by a fixed text; the
// original rides in the kLogDetailHeader header until TakeLogDetail removes it
// for the request's log line, so it never reaches the client.
Response ErrorResponse(const absl::Status& status);
inline constexpr char kLogDetailHeader[] = "x-socm-log-detail";
std::string TakeLogDetail(Response& response);
// An error whose HTTP status is not the code's usual one (413, 405, 431).
Response ErrorResponse(http::status http_status, absl::StatusCode code, const std::string& message);
Response ProtoResponse(const google::protobuf::Message& message);

// Parses a JSON request body into `message`; unknown fields are refused.
absl::Status ParseJsonBody(const std::string& body, google::protobuf::Message* message);

}  // namespace socm::gateway
