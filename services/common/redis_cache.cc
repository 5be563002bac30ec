#include "services/common/redis_cache.h"

#include <hiredis/hiredis.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/cache_metrics.h"
#include "services/common/crypto.h"
#include "services/common/log.h"
#include "services/common/signed_value.h"

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
  forged_ = &prometheus::BuildCounter()
                 .Name("cache_forged_entries_total")
                 .Help("Redis entries that failed their signature check and were not served.")
                 .Register(registry)
                 .Add({{"cache", cache_name}});
  if (options_.signing_key.empty()) {
    options_.signing_key = RandomHex(32);
    if (enabled()) {
      Log(LogLevel::kWarn,
          "no cache signing key configured: this process signs with a key of "
          "its own, so replicas do not share cache entries",
          {{"cache", cache_name}});
    }
  }
}

std::string RedisCache::Authenticate(redisContext* c) {
  if (options_.password.empty()) return "";
  ReplyPtr reply;
  if (options_.username.empty()) {
    reply.reset(static_cast<redisReply*>(
        redisCommand(c, "AUTH %b", options_.password.data(), options_.password.size())));
  } else {
    reply.reset(static_cast<redisReply*>(
        redisCommand(c, "AUTH %b %b", options_.username.data(), options_.username.size(),
                     options_.password.data(), options_.password.size())));
  }
  if (!reply) return c->errstr[0] != '\0' ? c->errstr : "no reply to AUTH";
  if (reply->type == REDIS_REPLY_ERROR) return std::string(reply->str, reply->len);
  return "";
}

absl::Status RedisCache::CheckAtStart() {
  if (!enabled()) return absl::OkStatus();
  redisContext* c =
      redisConnectWithTimeout(host_.c_str(), port_, ToTimeval(options_.connect_timeout));
  if (c == nullptr || c->err != 0) {
    Log(LogLevel::kWarn, "redis unreachable at start; serving without cache until it is",
        {{"redis", options_.address}, {"error", c == nullptr ? "out of memory" : c->errstr}});
    if (c != nullptr) redisFree(c);
    return absl::OkStatus();
  }
  redisSetTimeout(c, ToTimeval(std::chrono::milliseconds(2000)));
  std::string refused = Authenticate(c);
  if (refused.empty()) {
    ReplyPtr pong(static_cast<redisReply*>(redisCommand(c, "PING")));
    if (!pong) {
      refused = c->errstr[0] != '\0' ? c->errstr : "no reply to PING";
    } else if (pong->type == REDIS_REPLY_ERROR) {
      refused = std::string(pong->str, pong->len);
    }
  }
  redisFree(c);
  if (refused.empty()) return absl::OkStatus();
  return absl::UnauthenticatedError(absl::StrCat(
      "redis at ", options_.address, " refused this process: ", refused,
      options_.password.empty() ? " (no password is configured: set --redis-password-file)"
                                : " (check --redis-username and --redis-password-file)"));
}

RedisCache::~RedisCache() {
  StopPipeline();
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
  std::string refused;
  if (c != nullptr && c->err == 0 &&
      redisSetTimeout(c, ToTimeval(options_.command_timeout)) == REDIS_OK) {
    refused = Authenticate(c);
  }
  if (c == nullptr || c->err != 0 || !refused.empty()) {
    const std::string why = c == nullptr ? "out of memory" : !refused.empty() ? refused : c->errstr;
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
  auto value = OpenSignedValue(options_.signing_key, key, std::string_view(reply->str, reply->len));
  if (!value) {
    forged_->Increment();
    miss_->Increment();
    return std::nullopt;
  }
  hit_->Increment();
  return value;
}

void RedisCache::Set(const std::string& key, const std::string& value, std::chrono::seconds ttl) {
  if (!enabled()) return;
  redisContext* c = Acquire();
  if (c == nullptr) return;
  const std::string signed_value = SignValue(options_.signing_key, key, value);
  ReplyPtr reply;
  if (ttl.count() > 0) {
    reply.reset(static_cast<redisReply*>(
        redisCommand(c, "SET %b %b EX %lld", key.data(), key.size(), signed_value.data(),
                     signed_value.size(), static_cast<long long>(ttl.count()))));
  } else {
    reply.reset(static_cast<redisReply*>(redisCommand(c, "SET %b %b", key.data(), key.size(),
                                                      signed_value.data(), signed_value.size())));
  }
  Release(c, reply && reply->type != REDIS_REPLY_ERROR);
}

}  // namespace socm

namespace socm {

std::optional<long long> RedisCache::EvalInt(const std::string& script, const std::string& key,
                                             const std::vector<std::string>& args) {
  return EvalInt(script, std::vector<std::string>{key}, args);
}

std::optional<long long> RedisCache::EvalInt(const std::string& script,
                                             const std::vector<std::string>& keys,
                                             const std::vector<std::string>& args) {
  if (!enabled()) return std::nullopt;
  redisContext* c = Acquire();
  if (c == nullptr) return std::nullopt;
  const std::string key_count = std::to_string(keys.size());
  std::vector<const char*> argv = {"EVAL", script.c_str(), key_count.c_str()};
  std::vector<size_t> lengths = {4, script.size(), key_count.size()};
  for (const std::string& k : keys) {
    argv.push_back(k.c_str());
    lengths.push_back(k.size());
  }
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

namespace {

// MGET's argv over `keys` (each pointer into `keys`).
struct MultiGetArgv {
  explicit MultiGetArgv(const std::vector<std::string>& keys) {
    argv.push_back("MGET");
    lengths.push_back(4);
    for (const std::string& k : keys) {
      argv.push_back(k.c_str());
      lengths.push_back(k.size());
    }
  }
  int count() const { return static_cast<int>(argv.size()); }
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
};

}  // namespace

std::optional<std::vector<std::optional<std::string>>> RedisCache::MultiGetRaw(
    const std::vector<std::string>& keys) {
  if (!enabled()) return std::nullopt;
  redisContext* c = Acquire();
  if (c == nullptr) {
    error_->Increment();
    return std::nullopt;
  }
  MultiGetArgv args(keys);
  ReplyPtr reply(static_cast<redisReply*>(
      redisCommandArgv(c, args.count(), args.argv.data(), args.lengths.data())));
  Release(c, reply != nullptr);
  return MultiGetReply(reply.get(), keys.size());
}

RedisCache::MultiGetResult RedisCache::MultiGetReply(const redisReply* reply, size_t keys) {
  if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY || reply->elements != keys) {
    error_->Increment();
    return std::nullopt;
  }
  std::vector<std::optional<std::string>> out;
  bool all = true;
  for (size_t i = 0; i < reply->elements; ++i) {
    const redisReply* e = reply->element[i];
    if (e->type == REDIS_REPLY_STRING) {
      out.emplace_back(std::string(e->str, e->len));
    } else {
      out.emplace_back();
      all = false;
    }
  }
  (all ? hit_ : miss_)->Increment();
  return out;
}

std::string RedisCache::Sign(const std::string& name, const std::string& value) const {
  return SignValue(options_.signing_key, name, value);
}

std::optional<std::string> RedisCache::Open(const std::string& name,
                                            std::string_view stored) const {
  auto value = OpenSignedValue(options_.signing_key, name, stored);
  if (!value) forged_->Increment();
  return value;
}

bool RedisCache::KnownDown() {
  std::lock_guard<std::mutex> lock(mu_);
  return down_ && std::chrono::steady_clock::now() < down_until_;
}

void RedisCache::StopPipeline() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(pipe_mu_);
    pipe_stop_ = true;
    thread.swap(pipe_thread_);
  }
  pipe_ready_.notify_one();
  if (thread.joinable()) thread.join();
}

void RedisCache::MultiGetRawAsync(std::vector<std::string> keys,
                                  std::function<void(MultiGetResult)> done) {
  if (!enabled()) return done(std::nullopt);
  if (KnownDown()) {
    error_->Increment();
    return done(std::nullopt);
  }
  bool was_empty;
  {
    std::unique_lock<std::mutex> lock(pipe_mu_);
    if (pipe_stop_) {
      lock.unlock();
      return done(std::nullopt);
    }
    if (!pipe_thread_.joinable()) pipe_thread_ = std::thread([this] { Pipeline(); });
    was_empty = pipe_queue_.empty();
    pipe_queue_.push_back({std::move(keys), std::move(done)});
  }
  if (was_empty) pipe_ready_.notify_one();
}

void RedisCache::Pipeline() {
  std::deque<Lookup> batch;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(pipe_mu_);
      pipe_ready_.wait(lock, [this] { return pipe_stop_ || !pipe_queue_.empty(); });
      batch.swap(pipe_queue_);
      if (pipe_stop_) {
        lock.unlock();
        for (Lookup& l : batch) l.done(std::nullopt);
        return;
      }
    }
    redisContext* c = Acquire();
    if (c == nullptr) {
      for (Lookup& l : batch) {
        error_->Increment();
        l.done(std::nullopt);
      }
      batch.clear();
      continue;
    }
    // Lookups of the same keys in one batch share one MGET: each of them was asked before it
    // went out, so its answer is as fresh for every one of them.
    std::map<std::vector<std::string>, size_t> first_of;
    std::vector<size_t> sent_as(batch.size());
    std::vector<const Lookup*> sent;
    for (size_t i = 0; i < batch.size(); ++i) {
      auto [it, fresh] = first_of.emplace(batch[i].keys, sent.size());
      if (fresh) sent.push_back(&batch[i]);
      sent_as[i] = it->second;
    }
    // Queued in the connection's buffer; the first redisGetReply writes them all at once.
    for (const Lookup* l : sent) {
      MultiGetArgv args(l->keys);
      redisAppendCommandArgv(c, args.count(), args.argv.data(), args.lengths.data());
    }
    bool healthy = true;
    std::vector<MultiGetResult> results;
    results.reserve(sent.size());
    for (const Lookup* l : sent) {
      void* raw = nullptr;
      if (healthy && redisGetReply(c, &raw) != REDIS_OK) healthy = false;
      ReplyPtr reply(healthy ? static_cast<redisReply*>(raw) : nullptr);
      results.push_back(MultiGetReply(reply.get(), l->keys.size()));
    }
    Release(c, healthy);
    // Called back after the connection went back, in the order asked.
    for (size_t i = 0; i < batch.size(); ++i) batch[i].done(results[sent_as[i]]);
    batch.clear();
  }
}

}  // namespace socm
