#include "gateway/oidc/provider_keys.h"

#include <cjose/cjose.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "services/common/jose_shape.h"

namespace socm::oidc {
namespace {

using json = nlohmann::json;

constexpr size_t kMinRsaBits = 2048;
constexpr size_t kMaxRsaBits = 8192;

std::string Text(const json& key, const char* name) {
  auto it = key.find(name);
  return it != key.end() && it->is_string() ? it->get<std::string>() : "";
}

// The members of a public key, copied one by one after their shape is checked, so cjose
// never decodes a hostile value and never sees a private member.
absl::StatusOr<json> PublicMembers(const json& key, const std::vector<const char*>& names) {
  json out = json::object();
  for (const char* name : names) {
    const std::string value = Text(key, name);
    if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("no \"", name, "\""));
    if (name != std::string_view("kty") && name != std::string_view("crv") &&
        !Base64UrlDecodable(value)) {
      return absl::InvalidArgumentError(absl::StrCat("\"", name, "\" is not base64url"));
    }
    out[name] = value;
  }
  return out;
}

// RSA public exponents in use are 65537 or 3; anything even, below 3 or beyond 32 bits is a
// broken key or one made to slow every check down.
bool UsualExponent(const std::string& e) {
  uint8_t* bytes = nullptr;
  size_t length = 0;
  cjose_err err{};
  if (!cjose_base64url_decode(e.data(), e.size(), &bytes, &length, &err)) return false;
  uint64_t value = 0;
  for (size_t i = 0; i < length; ++i) value = (value << 8) | bytes[i];
  cjose_get_dealloc()(bytes);
  return length >= 1 && length <= 4 && value >= 3 && value % 2 == 1;
}

bool Supported(const json& key) {
  const std::string kty = Text(key, "kty");
  if (kty == "RSA") return true;
  const std::string crv = Text(key, "crv");
  return kty == "EC" && (crv == "P-256" || crv == "P-384" || crv == "P-521");
}

absl::StatusOr<ProviderKey> KeyOf(const json& key) {
  if (!key.is_object()) return absl::InvalidArgumentError("not an object");
  ProviderKey out;
  out.kid = Text(key, "kid");
  if (out.kid.size() > 256) return absl::InvalidArgumentError("\"kid\" is too long");
  const std::string kty = Text(key, "kty");
  absl::StatusOr<json> members;
  if (kty == "RSA") {
    out.type = KeyType::kRsa;
    members = PublicMembers(key, {"kty", "n", "e"});
  } else if (kty == "EC") {
    const std::string crv = Text(key, "crv");
    if (crv == "P-256") {
      out.type = KeyType::kEcP256;
    } else if (crv == "P-384") {
      out.type = KeyType::kEcP384;
    } else if (crv == "P-521") {
      out.type = KeyType::kEcP521;
    } else {
      return absl::InvalidArgumentError("an EC key on a curve other than P-256, P-384, P-521");
    }
    members = PublicMembers(key, {"kty", "crv", "x", "y"});
  } else {
    return absl::InvalidArgumentError(absl::StrCat("key type \"", kty, "\" is not RSA or EC"));
  }
  if (!members.ok()) return members.status();
  const std::string text = members->dump();
  cjose_err err{};
  cjose_jwk_t* jwk = cjose_jwk_import(text.data(), text.size(), &err);
  if (jwk == nullptr) return absl::InvalidArgumentError(absl::StrCat("cjose: ", err.message));
  out.jwk = std::shared_ptr<cjose_jwk_t>(jwk, [](cjose_jwk_t* k) { cjose_jwk_release(k); });
  // Compact JWS signatures: RSA's is the modulus' length; ECDSA's is r and s, each the
  // curve's size (RFC 7518 3.4).
  auto chars = [](size_t bytes) { return (bytes * 4 + 2) / 3; };
  switch (out.type) {
    case KeyType::kEcP256:
      out.signature_chars = chars(64);
      break;
    case KeyType::kEcP384:
      out.signature_chars = chars(96);
      break;
    case KeyType::kEcP521:
      out.signature_chars = chars(132);
      break;
    case KeyType::kRsa:
      out.signature_chars = chars(cjose_jwk_get_keysize(jwk, &err) / 8);
      break;
  }
  if (out.type == KeyType::kRsa) {
    // A tiny, even or huge public exponent is a broken key, or one made to make checking slow.
    if (!UsualExponent((*members)["e"].get<std::string>())) {
      return absl::InvalidArgumentError("\"e\" is not an odd public exponent of 3 to 2^32-1");
    }
    const size_t bits = cjose_jwk_get_keysize(jwk, &err);
    if (bits < kMinRsaBits || bits > kMaxRsaBits) {
      return absl::InvalidArgumentError(absl::StrCat("an RSA key of ", bits, " bits (", kMinRsaBits,
                                                     " to ", kMaxRsaBits, " are taken)"));
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<ProviderKeys> ProviderKeys::Parse(std::string_view jwks_json) {
  if (jwks_json.size() > kMaxJwksBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the JWKS is larger than ", kMaxJwksBytes, " bytes"));
  }
  const json doc = json::parse(jwks_json.begin(), jwks_json.end(), nullptr, false);
  if (!doc.is_object()) return absl::InvalidArgumentError("the JWKS is not a JSON object");
  auto keys = doc.find("keys");
  if (keys == doc.end() || !keys->is_array()) {
    return absl::InvalidArgumentError("the JWKS has no \"keys\" array");
  }
  if (keys->size() > kMaxJwksKeys) {
    return absl::InvalidArgumentError(
        absl::StrCat("the JWKS has more than ", kMaxJwksKeys, " keys"));
  }
  ProviderKeys out;
  for (size_t i = 0; i < keys->size(); ++i) {
    const json& key = (*keys)[i];
    // Encryption keys and symmetric keys have no place in checking a signature, and a key of
    // a type not taken here (Ed25519, say) must not stop the provider's other keys working.
    if (key.is_object() && (Text(key, "use") == "enc" || !Supported(key))) {
      ++out.skipped_;
      continue;
    }
    absl::StatusOr<ProviderKey> made = KeyOf(key);
    if (!made.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS keys[", i, "]: ", made.status().message()));
    }
    if (!made->kid.empty() && out.Find(made->kid) != nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS keys[", i, "]: key id \"", made->kid, "\" appears twice"));
    }
    out.keys_.push_back(std::move(*made));
  }
  if (out.keys_.empty()) return absl::InvalidArgumentError("the JWKS has no signing key");
  return out;
}

const ProviderKey* ProviderKeys::Find(std::string_view kid) const {
  for (const ProviderKey& key : keys_) {
    if (key.kid == kid) return &key;
  }
  return nullptr;
}

const ProviderKey* ProviderKeys::OnlyOfType(KeyType type) const {
  const ProviderKey* found = nullptr;
  for (const ProviderKey& key : keys_) {
    if (key.type != type) continue;
    if (found != nullptr) return nullptr;
    found = &key;
  }
  return found;
}

}  // namespace socm::oidc
