#pragma once
// Who a call is for travels between the suite's components as a principal token: a compact
// JWS (ES256, cjose on OpenSSL) over the caller's tenant, principal, role and organisation
// scope, with an expiry. The gateway signs one once it has verified a credential; the
// assessment service signs one for itself when it calls the catalogue service. Every service
// checks the token before it believes any of it, with the public half of the key only, so a
// process that reaches a service's port cannot make up a caller, and a service that calls
// another for a caller passes on the token it was given. Example:
//   auto signer = PrincipalSigner::FromPemFile("/keys/principal.key");   // gateway
//   caller.token = (*signer)->TokenFor(caller);
//   auto verifier = PrincipalVerifier::FromPemFile("/keys/principal.pub");  // any service
//   absl::StatusOr<Caller> who = (*verifier)->Verify(caller.token);

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/common/caller.h"
#include "services/common/lru_cache.h"

typedef struct _cjose_jwk_int cjose_jwk_t;

namespace socm {

// A token is good for this long; the signer issues a fresh one after half of it.
inline constexpr std::chrono::seconds kPrincipalTokenLifetime{120};

// A fresh P-256 key pair in PEM (PKCS#8 private key, SubjectPublicKeyInfo public key), made
// by OpenSSL; for tests and first starts (deploy/local/run.sh uses openssl itself).
struct PrincipalKeyPair {
  std::string private_pem;
  std::string public_pem;
};
absl::StatusOr<PrincipalKeyPair> GeneratePrincipalKeyPair();

class PrincipalSigner {
 public:
  // A P-256 private key in PEM ("EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY").
  static absl::StatusOr<std::unique_ptr<PrincipalSigner>> FromPem(std::string_view pem);
  static absl::StatusOr<std::unique_ptr<PrincipalSigner>> FromPemFile(const std::string& path);
  ~PrincipalSigner();

  // The token for `caller`'s tenant, principal, role and organisation, reused while more
  // than half its life is left. Thread-safe.
  std::string TokenFor(const Caller& caller);
  // The same, signed now with the given times (tests).
  std::string SignAt(const Caller& caller, std::chrono::system_clock::time_point issued,
                     std::chrono::system_clock::time_point expires) const;
  // A JWS of `type` over `payload` as given (tests: a token with another type or audience,
  // signed with the right key).
  std::string SignClaims(const std::string& type, const std::string& payload) const;

 private:
  explicit PrincipalSigner(cjose_jwk_t* key) : key_(key) {}
  struct Issued {
    std::string token;
    std::chrono::system_clock::time_point renew_after;
  };
  cjose_jwk_t* key_;
  LruCache<std::string, Issued> issued_{10000};
};

class PrincipalVerifier {
 public:
  // The public key in PEM ("PUBLIC KEY"), a certificate holding it, or the private key.
  static absl::StatusOr<std::unique_ptr<PrincipalVerifier>> FromPem(std::string_view pem);
  static absl::StatusOr<std::unique_ptr<PrincipalVerifier>> FromPemFile(const std::string& path);
  ~PrincipalVerifier();

  // The caller the token names (its `token` set to it), or UNAUTHENTICATED saying why:
  // not a JWS, another algorithm than ES256, a signature by another key, another issuer or
  // audience, expired. Tokens already checked are remembered until they expire. Thread-safe.
  absl::StatusOr<Caller> Verify(std::string_view token);

 private:
  explicit PrincipalVerifier(cjose_jwk_t* key) : key_(key) {}
  absl::StatusOr<Caller> VerifyNow(std::string_view token);
  struct Checked {
    Caller caller;
    std::chrono::system_clock::time_point expires;
  };
  cjose_jwk_t* key_;
  LruCache<std::string, Checked> checked_{20000};
};

}  // namespace socm
