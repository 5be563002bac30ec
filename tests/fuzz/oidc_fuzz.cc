// libFuzzer target: what an OpenID provider, or someone posing as one, can hand the gateway.
// Each input is tried as a JWKS document, as an ID token checked against a fixed provider
// key, as a discovery document, as claims to map, and as a sealed client secret. None may crash or
// hang, and the promises hold: a token accepted names a subject, and nothing but the fixed key's
// signature is accepted. The key is a fixed test key (never used outside this target), so the seed
// corpus holds ID tokens it really signed, with the target's fixed clock inside their lifetime.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "gateway/oidc/login_flow.h"
#include "gateway/oidc/provider_keys.h"
#include "gateway/oidc/provider_token.h"
#include "gateway/oidc/secret_box.h"
#include "services/common/claim_mapping.h"

namespace {

constexpr char kJwks[] = R"({"keys":[{"kty":"EC","crv":"P-256","kid":"fuzz-1",)"
                         R"("x":"VjYWH8DVyri8Ft6HAS4iC7ADN8x72tUnfcfOcg-FHp0",)"
                         R"("y":"D5Mv7h_SbUmNZTEog8_WcwHFdYsGT76rmFIr-Sc-QnE"}]})";
constexpr char kSecretKey[] = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
// 2026-12-01T00:00:00Z; the seed tokens were issued then, for ten years.
constexpr int64_t kNow = 1796083200;

const socm::oidc::ProviderKeys& Keys() {
  static const auto* keys = [] {
    auto parsed = socm::oidc::ProviderKeys::Parse(kJwks);
    if (!parsed.ok()) std::abort();
    return new socm::oidc::ProviderKeys(std::move(*parsed));
  }();
  return *keys;
}

const socm::oidc::SecretBox& Box() {
  static const auto* box = [] {
    auto made = socm::oidc::SecretBox::FromKeys(kSecretKey);
    if (!made.ok()) std::abort();
    return made->release();
  }();
  return *box;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto keys = socm::oidc::ProviderKeys::Parse(input);
  if (keys.ok() && keys->size() == 0) std::abort();

  socm::oidc::TokenExpectations want;
  want.issuer = "https://idp.fuzz.test";
  want.audience = "soc-maturity";
  want.nonce = "fuzz-nonce";
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(kNow));
  auto token = socm::oidc::VerifyProviderToken(input, Keys(), want, now);
  if (token.ok() && (token->subject.empty() || token->key_id != "fuzz-1")) std::abort();
  if (!token.ok() && token.status().code() != absl::StatusCode::kUnauthenticated) std::abort();

  if (auto parties = socm::oidc::ClaimedIssuerAudience(input)) {
    if (parties->issuer.empty() || parties->audience.empty()) std::abort();
  }
  (void)socm::oidc::TokenKeyId(input);

  auto provider = socm::oidc::ParseDiscovery(input, "https://idp.fuzz.test", false);
  if (provider.ok() && provider->token_endpoint.rfind("https://", 0) != 0) std::abort();

  socm::oidc::ClaimMapping mapping;
  mapping.role_claim = "realm_access.roles";
  mapping.roles = {{"admins", socm::Role::kAdmin}, {"viewers", socm::Role::kViewer}};
  mapping.organization_claim = "orgs";
  const nlohmann::json claims = nlohmann::json::parse(input, nullptr, false);
  auto person = socm::oidc::MapClaims(mapping, claims);
  if (person.ok() && (person->role == socm::Role::kNone || person->organizations.empty())) {
    std::abort();
  }

  auto secret = Box().Open(input, "tenant-fuzz");
  if (!secret.ok() && secret.status().code() != absl::StatusCode::kFailedPrecondition) {
    std::abort();
  }
  return 0;
}
