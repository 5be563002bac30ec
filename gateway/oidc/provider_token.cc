#include "gateway/oidc/provider_token.h"

#include <cjose/cjose.h>
#include <jansson.h>

#include <memory>
#include <optional>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/jose_shape.h"

namespace socm::oidc {
namespace {

using json = nlohmann::json;

constexpr int64_t kLatestTime = 100'000'000'000;

absl::Status Refused(std::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("provider token refused: ", std::string(why)));
}

// The key type each accepted algorithm needs; nullopt for any other algorithm.
std::optional<KeyType> KeyTypeFor(std::string_view alg) {
  if (alg == "RS256" || alg == "RS384" || alg == "RS512" || alg == "PS256" || alg == "PS384" ||
      alg == "PS512") {
    return KeyType::kRsa;
  }
  if (alg == "ES256") return KeyType::kEcP256;
  if (alg == "ES384") return KeyType::kEcP384;
  if (alg == "ES512") return KeyType::kEcP521;
  return std::nullopt;
}

// The token's own words in a message for the audit log: letters and digits only.
std::string Printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 16)) {
    out.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c)) ? c : '?');
  }
  return out;
}

std::string Text(const json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<int64_t> Seconds(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  // Times before 1970 or past the year 5138 are nonsense, and bounding them keeps the
  // arithmetic below from overflowing.
  if (it->is_number_integer()) {
    const int64_t v = it->get<int64_t>();
    if (v >= 0 && v < kLatestTime) return v;
    return std::nullopt;
  }
  // Some providers write times as JSON numbers with a fraction.
  if (it->is_number_float()) {
    const double v = it->get<double>();
    if (v >= 0 && v < static_cast<double>(kLatestTime)) return static_cast<int64_t>(v);
  }
  return std::nullopt;
}

absl::Status CheckAudience(const json& claims, const std::string& audience) {
  // Whoever the token went to (OpenID Connect Core 3.1.3.7, 5), whatever its audiences.
  if (claims.contains("azp") && Text(claims, "azp") != audience) {
    return Refused("azp is not this client");
  }
  auto aud = claims.find("aud");
  if (aud == claims.end()) return Refused("no audience");
  if (aud->is_string()) {
    if (aud->get<std::string>() != audience) return Refused("wrong audience");
    return absl::OkStatus();
  }
  if (!aud->is_array() || aud->empty()) return Refused("wrong audience");
  bool found = false;
  for (const json& one : *aud) {
    if (one.is_string() && one.get<std::string>() == audience) found = true;
  }
  if (!found) return Refused("wrong audience");
  // A token for several parties was issued to the one named by azp; only that one may use it.
  if (aud->size() > 1 && Text(claims, "azp") != audience) {
    return Refused("several audiences and azp is not this client");
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<ClaimedParties> ClaimedIssuerAudience(std::string_view token) {
  // Only the payload is read, so that a token the check will refuse (unsigned, say) still
  // names the tenant whose audit log records the refusal.
  if (token.size() > kMaxProviderTokenBytes) return std::nullopt;
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view payload = token.substr(first + 1, second - first - 1);
  if (payload.empty() || !absl::c_all_of(payload, [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
      })) {
    return std::nullopt;
  }
  cjose_err err{};
  uint8_t* decoded = nullptr;
  size_t length = 0;
  if (!cjose_base64url_decode(payload.data(), payload.size(), &decoded, &length, &err)) {
    return std::nullopt;
  }
  const json claims = json::parse(reinterpret_cast<const char*>(decoded),
                                  reinterpret_cast<const char*>(decoded) + length, nullptr, false);
  cjose_get_dealloc()(decoded);
  if (!claims.is_object()) return std::nullopt;
  ClaimedParties out;
  out.issuer = Text(claims, "iss");
  const auto found = claims.find("aud");
  const json* aud = found == claims.end() ? nullptr : &*found;
  if (aud != nullptr && aud->is_array() && aud->size() == 1) aud = &aud->front();
  if (aud != nullptr && aud->is_string()) out.audience = aud->get<std::string>();
  if (out.issuer.empty() || out.audience.empty() || out.issuer.size() > 2048 ||
      out.audience.size() > 256) {
    return std::nullopt;
  }
  return out;
}

std::string TokenKeyId(std::string_view token) {
  if (token.size() > kMaxProviderTokenBytes || !WellFormedCompactJws(token)) return "";
  cjose_err err{};
  std::unique_ptr<cjose_jws_t, void (*)(cjose_jws_t*)> jws(
      cjose_jws_import(token.data(), token.size(), &err), cjose_jws_release);
  if (!jws) return "";
  cjose_header_t* header = cjose_jws_get_protected(jws.get());
  const char* kid = header ? cjose_header_get(header, CJOSE_HDR_KID, &err) : nullptr;
  return kid == nullptr ? "" : std::string(kid);
}

absl::StatusOr<VerifiedToken> VerifyProviderToken(std::string_view token, const ProviderKeys& keys,
                                                  const TokenExpectations& want,
                                                  std::chrono::system_clock::time_point now) {
  if (want.issuer.empty() || want.audience.empty()) {
    return Refused("no issuer or audience to check it against");
  }
  if (token.empty()) return Refused("empty");
  if (token.size() > kMaxProviderTokenBytes) return Refused("too long");
  if (!WellFormedCompactJws(token)) return Refused("not a compact JWS");
  cjose_err err{};
  std::unique_ptr<cjose_jws_t, void (*)(cjose_jws_t*)> jws(
      cjose_jws_import(token.data(), token.size(), &err), cjose_jws_release);
  if (!jws) return Refused("not a compact JWS");
  cjose_header_t* header = cjose_jws_get_protected(jws.get());
  const char* alg = header ? cjose_header_get(header, CJOSE_HDR_ALG, &err) : nullptr;
  const char* kid = header ? cjose_header_get(header, CJOSE_HDR_KID, &err) : nullptr;
  if (alg == nullptr) return Refused("no algorithm");
  const std::optional<KeyType> type = KeyTypeFor(alg);
  if (!type) return Refused(absl::StrCat("algorithm ", Printable(alg), " is not taken"));
  // Extensions the token says must be understood are not understood here.
  if (json_object_get(header, "crit") != nullptr) return Refused("it has critical extensions");
  const char* typ = cjose_header_get(header, "typ", &err);
  if (want.kind == TokenKind::kIdToken && typ != nullptr &&
      absl::StrContains(absl::AsciiStrToLower(typ), "at+jwt")) {
    return Refused("an access token is not an ID token");
  }
  const ProviderKey* key = kid != nullptr ? keys.Find(kid) : keys.OnlyOfType(*type);
  if (key == nullptr) {
    return Refused(kid != nullptr ? "its key id is not in the provider's JWKS"
                                  : "it names no key id and the provider has several keys");
  }
  if (key->type != *type) return Refused("its algorithm does not fit the key it names");
  if (token.size() - token.rfind('.') - 1 != key->signature_chars) {
    return Refused("its signature is not of its key's length");
  }
  if (!cjose_jws_verify(jws.get(), key->jwk.get(), &err)) return Refused("bad signature");

  uint8_t* plaintext = nullptr;
  size_t length = 0;
  if (!cjose_jws_get_plaintext(jws.get(), &plaintext, &length, &err)) {
    return Refused("no payload");
  }
  json claims = json::parse(reinterpret_cast<const char*>(plaintext),
                            reinterpret_cast<const char*>(plaintext) + length, nullptr, false);
  if (!claims.is_object()) return Refused("the payload is not a JSON object");
  if (Text(claims, "iss") != want.issuer) return Refused("wrong issuer");
  if (absl::Status s = CheckAudience(claims, want.audience); !s.ok()) return s;

  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const int64_t leeway = want.leeway.count();
  const std::optional<int64_t> exp = Seconds(claims, "exp");
  const std::optional<int64_t> iat = Seconds(claims, "iat");
  if (!exp) return Refused("no expiry");
  if (!iat) return Refused("no issue time");
  if (*exp + leeway <= now_s) return Refused("expired");
  if (*iat - leeway > now_s) return Refused("issued in the future");
  if (want.max_age.count() > 0 && *iat + want.max_age.count() + leeway < now_s) {
    return Refused("issued too long ago");
  }
  if (*exp - *iat > want.max_lifetime.count()) return Refused("it lives too long");
  if (claims.contains("nbf")) {
    const std::optional<int64_t> nbf = Seconds(claims, "nbf");
    if (!nbf || *nbf - leeway > now_s) return Refused("not valid yet");
  }
  if (!want.nonce.empty() && Text(claims, "nonce") != want.nonce) return Refused("wrong nonce");

  VerifiedToken out;
  out.subject = Text(claims, "sub");
  if (out.subject.empty() || out.subject.size() > 255) return Refused("no subject");
  out.key_id = key->kid;
  out.algorithm = alg;
  out.expires_at = *exp;
  out.claims = std::move(claims);
  return out;
}

}  // namespace socm::oidc
