#include "gateway/auth.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gateway/backend_call.h"
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
      cache_ttl_(cache_ttl),
      unknown_ttl_(unknown_ttl) {}

void Authenticator::Authenticate(const Call& call,
                                 std::function<void(absl::StatusOr<Caller>)> done) {
  const auto header = call.request.find(http::field::authorization);
  if (header == call.request.end()) {
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
        caller.organization = response.api_key().organization_id();
        cache_.Put(digest, {caller, std::chrono::steady_clock::now() + cache_ttl_});
        done(caller);
      });
}

}  // namespace socm::gateway
