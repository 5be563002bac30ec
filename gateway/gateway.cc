#include "gateway/gateway.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gateway/responses.h"
#include "services/common/grpc_metrics.h"
#include "services/common/log.h"
#include "services/common/metadata.h"
#include "services/common/status.h"

namespace socm::gateway {
namespace {

// A client's X-Request-Id is kept when it is short and plain; otherwise ours.
std::string RequestIdFor(const Request& request) {
  const auto it = request.find("x-request-id");
  if (it != request.end()) {
    const std::string given(it->value());
    bool plain = !given.empty() && given.size() <= 128;
    for (char c : given) {
      plain = plain &&
              (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
    }
    if (plain) return given;
  }
  thread_local std::mt19937_64 random{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(random()));
  return buf;
}

}  // namespace

std::string ClientAddress(const Request& request, bool trust_forwarded_for) {
  if (trust_forwarded_for) {
    const auto it = request.find("x-forwarded-for");
    if (it != request.end()) {
      const std::string all(it->value());
      const size_t comma = all.rfind(',');
      std::string last = comma == std::string::npos ? all : all.substr(comma + 1);
      absl::StripAsciiWhitespace(&last);
      if (!last.empty() && last.size() <= 64) return last;
    }
  }
  const auto peer = request.find(kPeerHeader);
  return peer == request.end() ? "" : std::string(peer->value());
}

RouteHandler Authed(const RouteContext& context, Need need, AuthedHandler handler) {
  return [&context, need, handler = std::move(handler)](CallPtr call, Respond respond) {
    if (need == Need::kPublic) return handler(call, call->caller, respond);
    context.auth.Authenticate(
        *call, [&context, need, handler, call, respond](absl::StatusOr<Caller> caller) {
          // A refusal carries CORS too, so a portal's page can read why: for the caller's
          // tenant, or, before the caller is known, as a preflight would.
          auto refuse = [&context, call, respond](Response response, const std::string& tenant) {
            if (context.cors == nullptr) return respond(std::move(response));
            context.cors->ForRefusal(*call, tenant, std::move(response), respond);
          };
          if (!caller.ok()) {
            Response response = ErrorResponse(caller.status());
            if (caller.status().code() == absl::StatusCode::kUnauthenticated) {
              response.set(http::field::www_authenticate, "Bearer");
            }
            return refuse(std::move(response), "");
          }
          auto tenant = call->params.find("tenantId");
          if (absl::Status s =
                  Require(*caller, need, tenant == call->params.end() ? "" : tenant->second);
              !s.ok()) {
            return refuse(ErrorResponse(s), caller->tenant.value());
          }
          if (!caller->is_operator()) {
            if (auto wait = context.limiter.Take(caller->tenant.value(), caller->principal)) {
              Response response =
                  ErrorResponse(absl::ResourceExhaustedError("rate limit exceeded for this key"));
              response.set(http::field::retry_after, std::to_string((wait->count() + 999) / 1000));
              return refuse(std::move(response), caller->tenant.value());
            }
          }
          call->caller = *caller;
          call->caller.request_id = call->request_id;
          call->caller.client_address = ClientAddress(call->request, context.trust_forwarded_for);
          if (context.cors == nullptr) return handler(call, call->caller, respond);
          context.cors->ForRequest(
              *call, caller->tenant.value(),
              [handler, call, respond](std::function<void(Response&)> decorate) {
                handler(call, call->caller, [respond, decorate](Response response) {
                  decorate(response);
                  respond(std::move(response));
                });
              });
        });
  };
}

Gateway::Gateway(const Backends& backends, Authenticator& auth, RateLimiter& limiter,
                 std::shared_ptr<prometheus::Registry> registry, GatewayOptions options)
    : backends_(backends),
      auth_(auth),
      limiter_(limiter),
      options_(options),
      cors_(std::make_unique<CorsPolicy>(
          soc::maturity::assessment::v1::PracticeService::NewStub(backends.assessment()))),
      registry_(std::move(registry)),
      requests_(prometheus::BuildCounter()
                    .Name("http_requests_total")
                    .Help("HTTP requests answered, by route pattern and status code.")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("http_request_duration_seconds")
                     .Help("Time from a request's arrival to its response, by route pattern.")
                     .Register(*registry_)) {
  NamedHandlers named;
  for (NamedHandlers more :
       {OpsHandlers(backends_), StaticHandlers(options_.web_dir), DocsHandlers(options_.docs_dir),
        ScoreHandlers(routes_, *registry_), CatalogueHandlers(routes_, *registry_),
        ImportHandlers(routes_), PracticeHandlers(routes_), AuditHandlers(routes_),
        ShareHandlers(routes_), IdentityHandlers(routes_), SignInHandlers(routes_)}) {
    named.merge(more);
  }
  for (const RouteSpec& route : PublicRoutes()) {
    if (route.body_limit > 0) body_limits_[{route.method, route.path}] = route.body_limit;
    if (route.need == Need::kPublic) public_routes_.insert({route.method, route.path});
    if (route.reply != Reply::kHandler) {
      router_.Add(route.method, route.path, TranscodedRoute(routes_, route));
      continue;
    }
    auto it = named.find(route.handler);
    if (it == named.end()) {
      // A table entry without its handler is a programming error: refuse to start.
      std::fprintf(stderr, "route %s names unknown handler %s\n", route.path.c_str(),
                   route.handler.c_str());
      std::abort();
    }
    router_.Add(route.method, route.path, it->second(route));
  }
}

uint64_t Gateway::BodyLimit(http::verb method, const std::string& target,
                            uint64_t default_limit) const {
  if (body_limits_.empty()) return default_limit;
  std::string path;
  std::map<std::string, std::string> query;
  if (!SplitTarget(target, &path, &query)) return default_limit;
  const RouteMatch match = router_.Match(method, path);
  if (match.outcome != RouteMatch::kFound) return default_limit;
  auto it = body_limits_.find({method, match.pattern});
  return it == body_limits_.end() ? default_limit : it->second;
}

void Gateway::CheckHeaders(const Request& header,
                           std::function<void(std::optional<Response>)> done) {
  const bool has_body = header.has_content_length() || header.chunked();
  std::string path;
  std::map<std::string, std::string> query;
  if (!has_body || !SplitTarget(std::string(header.target()), &path, &query)) return done({});
  const RouteMatch match = router_.Match(header.method(), path);
  if (match.outcome != RouteMatch::kFound ||
      public_routes_.count({header.method(), match.pattern}) > 0) {
    return done({});
  }
  // Only the headers: the body stays unread until the credential is known.
  auto call = std::make_shared<Call>();
  call->request.base() = header.base();
  call->request_id = RequestIdFor(call->request);
  call->caller.request_id = call->request_id;
  call->deadline = std::chrono::system_clock::now() + options_.request_timeout;
  auth_.Authenticate(*call, [call, done](absl::StatusOr<Caller> caller) {
    if (caller.ok()) return done({});
    Response refused = ErrorResponse(caller.status());
    refused.set("x-request-id", call->request_id);
    TakeLogDetail(refused);
    done(std::move(refused));
  });
}

void Gateway::CountRejected(int status) {
  requests_.Add({{"route", "unmatched"}, {"code", std::to_string(status)}}).Increment();
  Log(LogLevel::kInfo, "http rejected", {{"status", status}});
}

void Gateway::Handle(Request&& request, Respond respond) {
  const auto start = std::chrono::steady_clock::now();
  auto call = std::make_shared<Call>();
  call->request_id = RequestIdFor(request);
  call->caller.request_id = call->request_id;
  call->deadline = std::chrono::system_clock::now() + options_.request_timeout;
  const std::string target(request.target());
  const std::string method(request.method_string());
  call->request = std::move(request);

  RouteMatch match;
  const bool parsed = SplitTarget(target, &call->path, &call->query);
  const bool preflight = parsed && CorsPolicy::IsPreflight(call->request);
  if (parsed && !preflight && !call->path.empty() && call->path[0] == '/') {
    match = router_.Match(call->request.method(), call->path);
  }
  const std::string route = preflight                             ? "preflight"
                            : match.outcome == RouteMatch::kFound ? match.pattern
                                                                  : "unmatched";
  ++in_flight_;
  // Wraps the reply: request id header, metrics, one log line.
  Respond finish = [this, respond = std::move(respond), call, route, method,
                    start](Response response) {
    response.set("x-request-id", call->request_id);
    const std::string detail = TakeLogDetail(response);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string code = std::to_string(response.result_int());
    requests_.Add({{"route", route}, {"code", code}}).Increment();
    durations_.Add({{"route", route}}, LatencyBuckets()).Observe(seconds);
    nlohmann::json fields = {{"request_id", call->request_id},
                             {"method", method},
                             {"route", route},
                             {"status", response.result_int()},
                             {"duration_ms", seconds * 1000}};
    if (!detail.empty()) fields["error"] = detail;
    Log(response.result_int() >= 500 ? LogLevel::kWarn : LogLevel::kInfo, "http", fields);
    respond(std::move(response));
    --in_flight_;
  };

  if (!parsed) {
    return finish(ErrorResponse(InvalidFields({Violation("", "malformed query string")})));
  }
  if (preflight) return cors_->Preflight(*call, std::move(finish));
  switch (match.outcome) {
    case RouteMatch::kNotFound:
      return finish(ErrorResponse(http::status::not_found, absl::StatusCode::kNotFound,
                                  absl::StrCat("no route for ", call->path)));
    case RouteMatch::kWrongMethod: {
      Response response =
          ErrorResponse(http::status::method_not_allowed, absl::StatusCode::kUnimplemented,
                        absl::StrCat(method, " is not allowed on ", call->path));
      response.set(http::field::allow, match.allow);
      return finish(std::move(response));
    }
    case RouteMatch::kFound:
      call->params = std::move(match.params);
      (*match.handler)(call, std::move(finish));
  }
}

}  // namespace socm::gateway
