#pragma once
// Gateway turns one parsed HTTP request into a response: it gives the request
// an id and a deadline, routes it, counts it in
//   http_requests_total{route,code} and http_request_duration_seconds{route},
// and logs one JSON line for it. The routes are the entries of route_table.cc; plain ones are
// transcoded by transcoder.cc, the others are named handlers in *_routes.cc.

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "absl/status/status.h"
#include "gateway/auth.h"
#include "gateway/backends.h"
#include "gateway/cors.h"
#include "gateway/http_server.h"
#include "gateway/http_types.h"
#include "gateway/rate_limiter.h"
#include "gateway/route_table.h"
#include "gateway/router.h"
#include "services/common/revision_board.h"

namespace socm::oidc {
class ProviderDirectory;
class SecretBox;
}  // namespace socm::oidc

namespace socm::gateway {

struct GatewayOptions {
  // Every backend call made for a request must finish by then.
  std::chrono::milliseconds request_timeout{5000};
  // The web UI's folder; empty serves no UI.
  std::string web_dir;
  // The folder of the API reference page's script (redoc.standalone.js).
  std::string docs_dir;
  // Seals identity providers' client secrets (--secret-key-file); null: none can be stored.
  std::shared_ptr<const oidc::SecretBox> secrets;
  // Sign-in through tenants' identity providers: the gateway's public URL (the providers send
  // browsers back to its /auth/callback), and what it knows of the providers. Without either,
  // nobody signs in through a provider.
  std::string public_url;
  std::shared_ptr<oidc::ProviderDirectory> providers;
  // Behind a proxy that sets X-Forwarded-For (an Ingress): the client address the audit log
  // records is that header's last entry, the one the proxy added; else the peer's.
  bool trust_forwarded_for = false;
  // The assessments' committed revisions (revision_board.h): a warm score the gateway holds
  // is sent without asking scoring while the board vouches for its revision. Null: never.
  RevisionBoard* revisions = nullptr;
};

// What route handlers that need a caller get: the call and who made it.
using AuthedHandler = std::function<void(CallPtr, const Caller&, Respond)>;

// What every route set needs.
struct RouteContext {
  const Backends& backends;
  Authenticator& auth;
  RateLimiter& limiter;
  bool trust_forwarded_for = false;
  // Adds the CORS headers to the answers of authenticated routes (null: none).
  CorsPolicy* cors = nullptr;
  // Seals client secrets (null: the gateway has no key).
  const oidc::SecretBox* secrets = nullptr;
  std::string public_url;
  oidc::ProviderDirectory* providers = nullptr;
  RevisionBoard* revisions = nullptr;
};

// The address the audit log records for a request (see GatewayOptions).
std::string ClientAddress(const Request& request, bool trust_forwarded_for);

class Gateway {
 public:
  // Every argument must outlive the gateway.
  Gateway(const Backends& backends, Authenticator& auth, RateLimiter& limiter,
          std::shared_ptr<prometheus::Registry> registry, GatewayOptions options);

  void Handle(Request&& request, Respond respond);
  // Counts and logs a request the HTTP server refused before routing.
  void CountRejected(int status);
  // The largest body the route `target` names takes: its own limit, else `default_limit`.
  uint64_t BodyLimit(http::verb method, const std::string& target, uint64_t default_limit) const;
  // Before a body is read: the refusal of a request to a route that needs a credential when
  // its Authorization is missing or unknown (nothing when it may go on, or has no body).
  // Calls `done` once, maybe on another thread.
  void CheckHeaders(const Request& header, std::function<void(std::optional<Response>)> done);

  prometheus::Registry& registry() { return *registry_; }
  const std::shared_ptr<prometheus::Registry>& shared_registry() const { return registry_; }
  // Requests accepted and not yet answered (for a graceful stop).
  int in_flight() const { return in_flight_.load(); }
  const Router& router() const { return router_; }

 private:
  const Backends& backends_;
  Authenticator& auth_;
  RateLimiter& limiter_;
  GatewayOptions options_;
  std::unique_ptr<CorsPolicy> cors_;
  RouteContext routes_{backends_,
                       auth_,
                       limiter_,
                       options_.trust_forwarded_for,
                       cors_.get(),
                       options_.secrets.get(),
                       options_.public_url,
                       options_.providers.get(),
                       options_.revisions};
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  Router router_;
  // Routes with a body limit of their own (RouteSpec::body_limit), by method and pattern.
  std::map<std::pair<http::verb, std::string>, uint64_t> body_limits_;
  // The routes anyone may call (no credential is checked before their bodies).
  std::set<std::pair<http::verb, std::string>> public_routes_;
  std::atomic<int> in_flight_{0};
};

// A handler that first authenticates the caller, checks `need`, takes a rate
// limit token, and makes the Caller every backend call of the request carries; its answer
// carries the CORS headers when the caller's tenant allows the request's Origin.
// kPublic routes skip all of it.
RouteHandler Authed(const RouteContext& context, Need need, AuthedHandler handler);

// A gRPC method found by name, with the channel of the service that serves it.
struct BoundRpc {
  std::string path;  // "/soc.maturity.assessment.v1.AssessmentService/GetOrganization"
  const google::protobuf::Message* request = nullptr;  // prototypes
  const google::protobuf::Message* response = nullptr;
  std::shared_ptr<grpc::Channel> channel;
};
absl::StatusOr<BoundRpc> BindRpc(const std::string& rpc, const Backends& backends);

// Calls `rpc` for the HTTP call (its deadline, request id and metadata go along).
void CallRpc(const Call& call, const BoundRpc& rpc,
             std::unique_ptr<google::protobuf::Message> request,
             std::function<void(absl::Status, const google::protobuf::Message&)> done);

// The handler of a plain route: bind, call, render.
RouteHandler TranscodedRoute(const RouteContext& context, const RouteSpec& route);

// Handlers of the routes that are not plain transcoding, by the name their
// RouteSpec gives; each makes the route's handler from its spec.
using NamedHandlers = std::map<std::string, std::function<RouteHandler(const RouteSpec&)>>;
// healthz, readyz
NamedHandlers OpsHandlers(const Backends& backends);
// The handler of the gateway's metrics port: GET /metrics, the registry's exposition;
// anything else 404. Kept off the public port, so the Ingress never exposes it.
HttpHandler MetricsEndpoint(std::weak_ptr<prometheus::Registry> registry);
// ui_index, ui_file: the web UI's files from `web_dir` (none when empty).
NamedHandlers StaticHandlers(const std::string& web_dir);
// openapi, docs, docs_file: the document and its reference page from `docs_dir`.
NamedHandlers DocsHandlers(const std::string& docs_dir);
// score
NamedHandlers ScoreHandlers(const RouteContext& context, prometheus::Registry& registry);
// catalogue: one catalogue version's JSON, kept per version and sent again while current.
NamedHandlers CatalogueHandlers(const RouteContext& context, prometheus::Registry& registry);
// The workbook import: its body is the file, and its 400 carries the parsed answers.
NamedHandlers ImportHandlers(const RouteContext& context);
// portfolio (its format picks the backend), upload_evidence (the body is the file).
NamedHandlers PracticeHandlers(const RouteContext& context);
// tenant_audit_log: JSON pages or the sealed chain as JSON Lines.
NamedHandlers AuditHandlers(const RouteContext& context);
// share_view: a share link's radar or report, without a key.
NamedHandlers ShareHandlers(const RouteContext& context);
// put_identity_provider: seals the client secret before the system of record sees it.
NamedHandlers IdentityHandlers(const RouteContext& context);
// auth_login, auth_callback, auth_logout: the OpenID Connect relying party.
NamedHandlers SignInHandlers(const RouteContext& context);

}  // namespace socm::gateway
