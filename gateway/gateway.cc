#include "gateway/gateway.h"

#include <random>

#include "absl/strings/str_cat.h"
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

absl::Status CheckQuery(const Call& call, std::initializer_list<const char*> allowed) {
  for (const auto& [name, value] : call.query) {
    bool known = false;
    for (const char* a : allowed) known = known || name == a;
    if (!known) return InvalidFields({Violation(name, "unknown query parameter")});
  }
  return absl::OkStatus();
}

RouteHandler Authed(const RouteContext& context, Need need, AuthedHandler handler) {
  return [&context, need, handler = std::move(handler)](CallPtr call, Respond respond) {
    context.auth.Authenticate(
        *call, [&context, need, handler, call, respond](absl::StatusOr<Principal> principal) {
          if (!principal.ok()) {
            Response response = ErrorResponse(principal.status());
            if (principal.status().code() == absl::StatusCode::kUnauthenticated) {
              response.set(http::field::www_authenticate, "Bearer");
            }
            return respond(std::move(response));
          }
          if (absl::Status s = Require(*principal, need); !s.ok()) return respond(ErrorResponse(s));
          if (!principal->is_operator()) {
            if (auto wait = context.limiter.Take(principal->tenant, principal->key_id)) {
              Response response =
                  ErrorResponse(absl::ResourceExhaustedError("rate limit exceeded for this key"));
              response.set(http::field::retry_after, std::to_string((wait->count() + 999) / 1000));
              return respond(std::move(response));
            }
            call->metadata.emplace_back(kTenantMetadata, principal->tenant);
            if (!principal->organization.empty()) {
              call->metadata.emplace_back(kOrganizationMetadata, principal->organization);
            }
          }
          call->metadata.emplace_back(kPrincipalMetadata, principal->actor());
          handler(call, *principal, respond);
        });
  };
}

absl::Status TakeIdempotencyKey(Call& call) {
  auto it = call.request.find("idempotency-key");
  if (it == call.request.end()) return absl::OkStatus();
  const std::string key(it->value());
  bool plain = !key.empty() && key.size() <= 255;
  for (char c : key) plain = plain && c > 0x20 && c < 0x7f;
  if (!plain)
    return InvalidFields({Violation("Idempotency-Key", "1..255 visible ASCII characters")});
  call.metadata.emplace_back("idempotency-key", key);
  return absl::OkStatus();
}

std::string QueryValue(const Call& call, const std::string& name) {
  auto it = call.query.find(name);
  return it == call.query.end() ? "" : it->second;
}

Gateway::Gateway(const Backends& backends, Authenticator& auth, RateLimiter& limiter,
                 std::shared_ptr<prometheus::Registry> registry, GatewayOptions options)
    : backends_(backends),
      auth_(auth),
      limiter_(limiter),
      options_(options),
      registry_(std::move(registry)),
      requests_(prometheus::BuildCounter()
                    .Name("http_requests_total")
                    .Help("HTTP requests answered, by route pattern and status code.")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("http_request_duration_seconds")
                     .Help("Time from a request's arrival to its response, by route pattern.")
                     .Register(*registry_)) {
  AddOpsRoutes(router_, backends_, registry_);
  AddCatalogueRoutes(router_, routes_);
  AddTenantRoutes(router_, routes_);
  AddOrganizationRoutes(router_, routes_);
  AddAssessmentRoutes(router_, routes_);
  AddScoreRoutes(router_, routes_, *registry_);
  if (!options_.web_dir.empty()) AddStaticRoutes(router_, options_.web_dir);
}

void Gateway::CountRejected(int status) {
  requests_.Add({{"route", "unmatched"}, {"code", std::to_string(status)}}).Increment();
  Log(LogLevel::kInfo, "http rejected", {{"status", status}});
}

void Gateway::Handle(Request&& request, Respond respond) {
  const auto start = std::chrono::steady_clock::now();
  auto call = std::make_shared<Call>();
  call->request_id = RequestIdFor(request);
  call->deadline = std::chrono::system_clock::now() + options_.request_timeout;
  const std::string target(request.target());
  const std::string method(request.method_string());
  call->request = std::move(request);

  RouteMatch match;
  const bool parsed = SplitTarget(target, &call->path, &call->query);
  if (parsed && !call->path.empty() && call->path[0] == '/') {
    match = router_.Match(call->request.method(), call->path);
  }
  const std::string route = match.outcome == RouteMatch::kFound ? match.pattern : "unmatched";
  ++in_flight_;
  // Wraps the reply: request id header, metrics, one log line.
  Respond finish = [this, respond = std::move(respond), call, route, method,
                    start](Response response) {
    response.set("x-request-id", call->request_id);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string code = std::to_string(response.result_int());
    requests_.Add({{"route", route}, {"code", code}}).Increment();
    durations_.Add({{"route", route}}, LatencyBuckets()).Observe(seconds);
    Log(response.result_int() >= 500 ? LogLevel::kWarn : LogLevel::kInfo, "http",
        {{"request_id", call->request_id},
         {"method", method},
         {"route", route},
         {"status", response.result_int()},
         {"duration_ms", seconds * 1000}});
    respond(std::move(response));
    --in_flight_;
  };

  if (!parsed) {
    return finish(ErrorResponse(InvalidFields({Violation("", "malformed query string")})));
  }
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
