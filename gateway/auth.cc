#include "gateway/auth.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gateway/backend_call.h"
#include "services/common/crypto.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;

int Rank(KeyRole role) {
  switch (role) {
    case apb::KEY_ROLE_VIEWER:
      return 1;
    case apb::KEY_ROLE_ASSESSOR:
      return 2;
    case apb::KEY_ROLE_ADMIN:
      return 3;
    default:
      return 0;
  }
}

}  // namespace

KeyRole ParseKeyRole(const std::string& text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "admin" || lower == "key_role_admin") return apb::KEY_ROLE_ADMIN;
  if (lower == "assessor" || lower == "key_role_assessor") return apb::KEY_ROLE_ASSESSOR;
  if (lower == "viewer" || lower == "key_role_viewer") return apb::KEY_ROLE_VIEWER;
  return apb::KEY_ROLE_UNSPECIFIED;
}

std::string KeyRoleName(KeyRole role) {
  switch (role) {
    case apb::KEY_ROLE_ADMIN:
      return "admin";
    case apb::KEY_ROLE_ASSESSOR:
      return "assessor";
    case apb::KEY_ROLE_VIEWER:
      return "viewer";
    default:
      return "";
  }
}

absl::Status Require(const Principal& p, Need need, const std::string& path_tenant) {
  if (need == Need::kPublic) return absl::OkStatus();
  if (need == Need::kOperatorOrTenantAdmin) {
    if (p.is_operator()) return absl::OkStatus();
    if (p.tenant != path_tenant)
      return absl::NotFoundError(absl::StrCat("tenant ", path_tenant, " not found"));
    need = Need::kTenantAdmin;
  }
  if (need == Need::kOperator) {
    return p.is_operator() ? absl::OkStatus()
                           : absl::PermissionDeniedError("this route needs the operator token");
  }
  if (p.is_operator()) return absl::PermissionDeniedError("this route needs a tenant's API key");
  int rank = 1;
  if (need == Need::kAssessor) rank = 2;
  if (need == Need::kAdmin || need == Need::kTenantAdmin) rank = 3;
  if (Rank(p.role) < rank) {
    return absl::PermissionDeniedError(absl::StrCat("this route needs an ",
                                                    rank == 3 ? "admin" : "assessor",
                                                    " key; this key is ", KeyRoleName(p.role)));
  }
  if ((need == Need::kTenantAdmin || need == Need::kTenantWide) && !p.organization.empty()) {
    return absl::PermissionDeniedError("a key pinned to one organisation cannot use this route");
  }
  return absl::OkStatus();
}

Authenticator::Authenticator(std::string operator_token, std::shared_ptr<grpc::Channel> assessment,
                             std::chrono::milliseconds cache_ttl)
    : operator_token_(std::move(operator_token)),
      stub_(apb::AssessmentService::NewStub(assessment)),
      cache_ttl_(cache_ttl) {}

void Authenticator::Authenticate(const Call& call,
                                 std::function<void(absl::StatusOr<Principal>)> done) {
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
    Principal p;
    p.kind = Principal::Kind::kOperator;
    return done(p);
  }
  if (token.size() > 256) return done(absl::UnauthenticatedError("unknown token"));
  const std::string digest = Sha256Hex(token);
  if (auto hit = cache_.Get(digest); hit && hit->expiry > std::chrono::steady_clock::now()) {
    return done(hit->principal);
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
          if (status.code() == absl::StatusCode::kUnauthenticated)
            return done(absl::UnauthenticatedError("unknown token"));
          return done(status);
        }
        Principal p;
        p.tenant = response.api_key().tenant_id();
        p.key_id = response.api_key().id();
        p.role = response.api_key().role();
        p.organization = response.api_key().organization_id();
        cache_.Put(digest, {p, std::chrono::steady_clock::now() + cache_ttl_});
        done(p);
      });
}

}  // namespace socm::gateway
