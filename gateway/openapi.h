#pragma once
// The OpenAPI 3.1 document of the public API, generated from the route table
// and the protobuf descriptors of the messages the routes carry (the proto3
// JSON mapping: lowerCamelCase names, enums as names, int64 as strings). It is
// never written by hand: GET /openapi.json serves it, `openapi_dump` prints it
// into docs/openapi.json, and a test fails when the two differ. Example:
//   nlohmann::json doc = OpenApiDocument(PublicRoutes());
//   doc["paths"]["/v1/organizations/{orgId}"]["get"]["operationId"]  // "GetOrganization"

#include <nlohmann/json.hpp>
#include <vector>

#include "gateway/route_table.h"

namespace socm::gateway {

nlohmann::json OpenApiDocument(const std::vector<RouteSpec>& routes);

// "/v1/organizations/{orgId}" and http::verb::get as the document's path and
// lower-case method keys.
std::string OpenApiMethod(http::verb method);

}  // namespace socm::gateway
