// The catalogue route: its own handler, because the gateway keeps the JSON of each catalogue
// version it sent (about 30 KB for ISOG-J) and the catalogue service answers "you hold the
// current one" with the id and version alone (kept_bodies.h).
#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/binding.h"
#include "gateway/gateway.h"
#include "gateway/kept_bodies.h"
#include "soc/maturity/catalogue/v1/catalogue.grpc.pb.h"

namespace socm::gateway {
namespace {

namespace cpb = soc::maturity::catalogue::v1;

// Per (tenant, catalogue, version asked for, language). A version's document never changes
// once published, so a kept copy is right whenever the service names the same version; which
// version "latest" is, and whether the caller may see the catalogue, it decides every time.
std::string KeyOf(const Caller& caller, const cpb::GetCatalogueRequest& request) {
  return absl::StrCat(caller.tenant.value(), "/", request.catalogue_id(), "/", request.version(),
                      "/", request.lang());
}

}  // namespace

NamedHandlers CatalogueHandlers(const RouteContext& context, prometheus::Registry& registry) {
  // Catalogues are few: each built-in model in each language, and the tenants' own.
  using Bodies = KeptBodies<std::string>;
  auto bodies = std::make_shared<Bodies>(registry, "catalogue_json", 512);
  std::shared_ptr<cpb::CatalogueService::Stub> catalogue =
      cpb::CatalogueService::NewStub(context.backends.catalogue());
  NamedHandlers out;
  out["catalogue"] = [&context, bodies, catalogue](const RouteSpec& route) {
    return Authed(
        context, route.need,
        [&route, catalogue, bodies](CallPtr call, const Caller& caller, Respond respond) {
          cpb::GetCatalogueRequest request;
          if (absl::Status s = BindRequest(route, *call, &request); !s.ok())
            return respond(ErrorResponse(s));
          const std::string key = KeyOf(caller, request);
          std::shared_ptr<const Bodies::Body> known = bodies->Get(key);
          if (known) request.set_known_version(known->version);
          UnaryCall<cpb::Catalogue>(
              *call, std::move(request), SOCM_ASYNC(catalogue, GetCatalogue),
              [bodies, key, known, respond](absl::Status status, cpb::Catalogue& reply) {
                if (!status.ok()) return respond(ErrorResponse(status));
                // A catalogue always has functions: a reply without any is "you hold it".
                if (known && reply.functions_size() == 0 && reply.version() == known->version)
                  return respond(bodies->Hit(*known));
                respond(bodies->Fresh(key, reply.version(), reply));
              });
        });
  };
  return out;
}

}  // namespace socm::gateway
