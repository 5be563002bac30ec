#pragma once
// An OpenID provider's signing keys, read from its JWKS document (RFC 7517). Only public
// signing keys are kept: RSA of 2048 to 8192 bits and EC on P-256, P-384 or P-521. Keys for
// encryption, symmetric keys, other types (skipped, not refused) and members a public key does not
// need (a provider that publishes its private half by mistake) are left out, so nothing kept can
// sign. Example:
//   auto keys = ProviderKeys::Parse(jwks_body);
//   const ProviderKey* key = keys->Find("2024-rotation");

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

typedef struct _cjose_jwk_int cjose_jwk_t;

namespace socm::oidc {

// A JWKS larger than this, or with more keys, is refused unread.
inline constexpr size_t kMaxJwksBytes = 256 * 1024;
inline constexpr size_t kMaxJwksKeys = 64;

enum class KeyType { kRsa, kEcP256, kEcP384, kEcP521 };

struct ProviderKey {
  std::string kid;  // may be empty when the provider names none
  KeyType type;
  std::shared_ptr<cjose_jwk_t> jwk;
  // The length of a signature by this key in a compact JWS (base64url characters): a token
  // whose signature part has another length is refused before cjose, which would otherwise
  // take extra or missing bytes in stride.
  size_t signature_chars = 0;
};

class ProviderKeys {
 public:
  // The signing keys of a JWKS document. An error says which key was wrong and why; a
  // document with no usable signing key at all is an error too.
  static absl::StatusOr<ProviderKeys> Parse(std::string_view jwks_json);

  // The key with this id, or null.
  const ProviderKey* Find(std::string_view kid) const;
  // The only key of `type` when the token names no key id; null when there are several.
  const ProviderKey* OnlyOfType(KeyType type) const;
  size_t size() const { return keys_.size(); }
  // Keys left out: for encryption, symmetric, or of a type or curve not taken here.
  size_t skipped() const { return skipped_; }

 private:
  std::vector<ProviderKey> keys_;
  size_t skipped_ = 0;
};

}  // namespace socm::oidc
