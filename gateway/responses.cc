#include "gateway/responses.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/ascii.h"
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

// Text no client should read whatever the code: what a database says about its schema
// (SQLite's and PostgreSQL's constraint messages), socket addresses from gRPC's transport,
// and what a crashing process prints. The messages our own code writes contain none of it.
bool HasSocketAddress(std::string_view s) {
  // "a.b.c.d:port": digits and three dots, then a colon and a digit.
  for (size_t i = 0; i < s.size(); ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) continue;
    size_t j = i;
    int dots = 0;
    while (j < s.size() && (absl::ascii_isdigit(static_cast<unsigned char>(s[j])) ||
                            (s[j] == '.' && dots < 3 && ++dots))) {
      ++j;
    }
    if (dots == 3 && j + 1 < s.size() && s[j] == ':' &&
        absl::ascii_isdigit(static_cast<unsigned char>(s[j + 1]))) {
      return true;
    }
    i = j;
  }
  return false;
}

bool LooksInternal(std::string_view message) {
  static constexpr std::string_view kMarks[] = {"constraint failed",
                                                "violates",
                                                "duplicate key value",
                                                "sqlite",
                                                "syntax error at",
                                                "relation \"",
                                                "column \"",
                                                "libpq",
                                                "ipv4:",
                                                "ipv6:",
                                                "unix:/",
                                                "dns:",
                                                "failed to connect to all addresses",
                                                "stack trace",
                                                "terminate called",
                                                "segmentation fault",
                                                "std::",
                                                ".cc:"};
  const std::string lower = absl::AsciiStrToLower(std::string(message));
  for (std::string_view mark : kMarks) {
    if (lower.find(mark) != std::string::npos) return true;
  }
  return HasSocketAddress(message);
}

// A fixed text per code for a message that LooksInternal.
std::string PlainMessage(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kAlreadyExists:
      return "it already exists";
    case absl::StatusCode::kAborted:
      return "a concurrent change conflicted with this one; retry";
    case absl::StatusCode::kFailedPrecondition:
      return "not possible in the current state";
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return "the request is not valid";
    case absl::StatusCode::kNotFound:
      return "not found";
    default:
      return "the request failed";
  }
}

}  // namespace

Response ErrorResponse(const absl::Status& status) {
  // What an unexpected failure or a transport error says (SQL, addresses) stays
  // in the log: the client gets a fixed text and the request id.
  std::string message(status.message());
  std::string hidden;
  if (IsUnexpected(status.code())) {
    hidden = std::exchange(message, "internal error");
  } else if (status.code() == absl::StatusCode::kUnavailable) {
    hidden = std::exchange(message, "a backend service is unavailable; retry later");
  } else if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    hidden = std::exchange(message, "a backend service did not answer in time; retry later");
  } else if (LooksInternal(message)) {
    hidden = std::exchange(message, PlainMessage(status.code()));
  }
  Response response =
      ErrorWith(HttpStatusFor(status.code()), status.code(), message, ViolationsOf(status));
  if (!hidden.empty()) {
    for (char& c : hidden) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    response.set(kLogDetailHeader, hidden);
  }
  // A backend that is down, restarting or busy (its work queue full): come back shortly.
  if (status.code() == absl::StatusCode::kUnavailable) response.set(http::field::retry_after, "1");
  return response;
}

std::string TakeLogDetail(Response& response) {
  auto it = response.find(kLogDetailHeader);
  if (it == response.end()) return "";
  std::string detail(it->value());
  response.erase(kLogDetailHeader);
  return detail;
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
