#include "gateway/auth.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gateway/backend_call.h"
#include "gateway/cookies.h"
#include "services/common/crypto.h"
#include "services/common/key_role.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;

}  // namespace

Role RoleOf(KeyRole role) { return RoleOfKey(role); }

Authenticator::Authenticator(std::string operator_token, std::shared_ptr<grpc::Channel> assessment,
                             std::chrono::milliseconds cache_ttl,
                             std::chrono::milliseconds unknown_ttl)
    : operator_token_(std::move(operator_token)),
      stub_(apb::AssessmentService::NewStub(assessment)),
      identity_(apb::IdentityService::NewStub(assessment)),
      cache_ttl_(cache_ttl),
      unknown_ttl_(unknown_ttl) {}

void Authenticator::Authenticate(const Call& call,
                                 std::function<void(absl::StatusOr<Caller>)> done) {
  const auto header = call.request.find(http::field::authorization);
  if (header == call.request.end()) {
    if (auto session = CookieValue(call.request, kSessionCookie); session && !session->empty()) {
      return AuthenticateSession(call, *session, std::move(done));
    }
    return done(absl::UnauthenticatedError("missing Authorization: Bearer <token>"));
  }
  const std::string value(header->value());
  if (!absl::StartsWithIgnoreCase(value, "Bearer ") || value.size() <= 7) {
    return done(absl::UnauthenticatedError("Authorization must be Bearer <token>"));
  }
  const std::string token(absl::StripAsciiWhitespace(value.substr(7)));
  if (!operator_token_.empty() && ConstantTimeEquals(token, operator_token_)) {
    Caller caller;
    caller.principal = "operator";
    caller.role = Role::kOperator;
    return done(caller);
  }
  if (token.size() > 256) return done(absl::UnauthenticatedError("unknown token"));
  const std::string digest = Sha256Hex(token);
  const auto now = std::chrono::steady_clock::now();
  if (auto hit = cache_.Get(digest); hit && hit->expiry > now) return done(hit->caller);
  if (auto until = unknown_.Get(digest); until && *until > now) {
    return done(absl::UnauthenticatedError("unknown token"));
  }
  apb::VerifyApiKeyRequest request;
  request.set_key(token);
  auto* stub = stub_.get();
  UnaryCall<apb::VerifyApiKeyResponse>(
      call, std::move(request),
      [stub](auto* context, auto* req, auto* resp, auto cb) {
        stub->async()->VerifyApiKey(context, req, resp, std::move(cb));
      },
      [this, digest, done](absl::Status status, apb::VerifyApiKeyResponse& response) {
        if (!status.ok()) {
          if (status.code() == absl::StatusCode::kUnauthenticated) {
            unknown_.Put(digest, std::chrono::steady_clock::now() + unknown_ttl_);
            return done(absl::UnauthenticatedError("unknown token"));
          }
          return done(status);
        }
        Caller caller;
        caller.tenant = TenantId(response.api_key().tenant_id());
        caller.principal = response.api_key().id();
        caller.role = RoleOf(response.api_key().role());
        if (!response.api_key().organization_id().empty()) {
          caller.organizations = {response.api_key().organization_id()};
        }
        cache_.Put(digest, {caller, std::chrono::steady_clock::now() + cache_ttl_, ""});
        done(caller);
      });
}

namespace {

bool IsWrite(http::verb method) {
  return method != http::verb::get && method != http::verb::head && method != http::verb::options;
}

// A session's write must carry its CSRF token; reads need none.
absl::StatusOr<Caller> WithCsrfChecked(const Call& call, const Caller& caller,
                                       const std::string& csrf_sha256) {
  if (!IsWrite(call.request.method())) return caller;
  const auto header = call.request.find(kCsrfHeader);
  if (header == call.request.end() ||
      !ConstantTimeEquals(Sha256Hex(std::string(header->value())), csrf_sha256)) {
    return absl::PermissionDeniedError(
        "a signed-in write needs the X-CSRF-Token header (the __Host-socm_csrf cookie)");
  }
  return caller;
}

}  // namespace

void Authenticator::Forget(const std::string& session_token) {
  cache_.Erase("session:" + Sha256Hex(session_token));
}

void Authenticator::AuthenticateSession(const Call& call, const std::string& session,
                                        std::function<void(absl::StatusOr<Caller>)> done) {
  if (session.size() > 256) return done(absl::UnauthenticatedError("unknown session"));
  const std::string digest = "session:" + Sha256Hex(session);
  const auto now = std::chrono::steady_clock::now();
  if (auto hit = cache_.Get(digest); hit && hit->expiry > now) {
    return done(WithCsrfChecked(call, hit->caller, hit->csrf_sha256));
  }
  apb::TouchSessionRequest request;
  request.set_session_token(session);
  auto* identity = identity_.get();
  UnaryCall<apb::Session>(
      call, std::move(request),
      [identity](auto* context, auto* req, auto* resp, auto cb) {
        identity->async()->TouchSession(context, req, resp, std::move(cb));
      },
      [this, digest, done, method = call.request.method(),
       csrf_header = std::string(call.request[kCsrfHeader])](absl::Status status,
                                                             apb::Session& response) {
        if (!status.ok()) {
          if (status.code() == absl::StatusCode::kNotFound ||
              status.code() == absl::StatusCode::kUnauthenticated) {
            return done(absl::UnauthenticatedError("the session has ended; sign in again"));
          }
          return done(status);
        }
        Caller caller;
        caller.tenant = TenantId(response.tenant_id());
        caller.principal = response.person().id();
        caller.role = RoleOf(response.person().role());
        caller.organizations.assign(response.person().organization_ids().begin(),
                                    response.person().organization_ids().end());
        cache_.Put(digest,
                   {caller, std::chrono::steady_clock::now() + cache_ttl_, response.csrf_sha256()});
        Call check;
        check.request.method(method);
        if (!csrf_header.empty()) check.request.set(kCsrfHeader, csrf_header);
        done(WithCsrfChecked(check, caller, response.csrf_sha256()));
      },
      /*as_gateway=*/true);
}

}  // namespace socm::gateway
