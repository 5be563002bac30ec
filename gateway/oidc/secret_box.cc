#include "gateway/oidc/secret_box.h"

#include <cjose/cjose.h>
#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/crypto.h"
#include "services/common/jose_shape.h"
#include "services/common/secret_file.h"

namespace socm::oidc {
namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kMaxSecretBytes = 8 * 1024;
constexpr char kContextHeader[] = "ctx";
// base64url lengths of a 12-byte IV and a 16-byte tag.
constexpr size_t kIvChars = 16;
constexpr size_t kTagChars = 22;

absl::Status CannotOpen() {
  return absl::FailedPreconditionError(
      "a sealed secret could not be opened: sealed with a key not in the key file, for "
      "another tenant, or altered");
}

// cjose 0.6 hands the IV to OpenSSL without checking its length, and GCM reads 12 bytes
// whatever was sent (a heap over-read the fuzz target found): so the parts of a direct
// AES-GCM JWE are checked first: no encrypted key, a 96-bit IV, a 128-bit tag.
bool DirectA256GcmShape(std::string_view sealed) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(absl::string_view(sealed.data(), sealed.size()), '.');
  return parts.size() == 5 && parts[1].empty() && parts[2].size() == kIvChars &&
         parts[4].size() == kTagChars;
}

// The context travels as a header string: a NUL would cut it short, so that "a\0b" and "a"
// would open each other's secrets.
bool PlainContext(std::string_view context) {
  if (context.empty() || context.size() > 200) return false;
  for (const char c : context) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SecretBox>> SecretBox::FromKeys(std::string_view key_lines) {
  std::vector<Key> keys;
  int line_number = 0;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(key_lines.data(), key_lines.size()), '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::string raw;
    if (!absl::Base64Unescape(line, &raw) || raw.size() != kKeyBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("secret key line ", line_number, ": not ", kKeyBytes,
                       " bytes in base64 (make one with: openssl rand -base64 32)"));
    }
    cjose_err err{};
    cjose_jwk_t* jwk =
        cjose_jwk_create_oct_spec(reinterpret_cast<const uint8_t*>(raw.data()), raw.size(), &err);
    const std::string id = Sha256Hex(raw).substr(0, 16);
    OPENSSL_cleanse(raw.data(), raw.size());
    if (jwk == nullptr) return absl::InternalError(absl::StrCat("cjose: ", err.message));
    keys.push_back(
        {id, std::shared_ptr<cjose_jwk_t>(jwk, [](cjose_jwk_t* k) { cjose_jwk_release(k); })});
  }
  if (keys.empty()) return absl::InvalidArgumentError("the secret key file holds no key");
  return std::unique_ptr<SecretBox>(new SecretBox(std::move(keys)));
}

absl::StatusOr<std::unique_ptr<SecretBox>> SecretBox::FromKeyFile(const std::string& path) {
  std::string text;
  if (absl::Status s = ReadSecretFile("secret key file", path, &text); !s.ok()) return s;
  auto box = FromKeys(text);
  OPENSSL_cleanse(text.data(), text.size());
  if (!box.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", box.status().message()));
  return box;
}

absl::StatusOr<std::string> SecretBox::Seal(std::string_view secret,
                                            std::string_view context) const {
  if (secret.empty()) return absl::InvalidArgumentError("an empty secret is not sealed");
  if (!PlainContext(context)) {
    return absl::InvalidArgumentError("a context is 1 to 200 printable characters");
  }
  if (secret.size() > kMaxSecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a secret is at most ", kMaxSecretBytes, " bytes"));
  }
  const Key& key = keys_.front();
  const std::string ctx(context);
  cjose_err err{};
  std::unique_ptr<cjose_header_t, void (*)(cjose_header_t*)> header(cjose_header_new(&err),
                                                                    cjose_header_release);
  if (!header || !cjose_header_set(header.get(), CJOSE_HDR_ALG, CJOSE_HDR_ALG_DIR, &err) ||
      !cjose_header_set(header.get(), CJOSE_HDR_ENC, CJOSE_HDR_ENC_A256GCM, &err) ||
      !cjose_header_set(header.get(), CJOSE_HDR_KID, key.id.c_str(), &err) ||
      !cjose_header_set(header.get(), kContextHeader, ctx.c_str(), &err)) {
    return absl::InternalError(absl::StrCat("cjose: ", err.message));
  }
  std::unique_ptr<cjose_jwe_t, void (*)(cjose_jwe_t*)> jwe(
      cjose_jwe_encrypt(key.jwk.get(), header.get(),
                        reinterpret_cast<const uint8_t*>(secret.data()), secret.size(), &err),
      cjose_jwe_release);
  if (!jwe) return absl::InternalError(absl::StrCat("cjose: ", err.message));
  char* compact = cjose_jwe_export(jwe.get(), &err);
  if (compact == nullptr) return absl::InternalError(absl::StrCat("cjose: ", err.message));
  std::string out(compact);
  cjose_get_dealloc()(compact);
  return out;
}

absl::StatusOr<std::string> SecretBox::Open(std::string_view sealed,
                                            std::string_view context) const {
  if (!PlainContext(context) || sealed.size() > 4 * kMaxSecretBytes ||
      !WellFormedCompactJwe(sealed) || !DirectA256GcmShape(sealed)) {
    return CannotOpen();
  }
  cjose_err err{};
  std::unique_ptr<cjose_jwe_t, void (*)(cjose_jwe_t*)> jwe(
      cjose_jwe_import(sealed.data(), sealed.size(), &err), cjose_jwe_release);
  if (!jwe) return CannotOpen();
  cjose_header_t* header = cjose_jwe_get_protected(jwe.get());
  const char* alg = header ? cjose_header_get(header, CJOSE_HDR_ALG, &err) : nullptr;
  const char* enc = header ? cjose_header_get(header, CJOSE_HDR_ENC, &err) : nullptr;
  const char* kid = header ? cjose_header_get(header, CJOSE_HDR_KID, &err) : nullptr;
  const char* ctx = header ? cjose_header_get(header, kContextHeader, &err) : nullptr;
  if (alg == nullptr || enc == nullptr || kid == nullptr || ctx == nullptr ||
      std::string_view(alg) != CJOSE_HDR_ALG_DIR ||
      std::string_view(enc) != CJOSE_HDR_ENC_A256GCM || std::string_view(ctx) != context) {
    return CannotOpen();
  }
  for (const Key& key : keys_) {
    if (key.id != kid) continue;
    size_t length = 0;
    uint8_t* plain = cjose_jwe_decrypt(jwe.get(), key.jwk.get(), &length, &err);
    if (plain == nullptr) return CannotOpen();
    std::string out(reinterpret_cast<const char*>(plain), length);
    OPENSSL_cleanse(plain, length);
    cjose_get_dealloc()(plain);
    return out;
  }
  return CannotOpen();
}

}  // namespace socm::oidc
