#include "gateway/responses.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include "services/common/status.h"

namespace socm::gateway {

http::status HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return http::status::ok;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return http::status::bad_request;
    case absl::StatusCode::kUnauthenticated:
      return http::status::unauthorized;
    case absl::StatusCode::kPermissionDenied:
      return http::status::forbidden;
    case absl::StatusCode::kNotFound:
      return http::status::not_found;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return http::status::conflict;
    case absl::StatusCode::kFailedPrecondition:
      return http::status::precondition_failed;
    case absl::StatusCode::kResourceExhausted:
      return http::status::too_many_requests;
    case absl::StatusCode::kCancelled:
      return static_cast<http::status>(499);
    case absl::StatusCode::kUnimplemented:
      return http::status::not_implemented;
    case absl::StatusCode::kUnavailable:
      return http::status::service_unavailable;
    case absl::StatusCode::kDeadlineExceeded:
      return http::status::gateway_timeout;
    default:
      return http::status::internal_server_error;
  }
}

Response JsonResponse(http::status status, std::string body) {
  Response response{status, 11};
  response.set(http::field::content_type, "application/json; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

namespace {

Response ErrorWith(http::status http_status, absl::StatusCode code, const std::string& message,
                   const std::vector<FieldViolation>& violations) {
  nlohmann::json error = {{"code", CodeName(code)}, {"message", message}};
  if (!violations.empty()) {
    nlohmann::json details = nlohmann::json::array();
    for (const auto& v : violations) {
      details.push_back({{"field", v.field()}, {"description", v.description()}});
    }
    error["details"] = details;
  }
  return JsonResponse(http_status, nlohmann::json{{"error", error}}.dump(
                                       -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

Response ErrorResponse(const absl::Status& status) {
  // Internal details of unexpected failures stay in the logs.
  const bool expose = status.code() != absl::StatusCode::kInternal &&
                      status.code() != absl::StatusCode::kUnknown &&
                      status.code() != absl::StatusCode::kDataLoss;
  return ErrorWith(HttpStatusFor(status.code()), status.code(),
                   expose ? std::string(status.message()) : "internal error", ViolationsOf(status));
}

Response ErrorResponse(http::status http_status, absl::StatusCode code,
                       const std::string& message) {
  return ErrorWith(http_status, code, message, {});
}

Response ProtoResponse(const google::protobuf::Message& message) {
  std::string body;
  const auto status = google::protobuf::util::MessageToJsonString(message, &body);
  if (!status.ok()) return ErrorResponse(absl::InternalError(status.ToString()));
  return JsonResponse(http::status::ok, std::move(body));
}

absl::Status ParseJsonBody(const std::string& body, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(body, message, options);
  if (status.ok()) return absl::OkStatus();
  return InvalidFields({Violation("", "invalid JSON body: " + std::string(status.message()))});
}

}  // namespace socm::gateway
