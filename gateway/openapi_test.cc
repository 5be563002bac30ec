#include "gateway/openapi.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "gateway/binding.h"
#include "gateway/gateway.h"

namespace socm::gateway {
namespace {

using nlohmann::json;

std::set<std::pair<std::string, std::string>> DocumentRoutes(const json& doc) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& [path, methods] : doc["paths"].items()) {
    for (const auto& [method, op] : methods.items()) out.emplace(method, path);
  }
  return out;
}

// The router of a real Gateway (its backends are never called here) against the document.
TEST(OpenApiTest, TheDocumentListsExactlyTheRoutesTheGatewayServes) {
  auto registry = std::make_shared<prometheus::Registry>();
  Backends backends(BackendAddresses{});
  RedisCache redis(RedisOptions{}, *registry, "test_redis");
  RateLimiter limiter(redis, 0, 1);
  Authenticator auth("", backends.assessment(), std::chrono::milliseconds(1));
  GatewayOptions options;
  options.web_dir = "";
  Gateway gateway(backends, auth, limiter, registry, options);

  std::set<std::pair<std::string, std::string>> served;
  for (const auto& [method, pattern] : gateway.router().Routes()) {
    EXPECT_TRUE(served.emplace(OpenApiMethod(method), pattern).second)
        << "served twice: " << pattern;
  }
  const json doc = OpenApiDocument(PublicRoutes());
  EXPECT_EQ(served, DocumentRoutes(doc));
  EXPECT_EQ(served.size(), PublicRoutes().size());
}

TEST(OpenApiTest, TheCommittedDocumentIsTheGeneratedOne) {
  const char* root = std::getenv("SOCM_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "run under ctest, which sets SOCM_SOURCE_DIR";
  std::ifstream in(std::string(root) + "/docs/openapi.json");
  ASSERT_TRUE(in) << "docs/openapi.json is missing";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(json::parse(text.str()), OpenApiDocument(PublicRoutes()))
      << "regenerate it: build/gateway/openapi_dump > docs/openapi.json";
}

TEST(OpenApiTest, EveryRouteBindsRealFieldsAndEveryPathParameter) {
  std::set<std::string> operation_ids;
  const json doc = OpenApiDocument(PublicRoutes());
  for (const RouteSpec& route : PublicRoutes()) {
    SCOPED_TRACE(route.path);
    std::set<std::string> in_template;
    const std::regex param("\\{([^}]+)\\}");
    for (std::sregex_iterator it(route.path.begin(), route.path.end(), param), end; it != end;
         ++it) {
      in_template.insert((*it)[1]);
    }
    std::set<std::string> bound;
    for (const ParamBinding& p : route.path_params) bound.insert(p.name);
    EXPECT_EQ(in_template, bound);
    EXPECT_EQ(route.reply == Reply::kHandler, !route.handler.empty());
    if (route.rpc.empty()) continue;
    const auto* rpc = FindRpc(route.rpc);
    ASSERT_NE(rpc, nullptr) << route.rpc;
    std::unique_ptr<google::protobuf::Message> request(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(rpc->input_type())
            ->New());
    // Binding a call with every parameter given proves each field exists.
    Call call;
    for (const ParamBinding& p : route.path_params) call.params[p.name] = "x";
    if (!route.body.empty()) call.request.body() = "{}";
    const absl::Status s = BindRequest(route, call, request.get());
    EXPECT_NE(s.code(), absl::StatusCode::kInternal) << s;
    const json& op = doc["paths"][route.path][OpenApiMethod(route.method)];
    EXPECT_TRUE(operation_ids.insert(op["operationId"].get<std::string>()).second);
  }
}

TEST(OpenApiTest, SchemasFollowTheJsonMappingAndTheContractsOverrides) {
  const json doc = OpenApiDocument(PublicRoutes());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  const json& schemas = doc["components"]["schemas"];
  const json& assessment = schemas["assessment.v1.Assessment"]["properties"];
  EXPECT_TRUE(assessment.contains("organizationId"));  // lowerCamelCase
  EXPECT_FALSE(assessment.contains("organization_id"));
  EXPECT_EQ(assessment["revision"]["type"], "integer");
  EXPECT_EQ(assessment["createTime"]["format"], "date-time");
  // Between the suite's components only: no REST reply carries it.
  EXPECT_FALSE(assessment.contains("unchanged"));
  EXPECT_FALSE(schemas["scoring.v1.Score"]["properties"].contains("unchanged"));
  EXPECT_EQ(schemas["assessment.v1.AssessmentStatus"]["type"], "string");
  // Key roles are admin|assessor|viewer, not the enum's names.
  EXPECT_EQ(schemas["assessment.v1.KeyRole"]["enum"], json({"viewer", "assessor", "admin"}));

  const std::string a = "/v1/organizations/{orgId}/assessments/{assessmentId}";
  const json& del = doc["paths"][a]["delete"];
  EXPECT_TRUE(del["responses"].contains("204"));
  EXPECT_EQ(del["parameters"].back()["$ref"], "#/components/parameters/IfMatch");
  EXPECT_TRUE(doc["paths"][a]["get"]["responses"]["200"]["headers"].contains("ETag"));
  const json& create = doc["paths"]["/v1/organizations"]["post"];
  EXPECT_TRUE(create["responses"].contains("201"));
  EXPECT_EQ(create["parameters"].back()["$ref"], "#/components/parameters/IdempotencyKey");
  const json& patch = doc["paths"]["/v1/organizations/{orgId}"]["patch"];
  EXPECT_NE(patch["requestBody"]["description"].get<std::string>().find("displayName"),
            std::string::npos);
  const json& list = doc["paths"]["/v1/organizations"]["get"]["parameters"];
  EXPECT_EQ(list[0]["name"], "pageSize");
  EXPECT_EQ(list[1]["name"], "pageToken");
  EXPECT_EQ(doc["paths"]["/healthz"]["get"]["security"], json::array());
  EXPECT_EQ(create["security"][0].count("bearer"), 1u);
  EXPECT_EQ(doc["paths"][a + "/report"]["get"]["parameters"][2]["schema"]["enum"],
            json({"html", "pdf", "json", "csv", "xlsx"}));
}

}  // namespace
}  // namespace socm::gateway
