// GET /healthz and /readyz on the public port; GET /metrics on the metrics port.
#include <prometheus/text_serializer.h>

#include <nlohmann/json.hpp>

#include "gateway/gateway.h"
#include "gateway/responses.h"

namespace socm::gateway {

NamedHandlers OpsHandlers(const Backends& backends) {
  NamedHandlers out;
  out["healthz"] = [](const RouteSpec&) -> RouteHandler {
    return [](CallPtr, Respond respond) {
      respond(JsonResponse(http::status::ok, R"({"status":"ok"})"));
    };
  };
  // Ready while the gateway can serve: one backend down makes its routes 503, not the whole
  // API and UI (a Kubernetes readiness failure would take every gateway pod out of service).
  out["readyz"] = [&backends](const RouteSpec&) -> RouteHandler {
    return [&backends](CallPtr call, Respond respond) {
      const auto all = call->query.find("all");
      const bool need_all = all != call->query.end() && all->second == "true";
      backends.CheckAll(
          std::chrono::milliseconds(1000),
          [respond, need_all](bool every, std::map<std::string, std::string> answers) {
            const nlohmann::json body = {{"status", every ? "ready" : "degraded"},
                                         {"backends", answers}};
            respond(JsonResponse(
                every || !need_all ? http::status::ok : http::status::service_unavailable,
                body.dump()));
          });
    };
  };
  return out;
}

HttpHandler MetricsEndpoint(std::weak_ptr<prometheus::Registry> registry) {
  return [registry](Request&& request, Respond respond) {
    if (request.method() != http::verb::get || request.target() != "/metrics") {
      return respond(ErrorResponse(http::status::not_found, absl::StatusCode::kNotFound,
                                   "this port serves GET /metrics only"));
    }
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    if (auto shared = registry.lock()) {
      response.body() = prometheus::TextSerializer().Serialize(shared->Collect());
    }
    response.prepare_payload();
    respond(std::move(response));
  };
}

}  // namespace socm::gateway
