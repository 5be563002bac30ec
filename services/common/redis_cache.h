#pragma once
// RedisCache is a best-effort cache on Redis: a small pool of hiredis
// connections with connect and command timeouts. Redis is never the only copy
// of anything, so when it is down or slow a Get is a miss and a Set is dropped:
// the caller never sees an error. Each outcome is counted in
// cache_requests_total{cache,result="hit|miss|error"}; going down and coming
// back are logged once each, and after a failure Redis is left alone for
// `retry_after` so a dead server costs nothing per request. Example:
//   socm::RedisCache cache(options, registry, "catalogue");
//   if (auto hit = cache.Get(key)) return *hit;
//   cache.Set(key, value, std::chrono::hours(24));

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"

struct redisContext;

namespace prometheus {
class Registry;
class Counter;
}  // namespace prometheus

namespace socm {

struct RedisOptions {
  // "host:port"; empty disables the cache (every Get is a miss, uncounted).
  std::string address;
  int pool_size = 8;
  std::chrono::milliseconds connect_timeout{100};
  std::chrono::milliseconds command_timeout{50};
  std::chrono::milliseconds retry_after{1000};
};

class RedisCache {
 public:
  RedisCache(RedisOptions options, prometheus::Registry& registry, const std::string& cache_name);
  ~RedisCache();
  RedisCache(const RedisCache&) = delete;
  RedisCache& operator=(const RedisCache&) = delete;

  bool enabled() const { return !host_.empty(); }
  std::optional<std::string> Get(const std::string& key);
  // ttl of zero keeps the value until Redis evicts it.
  void Set(const std::string& key, const std::string& value, std::chrono::seconds ttl);
  // Runs a Lua script on one key; its integer reply, or nothing when Redis is
  // unreachable or the reply is not an integer.
  std::optional<long long> EvalInt(const std::string& script, const std::string& key,
                                   const std::vector<std::string>& args);

 private:
  redisContext* Acquire();
  // healthy=false closes the connection and marks Redis down for retry_after.
  void Release(redisContext* context, bool healthy);
  void MarkDown(const char* why);

  RedisOptions options_;
  std::string host_;
  int port_ = 0;
  prometheus::Counter* hit_;
  prometheus::Counter* miss_;
  prometheus::Counter* error_;

  std::mutex mu_;
  std::condition_variable released_;
  std::vector<redisContext*> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  std::chrono::steady_clock::time_point down_until_ ABSL_GUARDED_BY(mu_);
  bool down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace socm
