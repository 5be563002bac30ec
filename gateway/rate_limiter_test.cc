#include "gateway/rate_limiter.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace socm::gateway {
namespace {

std::string TestRedis() {
  const char* addr = std::getenv("SOCM_TEST_REDIS_ADDR");
  return addr == nullptr ? "" : addr;
}

TEST(RateLimiterTest, BurstThenRefusedWithAWait) {
  if (TestRedis().empty()) GTEST_SKIP() << "SOCM_TEST_REDIS_ADDR not set (tests/run.sh sets it)";
  prometheus::Registry registry;
  RedisCache redis({TestRedis()}, registry, "test");
  RateLimiter limiter(redis, 1, 3);
  const std::string key =
      absl::StrCat("key-", getpid(), "-", ::testing::UnitTest::GetInstance()->random_seed());
  EXPECT_FALSE(limiter.Take("tn_t", key).has_value());
  EXPECT_FALSE(limiter.Take("tn_t", key).has_value());
  EXPECT_FALSE(limiter.Take("tn_t", key).has_value());
  const auto wait = limiter.Take("tn_t", key);
  ASSERT_TRUE(wait.has_value());
  EXPECT_GT(wait->count(), 0);
  EXPECT_LE(wait->count(), 1000);
  // Buckets are per key and per tenant.
  EXPECT_FALSE(limiter.Take("tn_t", key + "-other").has_value());
  EXPECT_FALSE(limiter.Take("tn_u", key).has_value());
}

TEST(RateLimiterTest, RedisDownLetsEverythingThrough) {
  prometheus::Registry registry;
  RedisCache redis({"127.0.0.1:1"}, registry, "test");
  RateLimiter limiter(redis, 1, 1);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(limiter.Take("t", "k").has_value());
}

TEST(RateLimiterTest, ZeroRateDisables) {
  prometheus::Registry registry;
  RedisCache redis({TestRedis()}, registry, "test");
  RateLimiter limiter(redis, 0, 1);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(limiter.Take("t", "k").has_value());
}

}  // namespace
}  // namespace socm::gateway
