// GET /v1/catalogues, GET /v1/catalogues/{catalogueId}, POST /v1/catalogues.
#include "absl/strings/numbers.h"
#include "gateway/backend_call.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "soc/maturity/catalogue/v1/catalogue.grpc.pb.h"

namespace socm::gateway {

namespace pb = soc::maturity::catalogue::v1;

absl::Status IntQuery(const Call& call, const std::string& name, int* out) {
  auto it = call.query.find(name);
  if (it == call.query.end()) return absl::OkStatus();
  if (!absl::SimpleAtoi(it->second, out) || *out < 0) {
    return InvalidFields({Violation(name, "must be a non-negative integer")});
  }
  return absl::OkStatus();
}

void AddCatalogueRoutes(Router& router, const RouteContext& context) {
  std::shared_ptr<pb::CatalogueService::Stub> stub =
      pb::CatalogueService::NewStub(context.backends.catalogue());

  router.Add(
      http::verb::get, "/v1/catalogues",
      Authed(context, Need::kAnyKey, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::ListCataloguesRequest request;
        absl::Status status = CheckQuery(*call, {"lang", "pageSize", "pageToken"});
        if (status.ok()) status = PageFields(*call, &request);
        if (!status.ok()) return respond(ErrorResponse(status));
        request.set_lang(QueryValue(*call, "lang"));
        Forward<pb::ListCataloguesResponse>(call, std::move(request),
                                            SOCM_ASYNC(stub, ListCatalogues), respond);
      }));

  router.Add(
      http::verb::get, "/v1/catalogues/{catalogueId}",
      Authed(context, Need::kAnyKey, [stub](CallPtr call, const Principal&, Respond respond) {
        if (absl::Status status = CheckQuery(*call, {"lang", "version"}); !status.ok()) {
          return respond(ErrorResponse(status));
        }
        pb::GetCatalogueRequest request;
        request.set_catalogue_id(call->params.at("catalogueId"));
        request.set_version(QueryValue(*call, "version"));
        request.set_lang(QueryValue(*call, "lang"));
        Forward<pb::Catalogue>(call, std::move(request), SOCM_ASYNC(stub, GetCatalogue), respond);
      }));

  router.Add(
      http::verb::post, "/v1/catalogues",
      Authed(context, Need::kTenantAdmin, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::CreateCatalogueRequest request;
        if (absl::Status s = ParseJsonBody(call->request.body(), request.mutable_catalogue());
            !s.ok()) {
          return respond(ErrorResponse(s));
        }
        Forward<pb::Catalogue>(call, std::move(request), SOCM_ASYNC(stub, CreateCatalogue), respond,
                               http::status::created);
      }));
}

}  // namespace socm::gateway
