#pragma once
// Small cryptographic helpers on OpenSSL's libcrypto: random identifiers and
// secrets, SHA-256, constant-time comparison.

#include <string>
#include <string_view>

namespace socm {

// `bytes` random bytes from the system CSPRNG, as lower-case hex.
std::string RandomHex(size_t bytes);
// `bytes` random bytes from the system CSPRNG, raw.
std::string RandomBytes(size_t bytes);
// HMAC-SHA256 of `data` with `key`: the 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
std::string Sha256Hex(std::string_view data);
// Compares in time that depends only on the lengths, not on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
bool IsValidUtf8(std::string_view s);

}  // namespace socm
