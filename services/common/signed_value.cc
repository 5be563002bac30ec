#include "services/common/signed_value.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>

#include "services/common/crypto.h"

namespace socm {
namespace {

constexpr std::string_view kVersion = "s1";
constexpr size_t kMacBytes = 32;

// The name's length first, so that no (name, value) pair reads as another.
std::string Mac(std::string_view key, std::string_view name, std::string_view value) {
  std::string message;
  message.reserve(8 + name.size() + value.size());
  const uint64_t n = name.size();
  for (int i = 0; i < 8; ++i) message.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  message.append(name);
  message.append(value);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &out_len);
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

}  // namespace

std::string SignValue(std::string_view key, std::string_view name, std::string_view value) {
  std::string out(kVersion);
  out.append(Mac(key, name, value));
  out.append(value);
  return out;
}

std::optional<std::string> OpenSignedValue(std::string_view key, std::string_view name,
                                           std::string_view stored) {
  if (stored.size() < kVersion.size() + kMacBytes ||
      stored.substr(0, kVersion.size()) != kVersion) {
    return std::nullopt;
  }
  const std::string_view mac = stored.substr(kVersion.size(), kMacBytes);
  const std::string_view value = stored.substr(kVersion.size() + kMacBytes);
  if (!ConstantTimeEquals(mac, Mac(key, name, value))) return std::nullopt;
  return std::string(value);
}

}  // namespace socm
