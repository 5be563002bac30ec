#pragma once
// Gateway turns one parsed HTTP request into a response: it gives the request
// an id and a deadline, routes it, counts it in
//   http_requests_total{route,code} and http_request_duration_seconds{route},
// and logs one JSON line for it. The routes themselves live in *_routes.cc.

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <memory>

#include "absl/status/status.h"
#include "gateway/auth.h"
#include "gateway/backends.h"
#include "gateway/http_types.h"
#include "gateway/rate_limiter.h"
#include "gateway/router.h"

namespace socm::gateway {

struct GatewayOptions {
  // Every backend call made for a request must finish by then.
  std::chrono::milliseconds request_timeout{5000};
  // The web UI's folder; empty serves no UI.
  std::string web_dir;
};

// What route handlers that need a caller get: the call and who made it.
using AuthedHandler = std::function<void(CallPtr, const Principal&, Respond)>;

// What every route set needs.
struct RouteContext {
  const Backends& backends;
  Authenticator& auth;
  RateLimiter& limiter;
};

class Gateway {
 public:
  // Every argument must outlive the gateway.
  Gateway(const Backends& backends, Authenticator& auth, RateLimiter& limiter,
          std::shared_ptr<prometheus::Registry> registry, GatewayOptions options);

  void Handle(Request&& request, Respond respond);
  // Counts and logs a request the HTTP server refused before routing.
  void CountRejected(int status);

  prometheus::Registry& registry() { return *registry_; }
  const std::shared_ptr<prometheus::Registry>& shared_registry() const { return registry_; }
  // Requests accepted and not yet answered (for a graceful stop).
  int in_flight() const { return in_flight_.load(); }

 private:
  const Backends& backends_;
  Authenticator& auth_;
  RateLimiter& limiter_;
  GatewayOptions options_;
  RouteContext routes_{backends_, auth_, limiter_};
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  Router router_;
  std::atomic<int> in_flight_{0};
};

// A handler that first authenticates the caller, checks `need`, takes a rate
// limit token, and sets the backend metadata (tenant, principal, org pin).
RouteHandler Authed(const RouteContext& context, Need need, AuthedHandler handler);

// Route sets, one per file.
void AddOpsRoutes(Router& router, const Backends& backends,
                  const std::shared_ptr<prometheus::Registry>& registry);
void AddCatalogueRoutes(Router& router, const RouteContext& context);
void AddTenantRoutes(Router& router, const RouteContext& context);
void AddOrganizationRoutes(Router& router, const RouteContext& context);
void AddAssessmentRoutes(Router& router, const RouteContext& context);
void AddScoreRoutes(Router& router, const RouteContext& context, prometheus::Registry& registry);
// The web UI's files from `web_dir`.
void AddStaticRoutes(Router& router, const std::string& web_dir);

// Moves a valid Idempotency-Key header into the backend metadata, where the
// service keeps the first result of a create for 24 hours.
absl::Status TakeIdempotencyKey(Call& call);

// The query parameter's value, or "".
std::string QueryValue(const Call& call, const std::string& name);

// Refuses query parameters other than `allowed`, naming the first stranger.
absl::Status CheckQuery(const Call& call, std::initializer_list<const char*> allowed);

}  // namespace socm::gateway
