// kill -9 of the assessment service while clients write through the gateway:
// every write that was acknowledged with 2xx must be there after a restart,
// on SQLite and on PostgreSQL.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/integration/suite.h"

namespace socm::testing {
namespace {

using nlohmann::json;

class DurabilityTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DurabilityTest, AcknowledgedWritesSurviveKill9) {
  if (GetParam() == "postgres" && std::getenv("SOCM_TEST_POSTGRES_URL") == nullptr) {
    GTEST_SKIP() << "SOCM_TEST_POSTGRES_URL not set (tests/run.sh starts PostgreSQL)";
  }
  Suite suite;
  SuiteOptions options;
  options.engine = GetParam();
  ASSERT_TRUE(suite.Start(options));
  const int port = suite.http_port();
  const std::map<std::string, std::string> op = {
      {"Authorization", std::string("Bearer ") + kOperatorToken}};
  const json tenant =
      json::parse(HttpRequest(port, "POST", "/v1/tenants", R"({"displayName":"D"})", op).body);
  const json key = json::parse(
      HttpRequest(port, "POST",
                  absl::StrCat("/v1/tenants/", tenant["id"].get<std::string>(), "/apiKeys"),
                  R"({"role":"admin"})", op)
          .body);
  const std::map<std::string, std::string> auth = {
      {"Authorization", "Bearer " + key["key"].get<std::string>()}};
  const std::string org = json::parse(
      HttpRequest(port, "POST", "/v1/organizations", R"({"displayName":"O"})", auth).body)["id"];
  const std::string base = "/v1/organizations/" + org + "/assessments";
  const std::string id = json::parse(
      HttpRequest(port, "POST", base,
                  R"({"catalogueId":"isogj-soc-csirt","title":"t","assessedOn":"2026-01-01"})",
                  auth)
          .body)["id"];

  // Four writers, each owning one role, write notes "1", "2", ... in order.
  const std::vector<std::string> roles = {"A-1", "B-1", "C-1", "D-1"};
  std::vector<int> acknowledged(roles.size(), 0);
  std::vector<int> sent(roles.size(), 0);
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (size_t w = 0; w < roles.size(); ++w) {
    writers.emplace_back([&, w] {
      for (int n = 1; !stop; ++n) {
        sent[w] = n;
        HttpResult r;
        try {
          r = HttpRequest(port, "PUT", base + "/" + id + "/answers/" + roles[w],
                          json{{"inSource", n % 6}, {"note", std::to_string(n)}}.dump(), auth);
        } catch (const std::exception&) {
          continue;
        }
        if (r.status == 200) acknowledged[w] = n;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(suite.service("assessment").Stop(SIGKILL, std::chrono::seconds(5)), 128 + SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_TRUE(suite.RestartService("assessment"));

  HttpResult read;
  for (int attempt = 0; attempt < 50; ++attempt) {
    read = HttpRequest(port, "GET", base + "/" + id, "", auth);
    if (read.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(read.status, 200) << read.body;

  std::map<std::string, int> stored;
  const json assessment = json::parse(read.body);
  for (const auto& a : assessment["answers"]) {
    stored[a["roleCode"].get<std::string>()] = std::stoi(a["note"].get<std::string>());
  }
  int total = 0;
  for (size_t w = 0; w < roles.size(); ++w) {
    total += acknowledged[w];
    // The last acknowledged write is there. Beyond it only writes that were sent: the one
    // in flight at the kill, and any committed whose answer the client did not get.
    EXPECT_GE(stored[roles[w]], acknowledged[w]) << roles[w];
    EXPECT_LE(stored[roles[w]], sent[w]) << roles[w];
  }
  EXPECT_GT(total, 20) << "too few writes to mean anything";
  RecordProperty("acknowledged_writes", total);
}

INSTANTIATE_TEST_SUITE_P(Engines, DurabilityTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace socm::testing
