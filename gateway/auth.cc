#include "gateway/auth.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gateway/backend_call.h"
#include "gateway/cookies.h"
#include "gateway/oidc/provider_directory.h"
#include "gateway/oidc/provider_token.h"
#include "services/common/claim_mapping.h"
#include "services/common/crypto.h"
#include "services/common/key_role.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;

// The operator, by token or by session: no tenant, no organisation.
Caller OperatorCaller() {
  Caller caller;
  caller.principal = "operator";
  caller.role = Role::kOperator;
  return caller;
}

}  // namespace

Role RoleOf(KeyRole role) { return RoleOfKey(role); }

Authenticator::Authenticator(std::string operator_token, std::shared_ptr<grpc::Channel> assessment,
                             std::chrono::milliseconds cache_ttl,
                             std::chrono::milliseconds unknown_ttl)
    : operator_token_(std::move(operator_token)),
      operator_sessions_(operator_token_.empty() ? nullptr : std::make_unique<OperatorSessions>()),
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
    return done(OperatorCaller());
  }
  // A JWT (three base64url parts, a JSON header): an access token of a tenant's provider.
  if (absl::StartsWith(token, "eyJ") && std::count(token.begin(), token.end(), '.') == 2) {
    return AuthenticateProviderToken(call, token, std::move(done));
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

void Authenticator::RecordRefusal(const Call& call, const std::string& tenant,
                                  const std::string& reason) {
  const std::string key = tenant + "\n" + reason;
  const auto now = std::chrono::steady_clock::now();
  if (auto last = refusals_.Get(key); last && now - *last < std::chrono::minutes(1)) return;
  refusals_.Put(key, now);
  apb::RecordSignInRefusalRequest record;
  record.set_tenant_id(tenant);
  record.set_reason(reason.substr(0, 300));
  record.set_client_address(std::string(call.request[kPeerHeader]));
  auto* identity = identity_.get();
  UnaryCall<apb::RecordSignInRefusalResponse>(
      call, std::move(record),
      [identity](auto* context, auto* req, auto* resp, auto cb) {
        identity->async()->RecordSignInRefusal(context, req, resp, std::move(cb));
      },
      [](absl::Status, apb::RecordSignInRefusalResponse&) {}, /*as_gateway=*/true);
}

void Authenticator::AuthenticateProviderToken(const Call& call, const std::string& token,
                                              std::function<void(absl::StatusOr<Caller>)> done) {
  const std::string digest = "jwt:" + Sha256Hex(token);
  const auto now = std::chrono::steady_clock::now();
  if (auto hit = cache_.Get(digest); hit && hit->expiry > now) return done(hit->caller);
  if (auto until = unknown_.Get(digest); until && *until > now) {
    return done(absl::UnauthenticatedError("unknown token"));
  }
  const std::optional<oidc::ClaimedParties> parties = oidc::ClaimedIssuerAudience(token);
  if (providers_ == nullptr || !parties) {
    unknown_.Put(digest, now + unknown_ttl_);
    return done(absl::UnauthenticatedError("unknown token"));
  }
  apb::FindSignInRequest find;
  find.mutable_issuer_audience()->set_issuer(parties->issuer);
  find.mutable_issuer_audience()->set_audience(parties->audience);
  auto* identity = identity_.get();
  UnaryCall<apb::SignInSettings>(
      call, std::move(find),
      [identity](auto* context, auto* req, auto* resp, auto cb) {
        identity->async()->FindSignIn(context, req, resp, std::move(cb));
      },
      [this, &call, token, digest, done](absl::Status status, apb::SignInSettings& settings) {
        if (!status.ok()) {
          if (status.code() != absl::StatusCode::kNotFound) return done(status);
          unknown_.Put(digest, std::chrono::steady_clock::now() + unknown_ttl_);
          return done(absl::UnauthenticatedError("unknown token"));
        }
        providers_->Metadata(
            settings.provider().issuer(), [this, &call, token, digest, done, settings](
                                              absl::StatusOr<oidc::ProviderMetadata> metadata) {
              if (!metadata.ok()) {
                return done(absl::UnavailableError("the identity provider cannot be reached"));
              }
              providers_->Keys(*metadata, oidc::TokenKeyId(token),
                               [this, &call, token, digest, done, settings](
                                   absl::StatusOr<std::shared_ptr<const oidc::ProviderKeys>> keys) {
                                 if (!keys.ok()) {
                                   return done(absl::UnavailableError(
                                       "the identity provider cannot be reached"));
                                 }
                                 FinishProviderToken(call, token, digest, settings, **keys, done);
                               });
            });
      },
      /*as_gateway=*/true);
}

void Authenticator::FinishProviderToken(const Call& call, const std::string& token,
                                        const std::string& digest,
                                        const apb::SignInSettings& settings,
                                        const oidc::ProviderKeys& keys,
                                        std::function<void(absl::StatusOr<Caller>)> done) {
  oidc::TokenExpectations want;
  want.issuer = settings.provider().issuer();
  want.audience = settings.provider().client_id();
  want.kind = oidc::TokenKind::kAccessToken;
  auto verified = oidc::VerifyProviderToken(token, keys, want, std::chrono::system_clock::now());
  if (!verified.ok()) {
    RecordRefusal(call, settings.tenant_id(), std::string(verified.status().message()));
    unknown_.Put(digest, std::chrono::steady_clock::now() + unknown_ttl_);
    return done(verified.status());
  }
  auto mapped = oidc::MapClaims(oidc::ClaimMappingFromProto(settings.provider().claim_mapping()),
                                verified->claims);
  if (!mapped.ok()) {
    RecordRefusal(call, settings.tenant_id(), std::string(mapped.status().message()));
    unknown_.Put(digest, std::chrono::steady_clock::now() + unknown_ttl_);
    return done(absl::PermissionDeniedError("the token's person has no role in this tenant"));
  }
  apb::CompleteSignInRequest complete;
  complete.set_tenant_id(settings.tenant_id());
  complete.set_without_session(true);
  complete.set_client_address(std::string(call.request[kPeerHeader]));
  *complete.mutable_person() = PersonOf(want.issuer, *verified, *mapped);
  // The token is good until it expires; this gateway remembers it for its key cache's time.
  const auto expiry = std::min(
      std::chrono::steady_clock::now() + cache_ttl_,
      std::chrono::steady_clock::now() +
          std::chrono::seconds(std::max<int64_t>(
              0, verified->expires_at - std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count())));
  auto* identity = identity_.get();
  UnaryCall<apb::SignedIn>(
      call, std::move(complete),
      [identity](auto* context, auto* req, auto* resp, auto cb) {
        identity->async()->CompleteSignIn(context, req, resp, std::move(cb));
      },
      [this, digest, done, tenant = settings.tenant_id(), expiry](absl::Status status,
                                                                  apb::SignedIn& signed_in) {
        if (!status.ok()) return done(status);
        Caller caller;
        caller.tenant = TenantId(tenant);
        caller.principal = signed_in.person().id();
        caller.role = RoleOf(signed_in.person().role());
        caller.organizations.assign(signed_in.person().organization_ids().begin(),
                                    signed_in.person().organization_ids().end());
        cache_.Put(digest, {caller, expiry, ""});
        done(caller);
      },
      /*as_gateway=*/true);
}

apb::Person PersonOf(const std::string& issuer, const oidc::VerifiedToken& token,
                     const oidc::MappedPerson& mapped) {
  apb::Person person;
  person.set_issuer(issuer);
  person.set_subject(token.subject);
  auto text = [&](const char* name) {
    auto it = token.claims.find(name);
    return it != token.claims.end() && it->is_string() ? it->get<std::string>() : "";
  };
  person.set_email(text("email"));
  person.set_display_name(text("name"));
  person.set_role(KeyRoleOf(mapped.role));
  for (const std::string& org : mapped.organizations) person.add_organization_ids(org);
  return person;
}

bool Authenticator::Forget(const std::string& session_token) {
  cache_.Erase("session:" + Sha256Hex(session_token));
  return operator_sessions_ != nullptr && operator_sessions_->End(session_token);
}

void Authenticator::AuthenticateSession(const Call& call, const std::string& session,
                                        std::function<void(absl::StatusOr<Caller>)> done) {
  if (session.size() > 256) return done(absl::UnauthenticatedError("unknown session"));
  if (OperatorSessions::IsOperatorSession(session)) {
    std::optional<std::string> csrf_sha256;
    if (operator_sessions_ != nullptr) {
      csrf_sha256 = operator_sessions_->Touch(session, OperatorSessions::Clock::now());
    }
    if (!csrf_sha256)
      return done(absl::UnauthenticatedError("the session has ended; sign in again"));
    return done(WithCsrfChecked(call, OperatorCaller(), *csrf_sha256));
  }
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
        // A session is remembered a second at most: an admin's change of access, a logout at
        // another replica or the provider's removal holds from then on.
        cache_.Put(digest,
                   {caller,
                    std::chrono::steady_clock::now() +
                        std::min<std::chrono::milliseconds>(cache_ttl_, std::chrono::seconds(1)),
                    response.csrf_sha256()});
        Call check;
        check.request.method(method);
        if (!csrf_header.empty()) check.request.set(kCsrfHeader, csrf_header);
        done(WithCsrfChecked(check, caller, response.csrf_sha256()));
      },
      /*as_gateway=*/true);
}

}  // namespace socm::gateway
