#include "services/common/principal_token.h"

#include <cjose/cjose.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/jose_shape.h"
#include "services/common/secret_file.h"

namespace socm {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::system_clock;

constexpr char kIssuer[] = "socm-suite";
constexpr char kAudience[] = "socm-services";
// Not "JWT": a token another issuer made for a person (an OpenID Connect ID token, say) is
// never taken for one of these, whatever key signed it.
constexpr char kType[] = "socm-principal+jwt";
// Tokens are made and checked by the suite's own clocks; allow them to differ this much.
constexpr std::chrono::seconds kLeeway{30};
// A caller's token is a few hundred bytes; anything far larger is refused unread.
constexpr size_t kMaxTokenBytes = 4096;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey ReadPem(std::string_view pem, bool want_private) {
  auto bio = [&] { return BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())); };
  BIO* b = bio();
  Pkey key(PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr));
  BIO_free(b);
  if (key || want_private) {
    ERR_clear_error();
    return key;
  }
  b = bio();
  key.reset(PEM_read_bio_PUBKEY(b, nullptr, nullptr, nullptr));
  BIO_free(b);
  if (key) {
    ERR_clear_error();
    return key;
  }
  b = bio();
  X509* cert = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  // The reads that did not match left their errors on this thread's queue.
  ERR_clear_error();
  if (cert == nullptr) return nullptr;
  key.reset(X509_get_pubkey(cert));
  X509_free(cert);
  return key;
}

std::vector<uint8_t> Coordinate(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  std::vector<uint8_t> out;
  if (EVP_PKEY_get_bn_param(key, name, &bn) == 1) {
    out.resize(32);
    if (BN_bn2binpad(bn, out.data(), 32) != 32) out.clear();
  }
  BN_clear_free(bn);
  return out;
}

// cjose takes an EC key as its coordinates; OpenSSL reads the PEM.
absl::StatusOr<cjose_jwk_t*> JwkOfPem(std::string_view pem, bool want_private) {
  Pkey key = ReadPem(pem, want_private);
  if (!key) {
    return absl::InvalidArgumentError(want_private
                                          ? "not a PEM private key"
                                          : "not a PEM public key, certificate or private key");
  }
  char group[64] = {0};
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC ||
      EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     nullptr) != 1 ||
      std::string_view(group) != "prime256v1") {
    return absl::InvalidArgumentError("the key must be an EC key on P-256 (prime256v1)");
  }
  std::vector<uint8_t> x = Coordinate(key.get(), OSSL_PKEY_PARAM_EC_PUB_X);
  std::vector<uint8_t> y = Coordinate(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y);
  std::vector<uint8_t> d;
  if (want_private) d = Coordinate(key.get(), OSSL_PKEY_PARAM_PRIV_KEY);
  if (x.empty() || y.empty() || (want_private && d.empty())) {
    return absl::InvalidArgumentError("the key's coordinates could not be read");
  }
  cjose_jwk_ec_keyspec spec{};
  spec.crv = CJOSE_JWK_EC_P_256;
  spec.x = x.data();
  spec.xlen = x.size();
  spec.y = y.data();
  spec.ylen = y.size();
  if (want_private) {
    spec.d = d.data();
    spec.dlen = d.size();
  }
  cjose_err err;
  cjose_jwk_t* jwk = cjose_jwk_create_EC_spec(&spec, &err);
  OPENSSL_cleanse(d.data(), d.size());
  if (jwk == nullptr) return absl::InvalidArgumentError(absl::StrCat("cjose: ", err.message));
  return jwk;
}

// T::FromPem of the file at `path`; an error names the path.
template <typename T>
absl::StatusOr<std::unique_ptr<T>> FromPemFileOf(const std::string& path) {
  std::string pem;
  if (absl::Status s = ReadSecretFile("PEM file", path, &pem); !s.ok()) return s;
  auto loaded = T::FromPem(pem);
  if (!loaded.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", loaded.status().message()));
  }
  return loaded;
}

int64_t Seconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

absl::Status Refused(std::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("principal token refused: ", std::string(why)));
}

std::string ClaimsOf(const Caller& caller, Clock::time_point issued, Clock::time_point expires) {
  json claims = {{"iss", kIssuer},          {"aud", kAudience},
                 {"iat", Seconds(issued)},  {"exp", Seconds(expires)},
                 {"sub", caller.principal}, {"role", RoleName(caller.role)}};
  if (!caller.tenant.empty()) claims["tid"] = caller.tenant.value();
  if (caller.scoped()) {
    claims["orgs"] = caller.organizations;
    // A verifier of the single-organisation form reads this one: narrower, never wider.
    claims["org"] = caller.organizations.front();
  }
  return claims.dump();
}

std::string PemOf(bool private_part, EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  const int ok = private_part
                     ? PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr)
                     : PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out = ok == 1 && size > 0 ? std::string(data, static_cast<size_t>(size)) : "";
  BIO_free(bio);
  return out;
}

}  // namespace

absl::StatusOr<PrincipalKeyPair> GeneratePrincipalKeyPair() {
  Pkey key(EVP_EC_gen("P-256"));
  if (!key) return absl::InternalError("OpenSSL could not make a P-256 key");
  PrincipalKeyPair pair{PemOf(true, key.get()), PemOf(false, key.get())};
  if (pair.private_pem.empty() || pair.public_pem.empty()) {
    return absl::InternalError("OpenSSL could not write the key as PEM");
  }
  return pair;
}

absl::StatusOr<std::unique_ptr<PrincipalSigner>> PrincipalSigner::FromPem(std::string_view pem) {
  auto jwk = JwkOfPem(pem, true);
  if (!jwk.ok()) return jwk.status();
  return std::unique_ptr<PrincipalSigner>(new PrincipalSigner(*jwk));
}

absl::StatusOr<std::unique_ptr<PrincipalSigner>> PrincipalSigner::FromPemFile(
    const std::string& path) {
  return FromPemFileOf<PrincipalSigner>(path);
}

PrincipalSigner::~PrincipalSigner() { cjose_jwk_release(key_); }

std::string PrincipalSigner::TokenFor(const Caller& caller) {
  const std::string key =
      absl::StrCat(caller.tenant.value(), "\n", caller.principal, "\n", RoleName(caller.role), "\n",
                   absl::StrJoin(caller.organizations, ","));
  const Clock::time_point now = Clock::now();
  if (auto hit = issued_.Get(key); hit && hit->renew_after > now) return hit->token;
  std::string token = SignAt(caller, now, now + kPrincipalTokenLifetime);
  // A failed signing (empty) is not kept: the next call tries again.
  if (!token.empty()) issued_.Put(key, {token, now + kPrincipalTokenLifetime / 2});
  return token;
}

std::string PrincipalSigner::SignAt(const Caller& caller, Clock::time_point issued,
                                    Clock::time_point expires) const {
  return SignClaims(kType, ClaimsOf(caller, issued, expires));
}

std::string PrincipalSigner::SignClaims(const std::string& type, const std::string& payload) const {
  cjose_err err;
  cjose_header_t* header = cjose_header_new(&err);
  std::string out;
  if (header != nullptr && cjose_header_set(header, CJOSE_HDR_ALG, CJOSE_HDR_ALG_ES256, &err) &&
      cjose_header_set(header, "typ", type.c_str(), &err)) {
    cjose_jws_t* jws = cjose_jws_sign(
        key_, header, reinterpret_cast<const uint8_t*>(payload.data()), payload.size(), &err);
    const char* compact = nullptr;
    if (jws != nullptr && cjose_jws_export(jws, &compact, &err)) out = compact;
    cjose_jws_release(jws);
  }
  cjose_header_release(header);
  // Signing with a key that loaded cannot fail short of memory; an empty token is refused by
  // every service, so the call fails closed.
  return out;
}

absl::StatusOr<std::unique_ptr<PrincipalVerifier>> PrincipalVerifier::FromPem(
    std::string_view pem) {
  auto jwk = JwkOfPem(pem, false);
  if (!jwk.ok()) return jwk.status();
  return std::unique_ptr<PrincipalVerifier>(new PrincipalVerifier(*jwk));
}

absl::StatusOr<std::unique_ptr<PrincipalVerifier>> PrincipalVerifier::FromPemFile(
    const std::string& path) {
  return FromPemFileOf<PrincipalVerifier>(path);
}

PrincipalVerifier::~PrincipalVerifier() { cjose_jwk_release(key_); }

absl::StatusOr<Caller> PrincipalVerifier::Verify(std::string_view token) {
  if (token.empty()) return Refused("none was sent; calls come through the gateway");
  if (token.size() > kMaxTokenBytes) return Refused("too long");
  const std::string key(token);
  if (auto hit = checked_.Get(key); hit && hit->expires + kLeeway > Clock::now()) {
    return hit->caller;
  }
  return VerifyNow(token);
}

absl::StatusOr<Caller> PrincipalVerifier::VerifyNow(std::string_view token) {
  if (!WellFormedCompactJws(token)) return Refused("not a compact JWS");
  cjose_err err;
  cjose_jws_t* jws = cjose_jws_import(token.data(), token.size(), &err);
  if (jws == nullptr) return Refused("not a compact JWS");
  std::unique_ptr<cjose_jws_t, void (*)(cjose_jws_t*)> owned(jws, cjose_jws_release);
  cjose_header_t* header = cjose_jws_get_protected(jws);
  const char* alg = header ? cjose_header_get(header, CJOSE_HDR_ALG, &err) : nullptr;
  const char* typ = header ? cjose_header_get(header, "typ", &err) : nullptr;
  // The algorithm is ours to choose, never the token's: only ES256 with our key.
  if (alg == nullptr || std::string_view(alg) != CJOSE_HDR_ALG_ES256) {
    return Refused("algorithm is not ES256");
  }
  if (typ == nullptr || std::string_view(typ) != kType) return Refused("not a principal token");
  if (!cjose_jws_verify(jws, key_, &err)) return Refused("bad signature");
  uint8_t* plaintext = nullptr;
  size_t length = 0;
  if (!cjose_jws_get_plaintext(jws, &plaintext, &length, &err)) return Refused("no payload");
  const json claims =
      json::parse(reinterpret_cast<const char*>(plaintext),
                  reinterpret_cast<const char*>(plaintext) + length, nullptr, false);
  if (!claims.is_object()) return Refused("payload is not a JSON object");
  auto text = [&](const char* name) -> std::string {
    auto it = claims.find(name);
    return it != claims.end() && it->is_string() ? it->get<std::string>() : "";
  };
  auto number = [&](const char* name) -> std::optional<int64_t> {
    auto it = claims.find(name);
    if (it == claims.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
  };
  if (text("iss") != kIssuer || text("aud") != kAudience)
    return Refused("wrong issuer or audience");
  const auto exp = number("exp");
  const auto iat = number("iat");
  const int64_t now = Seconds(Clock::now());
  if (!exp || !iat) return Refused("no expiry");
  if (*exp + kLeeway.count() <= now) return Refused("expired");
  if (*iat - kLeeway.count() > now) return Refused("issued in the future");
  Caller caller;
  caller.tenant = TenantId(text("tid"));
  caller.principal = text("sub");
  caller.role = RoleNamed(text("role"));
  if (claims.find("orgs") == claims.end() && !text("org").empty()) {
    // A token of the single-organisation form (an older signer).
    caller.organizations = {text("org")};
  } else if (auto orgs = claims.find("orgs"); orgs != claims.end()) {
    if (!orgs->is_array() || orgs->empty() || orgs->size() > kMaxScopeOrganizations) {
      return Refused("bad organisation scope");
    }
    for (const json& org : *orgs) {
      if (!org.is_string() || org.get<std::string>().empty())
        return Refused("bad organisation scope");
      caller.organizations.push_back(org.get<std::string>());
    }
  }
  caller.token = std::string(token);
  if (caller.principal.empty() || caller.role == Role::kNone)
    return Refused("no principal or role");
  checked_.Put(caller.token, {caller, Clock::time_point(std::chrono::seconds(*exp))});
  return caller;
}

}  // namespace socm
