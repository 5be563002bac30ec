#include "services/common/redis_cache.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "services/common/redis_settings.h"

extern char** environ;

namespace socm {
namespace {

double CounterValue(prometheus::Registry& registry, const std::string& result) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "cache_requests_total") continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == "result" && label.value == result) return metric.counter.value;
      }
    }
  }
  return -1;
}

// tests/run.sh starts a Redis and names it here.
std::string TestRedis() {
  const char* addr = std::getenv("SOCM_TEST_REDIS_ADDR");
  return addr == nullptr ? "" : addr;
}

TEST(RedisCacheTest, SetThenGetHitsAndUnknownKeyMisses) {
  if (TestRedis().empty()) GTEST_SKIP() << "SOCM_TEST_REDIS_ADDR not set (tests/run.sh sets it)";
  prometheus::Registry registry;
  RedisCache cache({TestRedis()}, registry, "test");
  const std::string key = "test:redis_cache_test:" + std::to_string(::getpid());
  cache.Set(key, std::string("a\0b", 3), std::chrono::seconds(60));
  auto hit = cache.Get(key);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(*hit, std::string("a\0b", 3));
  EXPECT_FALSE(cache.Get(key + ":absent").has_value());
  EXPECT_EQ(CounterValue(registry, "hit"), 1);
  EXPECT_EQ(CounterValue(registry, "miss"), 1);
  EXPECT_EQ(CounterValue(registry, "error"), 0);
}

TEST(RedisCacheTest, UnreachableRedisIsAFastCountedMissNeverAnError) {
  prometheus::Registry registry;
  // Port 1 on loopback: nothing listens there, the connect is refused at once.
  RedisCache cache({"127.0.0.1:1"}, registry, "test");
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(cache.Get("k").has_value());
    cache.Set("k", "v", std::chrono::seconds(1));
  }
  EXPECT_EQ(CounterValue(registry, "error"), 100);
  EXPECT_EQ(CounterValue(registry, "hit"), 0);
}

TEST(RedisCacheTest, DisabledCacheCountsNothing) {
  prometheus::Registry registry;
  RedisCache cache({""}, registry, "test");
  EXPECT_FALSE(cache.enabled());
  EXPECT_FALSE(cache.Get("k").has_value());
  EXPECT_EQ(CounterValue(registry, "error"), 0);
  EXPECT_EQ(CounterValue(registry, "miss"), 0);
}

double ForgedValue(prometheus::Registry& registry) {
  for (const auto& family : registry.Collect()) {
    if (family.name == "cache_forged_entries_total") return family.metric.at(0).counter.value;
  }
  return -1;
}

// A plain connection to the test Redis, to do what an attacker with Redis access could.
class RawRedis {
 public:
  explicit RawRedis(const std::string& address) {
    const size_t colon = address.rfind(':');
    c_ = redisConnect(address.substr(0, colon).c_str(), std::stoi(address.substr(colon + 1)));
  }
  ~RawRedis() { redisFree(c_); }
  std::string Get(const std::string& key) {
    auto* r = static_cast<redisReply*>(redisCommand(c_, "GET %b", key.data(), key.size()));
    std::string out =
        r != nullptr && r->type == REDIS_REPLY_STRING ? std::string(r->str, r->len) : "";
    freeReplyObject(r);
    return out;
  }
  void Set(const std::string& key, const std::string& value) {
    freeReplyObject(
        redisCommand(c_, "SET %b %b", key.data(), key.size(), value.data(), value.size()));
  }

 private:
  redisContext* c_;
};

const std::string kKey(40, 'k');

TEST(RedisCacheTest, AnEntryEditedMovedOrForgedInRedisIsAMissNeverServed) {
  if (TestRedis().empty()) GTEST_SKIP() << "SOCM_TEST_REDIS_ADDR not set (tests/run.sh sets it)";
  prometheus::Registry registry;
  RedisOptions options{TestRedis()};
  options.signing_key = kKey;
  RedisCache cache(options, registry, "test");
  const std::string base = "t:tn_a:test:signed:" + std::to_string(::getpid());
  cache.Set(base, "tenant A's report", std::chrono::seconds(60));
  ASSERT_EQ(cache.Get(base), "tenant A's report");

  RawRedis raw(TestRedis());
  const std::string stored = raw.Get(base);
  ASSERT_NE(stored.find("tenant A's report"), std::string::npos);
  // Edited in place: the same length, one letter changed.
  std::string edited = stored;
  edited[edited.find("A's")] = 'B';
  raw.Set(base, edited);
  EXPECT_FALSE(cache.Get(base).has_value());
  // Copied under another tenant's name.
  const std::string other = "t:tn_b:test:signed:" + std::to_string(::getpid());
  raw.Set(other, stored);
  EXPECT_FALSE(cache.Get(other).has_value());
  // Written plainly, as by anyone with Redis access but not the key.
  raw.Set(base, "forged report");
  EXPECT_FALSE(cache.Get(base).has_value());
  EXPECT_EQ(ForgedValue(registry), 3);
  EXPECT_EQ(CounterValue(registry, "hit"), 1);

  // Another process with the same key reads the entries; one with another key does not.
  cache.Set(base, "tenant A's report", std::chrono::seconds(60));
  prometheus::Registry r2;
  RedisCache replica(options, r2, "test");
  EXPECT_EQ(replica.Get(base), "tenant A's report");
  prometheus::Registry r3;
  RedisOptions stranger_options{TestRedis()};
  stranger_options.signing_key = std::string(40, 'x');
  RedisCache stranger(stranger_options, r3, "test");
  EXPECT_FALSE(stranger.Get(base).has_value());
  EXPECT_EQ(ForgedValue(r3), 1);
}

// A Redis of the test's own that requires a password (and knows an ACL user).
class AuthRedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::close(s);
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {"redis-server",
                                     "--port",
                                     port,
                                     "--bind",
                                     "127.0.0.1",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--requirepass",
                                     "right-password",
                                     "--user",
                                     "socm",
                                     "on",
                                     ">user-password",
                                     "~*",
                                     "+@all"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, "redis-server", nullptr, nullptr, argv.data(), environ) != 0) {
      pid_ = 0;
      GTEST_SKIP() << "redis-server is not installed";
    }
    for (int i = 0; i < 100; ++i) {
      redisContext* c = redisConnect("127.0.0.1", port_);
      const bool up = c != nullptr && c->err == 0;
      redisFree(c);
      if (up) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "redis-server did not start";
  }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  RedisOptions Options(const std::string& username, const std::string& password) {
    RedisOptions o{"127.0.0.1:" + std::to_string(port_)};
    o.username = username;
    o.password = password;
    o.signing_key = kKey;
    return o;
  }
  pid_t pid_ = 0;
  int port_ = 0;
};

TEST_F(AuthRedisTest, ARedisThatRefusesTheCredentialsIsAStartUpError) {
  prometheus::Registry registry;
  RedisCache none(Options("", ""), registry, "none");
  absl::Status s = none.CheckAtStart();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("no password is configured"), std::string::npos) << s;
  RedisCache wrong(Options("", "wrong-password"), registry, "wrong");
  s = wrong.CheckAtStart();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("WRONGPASS"), std::string::npos) << s;
  RedisCache wrong_user(Options("nobody", "user-password"), registry, "wrong_user");
  EXPECT_EQ(wrong_user.CheckAtStart().code(), absl::StatusCode::kUnauthenticated);
  // Unreachable is not refused: the cache degrades as it does at run time.
  RedisCache away({"127.0.0.1:1"}, registry, "away");
  EXPECT_TRUE(away.CheckAtStart().ok());
}

TEST_F(AuthRedisTest, EveryConnectionAuthenticatesWithAPasswordOrAnAclUser) {
  for (const auto& [user, password] :
       {std::pair<std::string, std::string>{"", "right-password"}, {"socm", "user-password"}}) {
    prometheus::Registry registry;
    RedisCache cache(Options(user, password), registry, "auth");
    ASSERT_TRUE(cache.CheckAtStart().ok()) << user;
    // As many callers as pooled connections: each new connection authenticates.
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&cache, t] {
        const std::string key = "k" + std::to_string(t);
        cache.Set(key, "v" + std::to_string(t), std::chrono::seconds(60));
        EXPECT_EQ(cache.Get(key), "v" + std::to_string(t));
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(CounterValue(registry, "error"), 0) << user;
    EXPECT_EQ(CounterValue(registry, "hit"), 8) << user;
  }
  // Without the password every lookup is an error, counted, never an exception.
  prometheus::Registry registry;
  RedisCache refused(Options("", ""), registry, "refused");
  EXPECT_FALSE(refused.Get("k0").has_value());
  EXPECT_EQ(CounterValue(registry, "error"), 1);
}

std::string WriteFile(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + name + std::to_string(::getpid());
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(RedisSettingsTest, SecretsComeFromFilesAndBadOnesStopTheStart) {
  Config config(
      {"--redis-addr=127.0.0.1:6379", "--redis-password-file=" + WriteFile("pw", "s3cret\n"),
       "--cache-key-file=" + WriteFile("key", std::string(32, 'q') + "\r\n")},
      {});
  RedisSettings settings = ReadRedisSettings(config);
  ASSERT_TRUE(config.Finish().ok());
  ASSERT_TRUE(LoadRedisSecrets(settings).ok());
  EXPECT_EQ(settings.options.password, "s3cret");
  EXPECT_EQ(settings.options.signing_key, std::string(32, 'q'));

  RedisSettings short_key;
  short_key.key_file = WriteFile("short", "too short");
  EXPECT_NE(
      LoadRedisSecrets(short_key).message().find("cache-key-file: the key must be at least 32"),
      std::string::npos);
  RedisSettings empty_password;
  empty_password.password_file = WriteFile("empty", "\n");
  EXPECT_NE(LoadRedisSecrets(empty_password).message().find("is empty"), std::string::npos);
  RedisSettings missing;
  missing.password_file = "/nonexistent/redis-password";
  EXPECT_NE(LoadRedisSecrets(missing).message().find("redis-password-file: cannot read"),
            std::string::npos);
}

}  // namespace
}  // namespace socm
