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
using Headers = std::map<std::string, std::string>;

// Two replicas of every component on one PostgreSQL, and a tenant made through the first.
class ReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("SOCM_TEST_POSTGRES_URL") == nullptr) {
      GTEST_SKIP() << "SOCM_TEST_POSTGRES_URL not set (tests/run.sh sets it)";
    }
    SuiteOptions options;
    options.engine = "postgres";
    options.rate_limit_per_second = 100000;
    ASSERT_TRUE(suite_.Start(options));
    first_ = suite_.http_port();
    second_ = suite_.StartSecondReplicas();
    ASSERT_GT(second_, 0);
    tenant_ =
        json::parse(HttpRequest(first_, "POST", "/v1/tenants", R"({"displayName":"Replicas"})", op_)
                        .body)["id"];
  }
  // A new admin key of the tenant.
  Headers AdminKey() {
    const std::string key =
        json::parse(HttpRequest(first_, "POST", "/v1/tenants/" + tenant_ + "/apiKeys",
                                R"({"role":"admin"})", op_)
                        .body)["key"];
    return {{"Authorization", "Bearer " + key}};
  }
  // A new draft assessment of `org`, made through `port`: its id.
  static std::string NewAssessment(int port, const std::string& org, const Headers& as) {
    return json::parse(HttpRequest(port, "POST", "/v1/organizations/" + org + "/assessments",
                                   R"({"catalogueId":"isogj-soc-csirt","title":"T",)"
                                   R"("assessedOn":"2026-11-01"})",
                                   as)
                           .body)["id"];
  }

  const Headers op_ = {{"Authorization", std::string("Bearer ") + kOperatorToken}};
  Suite suite_;
  int first_ = 0, second_ = 0;
  std::string tenant_;
};

TEST_F(ReplicasTest, AReadThroughEitherGatewaySeesTheWriteJustMadeThroughTheOther) {
  const int first = first_, second = second_;
  const Headers admin = AdminKey();
  const std::string org = json::parse(
      HttpRequest(first, "POST", "/v1/organizations", R"({"displayName":"O"})", admin).body)["id"];
  const std::string id = NewAssessment(second, org, admin);
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

// The peer benchmark is kept by each assessment replica while the tenant's approved generation
// stands still: an approval, a reopening or an industry changed through one gateway shows in
// the very next benchmark read through the other, whose replica kept the answer before it.
TEST_F(ReplicasTest, ABenchmarkThroughEitherGatewaySeesTheChangeJustMadeThroughTheOther) {
  const int first = first_, second = second_;
  const Headers admin = AdminKey();
  const Headers approver = AdminKey();  // who submits does not approve
  struct Approved {
    std::string org, path;
  };
  // An organisation of `industry` with one answered assessment, submitted and approved, each
  // step through `port`.
  auto approved = [&](int port, const std::string& industry) -> Approved {
    const std::string org =
        json::parse(HttpRequest(port, "POST", "/v1/organizations",
                                json{{"displayName", "Peer"}, {"industry", industry}}.dump(), admin)
                        .body)["id"];
    const std::string id = NewAssessment(port, org, admin);
    const std::string path = "/v1/organizations/" + org + "/assessments/" + id;
    EXPECT_EQ(HttpRequest(port, "PUT", path + "/answers/A-1", R"({"inSource":3})", admin).status,
              200);
    EXPECT_EQ(HttpRequest(port, "POST", path + ":submit", "{}", admin).status, 200);
    EXPECT_EQ(HttpRequest(port, "POST", path + ":approve", "{}", approver).status, 200);
    return {org, path};
  };
  auto count = [&](int port, const std::string& industry) -> int {
    const HttpResult r =
        HttpRequest(port, "GET",
                    "/v1/benchmark?catalogueId=isogj-soc-csirt" +
                        (industry.empty() ? std::string() : "&industry=" + industry),
                    "", admin);
    if (r.status == 412) return 0;  // below the benchmark's minimum
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json::parse(r.body)["organizationCount"].get<int>() : -1;
  };

  // Four reads through a gateway: whichever assessment replica each lands on, every one of
  // them must show `n`.
  auto expect_count = [&](int port, const std::string& industry, int n, const std::string& why) {
    for (int i = 0; i < 4; ++i) EXPECT_EQ(count(port, industry), n) << why << ", read " << i;
  };

  std::vector<Approved> peers;
  for (int i = 0; i < 5; ++i) peers.push_back(approved(i % 2 == 0 ? first : second, "finance"));
  for (int round = 0; round < 4; ++round) {
    const int writer = round % 2 == 0 ? first : second;
    const int other = writer == first ? second : first;
    const std::string at = "round " + std::to_string(round);
    // Every replica holds the current answers; one more approval through the writer.
    expect_count(other, "", 5 + round, at + ": before");
    expect_count(writer, "", 5 + round, at + ": before");
    const int finance = count(other, "finance");
    expect_count(other, "finance", finance, at + ": before");
    peers.push_back(approved(writer, "finance"));
    expect_count(other, "", 6 + round, at + ": an approval");
    expect_count(writer, "", 6 + round, at + ": an approval");
    // Reopened through the writer: gone from the next read through the other.
    const Approved& last = peers.back();
    ASSERT_EQ(HttpRequest(writer, "POST", last.path + ":reopen", "{}", admin).status, 200);
    expect_count(other, "", 5 + round, at + ": a reopening");
    ASSERT_EQ(HttpRequest(writer, "POST", last.path + ":submit", "{}", admin).status, 200);
    ASSERT_EQ(HttpRequest(writer, "POST", last.path + ":approve", "{}", approver).status, 200);
    expect_count(other, "", 6 + round, at + ": approved again");
    // An industry changed through the writer: the filtered benchmark through the other.
    expect_count(other, "finance", finance + 1, at + ": before the industry changes");
    ASSERT_EQ(HttpRequest(writer, "PATCH", "/v1/organizations/" + peers[round].org,
                          R"({"industry":"energy"})", admin)
                  .status,
              200);
    expect_count(other, "finance", finance, at + ": an industry changed");
  }
}

}  // namespace
}  // namespace socm::testing
