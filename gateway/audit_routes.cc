// The tenant's audit log, whose format picks the call: JSON pages (ListTenantAuditLog) or JSON
// Lines of the sealed chain for a SIEM (ExportAuditLog), which a collector pulls part by part
// following the Link header.
#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/binding.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "soc/maturity/assessment/v1/assessment.grpc.pb.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;

// The export takes afterSequence and pageSize (its line limit), nothing else.
RouteSpec ExportRoute(const RouteSpec& route) {
  RouteSpec out = route;
  out.query = {{"afterSequence", "after_sequence", ""}, {"pageSize", "limit", ""}};
  out.paged = false;
  return out;
}

Response JsonLines(const apb::ExportAuditLogResponse& r, const std::string& page_size) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, r.content_type());
  // Audit entries hold customer data and change as the sealer runs: never stored on the way.
  response.set(http::field::cache_control, "no-store");
  response.set("x-content-type-options", "nosniff");
  response.set("audit-last-sequence", absl::StrCat(r.last_sequence()));
  if (r.more()) {
    response.set(
        http::field::link,
        absl::StrCat("</v1/auditLog?format=jsonl&afterSequence=", r.last_sequence(),
                     page_size.empty() ? "" : "&pageSize=" + page_size, ">; rel=\"next\""));
  }
  response.body() = r.content();
  response.prepare_payload();
  return response;
}

RouteHandler TenantAuditLogRoute(const RouteContext& context, const RouteSpec& route,
                                 std::shared_ptr<apb::AssessmentService::Stub> assessment) {
  auto json_route = std::make_shared<RouteSpec>(route);
  auto export_route = std::make_shared<RouteSpec>(ExportRoute(route));
  return Authed(
      context, route.need,
      [json_route, export_route, assessment](CallPtr call, const Caller&, Respond respond) {
        auto format = call->query.find("format");
        if (format != call->query.end() && format->second == "jsonl") {
          call->query.erase(format);
          auto size = call->query.find("pageSize");
          const std::string page_size = size == call->query.end() ? "" : size->second;
          apb::ExportAuditLogRequest request;
          if (absl::Status s = BindRequest(*export_route, *call, &request); !s.ok()) {
            return respond(ErrorResponse(s));
          }
          UnaryCall<apb::ExportAuditLogResponse>(
              *call, std::move(request), SOCM_ASYNC(assessment, ExportAuditLog),
              [respond, page_size](absl::Status status, apb::ExportAuditLogResponse& r) {
                if (!status.ok()) return respond(ErrorResponse(status));
                respond(JsonLines(r, page_size));
              });
          return;
        }
        apb::ListTenantAuditLogRequest request;
        if (absl::Status s = BindRequest(*json_route, *call, &request); !s.ok()) {
          return respond(ErrorResponse(s));
        }
        UnaryCall<apb::ListAuditLogResponse>(
            *call, std::move(request), SOCM_ASYNC(assessment, ListTenantAuditLog),
            [respond, json_route](absl::Status status, apb::ListAuditLogResponse& r) {
              if (!status.ok()) return respond(ErrorResponse(status));
              respond(RenderReply(*json_route, r));
            });
      });
}

}  // namespace

NamedHandlers AuditHandlers(const RouteContext& context) {
  std::shared_ptr<apb::AssessmentService::Stub> assessment =
      apb::AssessmentService::NewStub(context.backends.assessment());
  NamedHandlers out;
  out["tenant_audit_log"] = [&context, assessment](const RouteSpec& route) {
    return TenantAuditLogRoute(context, route, assessment);
  };
  return out;
}

}  // namespace socm::gateway
