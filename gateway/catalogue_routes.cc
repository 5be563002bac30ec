// GET /v1/catalogues and GET /v1/catalogues/{catalogueId}.
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

namespace {

std::string QueryValue(const Call& call, const std::string& name) {
  auto it = call.query.find(name);
  return it == call.query.end() ? "" : it->second;
}

}  // namespace

void AddCatalogueRoutes(Router& router, const Backends& backends) {
  std::shared_ptr<pb::CatalogueService::Stub> stub =
      pb::CatalogueService::NewStub(backends.catalogue());

  router.Add(http::verb::get, "/v1/catalogues", [stub](CallPtr call, Respond respond) {
    pb::ListCataloguesRequest request;
    int page_size = 0;
    absl::Status status = CheckQuery(*call, {"lang", "pageSize", "pageToken"});
    if (status.ok()) status = IntQuery(*call, "pageSize", &page_size);
    if (!status.ok()) return respond(ErrorResponse(status));
    request.set_lang(QueryValue(*call, "lang"));
    request.set_page_size(page_size);
    request.set_page_token(QueryValue(*call, "pageToken"));
    UnaryCall<pb::ListCataloguesResponse>(
        *call, std::move(request),
        [stub](auto* context, auto* req, auto* resp, auto done) {
          stub->async()->ListCatalogues(context, req, resp, std::move(done));
        },
        [respond](absl::Status status, pb::ListCataloguesResponse& response) {
          respond(status.ok() ? ProtoResponse(response) : ErrorResponse(status));
        });
  });

  router.Add(http::verb::get, "/v1/catalogues/{catalogueId}",
             [stub](CallPtr call, Respond respond) {
               if (absl::Status status = CheckQuery(*call, {"lang", "version"}); !status.ok()) {
                 return respond(ErrorResponse(status));
               }
               pb::GetCatalogueRequest request;
               request.set_catalogue_id(call->params.at("catalogueId"));
               request.set_version(QueryValue(*call, "version"));
               request.set_lang(QueryValue(*call, "lang"));
               UnaryCall<pb::Catalogue>(
                   *call, std::move(request),
                   [stub](auto* context, auto* req, auto* resp, auto done) {
                     stub->async()->GetCatalogue(context, req, resp, std::move(done));
                   },
                   [respond](absl::Status status, pb::Catalogue& catalogue) {
                     respond(status.ok() ? ProtoResponse(catalogue) : ErrorResponse(status));
                   });
             });
}

}  // namespace socm::gateway
