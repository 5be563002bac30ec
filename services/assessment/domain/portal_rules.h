#pragma once
// What a portal relies on, as pure rules. Share links: what a request may ask (a lifetime of a
// minute to 30 days, the views "radar" and "report"), and the token's form. A token is 32 random
// bytes in hex after "shr_"; only its SHA-256 is stored, so the database never holds a usable
// token.
#include <cstdint>
#include <string>
#include <vector>

#include "soc/maturity/common/v1/errors.pb.h"

namespace socm::assessment {

inline constexpr int64_t kShareLinkMinSeconds = 60;
inline constexpr int64_t kShareLinkMaxSeconds = 30LL * 24 * 3600;
inline constexpr char kShareTokenPrefix[] = "shr_";

std::vector<soc::maturity::common::v1::FieldViolation> CheckShareLinkRequest(
    int64_t ttl_seconds, const std::vector<std::string>& views);

// The views asked for, each once, in a fixed order; both when none are named.
std::vector<std::string> ShareViews(const std::vector<std::string>& views);

// Whether `token` has a token's form (checked before any lookup).
bool IsShareToken(const std::string& token);

// What the store keeps of a token.
std::string ShareTokenDigest(const std::string& token);

// Allowed origins: each "http(s)://host[:port]" as a browser sends it in Origin (lowercase, no
// path, no trailing slash), at most 50, no repeats. Violations name "allowedOrigins[i]".
inline constexpr size_t kMaxAllowedOrigins = 50;
std::vector<soc::maturity::common::v1::FieldViolation> CheckAllowedOrigins(
    const std::vector<std::string>& origins);
// Whether `origin` has that form (a request's Origin header, before any lookup).
bool IsOrigin(const std::string& origin);

}  // namespace socm::assessment
