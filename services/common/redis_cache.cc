#include "services/common/redis_cache.h"

#include <hiredis/hiredis.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "absl/strings/numbers.h"
#include "services/common/cache_metrics.h"
#include "services/common/log.h"

namespace socm {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

}  // namespace

RedisCache::RedisCache(RedisOptions options, prometheus::Registry& registry,
                       const std::string& cache_name)
    : options_(std::move(options)) {
  const size_t colon = options_.address.rfind(':');
  if (!options_.address.empty() && colon != std::string::npos &&
      absl::SimpleAtoi(options_.address.substr(colon + 1), &port_)) {
    host_ = options_.address.substr(0, colon);
  }
  const CacheCounters counters = CacheCountersFor(registry, cache_name, /*can_fail=*/true);
  hit_ = counters.hit;
  miss_ = counters.miss;
  error_ = counters.error;
}

RedisCache::~RedisCache() {
  std::lock_guard<std::mutex> lock(mu_);
  for (redisContext* c : idle_) redisFree(c);
}

void RedisCache::MarkDown(const char* why) {
  bool was_down;
  {
    std::lock_guard<std::mutex> lock(mu_);
    was_down = down_;
    down_ = true;
    down_until_ = std::chrono::steady_clock::now() + options_.retry_after;
  }
  if (!was_down) {
    Log(LogLevel::kWarn, "redis unavailable; serving without cache",
        {{"redis", options_.address}, {"error", why}});
  }
}

redisContext* RedisCache::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (down_ && std::chrono::steady_clock::now() < down_until_) return nullptr;
    const bool got = released_.wait_for(lock, options_.command_timeout, [this] {
      return !idle_.empty() || open_ < options_.pool_size;
    });
    if (!got) return nullptr;
    if (!idle_.empty()) {
      redisContext* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    ++open_;
  }
  // Connect outside the lock; connect_timeout bounds it.
  redisContext* c =
      redisConnectWithTimeout(host_.c_str(), port_, ToTimeval(options_.connect_timeout));
  if (c == nullptr || c->err != 0 ||
      redisSetTimeout(c, ToTimeval(options_.command_timeout)) != REDIS_OK) {
    const std::string why = c == nullptr ? "out of memory" : c->errstr;
    if (c != nullptr) redisFree(c);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
    released_.notify_one();
    MarkDown(why.c_str());
    return nullptr;
  }
  bool recovered = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    recovered = down_;
    down_ = false;
  }
  if (recovered) Log(LogLevel::kInfo, "redis reachable again", {{"redis", options_.address}});
  return c;
}

void RedisCache::Release(redisContext* context, bool healthy) {
  if (!healthy) {
    const std::string why = context->errstr[0] != '\0' ? context->errstr : "bad reply";
    redisFree(context);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
    released_.notify_one();
    MarkDown(why.c_str());
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(context);
  }
  released_.notify_one();
}

std::optional<std::string> RedisCache::Get(const std::string& key) {
  if (!enabled()) return std::nullopt;
  redisContext* c = Acquire();
  if (c == nullptr) {
    error_->Increment();
    return std::nullopt;
  }
  ReplyPtr reply(static_cast<redisReply*>(redisCommand(c, "GET %b", key.data(), key.size())));
  if (!reply || reply->type == REDIS_REPLY_ERROR) {
    Release(c, false);
    error_->Increment();
    return std::nullopt;
  }
  Release(c, true);
  if (reply->type != REDIS_REPLY_STRING) {
    miss_->Increment();
    return std::nullopt;
  }
  hit_->Increment();
  return std::string(reply->str, reply->len);
}

void RedisCache::Set(const std::string& key, const std::string& value, std::chrono::seconds ttl) {
  if (!enabled()) return;
  redisContext* c = Acquire();
  if (c == nullptr) return;
  ReplyPtr reply;
  if (ttl.count() > 0) {
    reply.reset(static_cast<redisReply*>(redisCommand(c, "SET %b %b EX %lld", key.data(),
                                                      key.size(), value.data(), value.size(),
                                                      static_cast<long long>(ttl.count()))));
  } else {
    reply.reset(static_cast<redisReply*>(
        redisCommand(c, "SET %b %b", key.data(), key.size(), value.data(), value.size())));
  }
  Release(c, reply && reply->type != REDIS_REPLY_ERROR);
}

}  // namespace socm

namespace socm {

std::optional<long long> RedisCache::EvalInt(const std::string& script, const std::string& key,
                                             const std::vector<std::string>& args) {
  if (!enabled()) return std::nullopt;
  redisContext* c = Acquire();
  if (c == nullptr) return std::nullopt;
  std::vector<const char*> argv = {"EVAL", script.c_str(), "1", key.c_str()};
  std::vector<size_t> lengths = {4, script.size(), 1, key.size()};
  for (const std::string& a : args) {
    argv.push_back(a.c_str());
    lengths.push_back(a.size());
  }
  ReplyPtr reply(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  if (!reply) {
    Release(c, false);
    return std::nullopt;
  }
  Release(c, true);
  if (reply->type != REDIS_REPLY_INTEGER) return std::nullopt;
  return reply->integer;
}

}  // namespace socm
