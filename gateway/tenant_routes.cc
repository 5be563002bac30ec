// Tenants and their API keys: /v1/tenants, /v1/tenants/{tenantId}/apiKeys.
#include <nlohmann/json.hpp>

#include "gateway/backend_call.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"

namespace socm::gateway {
namespace {

namespace pb = soc::maturity::assessment::v1;

// The API contract spells roles "admin", "assessor", "viewer".
Response KeyResponse(const pb::ApiKey& key) {
  Response response = ProtoResponse(key);
  auto body = nlohmann::json::parse(response.body(), nullptr, false);
  if (body.is_object()) {
    body["role"] = KeyRoleName(key.role());
    response.body() = body.dump();
    response.prepare_payload();
  }
  return response;
}

// The operator, or an admin of that very tenant (not pinned to an organisation).
absl::Status CheckTenantAccess(const Principal& p, const std::string& tenant_id) {
  if (p.is_operator()) return absl::OkStatus();
  if (p.tenant != tenant_id)
    return absl::NotFoundError(absl::StrCat("tenant ", tenant_id, " not found"));
  return Require(p, Need::kTenantAdmin);
}

}  // namespace

void AddTenantRoutes(Router& router, const RouteContext& context) {
  std::shared_ptr<pb::AssessmentService::Stub> stub =
      pb::AssessmentService::NewStub(context.backends.assessment());

  router.Add(
      http::verb::post, "/v1/tenants",
      Authed(context, Need::kOperator, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::CreateTenantRequest request;
        absl::Status s = ParseJsonBody(call->request.body(), &request);
        if (s.ok()) s = TakeIdempotencyKey(*call);
        if (!s.ok()) return respond(ErrorResponse(s));
        Forward<pb::Tenant>(call, std::move(request), SOCM_ASYNC(stub, CreateTenant), respond,
                            http::status::created);
      }));

  router.Add(
      http::verb::get, "/v1/tenants",
      Authed(context, Need::kOperator, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::ListTenantsRequest request;
        if (absl::Status s = PageQuery(*call, &request); !s.ok()) return respond(ErrorResponse(s));
        Forward<pb::ListTenantsResponse>(call, std::move(request), SOCM_ASYNC(stub, ListTenants),
                                         respond);
      }));

  // The operator makes a tenant's first keys; its admins make the rest.
  router.Add(http::verb::post, "/v1/tenants/{tenantId}/apiKeys",
             Authed(context, Need::kOperatorOrKey,
                    [stub](CallPtr call, const Principal& p, Respond respond) {
                      const std::string tenant = call->params.at("tenantId");
                      if (absl::Status s = CheckTenantAccess(p, tenant); !s.ok())
                        return respond(ErrorResponse(s));
                      // Parsed by hand: the role travels as "admin", not as an enum name.
                      const auto body = nlohmann::json::parse(call->request.body(), nullptr, false);
                      std::vector<FieldViolation> v;
                      if (!body.is_object()) {
                        return respond(ErrorResponse(
                            InvalidFields({Violation("", "the body must be a JSON object")})));
                      }
                      for (const auto& [name, value] : body.items()) {
                        if (name != "role" && name != "organizationId" && name != "description") {
                          v.push_back(Violation(name, "unknown field"));
                        } else if (!value.is_string()) {
                          v.push_back(Violation(name, "must be a string"));
                        }
                      }
                      pb::CreateApiKeyRequest request;
                      request.set_tenant_id(tenant);
                      if (v.empty()) {
                        request.set_role(ParseKeyRole(body.value("role", "")));
                        if (request.role() == pb::KEY_ROLE_UNSPECIFIED) {
                          v.push_back(Violation("role", "must be admin, assessor or viewer"));
                        }
                        request.set_organization_id(body.value("organizationId", ""));
                        request.set_description(body.value("description", ""));
                      }
                      if (!v.empty()) return respond(ErrorResponse(InvalidFields(v)));
                      if (absl::Status s = TakeIdempotencyKey(*call); !s.ok())
                        return respond(ErrorResponse(s));
                      Forward<pb::ApiKey>(call, std::move(request), SOCM_ASYNC(stub, CreateApiKey),
                                          respond, http::status::created, KeyResponse);
                    }));

  router.Add(http::verb::get, "/v1/tenants/{tenantId}/apiKeys",
             Authed(context, Need::kOperatorOrKey,
                    [stub](CallPtr call, const Principal& p, Respond respond) {
                      const std::string tenant = call->params.at("tenantId");
                      if (absl::Status s = CheckTenantAccess(p, tenant); !s.ok())
                        return respond(ErrorResponse(s));
                      pb::ListApiKeysRequest request;
                      if (absl::Status s = PageQuery(*call, &request); !s.ok())
                        return respond(ErrorResponse(s));
                      request.set_tenant_id(tenant);
                      Forward<pb::ListApiKeysResponse>(
                          call, std::move(request), SOCM_ASYNC(stub, ListApiKeys), respond,
                          http::status::ok, [](const pb::ListApiKeysResponse& list) {
                            Response response = ProtoResponse(list);
                            auto body = nlohmann::json::parse(response.body(), nullptr, false);
                            if (body.is_object() && body.contains("apiKeys")) {
                              for (int i = 0; i < list.api_keys_size(); ++i) {
                                body["apiKeys"][i]["role"] = KeyRoleName(list.api_keys(i).role());
                              }
                              response.body() = body.dump();
                              response.prepare_payload();
                            }
                            return response;
                          });
                    }));

  router.Add(http::verb::delete_, "/v1/tenants/{tenantId}/apiKeys/{keyId}",
             Authed(context, Need::kOperatorOrKey,
                    [stub](CallPtr call, const Principal& p, Respond respond) {
                      const std::string tenant = call->params.at("tenantId");
                      if (absl::Status s = CheckTenantAccess(p, tenant); !s.ok())
                        return respond(ErrorResponse(s));
                      pb::RevokeApiKeyRequest request;
                      request.set_tenant_id(tenant);
                      request.set_key_id(call->params.at("keyId"));
                      Forward<pb::RevokeApiKeyResponse>(
                          call, std::move(request), SOCM_ASYNC(stub, RevokeApiKey), respond,
                          http::status::ok, [](const pb::RevokeApiKeyResponse&) {
                            Response r{http::status::no_content, 11};
                            return r;
                          });
                    }));
}

}  // namespace socm::gateway
