#pragma once
// RedisCache is a best-effort cache on Redis: a small pool of hiredis
// connections with connect and command timeouts. Redis is never the only copy
// of anything, so when it is down or slow a Get is a miss and a Set is dropped:
// the caller never sees an error. Each outcome is counted in
// cache_requests_total{cache,result="hit|miss|error"}; going down and coming
// back are logged once each, and after a failure Redis is left alone for
// `retry_after` so a dead server costs nothing per request. Every connection
// authenticates (AUTH) when a password is set, and every value is signed
// (signed_value.h): an entry someone edited or moved in Redis is a miss, never
// served. A Redis that refuses the credentials is found by CheckAtStart, which
// the processes run before serving. Example:
//   socm::RedisCache cache(options, registry, "catalogue");
//   if (auto hit = cache.Get(key)) return *hit;
//   cache.Set(key, value, std::chrono::hours(24));

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"

struct redisContext;
struct redisReply;

namespace prometheus {
class Registry;
class Counter;
}  // namespace prometheus

namespace socm {

struct RedisOptions {
  // "host:port"; empty disables the cache (every Get is a miss, uncounted).
  std::string address;
  // AUTH on every connection: a password alone (requirepass) or an ACL user with its password.
  std::string username{};
  std::string password{};
  // Signs every value (at least kMinSigningKeyBytes). Empty: a random key for this process,
  // so no other process (another replica) reads its entries.
  std::string signing_key{};
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
  // Connects once: OK when Redis accepts the credentials or cannot be reached (the cache then
  // degrades as at run time); an error when Redis refuses them or wants some and has none.
  absl::Status CheckAtStart();
  std::optional<std::string> Get(const std::string& key);
  // ttl of zero keeps the value until Redis evicts it.
  void Set(const std::string& key, const std::string& value, std::chrono::seconds ttl);
  // Runs a Lua script on one key; its integer reply, or nothing when Redis is
  // unreachable or the reply is not an integer.
  std::optional<long long> EvalInt(const std::string& script, const std::string& key,
                                   const std::vector<std::string>& args);
  // The same over several keys (all in one hash slot for a cluster).
  std::optional<long long> EvalInt(const std::string& script, const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args);
  // MGET: each key's stored bytes as Redis holds them (not opened), nothing for an absent key;
  // nothing at all when Redis is unreachable. Counted once as a hit or, if any key is absent,
  // a miss.
  using MultiGetResult = std::optional<std::vector<std::optional<std::string>>>;
  std::optional<std::vector<std::optional<std::string>>> MultiGetRaw(
      const std::vector<std::string>& keys);
  // The same without blocking: `done` runs on the cache's pipeline thread (or at once, in the
  // caller's, when Redis is known to be down). Every MGET queued while the previous round
  // trip was under way goes out in one write on one connection, so a busy process pays a
  // few system calls per batch instead of two per lookup.
  void MultiGetRawAsync(std::vector<std::string> keys, std::function<void(MultiGetResult)> done);
  // Answers every queued lookup with nothing and stops the pipeline's thread (later lookups
  // are answered at once with nothing). Call it while whatever the callbacks touch still
  // exists; the destructor calls it too.
  void StopPipeline();
  // The signed form of `value` under `name`, and its inverse, with this cache's key: for
  // values a script writes or compares (revision_board.h).
  std::string Sign(const std::string& name, const std::string& value) const;
  std::optional<std::string> Open(const std::string& name, std::string_view stored) const;

 private:
  redisContext* Acquire();
  // AUTH on a new connection; the refusal's text, or empty when accepted or not needed.
  std::string Authenticate(redisContext* context);
  // healthy=false closes the connection and marks Redis down for retry_after.
  void Release(redisContext* context, bool healthy);
  void MarkDown(const char* why);
  bool KnownDown();
  // An MGET reply as the lookups' result, counted (error, hit or miss).
  MultiGetResult MultiGetReply(const redisReply* reply, size_t keys);
  // The pipeline thread: sends what is queued, reads the replies, calls back.
  void Pipeline();

  struct Lookup {
    std::vector<std::string> keys;
    std::function<void(MultiGetResult)> done;
  };

  RedisOptions options_;
  std::string host_;
  int port_ = 0;
  prometheus::Counter* hit_;
  prometheus::Counter* miss_;
  prometheus::Counter* error_;
  // Entries that did not open with our key: edited, moved or written by someone else.
  prometheus::Counter* forged_;

  std::mutex mu_;
  std::condition_variable released_;
  std::vector<redisContext*> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  std::chrono::steady_clock::time_point down_until_ ABSL_GUARDED_BY(mu_);
  bool down_ ABSL_GUARDED_BY(mu_) = false;

  std::mutex pipe_mu_;
  std::condition_variable pipe_ready_;
  std::deque<Lookup> pipe_queue_ ABSL_GUARDED_BY(pipe_mu_);
  bool pipe_stop_ ABSL_GUARDED_BY(pipe_mu_) = false;
  std::thread pipe_thread_;
};

}  // namespace socm
