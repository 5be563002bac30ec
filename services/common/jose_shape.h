#pragma once
// Shape checks made before cjose sees untrusted bytes. cjose 0.6's base64url decoder asserts
// (aborting the process) on a part whose length leaves one character over, and takes bytes
// outside the alphabet loosely, so tokens and key members are checked here first.

#include <string_view>

namespace socm {

// True when `text` is base64url without padding of a length a decoder can take.
bool Base64UrlDecodable(std::string_view text);

// True when `token` is three non-empty base64url parts joined by dots (a compact JWS) whose
// lengths a decoder can take.
bool WellFormedCompactJws(std::string_view token);

// True when `token` is five base64url parts joined by dots (a compact JWE); the second, the
// encrypted key, is empty for direct encryption.
bool WellFormedCompactJwe(std::string_view token);

}  // namespace socm
