#pragma once
// Checks a JWT an OpenID provider signed: the ID token the gateway receives at the end of
// the authorization code flow, or an access token a portal sends as its bearer credential.
// Everything OpenID Connect Core 3.1.3.7 asks is checked, with choices made strict:
//  - the algorithm is one of RS256/384/512, PS256/384/512, ES256/384/512, and the key it
//    names has that algorithm's type and curve; never `none`, never an HMAC (a provider's
//    public key is public, so an HS256 "signature" with it proves nothing);
//  - the key id must be in the provider's JWKS; with no key id, the provider must have one
//    key of that type only;
//  - the signature part has the length the key's signatures have;
//  - `iss` is the provider's issuer exactly; `aud` holds the expected audience; `azp`, when
//    present or when there are several audiences, is the expected one;
//  - no `crit` header; an ID token is not typed as an access token;
//  - `exp` is in the future and `iat` not, within a minute's leeway; an ID token is also
//    no older than `max_age`;
//  - `nonce`, when one is expected, matches; `sub` is present.
// Example:
//   TokenExpectations want{.issuer = idp.issuer, .audience = idp.client_id, .nonce = flow.nonce};
//   absl::StatusOr<VerifiedToken> who = VerifyProviderToken(id_token, keys, want, Now());

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "gateway/oidc/provider_keys.h"

namespace socm::oidc {

inline constexpr size_t kMaxProviderTokenBytes = 16 * 1024;

// An ID token must not be an access token (typ at+jwt, RFC 9068). The reverse cannot be told
// from the token: a tenant's API audience must differ from its client id, so that an ID
// token, whose audience is the client id, is never taken as a bearer credential.
enum class TokenKind { kIdToken, kAccessToken };

struct TokenExpectations {
  std::string issuer;    // required
  std::string audience;  // required
  // Empty: no nonce is expected (a bearer access token); otherwise it must match.
  std::string nonce;
  // Clocks of the provider and the gateway may differ this much.
  std::chrono::seconds leeway{60};
  // A token issued longer ago than this is refused (zero: no limit). The code flow's ID token
  // is minutes old at most.
  std::chrono::seconds max_age{0};
  // A token whose exp is further than this from its iat is refused.
  std::chrono::seconds max_lifetime{std::chrono::hours(24)};
  TokenKind kind = TokenKind::kIdToken;
};

struct VerifiedToken {
  std::string subject;
  std::string key_id;
  std::string algorithm;
  int64_t expires_at = 0;  // seconds since the epoch
  nlohmann::json claims;   // every claim, for the tenant's role and scope mappings
};

// Who a bearer JWT says issued it and whom it is for, read before any check: which tenant's
// provider must then check it. Nothing unless the payload names an issuer and exactly one
// audience (a string, or an array of one).
struct ClaimedParties {
  std::string issuer;
  std::string audience;
};
std::optional<ClaimedParties> ClaimedIssuerAudience(std::string_view token);

// The key id a compact JWS's protected header names, "" when none or unreadable: whether the
// provider's keys must be fetched again (a rotation) before the token is checked.
std::string TokenKeyId(std::string_view token);

// The token's claims, or UNAUTHENTICATED with the reason ("ID token refused: expired") for
// the audit log. Never aborts, whatever the bytes.
absl::StatusOr<VerifiedToken> VerifyProviderToken(std::string_view token, const ProviderKeys& keys,
                                                  const TokenExpectations& want,
                                                  std::chrono::system_clock::time_point now);

}  // namespace socm::oidc
