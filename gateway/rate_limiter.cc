#include "gateway/rate_limiter.h"

#include "absl/strings/str_cat.h"

namespace socm::gateway {
namespace {

// Replies 0 when a token was taken, else the milliseconds until one is due.
// Redis's own clock keeps replicas consistent.
constexpr char kTokenBucket[] = R"lua(
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
)lua";

}  // namespace

std::optional<std::chrono::milliseconds> RateLimiter::Take(const std::string& tenant,
                                                           const std::string& key_id) {
  if (per_second_ <= 0) return std::nullopt;
  const auto wait = redis_.EvalInt(kTokenBucket, absl::StrCat("t:", tenant, ":ratelimit:", key_id),
                                   {absl::StrCat(per_second_), absl::StrCat(burst_)});
  if (!wait.has_value() || *wait <= 0) return std::nullopt;
  return std::chrono::milliseconds(*wait);
}

}  // namespace socm::gateway
