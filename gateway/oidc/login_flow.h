#pragma once
// The authorization code flow's own parts, made before the browser goes to the provider and
// checked when it comes back: the provider's discovery document, the PKCE pair (RFC 7636,
// S256 only), `state` (ties the callback to the browser that started it) and `nonce` (ties
// the ID token to this flow). Example:
//   auto provider = ParseDiscovery(body, idp.issuer, /*allow_http=*/false);
//   LoginFlow flow = NewLoginFlow();      // kept server-side, keyed by flow.state
//   std::string go = AuthorizationUrl(*provider, idp.client_id, redirect, idp.scopes, flow);

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace socm::oidc {

inline constexpr size_t kMaxDiscoveryBytes = 64 * 1024;

struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string end_session_endpoint;  // empty when the provider offers none
};

// The provider's `/.well-known/openid-configuration`, or INVALID_ARGUMENT naming the member
// at fault. Its `issuer` must be `expected_issuer` exactly (OpenID Connect Discovery 4.3);
// endpoints are absolute https URLs (http too when `allow_http`, for a provider on the
// operator's own network); the provider must offer the code flow, PKCE with S256 if it lists
// methods, and a signing algorithm the gateway takes.
absl::StatusOr<ProviderMetadata> ParseDiscovery(std::string_view body,
                                                std::string_view expected_issuer, bool allow_http);

struct LoginFlow {
  std::string state;
  std::string nonce;
  std::string code_verifier;
  std::string code_challenge;  // S256 of the verifier
};

// Fresh random values: 32 bytes each from the system CSPRNG, base64url.
LoginFlow NewLoginFlow();

// BASE64URL(SHA-256(verifier)), RFC 7636 4.2.
std::string CodeChallengeS256(std::string_view code_verifier);

// Where to send the browser: the provider's authorization endpoint with the flow's values.
std::string AuthorizationUrl(const ProviderMetadata& provider, const std::string& client_id,
                             const std::string& redirect_uri,
                             const std::vector<std::string>& scopes, const LoginFlow& flow);

// The form body of the token request that exchanges `code` (RFC 6749 4.1.3 with the PKCE
// verifier); the client authenticates with HTTP Basic, so the secret is not in the body.
std::string TokenRequestBody(const std::string& code, const std::string& redirect_uri,
                             const LoginFlow& flow);

}  // namespace socm::oidc
