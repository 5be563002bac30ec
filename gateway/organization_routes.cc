// Organisations: /v1/organizations[/{orgId}] and the audit log.
#include <nlohmann/json.hpp>

#include "gateway/backend_call.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"

namespace socm::gateway {
namespace {

namespace pb = soc::maturity::assessment::v1;

Response NoContent(const google::protobuf::Message&) {
  return Response{http::status::no_content, 11};
}

}  // namespace

void AddOrganizationRoutes(Router& router, const RouteContext& context) {
  std::shared_ptr<pb::AssessmentService::Stub> stub =
      pb::AssessmentService::NewStub(context.backends.assessment());

  router.Add(
      http::verb::post, "/v1/organizations",
      Authed(context, Need::kTenantAdmin, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::CreateOrganizationRequest request;
        absl::Status s = ParseJsonBody(call->request.body(), request.mutable_organization());
        if (s.ok()) s = TakeIdempotencyKey(*call);
        if (!s.ok()) return respond(ErrorResponse(s));
        Forward<pb::Organization>(call, std::move(request), SOCM_ASYNC(stub, CreateOrganization),
                                  respond, http::status::created);
      }));

  router.Add(
      http::verb::get, "/v1/organizations",
      Authed(context, Need::kAnyKey, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::ListOrganizationsRequest request;
        if (absl::Status s = PageQuery(*call, &request); !s.ok()) return respond(ErrorResponse(s));
        Forward<pb::ListOrganizationsResponse>(call, std::move(request),
                                               SOCM_ASYNC(stub, ListOrganizations), respond);
      }));

  router.Add(
      http::verb::get, "/v1/organizations/{orgId}",
      Authed(context, Need::kAnyKey, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::GetOrganizationRequest request;
        request.set_organization_id(call->params.at("orgId"));
        Forward<pb::Organization>(call, std::move(request), SOCM_ASYNC(stub, GetOrganization),
                                  respond);
      }));

  router.Add(
      http::verb::patch, "/v1/organizations/{orgId}",
      Authed(context, Need::kAdmin, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::UpdateOrganizationRequest request;
        if (absl::Status s = ParseJsonBody(call->request.body(), request.mutable_organization());
            !s.ok()) {
          return respond(ErrorResponse(s));
        }
        // PATCH changes the fields the body names, and only those.
        static const std::map<std::string, std::string> kPaths = {
            {"displayName", "display_name"},
            {"industry", "industry"},
            {"employeeCount", "employee_count"},
            {"labels", "labels"}};
        const auto body = nlohmann::json::parse(call->request.body(), nullptr, false);
        for (const auto& [name, value] : body.items()) {
          auto it = kPaths.find(name);
          if (it == kPaths.end()) {
            return respond(ErrorResponse(InvalidFields({Violation(name, "cannot be changed")})));
          }
          request.mutable_update_mask()->add_paths(it->second);
        }
        if (request.update_mask().paths().empty()) {
          return respond(ErrorResponse(InvalidFields({Violation("", "nothing to update")})));
        }
        request.mutable_organization()->set_id(call->params.at("orgId"));
        Forward<pb::Organization>(call, std::move(request), SOCM_ASYNC(stub, UpdateOrganization),
                                  respond);
      }));

  router.Add(
      http::verb::delete_, "/v1/organizations/{orgId}",
      Authed(context, Need::kTenantAdmin, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::DeleteOrganizationRequest request;
        request.set_organization_id(call->params.at("orgId"));
        Forward<pb::DeleteOrganizationResponse>(call, std::move(request),
                                                SOCM_ASYNC(stub, DeleteOrganization), respond,
                                                http::status::ok, NoContent);
      }));

  router.Add(http::verb::get, "/v1/organizations/{orgId}/auditLog",
             Authed(context, Need::kAdmin, [stub](CallPtr call, const Principal&, Respond respond) {
               pb::ListAuditLogRequest request;
               if (absl::Status s = PageQuery(*call, &request); !s.ok())
                 return respond(ErrorResponse(s));
               request.set_organization_id(call->params.at("orgId"));
               Forward<pb::ListAuditLogResponse>(call, std::move(request),
                                                 SOCM_ASYNC(stub, ListAuditLog), respond);
             }));
}

}  // namespace socm::gateway
