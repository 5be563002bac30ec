#pragma once
// The public routes of the gateway as data: one RouteSpec per method and path.
// The gateway builds its router from this table, the OpenAPI document is
// generated from it, and the HTTP fuzz target matches against it, so a route
// cannot exist without its entry nor an entry without its route.
//
// A plain route transcodes HTTP to one gRPC method: path and query parameters
// bind to request fields, the body fills the whole request or one field of it,
// the reply goes back as protobuf JSON. Example, the whole of GET
// /v1/organizations/{orgId}:
//   {.method = http::verb::get, .path = "/v1/organizations/{orgId}",
//    .rpc = "soc.maturity.assessment.v1.AssessmentService/GetOrganization",
//    .need = Need::kAnyKey, .path_params = {{"orgId", "organization_id"}}}
// A route that is not plain transcoding (the score with its JSON cache, the
// web UI's files, health, metrics, the docs) names a handler the gateway
// registers under that name; it still declares its parameters and replies
// here, for the document.
//
// Where the contract departs from the plain protobuf JSON mapping, the entry
// says so with an explicit override (etag_header, if_match_field, no_content,
// patch_mask, ...); enums listed in ShortEnumTypes() travel as short lowercase
// names ("admin" for KEY_ROLE_ADMIN) in both directions.

#include <string>
#include <vector>

#include "gateway/access.h"
#include "gateway/http_types.h"

namespace socm::gateway {

// A path or query parameter and the request field it sets ("answer.role_code").
struct ParamBinding {
  std::string name;
  std::string field;
  std::string description;
  // For a query parameter on an enum field: the short names it accepts, and
  // the one an absent parameter means ("" for none).
  std::vector<std::string> values = {};
  std::string default_value = "";
};

// A request field the route sets to a fixed value (an enum's short name).
struct FixedField {
  std::string field;
  std::string value;
};

// How the reply is written.
enum class Reply {
  kJson,          // the response message as protobuf JSON
  kNoContent,     // 204 and no body (a DELETE)
  kFile,          // a rendered file (RenderReportResponse): its bytes and content type
  kFileDownload,  // the same, with Content-Disposition: attachment
  kHandler,       // the named handler writes it
};

struct RouteSpec {
  http::verb method;
  std::string path;
  std::string summary;
  // The group in the document ("organizations", "assessments", ...).
  std::string tag;
  // "package.Service/Method"; empty for a handler route without a backend call.
  std::string rpc = "";
  Need need = Need::kAnyKey;
  std::vector<ParamBinding> path_params = {};
  std::vector<ParamBinding> query = {};
  std::vector<FixedField> fixed = {};
  // "" no body; "*" the whole request; else the request field the body fills.
  std::string body = "";
  http::status success = http::status::ok;
  Reply reply = Reply::kJson;
  // For kFile replies and handler routes: the content types the reply may have.
  std::vector<std::string> content_types = {};
  // The named handler (Reply::kHandler); see Gateway's constructor.
  std::string handler = "";

  // Overrides of the plain mapping, each documented in the OpenAPI output.
  // The Idempotency-Key header is kept for the service (creates).
  bool idempotency_key = false;
  // The If-Match header sets this request field (writes to an assessment).
  std::string if_match_field = "";
  // The reply's `etag` field is also sent as the ETag header.
  bool etag_header = false;
  // PATCH: this FieldMask field lists the body's keys, which must be among
  // `patchable` (JSON names).
  std::string patch_mask = "";
  std::vector<std::string> patchable = {};
  // The list of pageSize and pageToken bindings is common enough to say once.
  bool paged = false;
  // A body that is a file rather than JSON: its content type, and the bytes field it fills.
  std::string file_body_type = "";
  std::string file_body_field = "";
  // The largest body the route takes; 0: the gateway's default (--max-body-bytes).
  uint64_t body_limit = 0;
};

// Every route the gateway serves, in the order the document lists them.
const std::vector<RouteSpec>& PublicRoutes();

// Full names of the enums that travel as short lowercase names, e.g.
// "soc.maturity.assessment.v1.KeyRole": KEY_ROLE_ADMIN <-> "admin".
const std::vector<std::string>& ShortEnumTypes();

// Full names of the message fields only the suite's components use among
// themselves (never set in a reply to a REST call), left out of the document,
// e.g. "soc.maturity.assessment.v1.Assessment.unchanged".
const std::vector<std::string>& InternalFields();

// The query bindings of a route, with pageSize/pageToken added when `paged`.
std::vector<ParamBinding> QueryBindings(const RouteSpec& route);

}  // namespace socm::gateway
