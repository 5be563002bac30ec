#pragma once
// Values kept where others can write (Redis) carry an HMAC-SHA256 over the name they are
// stored under and the value itself, with a key only the suite's processes hold. Cache names
// begin with their owner (the tenant, or "builtin"), so the tenant is inside what is signed:
// a value edited in place, copied from another name (another tenant's entry) or written by
// someone without the key does not open, and the caller treats it as a miss.
//   std::string stored = SignValue(key, "t:tn_1:report2:…", bytes);
//   std::optional<std::string> bytes = OpenSignedValue(key, "t:tn_1:report2:…", stored);

#include <optional>
#include <string>
#include <string_view>

namespace socm {

// A signing key shorter than this is refused at start.
inline constexpr size_t kMinSigningKeyBytes = 32;

// "s1" + the 32-byte MAC + the value.
std::string SignValue(std::string_view key, std::string_view name, std::string_view value);
// The value when `stored` was signed with `key` under `name`; nothing otherwise.
std::optional<std::string> OpenSignedValue(std::string_view key, std::string_view name,
                                           std::string_view stored);

}  // namespace socm
