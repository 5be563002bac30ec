#pragma once
// The binder: fills a gRPC request message from an HTTP call as its RouteSpec
// says, and writes the reply. Plain functions on protobuf messages (found by
// reflection), so one binder serves every route and is tested without a
// server. Example:
//   pb::GetOrganizationRequest request;
//   absl::Status s = BindRequest(route, call, &request);  // organization_id from {orgId}
//   ...
//   Response r = RenderReply(route, organization);          // protobuf JSON, 200
//
// What it enforces, with the field's JSON path in every message:
//   - the body is a JSON object whose every key is a field of the target
//     message, with a value of the field's JSON type ("answers[3].colour:
//     unknown field", "displayName: must be a string");
//   - a field given both in the path and in the body must agree;
//   - only the route's query parameters, each of its type;
//   - enums of ShortEnumTypes() are read and written as short names.

#include <google/protobuf/message.h>

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"
#include "gateway/http_types.h"
#include "gateway/route_table.h"
#include "services/common/status.h"

namespace socm::gateway {

// Fills `request` (of the route's request type) from the call's path
// parameters, query, headers and body. The Idempotency-Key header, when the
// route takes it, moves into the call's backend metadata.
absl::Status BindRequest(const RouteSpec& route, Call& call, google::protobuf::Message* request);

// Moves a valid Idempotency-Key header into the backend metadata, where the
// service keeps the first result of a create for 24 hours.
absl::Status TakeIdempotencyKey(Call& call);

// The HTTP reply to a successful call: status, headers and body as the route says.
Response RenderReply(const RouteSpec& route, const google::protobuf::Message& response);

// Checks a JSON value against a message type, converting enum values given
// as short names or numbers in place to the full names protobuf's parser
// takes. Appends one violation per problem, named by its path below `prefix`.
// True when it converted something.
bool CheckJson(nlohmann::json& value, const google::protobuf::Descriptor& type,
               const std::string& prefix, std::vector<FieldViolation>* violations);

// An If-Match value as the store compares it. Clients send the ETag header's
// value ("\"r3-…\""), the JSON etag field as it is (the same), or that value
// quoted once more; W/ forms compare the same.
std::string NormalizeIfMatch(std::string value);

// The descriptor of "package.Service/Method" among the suite's protos, or null.
const google::protobuf::MethodDescriptor* FindRpc(const std::string& rpc);

// "KEY_ROLE_ADMIN" of enum KeyRole -> "admin": the value's name without the
// enum's UPPER_SNAKE prefix, in lower case.
std::string ShortEnumName(const google::protobuf::EnumValueDescriptor& value);
bool IsShortEnum(const google::protobuf::EnumDescriptor& type);

}  // namespace socm::gateway
