// GET /healthz, /readyz and /metrics.
#include <prometheus/text_serializer.h>

#include <nlohmann/json.hpp>

#include "gateway/gateway.h"
#include "gateway/responses.h"

namespace socm::gateway {

NamedHandlers OpsHandlers(const Backends& backends,
                          const std::shared_ptr<prometheus::Registry>& registry) {
  NamedHandlers out;
  out["healthz"] = [](const RouteSpec&) -> RouteHandler {
    return [](CallPtr, Respond respond) {
      respond(JsonResponse(http::status::ok, R"({"status":"ok"})"));
    };
  };
  out["readyz"] = [&backends](const RouteSpec&) -> RouteHandler {
    return [&backends](CallPtr, Respond respond) {
      backends.CheckAll(
          std::chrono::milliseconds(1000),
          [respond](bool ready, std::map<std::string, std::string> answers) {
            const nlohmann::json body = {{"status", ready ? "ready" : "unavailable"},
                                         {"backends", answers}};
            respond(JsonResponse(ready ? http::status::ok : http::status::service_unavailable,
                                 body.dump()));
          });
    };
  };
  std::weak_ptr<prometheus::Registry> weak = registry;
  out["metrics"] = [weak](const RouteSpec&) -> RouteHandler {
    return [weak](CallPtr, Respond respond) {
      Response response{http::status::ok, 11};
      response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      if (auto registry = weak.lock()) {
        response.body() = prometheus::TextSerializer().Serialize(registry->Collect());
      }
      response.prepare_payload();
      respond(std::move(response));
    };
  };
  return out;
}

}  // namespace socm::gateway
