// kill -9 of the assessment service while clients write through the gateway:
// every write that was acknowledged with 2xx must be there after a restart,
// on SQLite and on PostgreSQL.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/integration/suite.h"

namespace socm::testing {
namespace {

using nlohmann::json;

class DurabilityTest : public ::testing::TestWithParam<std::string> {};

// A tenant, an admin key, an organisation and one assessment to write to.
struct Target {
  std::map<std::string, std::string> auth;
  std::string base;  // the organisation's assessments
  std::string id;
};

Target MakeTarget(int port) {
  const std::map<std::string, std::string> op = {
      {"Authorization", std::string("Bearer ") + kOperatorToken}};
  const json tenant =
      json::parse(HttpRequest(port, "POST", "/v1/tenants", R"({"displayName":"D"})", op).body);
  const json key = json::parse(
      HttpRequest(port, "POST",
                  absl::StrCat("/v1/tenants/", tenant["id"].get<std::string>(), "/apiKeys"),
                  R"({"role":"admin"})", op)
          .body);
  Target t;
  t.auth = {{"Authorization", "Bearer " + key["key"].get<std::string>()}};
  const std::string org = json::parse(
      HttpRequest(port, "POST", "/v1/organizations", R"({"displayName":"O"})", t.auth).body)["id"];
  t.base = "/v1/organizations/" + org + "/assessments";
  t.id = json::parse(
      HttpRequest(port, "POST", t.base,
                  R"({"catalogueId":"isogj-soc-csirt","title":"t","assessedOn":"2026-01-01"})",
                  t.auth)
          .body)["id"];
  return t;
}

TEST_P(DurabilityTest, AcknowledgedWritesSurviveKill9) {
  if (GetParam() == "postgres" && std::getenv("SOCM_TEST_POSTGRES_URL") == nullptr) {
    GTEST_SKIP() << "SOCM_TEST_POSTGRES_URL not set (tests/run.sh starts PostgreSQL)";
  }
  Suite suite;
  SuiteOptions options;
  options.engine = GetParam();
  ASSERT_TRUE(suite.Start(options));
  const int port = suite.http_port();
  const Target target = MakeTarget(port);
  const auto& auth = target.auth;
  const std::string& base = target.base;
  const std::string& id = target.id;

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

// A process killed with -9 leaves its writes in the page cache, so the test above passes even
// with SQLite's synchronous=OFF. This one sees the syncs themselves: every acknowledged write
// must have been followed by an fsync or fdatasync of the assessment database (its WAL or the
// file) before its 200 came back. Sequential writes, so each sync belongs to one of them.
long long MonotonicNs() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

// A file the spy appends to, writable by every process (the PostgreSQL server may run as
// another user).
std::string NewSyncLog() {
  char tmpl[] = "/tmp/socm-syncs-XXXXXX";
  const int fd = mkstemp(tmpl);
  EXPECT_GE(fd, 0);
  ::fchmod(fd, 0666);
  ::close(fd);
  return tmpl;
}

// Twenty answers saved one after another by a single client (so no commit shares another's
// sync); how many of them were acknowledged with no sync of a file whose path contains
// `synced_path` between their sending and their answer.
int UnsyncedWrites(int port, const std::string& log, const std::string& synced_path) {
  const Target target = MakeTarget(port);
  std::vector<std::pair<long long, long long>> writes;  // sent, acknowledged
  for (int n = 1; n <= 20; ++n) {
    const long long sent = MonotonicNs();
    const HttpResult r =
        HttpRequest(port, "PUT", target.base + "/" + target.id + "/answers/A-1",
                    json{{"inSource", n % 6}, {"note", std::to_string(n)}}.dump(), target.auth);
    EXPECT_EQ(r.status, 200) << r.body;
    writes.emplace_back(sent, MonotonicNs());
  }
  std::vector<long long> syncs;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    const std::string path = line.substr(line.rfind(' ') + 1);
    if (path.find(synced_path) != std::string::npos) syncs.push_back(std::stoll(line));
  }
  EXPECT_FALSE(syncs.empty()) << "no sync of " << synced_path << " was seen at all; is "
                              << SOCM_FSYNC_SPY << " preloaded?";
  int unsynced = 0;
  for (const auto& [sent, acked] : writes) {
    const bool synced = std::any_of(syncs.begin(), syncs.end(),
                                    [&](long long t) { return t >= sent && t <= acked; });
    if (!synced) ++unsynced;
  }
  return unsynced;
}

TEST(StableStorageTest, EveryAcknowledgedSqliteWriteWasSyncedBeforeItsAnswer) {
  const std::string log = NewSyncLog();
  ::setenv("LD_PRELOAD", SOCM_FSYNC_SPY, 1);
  ::setenv("SOCM_FSYNC_LOG", log.c_str(), 1);
  Suite suite;
  const bool started = suite.Start(SuiteOptions{});
  ::unsetenv("LD_PRELOAD");
  ::unsetenv("SOCM_FSYNC_LOG");
  ASSERT_TRUE(started);
  const int unsynced = UnsyncedWrites(suite.http_port(), log, "/assessment.db");
  EXPECT_EQ(unsynced, 0) << unsynced
                         << " of 20 acknowledged writes were not on stable storage when answered";
  std::remove(log.c_str());
}

// PostgreSQL's commit is durable when the server flushes its WAL before answering the commit
// (synchronous_commit on, fsync on): a cluster of the test's own, with durability on and the
// spy preloaded into the server, must show a WAL sync inside each acknowledged write. A
// service that committed with synchronous_commit=off (in its connection or the database's
// settings) fails here.
TEST(StableStorageTest, EveryAcknowledgedPostgresWriteWasSyncedBeforeItsAnswer) {
  if (::access("/usr/lib/postgresql/15/bin/pg_ctl", X_OK) != 0) {
    GTEST_SKIP() << "PostgreSQL 15 is not installed (tests/run.sh installs it)";
  }
  const std::string log = NewSyncLog();
  const std::string start =
      absl::StrCat("SOCM_PG_DURABILITY=on LD_PRELOAD=", SOCM_FSYNC_SPY, " SOCM_FSYNC_LOG=", log,
                   " bash ", SOCM_SOURCE_DIR, "/tests/start-postgres.sh");
  FILE* out = ::popen(start.c_str(), "r");
  ASSERT_NE(out, nullptr);
  std::string url, dir;
  char buffer[1024];
  while (std::fgets(buffer, sizeof buffer, out) != nullptr) {
    std::string line(buffer);
    while (!line.empty() && line.back() == '\n') line.pop_back();
    const std::string url_prefix = "export SOCM_TEST_POSTGRES_URL=";
    const std::string dir_prefix = "export SOCM_TEST_POSTGRES_DIR=";
    if (line.rfind(url_prefix, 0) == 0) url = line.substr(url_prefix.size());
    if (line.rfind(dir_prefix, 0) == 0) dir = line.substr(dir_prefix.size());
  }
  ASSERT_EQ(::pclose(out), 0) << "tests/start-postgres.sh failed";
  ASSERT_FALSE(url.empty());
  const char* previous = std::getenv("SOCM_TEST_POSTGRES_URL");
  const std::string saved = previous == nullptr ? "" : previous;
  ::setenv("SOCM_TEST_POSTGRES_URL", url.c_str(), 1);
  int unsynced = -1;
  {
    Suite suite;
    SuiteOptions options;
    options.engine = "postgres";
    if (suite.Start(options)) unsynced = UnsyncedWrites(suite.http_port(), log, "/pg_wal/");
  }
  if (saved.empty()) {
    ::unsetenv("SOCM_TEST_POSTGRES_URL");
  } else {
    ::setenv("SOCM_TEST_POSTGRES_URL", saved.c_str(), 1);
  }
  (void)!std::system(
      absl::StrCat("bash ", SOCM_SOURCE_DIR, "/tests/start-postgres.sh stop ", dir).c_str());
  EXPECT_EQ(unsynced, 0) << unsynced
                         << " of 20 acknowledged writes were not on stable storage when answered";
  std::remove(log.c_str());
}

INSTANTIATE_TEST_SUITE_P(Engines, DurabilityTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace socm::testing
