#include "gateway/cors.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/responses.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;

constexpr size_t kRemembered = 10000;
constexpr std::chrono::milliseconds kRefusalRemembered{1000};
constexpr char kMethods[] = "GET, POST, PUT, PATCH, DELETE";
constexpr char kHeaders[] =
    "authorization, content-type, idempotency-key, if-match, if-none-match, x-request-id";
// What a page's script may read of a response besides the simple headers.
constexpr char kExposed[] =
    "etag, link, location, retry-after, x-request-id, audit-last-sequence, content-disposition";

std::string Header(const Request& request, const char* name) {
  auto it = request.find(name);
  return it == request.end() ? "" : std::string(it->value());
}

}  // namespace

CorsPolicy::CorsPolicy(std::shared_ptr<apb::PracticeService::Stub> practice,
                       std::chrono::milliseconds remember)
    : practice_(std::move(practice)), remember_(remember) {}

bool CorsPolicy::IsPreflight(const Request& request) {
  return request.method() == http::verb::options &&
         request.find(http::field::origin) != request.end() &&
         request.find(http::field::access_control_request_method) != request.end();
}

void CorsPolicy::Check(const Call& call, const std::string& origin, const std::string& tenant,
                       std::function<void(bool)> done) {
  const std::string key = tenant + "\n" + origin;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = answers_.find(key);
    if (it != answers_.end() && std::chrono::steady_clock::now() < it->second->until) {
      return done(it->second->allowed);
    }
  }
  apb::CheckOriginRequest request;
  request.set_origin(origin);
  request.set_tenant_id(tenant);
  auto practice = practice_;
  UnaryCall<apb::CheckOriginResponse>(
      call, std::move(request), SOCM_ASYNC(practice, CheckOrigin),
      [this, key, done](absl::Status status, apb::CheckOriginResponse& response) {
        const bool allowed = status.ok() && response.allowed();
        // An error is not remembered: the next request asks again.
        if (status.ok()) {
          std::lock_guard<std::mutex> lock(mu_);
          auto it = answers_.find(key);
          if (it != answers_.end()) {
            order_.erase(it->second);
            answers_.erase(it);
          }
          if (answers_.size() >= kRemembered) {
            answers_.erase(order_.front().key);
            order_.pop_front();
          }
          // A refusal is kept briefly, so an origin just allowed works within a second.
          const auto keep = allowed ? remember_ : std::min(remember_, kRefusalRemembered);
          order_.push_back({key, allowed, std::chrono::steady_clock::now() + keep});
          answers_[key] = std::prev(order_.end());
        }
        done(allowed);
      },
      /*as_gateway=*/true);
}

void CorsPolicy::Preflight(const Call& call, Respond respond) {
  const std::string origin = Header(call.request, "origin");
  Check(call, origin, "", [origin, respond](bool allowed) {
    if (!allowed) {
      Response refused = ErrorResponse(absl::PermissionDeniedError(
          "this origin is not allowed; a tenant's admin lists allowed origins in "
          "/v1/tenantSettings"));
      refused.set(http::field::vary, "Origin");
      return respond(std::move(refused));
    }
    Response response{http::status::no_content, 11};
    response.set(http::field::access_control_allow_origin, origin);
    response.set(http::field::access_control_allow_methods, kMethods);
    response.set(http::field::access_control_allow_headers, kHeaders);
    response.set(http::field::access_control_max_age, "600");
    response.set(http::field::vary, "Origin");
    response.prepare_payload();
    respond(std::move(response));
  });
}

void CorsPolicy::ForRequest(const Call& call, const std::string& tenant,
                            std::function<void(std::function<void(Response&)>)> go) {
  const std::string origin = Header(call.request, "origin");
  auto unchanged = [](Response& response) { response.set(http::field::vary, "Origin"); };
  if (origin.empty() || tenant.empty()) return go([](Response&) {});
  Check(call, origin, tenant, [origin, go, unchanged](bool allowed) {
    if (!allowed) return go(unchanged);
    go([origin](Response& response) {
      response.set(http::field::access_control_allow_origin, origin);
      response.set(http::field::access_control_expose_headers, kExposed);
      response.set(http::field::vary, "Origin");
    });
  });
}

void CorsPolicy::ForRefusal(const Call& call, const std::string& tenant, Response response,
                            Respond respond) {
  const std::string origin = Header(call.request, "origin");
  if (origin.empty()) return respond(std::move(response));
  auto held = std::make_shared<Response>(std::move(response));
  // An empty tenant asks whether any tenant allows the origin.
  Check(call, origin, tenant, [origin, held, respond = std::move(respond)](bool allowed) {
    held->set(http::field::vary, "Origin");
    if (allowed) {
      held->set(http::field::access_control_allow_origin, origin);
      held->set(http::field::access_control_expose_headers, kExposed);
    }
    respond(std::move(*held));
  });
}

}  // namespace socm::gateway
