#pragma once
// A per-key token bucket kept in Redis, so every gateway replica shares it.
// When Redis is unreachable the limiter lets everything through: a cache
// outage must not become an API outage.

#include <chrono>
#include <optional>
#include <string>

#include "services/common/redis_cache.h"

namespace socm::gateway {

class RateLimiter {
 public:
  // `per_second` tokens refill each second, up to `burst`. per_second 0 disables.
  RateLimiter(RedisCache& redis, double per_second, int burst)
      : redis_(redis), per_second_(per_second), burst_(burst) {}

  // Nothing when allowed; otherwise how long to wait before retrying.
  std::optional<std::chrono::milliseconds> Take(const std::string& tenant,
                                                const std::string& key_id);

 private:
  RedisCache& redis_;
  double per_second_;
  int burst_;
};

}  // namespace socm::gateway
