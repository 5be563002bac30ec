#include "services/common/redis_cache.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cstdlib>

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

}  // namespace
}  // namespace socm
