#pragma once
// Secrets the suite must keep but not show (an identity provider's client secret) are stored
// sealed: a compact JWE (RFC 7516), direct encryption with AES-256-GCM under an operator's key,
// made by cjose. The protected header names the key (`kid`, from its SHA-256) and the context
// the secret belongs to (`ctx`, the tenant), both covered by the GCM tag, so a sealed value
// copied into another tenant's row does not open there. The key file holds one base64 key of
// 32 bytes per line (`openssl rand -base64 32`): the first seals, all open, so a key is
// rotated by putting a new one first. Example:
//   auto box = SecretBox::FromKeyFile("/keys/secrets.key");
//   std::string sealed = *(*box)->Seal(client_secret, tenant);
//   absl::StatusOr<std::string> secret = (*box)->Open(sealed, tenant);

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

typedef struct _cjose_jwk_int cjose_jwk_t;

namespace socm::oidc {

class SecretBox {
 public:
  static absl::StatusOr<std::unique_ptr<SecretBox>> FromKeys(std::string_view key_lines);
  static absl::StatusOr<std::unique_ptr<SecretBox>> FromKeyFile(const std::string& path);

  absl::StatusOr<std::string> Seal(std::string_view secret, std::string_view context) const;
  // The secret, or FAILED_PRECONDITION when no key of the file opens it or it was sealed for
  // another context (never the bytes of the secret in a message).
  absl::StatusOr<std::string> Open(std::string_view sealed, std::string_view context) const;

 private:
  struct Key {
    std::string id;
    std::shared_ptr<cjose_jwk_t> jwk;
  };
  explicit SecretBox(std::vector<Key> keys) : keys_(std::move(keys)) {}
  std::vector<Key> keys_;
};

}  // namespace socm::oidc
