// GET /healthz, /readyz and /metrics.
#include <prometheus/text_serializer.h>

#include <nlohmann/json.hpp>

#include "gateway/gateway.h"
#include "gateway/responses.h"

namespace socm::gateway {

void AddOpsRoutes(Router& router, const Backends& backends,
                  const std::shared_ptr<prometheus::Registry>& registry) {
  router.Add(http::verb::get, "/healthz", [](CallPtr, Respond respond) {
    respond(JsonResponse(http::status::ok, R"({"status":"ok"})"));
  });

  router.Add(http::verb::get, "/readyz", [&backends](CallPtr, Respond respond) {
    backends.CheckAll(
        std::chrono::milliseconds(1000),
        [respond](bool ready, std::map<std::string, std::string> answers) {
          const nlohmann::json body = {{"status", ready ? "ready" : "unavailable"},
                                       {"backends", answers}};
          respond(JsonResponse(ready ? http::status::ok : http::status::service_unavailable,
                               body.dump()));
        });
  });

  std::weak_ptr<prometheus::Registry> weak = registry;
  router.Add(http::verb::get, "/metrics", [weak](CallPtr, Respond respond) {
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    if (auto registry = weak.lock()) {
      response.body() = prometheus::TextSerializer().Serialize(registry->Collect());
    }
    response.prepare_payload();
    respond(std::move(response));
  });
}

}  // namespace socm::gateway
