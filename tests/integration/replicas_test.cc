// Two replicas of every component on one PostgreSQL and one Redis, as a cluster runs them:
// a write through one gateway is seen by the very next read through the other, although
// each gateway answers warm scores from its own copy while the revision board vouches for
// it (issue 12). Fails on the first stale read.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/integration/process.h"
#include "tests/integration/suite.h"

namespace socm::testing {
namespace {

using nlohmann::json;

TEST(ReplicasTest, AReadThroughEitherGatewaySeesTheWriteJustMadeThroughTheOther) {
  if (std::getenv("SOCM_TEST_POSTGRES_URL") == nullptr) {
    GTEST_SKIP() << "SOCM_TEST_POSTGRES_URL not set (tests/run.sh sets it)";
  }
  Suite suite;
  SuiteOptions options;
  options.engine = "postgres";
  options.rate_limit_per_second = 100000;
  ASSERT_TRUE(suite.Start(options));
  const int first = suite.http_port();
  const int second = suite.StartSecondReplicas();
  ASSERT_GT(second, 0);

  const std::map<std::string, std::string> op = {
      {"Authorization", std::string("Bearer ") + kOperatorToken}};
  const std::string tenant = json::parse(
      HttpRequest(first, "POST", "/v1/tenants", R"({"displayName":"Replicas"})", op).body)["id"];
  const std::string key = json::parse(
      HttpRequest(first, "POST", "/v1/tenants/" + tenant + "/apiKeys", R"({"role":"admin"})", op)
          .body)["key"];
  const std::map<std::string, std::string> admin = {{"Authorization", "Bearer " + key}};
  const std::string org = json::parse(
      HttpRequest(first, "POST", "/v1/organizations", R"({"displayName":"O"})", admin).body)["id"];
  const std::string id =
      json::parse(HttpRequest(second, "POST", "/v1/organizations/" + org + "/assessments",
                              R"({"catalogueId":"isogj-soc-csirt","title":"T",)"
                              R"("assessedOn":"2026-11-01"})",
                              admin)
                      .body)["id"];
  ASSERT_FALSE(id.empty());
  const std::string path = "/v1/organizations/" + org + "/assessments/" + id;
  auto revision_read = [&](int port) {
    const HttpResult r = HttpRequest(port, "GET", path + "/score", "", admin);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json::parse(r.body)["revision"].get<int64_t>() : -1;
  };
  ASSERT_EQ(revision_read(first), 1);
  ASSERT_EQ(revision_read(second), 1);

  // Beside the writes, a reader on each gateway: no read may show less than the revision of
  // the last write that was answered before the read began, nor go back.
  std::atomic<int64_t> answered{1};
  std::atomic<bool> done{false};
  std::atomic<int> stale{0};
  std::atomic<int> reads{0};
  auto reader = [&](int port) {
    int64_t seen = 0;
    while (!done) {
      const int64_t floor = answered;
      const int64_t got = revision_read(port);
      ++reads;
      if (got < floor || got < seen) {
        ++stale;
        ADD_FAILURE() << "port " << port << " read revision " << got << " after " << floor
                      << " was answered (last seen " << seen << ")";
      }
      seen = std::max(seen, got);
    }
  };
  std::thread reader_first(reader, first);
  std::thread reader_second(reader, second);

  constexpr int kWrites = 200;
  for (int i = 1; i <= kWrites && stale == 0; ++i) {
    const int writer = i % 2 == 0 ? first : second;
    const int other = writer == first ? second : first;
    const HttpResult put = HttpRequest(writer, "PUT", path + "/answers/A-1",
                                       absl::StrCat(R"({"inSource":)", i % 6, "}"), admin);
    // No ASSERT while the readers run: they are joined below whatever happens.
    EXPECT_EQ(put.status, 200) << put.body;
    if (put.status != 200) break;
    const int64_t revision = 1 + i;
    answered = revision;
    // The other gateway first (its copy is the older one), then again (now warm), then the
    // writer's.
    EXPECT_EQ(revision_read(other), revision) << "write " << i << " through port " << writer;
    EXPECT_EQ(revision_read(other), revision);
    EXPECT_EQ(revision_read(writer), revision);
  }
  done = true;
  reader_first.join();
  reader_second.join();
  EXPECT_EQ(stale, 0);
  EXPECT_GT(reads, kWrites) << "the readers ran beside the writes";
}

}  // namespace
}  // namespace socm::testing
