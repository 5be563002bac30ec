// Fault tests: the whole product as real processes under load while one part
// fails. Redis dies (reads go on), a backend is SIGKILLed and restarted (503
// meanwhile, 200 again within 2 s), PostgreSQL restarts (writes heal without a
// service restart), SIGTERM drains the gateway and the assessment service, and a
// caller sending far more than a service can answer does not grow its memory.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/db/db.h"
#include "tests/e2e/webhook_receiver.h"
#include "tests/faults/world.h"

namespace socm::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using std::chrono::milliseconds;

// The gateway's --request-timeout-ms in the Suite is 3000; nothing may take longer
// than that plus some slack.
constexpr milliseconds kNoHangBound{3500};
constexpr milliseconds kRecoveryBound{2000};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// One request's outcome under load.
struct Outcome {
  int thread = 0;
  std::string target;
  Clock::time_point start, end;
  int status = 0;     // 0: the exchange itself failed
  std::string code;   // error.code of an error body
  std::string error;  // what the client saw when the exchange failed
};

std::string Describe(const Outcome& o, Clock::time_point origin) {
  return absl::StrCat("[t=", Seconds(o.start - origin), "s +", Seconds(o.end - o.start), "s] ",
                      o.target, " -> ", o.status, " ", o.code, o.error);
}

Outcome Timed(const std::string& method, int port, const std::string& target,
              const std::string& body, const std::map<std::string, std::string>& headers) {
  Outcome o;
  o.target = target;
  o.start = Clock::now();
  try {
    const HttpResult r = HttpRequest(port, method, target, body, headers);
    o.status = r.status;
    if (r.status >= 400) o.code = ErrorCode(r);
  } catch (const std::exception& e) {
    o.error = e.what();
  }
  o.end = Clock::now();
  return o;
}

// `threads` loops, each calling `request(thread, n)` until Stop().
class Load {
 public:
  Load(int threads, std::function<Outcome(int thread, int n)> request)
      : request_(std::move(request)) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, t] {
        for (int n = 0; !stop_; ++n) {
          Outcome o = request_(t, n);
          o.thread = t;
          std::lock_guard<std::mutex> lock(mu_);
          outcomes_.push_back(std::move(o));
        }
      });
    }
  }
  ~Load() { Stop(); }

  std::vector<Outcome> Stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
    std::lock_guard<std::mutex> lock(mu_);
    return outcomes_;
  }

 private:
  std::function<Outcome(int, int)> request_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::vector<Outcome> outcomes_;
};

std::string MetricsOf(int port) { return HttpRequest(port, "GET", "/metrics").body; }

TEST(FaultsTest, RedisKilledDuringReadsFailsNoRead) {
  Suite suite;
  SuiteOptions options = WithoutRateLimit();
  options.catalogue_memory_cache = false;  // every catalogue lookup goes to Redis
  const World world = StartWithWorld(suite, options, 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();
  // Redis sits behind the catalogue (cache), the reports (cache) and the
  // gateway's rate limiter, which every keyed request passes.
  const std::vector<std::string> routes = {
      "/v1/catalogues/isogj-soc-csirt?lang=en", world.Assessment(0) + "/score?lang=en",
      world.Assessment(0) + "/report?format=csv", "/v1/catalogues/isogj-soc-csirt",
      world.Assessment(0) + "/radar.svg?lang=ja"};
  for (const auto& r : routes) ASSERT_EQ(HttpRequest(port, "GET", r, "", world.auth).status, 200);

  const auto origin = Clock::now();
  Load load(4, [&](int t, int n) {
    return Timed("GET", port, routes[static_cast<size_t>(t + n) % routes.size()], "", world.auth);
  });
  std::this_thread::sleep_for(milliseconds(1200));
  const auto killed = Clock::now();
  suite.KillRedis();
  std::this_thread::sleep_for(milliseconds(1800));
  const std::vector<Outcome> outcomes = load.Stop();

  int failed = 0, after_kill = 0;
  for (const Outcome& o : outcomes) {
    if (o.start > killed) ++after_kill;
    if (o.status != 200) {
      if (++failed <= 5) ADD_FAILURE() << Describe(o, origin);
    }
  }
  EXPECT_EQ(failed, 0) << "of " << outcomes.size() << " reads";
  EXPECT_GT(after_kill, 50) << "too few reads after the kill to mean anything";
  RecordProperty("reads", static_cast<int>(outcomes.size()));
  RecordProperty("reads_after_kill", after_kill);
  // Redis really was on the path: the catalogue service counted cache errors.
  const double errors = Metric(MetricsOf(suite.metrics_port("catalogue")), "cache_requests_total",
                               {{"cache", "catalogue_redis"}, {"result", "error"}});
  EXPECT_GT(errors, 0);
}

// Resident memory of a process, from /proc; 0 once it is gone.
long RssKb(pid_t pid) {
  FILE* f = std::fopen(absl::StrCat("/proc/", pid, "/status").c_str(), "r");
  if (f == nullptr) return 0;
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
  }
  std::fclose(f);
  return kb;
}

TEST(FaultsTest, AnOverloadedServiceKeepsItsMemoryBounded) {
  Suite suite;
  const World world = StartWithWorld(suite, SuiteOptions{}, 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();
  ASSERT_EQ(HttpRequest(port, "GET", world.Assessment(0) + "/score", "", world.auth).status, 200);
  const pid_t scoring = suite.service("scoring").pid();
  const long before = RssKb(scoring);

  // Open loop at 30,000 calls/s for 3 s: twice what this machine's scoring service
  // answers. Unbounded, its memory grew by 2 GB in such a run.
  const std::string command =
      absl::StrCat(SOCM_GRPC_LOAD, " --target=127.0.0.1:", suite.grpc_port("scoring"),
                   " --method=GetScore --tenant=", world.tenant, " --org=", world.org,
                   " --assessment=", world.assessments[0], " --rate=30000 --seconds=3",
                   " --principal-key-file=", suite.principal_key_file(), " ",
                   absl::StrJoin(suite.TlsArgs("gateway"), " "), " 2>&1");
  auto load = std::async(std::launch::async, [&command] {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (p == nullptr) return out;
    char buffer[512];
    while (std::fgets(buffer, sizeof(buffer), p) != nullptr) out += buffer;
    pclose(p);
    return out;
  });
  long peak = before;
  while (load.wait_for(milliseconds(100)) != std::future_status::ready) {
    peak = std::max(peak, RssKb(scoring));
  }
  const std::string report = load.get();
  EXPECT_NE(report.find("RESULT"), std::string::npos) << report;
  RecordProperty("load", report);
  RecordProperty("scoring_rss_growth_kb", static_cast<int>(peak - before));
  EXPECT_LT(peak - before, 300 * 1024)
      << "scoring RSS " << before << " kB -> " << peak << " kB; load: " << report;
  // Still serving, at once.
  const Outcome after = Timed("GET", port, world.Assessment(0) + "/score", "", world.auth);
  EXPECT_EQ(after.status, 200);
  EXPECT_LT(after.end - after.start, kNoHangBound);
}

// Each backend SIGKILLed under load: its routes answer 503 UNAVAILABLE (or 504)
// at once, never hang, and answer 200 within 2 s of the restart.
class BackendKillTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BackendKillTest, DownMeans503AndARestartHealsWithin2s) {
  const std::string name = GetParam();
  Suite suite;
  SuiteOptions options = WithoutRateLimit();
  const World world = StartWithWorld(suite, options, 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();
  const std::string a = world.Assessment(0);
  // The route served by the service itself, then routes that reach it through another.
  std::vector<std::string> routes;
  if (name == "catalogue") routes = {"/v1/catalogues/isogj-soc-csirt?lang=en"};
  if (name == "assessment") {
    routes = {a, a + "/score?lang=en", a + "/report?format=json&lang=en"};
  }
  // A warm score no longer needs scoring while the revision board vouches for the gateway's
  // copy (it may answer 200 below); the trend always does.
  if (name == "scoring") {
    routes = {"/v1/organizations/" + world.org + "/trend", a + "/score?lang=en",
              a + "/report?format=json&lang=en"};
  }
  if (name == "reporting") routes = {a + "/report?format=json&lang=en", a + "/radar.svg?lang=ja"};
  for (const auto& r : routes) {
    const HttpResult warm = HttpRequest(port, "GET", r, "", world.auth);
    ASSERT_EQ(warm.status, 200) << r << ": " << warm.body;
  }

  const auto origin = Clock::now();
  Load load(3, [&](int t, int n) {
    return Timed("GET", port, routes[static_cast<size_t>(t + n) % routes.size()], "", world.auth);
  });
  std::this_thread::sleep_for(milliseconds(500));
  const auto kill_at = Clock::now();
  ASSERT_EQ(suite.service(name).Stop(SIGKILL, std::chrono::seconds(5)), 128 + SIGKILL);
  const auto killed = Clock::now();
  std::this_thread::sleep_for(milliseconds(1500));
  const std::vector<Outcome> outcomes = load.Stop();

  int down = 0, bad = 0;
  for (const Outcome& o : outcomes) {
    EXPECT_LT(o.end - o.start, kNoHangBound) << Describe(o, origin);
    const bool clean_error = (o.status == 503 && o.code == "UNAVAILABLE") ||
                             (o.status == 504 && o.code == "DEADLINE_EXCEEDED");
    bool ok;
    if (o.end < kill_at) {
      ok = o.status == 200;
    } else if (o.start > killed && o.target == routes[0]) {
      ok = clean_error;  // the service itself is down: nothing else is right
      ++down;
    } else {
      ok = o.status == 200 || clean_error;  // a cache upstream may still answer
    }
    if (!ok && ++bad <= 5) ADD_FAILURE() << name << " killed: " << Describe(o, origin);
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GT(down, 10) << "too few requests while " << name << " was down";

  ASSERT_TRUE(suite.RestartService(name));
  const auto restarted = Clock::now();
  std::map<std::string, double> recovery;
  std::map<std::string, Outcome> last;
  while (recovery.size() < routes.size() && Clock::now() - restarted < std::chrono::seconds(6)) {
    for (const auto& r : routes) {
      if (recovery.count(r)) continue;
      last[r] = Timed("GET", port, r, "", world.auth);
      if (last[r].status == 200) recovery[r] = Seconds(last[r].end - restarted);
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  for (size_t i = 0; i < routes.size(); ++i) {
    const std::string& r = routes[i];
    ASSERT_TRUE(recovery.count(r))
        << r << " still failing 6 s after " << name << " restarted: " << Describe(last[r], origin);
    EXPECT_LT(recovery[r], Seconds(kRecoveryBound)) << r << " after " << name << " restarted";
    RecordProperty(absl::StrCat("recovery_ms_route", i), static_cast<int>(recovery[r] * 1000));
  }
}

INSTANTIATE_TEST_SUITE_P(Services, BackendKillTest,
                         ::testing::Values("catalogue", "assessment", "scoring", "reporting"));

// A backend that hangs (SIGSTOP: the port stays open, nothing answers) costs
// its callers the gateway's deadline and no more: 504 DEADLINE_EXCEEDED at
// ~3 s, while other routes keep answering at once; SIGCONT heals it.
// A catalogue published while the assessment service (the audit log's keeper) is down waits in
// the catalogue service's database and reaches the tenant's audit log once, after the restart.
TEST(FaultsTest, APublicationWhileTheAuditLogsServiceIsDownReachesTheLogAfterItsRestart) {
  Suite suite;
  const World world = StartWithWorld(suite, WithoutRateLimit(), 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();
  HttpResult r = HttpRequest(port, "GET", "/v1/catalogues/isogj-soc-csirt", "", world.auth);
  ASSERT_EQ(r.status, 200);
  nlohmann::json doc = JsonOf(r);
  doc.erase("builtin");
  doc.erase("language");
  doc["id"] = "faults-soc";
  doc["version"] = "1.0";

  ASSERT_EQ(suite.service("assessment").Stop(SIGKILL, std::chrono::seconds(5)), 128 + SIGKILL);
  // The gateway still knows the key for a few seconds (--key-cache-ms), so the publication,
  // which needs only the catalogue service, goes through.
  r = HttpRequest(port, "POST", "/v1/catalogues", doc.dump(), world.auth);
  ASSERT_EQ(r.status, 201) << r.body;
  std::this_thread::sleep_for(milliseconds(1500));

  ASSERT_TRUE(suite.RestartService("assessment"));
  int published = -1;
  for (int tries = 0; tries < 100; ++tries) {
    r = HttpRequest(port, "GET", "/v1/auditLog?pageSize=500", "", world.auth);
    if (r.status == 200) {
      published = 0;
      const nlohmann::json log = JsonOf(r);
      for (const auto& e : log["entries"])
        if (e["action"] == "catalogue.publish" &&
            e["target"] == "catalogues/faults-soc/versions/1.0")
          ++published;
      if (published > 0) break;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_EQ(published, 1) << r.body;
  // Passes go on taking records after it: still one entry, and the chain holds it.
  std::this_thread::sleep_for(milliseconds(1000));
  r = HttpRequest(port, "GET", "/v1/auditLog:verify", "", world.auth);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonOf(r)["intact"], true) << r.body;
  r = HttpRequest(port, "GET", "/v1/auditLog?pageSize=500", "", world.auth);
  int again = 0;
  const nlohmann::json log = JsonOf(r);
  for (const auto& e : log["entries"]) again += e["action"] == "catalogue.publish" ? 1 : 0;
  EXPECT_EQ(again, 1);
}

// A webhook event committed while nothing delivers (the dispatcher off, then the assessment
// service killed with -9) reaches the receiver after the restart, once, signed.
TEST(FaultsTest, AnEventCommittedBeforeAKillIsDeliveredAfterTheRestart) {
  Suite suite;
  SuiteOptions options = WithoutRateLimit();
  options.assessment_args = {"--webhook-allow-private-networks=true", "--webhook-dispatch=false"};
  const World world = StartWithWorld(suite, options, 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.Start(suite.dir()));
  const int port = suite.http_port();
  HttpResult r = HttpRequest(
      port, "POST", "/v1/webhooks",
      nlohmann::json{{"url", receiver.Url("/after-kill")}, {"events", {"assessment.submitted"}}}
          .dump(),
      world.auth);
  ASSERT_EQ(r.status, 201) << r.body;
  const nlohmann::json hook = JsonOf(r);
  receiver.Answer("/after-kill", hook["secret"]);
  ASSERT_EQ(HttpRequest(port, "POST", world.Assessment(0) + ":submit", "", world.auth).status, 200);
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_TRUE(receiver.Received("/after-kill").empty());

  ASSERT_EQ(suite.service("assessment").Stop(SIGKILL, std::chrono::seconds(5)), 128 + SIGKILL);
  ASSERT_TRUE(suite.RestartService("assessment", {"--webhook-dispatch=true"}));
  const nlohmann::json got = receiver.WaitFor("/after-kill", 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["verified"], "ok");
  const nlohmann::json body = nlohmann::json::parse(got[0]["body"].get<std::string>());
  EXPECT_EQ(body["type"], "assessment.submitted");
  EXPECT_EQ(body["data"]["assessmentId"], world.assessments[0]);
  std::this_thread::sleep_for(milliseconds(600));
  EXPECT_EQ(receiver.Received("/after-kill").size(), 1u);
}

// A write that rolls back after recording its events sends none: a campaign whose last insert
// fails (a trigger injected into the database) leaves no assessment, no delivery and nothing
// at the receiver; the same campaign without the fault sends its events.
TEST(FaultsTest, ARolledBackWriteSendsNoEvent) {
  Suite suite;
  SuiteOptions options = WithoutRateLimit();
  options.assessment_args = {"--webhook-allow-private-networks=true"};
  const World world = StartWithWorld(suite, options, 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  if (suite.database_url().rfind("sqlite:", 0) != 0) GTEST_SKIP() << "the fault is SQLite's";
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.Start(suite.dir()));
  const int port = suite.http_port();
  HttpResult r = HttpRequest(port, "POST", "/v1/webhooks",
                             nlohmann::json{{"url", receiver.Url("/rollback")},
                                            {"events", {"assessment.created", "campaign.created"}}}
                                 .dump(),
                             world.auth);
  ASSERT_EQ(r.status, 201) << r.body;
  receiver.Answer("/rollback", JsonOf(r)["secret"]);
  auto database = db::Database::Open(suite.database_url(), {});
  ASSERT_TRUE(database.ok()) << database.status();
  auto exec = [&](const std::string& sql) {
    const absl::Status s =
        (*database)->Run([&](db::Connection& c) -> absl::Status { return c.ExecScript(sql); });
    ASSERT_TRUE(s.ok()) << s;
  };
  exec(
      "CREATE TRIGGER refuse_campaigns BEFORE INSERT ON campaigns "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  const std::string campaign = nlohmann::json{
      {"title", "Rolled back"},
      {"catalogueId", "isogj-soc-csirt"},
      {"assessedOn", "2026-12-01"},
      {"organizationIds",
       {world.org}}}.dump();
  r = HttpRequest(port, "POST", "/v1/campaigns", campaign, world.auth);
  EXPECT_GE(r.status, 500) << r.body;
  std::this_thread::sleep_for(milliseconds(700));
  EXPECT_TRUE(receiver.Received("/rollback").empty());
  r = HttpRequest(port, "GET", "/v1/organizations/" + world.org + "/assessments?pageSize=100", "",
                  world.auth);
  EXPECT_EQ(JsonOf(r)["assessments"].size(), world.assessments.size()) << "no assessment stayed";

  exec("DROP TRIGGER refuse_campaigns;");
  r = HttpRequest(port, "POST", "/v1/campaigns", campaign, world.auth);
  ASSERT_EQ(r.status, 201) << r.body;
  const nlohmann::json got = receiver.WaitFor("/rollback", 2);
  ASSERT_EQ(got.size(), 2u) << got.dump();
  for (const auto& g : got) EXPECT_EQ(g["verified"], "ok");
}

// The audit key rotates: restarted with a new key and the old one retired, the chain verifies
// and new seals carry the new key; without the old key its seals are named as made by a key
// the service does not hold; a retired key file too short to be a key stops the start.
TEST(FaultsTest, TheAuditKeyRotatesWithTheOldKeyRetired) {
  Suite suite;
  const World world = StartWithWorld(suite, WithoutRateLimit(), 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();
  auto verify = [&] {
    const HttpResult r = HttpRequest(port, "GET", "/v1/auditLog:verify", "", world.auth);
    EXPECT_EQ(r.status, 200) << r.body;
    return JsonOf(r);
  };
  nlohmann::json verdict = verify();
  ASSERT_EQ(verdict["intact"], true) << verdict.dump();
  const std::string old_key_id = verdict["head"]["keyId"];
  const std::string new_key = suite.dir() + "/audit-key-2";
  std::ofstream(new_key) << "a-newer-audit-sealing-key-0123456789abcdef\n";

  auto restart = [&](const std::vector<std::string>& flags) {
    EXPECT_EQ(suite.service("assessment").Stop(SIGTERM, std::chrono::seconds(10)), 0);
    return suite.RestartService("assessment", flags);
  };
  ASSERT_TRUE(restart(
      {"--audit-key-file=" + new_key, "--audit-retired-key-files=" + suite.dir() + "/audit-key"}));
  HttpResult r = HttpRequest(port, "POST", "/v1/organizations",
                             R"({"displayName":"After the rotation"})", world.auth);
  for (int tries = 0; tries < 50 && r.status == 503; ++tries) {
    std::this_thread::sleep_for(milliseconds(100));
    r = HttpRequest(port, "POST", "/v1/organizations", R"({"displayName":"After the rotation"})",
                    world.auth);
  }
  ASSERT_EQ(r.status, 201) << r.body;
  verdict = verify();
  EXPECT_EQ(verdict["intact"], true) << verdict.dump();
  EXPECT_NE(verdict["head"]["keyId"], old_key_id) << "new seals use the new key";
  EXPECT_GE(std::stoi(verdict["sealsChecked"].get<std::string>()), 2);

  ASSERT_TRUE(restart({"--audit-key-file=" + new_key}));
  for (int tries = 0; tries < 50; ++tries) {
    r = HttpRequest(port, "GET", "/v1/auditLog:verify", "", world.auth);
    if (r.status != 503) break;
    std::this_thread::sleep_for(milliseconds(100));
  }
  verdict = JsonOf(r);
  EXPECT_FALSE(verdict.value("intact", false)) << r.body;
  EXPECT_NE(verdict["firstBreak"]["reason"].get<std::string>().find(
                "a key this service does not hold (" + old_key_id + ")"),
            std::string::npos)
      << r.body;

  std::ofstream(suite.dir() + "/short-key") << "short\n";
  EXPECT_EQ(suite.service("assessment").Stop(SIGTERM, std::chrono::seconds(10)), 0);
  EXPECT_FALSE(suite.RestartService(
      "assessment",
      {"--audit-key-file=" + new_key, "--audit-retired-key-files=" + suite.dir() + "/short-key"}));
  suite.service("assessment").Stop(SIGTERM, std::chrono::seconds(5));
  std::ifstream log(suite.dir() + "/assessment.3.log");
  const std::string said((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(said.find("short-key holds fewer than 32 bytes"), std::string::npos) << said;
  ASSERT_TRUE(suite.RestartService("assessment"));
}

TEST(FaultsTest, AFrozenBackendAnswers504AtTheDeadline) {
  Suite suite;
  SuiteOptions options = WithoutRateLimit();
  const World world = StartWithWorld(suite, options, 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();
  // The trend always asks scoring (a warm score need not: the revision board vouches for it).
  const std::string score = "/v1/organizations/" + world.org + "/trend";
  ASSERT_EQ(HttpRequest(port, "GET", score, "", world.auth).status, 200);

  const auto origin = Clock::now();
  ASSERT_TRUE(suite.service("scoring").Signal(SIGSTOP));
  // Whatever fails below, the suite must be able to stop the service.
  std::shared_ptr<void> thaw(nullptr, [&](void*) { suite.service("scoring").Signal(SIGCONT); });
  std::vector<std::future<Outcome>> frozen;
  for (int i = 0; i < 3; ++i) {
    frozen.push_back(
        std::async(std::launch::async, [&] { return Timed("GET", port, score, "", world.auth); }));
  }
  // The gateway itself is not held up.
  std::this_thread::sleep_for(milliseconds(200));
  for (int i = 0; i < 5; ++i) {
    const Outcome o = Timed("GET", port, world.Assessment(0), "", world.auth);
    EXPECT_EQ(o.status, 200) << Describe(o, origin);
    EXPECT_LT(o.end - o.start, milliseconds(500)) << Describe(o, origin);
  }
  for (auto& f : frozen) {
    const Outcome o = f.get();
    EXPECT_EQ(o.status, 504) << Describe(o, origin);
    EXPECT_EQ(o.code, "DEADLINE_EXCEEDED") << Describe(o, origin);
    EXPECT_GT(o.end - o.start, milliseconds(2800)) << Describe(o, origin);
    EXPECT_LT(o.end - o.start, kNoHangBound) << Describe(o, origin);
  }
  ASSERT_TRUE(suite.service("scoring").Signal(SIGCONT));
  const auto resumed = Clock::now();
  Outcome healed;
  while (Clock::now() - resumed < std::chrono::seconds(5)) {
    healed = Timed("GET", port, score, "", world.auth);
    if (healed.status == 200) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(healed.status, 200) << Describe(healed, origin);
  EXPECT_LT(healed.end - resumed, kRecoveryBound);
}

// A PostgreSQL cluster of this test's own (tests/start-postgres.sh), so that a
// restart never disturbs other tests sharing the run's cluster.
class ThrowawayPostgres {
 public:
  static constexpr char kBin[] = "/usr/lib/postgresql/15/bin";

  ~ThrowawayPostgres() {
    if (dir_.empty()) return;
    const std::string cmd =
        absl::StrCat("bash ", SOCM_SOURCE_DIR, "/tests/start-postgres.sh stop '", dir_, "'");
    if (std::system(cmd.c_str()) != 0) ADD_FAILURE() << "could not stop the cluster in " << dir_;
  }

  bool Start() {
    FILE* out =
        popen(absl::StrCat("bash ", SOCM_SOURCE_DIR, "/tests/start-postgres.sh").c_str(), "r");
    if (out == nullptr) return false;
    char line[4096];
    while (std::fgets(line, sizeof line, out) != nullptr) {
      std::string text(line);
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      const std::string prefix = "export ";
      const size_t eq = text.find('=');
      if (text.rfind(prefix, 0) != 0 || eq == std::string::npos) continue;
      std::string value;
      for (size_t i = eq + 1; i < text.size(); ++i) {  // undo printf %q's backslashes
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value.push_back(text[i]);
      }
      const std::string name = text.substr(prefix.size(), eq - prefix.size());
      if (name == "SOCM_TEST_POSTGRES_URL") url_ = value;
      if (name == "SOCM_TEST_POSTGRES_DIR") dir_ = value;
    }
    const int rc = pclose(out);
    return rc == 0 && !url_.empty() && !dir_.empty();
  }

  // pg_ctl restart -m fast, as the server's own user; true when it is up again.
  bool Restart() {
    const std::string as = geteuid() == 0 ? "runuser -u postgres -- " : "";
    const std::string cmd =
        absl::StrCat("cd '", dir_, "' && ", as, kBin, "/pg_ctl -D '", dir_, "/data' -l '", dir_,
                     "/postgres.log' -w -t 60 -m fast restart >>'", dir_, "/pg_ctl.log' 2>&1");
    return std::system(cmd.c_str()) == 0;
  }

  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::string dir_;
};

TEST(FaultsTest, PostgresRestartHealsWritesWithoutAServiceRestart) {
  if (!std::filesystem::exists(std::string(ThrowawayPostgres::kBin) + "/pg_ctl")) {
    GTEST_SKIP() << "PostgreSQL 15 is not installed";
  }
  ThrowawayPostgres cluster;  // declared first: it outlives the suite
  ASSERT_TRUE(cluster.Start()) << "tests/start-postgres.sh failed";
  // FreshPostgresDatabase reads the server from here; this process only, and
  // only for this test.
  const char* before = std::getenv("SOCM_TEST_POSTGRES_URL");
  const std::string saved = before == nullptr ? "" : before;
  std::shared_ptr<void> restore(nullptr, [&](void*) {
    if (saved.empty()) {
      unsetenv("SOCM_TEST_POSTGRES_URL");
    } else {
      setenv("SOCM_TEST_POSTGRES_URL", saved.c_str(), 1);
    }
  });
  setenv("SOCM_TEST_POSTGRES_URL", cluster.url().c_str(), 1);
  Suite suite;
  SuiteOptions options = WithoutRateLimit();
  options.engine = "postgres";
  const World world = StartWithWorld(suite, options, 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();
  const std::string answer = world.Assessment(0) + "/answers/A-1";
  ASSERT_EQ(HttpRequest(port, "PUT", answer, R"({"inSource":1})", world.auth).status, 200);

  const auto origin = Clock::now();
  Load load(2, [&](int t, int n) {
    return Timed("PUT", port, world.Assessment(0) + (t == 0 ? "/answers/A-1" : "/answers/B-1"),
                 json{{"inSource", n % 6}, {"note", std::to_string(n)}}.dump(), world.auth);
  });
  std::this_thread::sleep_for(milliseconds(500));
  const auto restart_at = Clock::now();
  ASSERT_TRUE(cluster.Restart()) << "pg_ctl restart failed";
  const auto restarted = Clock::now();
  // Writes heal on their own: poll until one succeeds.
  Outcome healed;
  while (Clock::now() - restarted < std::chrono::seconds(10)) {
    healed = Timed("PUT", port, answer, R"({"inSource":2})", world.auth);
    if (healed.status == 200) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  const double heal_seconds = Seconds(healed.end - restarted);
  std::this_thread::sleep_for(milliseconds(500));
  const std::vector<Outcome> outcomes = load.Stop();
  ASSERT_EQ(healed.status, 200) << "writes still failing 10 s after the restart: "
                                << Describe(healed, origin);
  EXPECT_LT(heal_seconds, 5.0);
  RecordProperty("restart_ms", static_cast<int>(Seconds(restarted - restart_at) * 1000));
  RecordProperty("heal_ms", static_cast<int>(heal_seconds * 1000));

  int failed = 0, bad = 0, late_ok = 0;
  std::map<std::string, int> by_status;
  for (const Outcome& o : outcomes) {
    EXPECT_LT(o.end - o.start, kNoHangBound) << Describe(o, origin);
    if (o.status == 200) {
      if (o.start > healed.end) ++late_ok;
      continue;
    }
    ++failed;
    ++by_status[absl::StrCat("failed_", o.status, "_", o.code)];
    // While the database is away a write fails cleanly and says "retry".
    const bool clean = (o.status == 503 && o.code == "UNAVAILABLE") ||
                       (o.status == 504 && o.code == "DEADLINE_EXCEEDED") ||
                       (o.status == 409 && o.code == "ABORTED");
    if (!clean && ++bad <= 5) ADD_FAILURE() << "during the restart: " << Describe(o, origin);
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GT(late_ok, 0) << "the writers did not recover";
  RecordProperty("failed_writes", failed);
  for (const auto& [what, n] : by_status) RecordProperty(what, n);
  // The assessment service was never restarted: still the first process.
  EXPECT_TRUE(suite.service("assessment").running());
}

TEST(FaultsTest, GatewaySigtermFinishesInFlightRequests) {
  Suite suite;
  SuiteOptions options = WithoutRateLimit();
  const World world = StartWithWorld(suite, options, 5);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();
  // The slow reader's PDF is rendered ahead; the others render while SIGTERM arrives.
  const std::string slow_target = world.Assessment(4) + "/report?format=pdf&lang=ja";
  ASSERT_EQ(HttpRequest(port, "GET", slow_target, "", world.auth).status, 200);

  std::vector<std::future<std::pair<RawResult, Clock::time_point>>> requests;
  auto launch = [&](const std::string& target, int rcvbuf, milliseconds pause) {
    requests.push_back(std::async(std::launch::async, [=] {
      RawResult r =
          RawRequest(port, RawGet(target, world.auth), std::chrono::seconds(20), rcvbuf, pause);
      return std::make_pair(std::move(r), Clock::now());
    }));
  };
  for (size_t i = 0; i < 4; ++i) {
    launch(world.Assessment(i) + "/report?format=pdf&lang=" + (i % 2 ? "en" : "ja"), 0,
           milliseconds(0));
  }
  // A client with a 4 KiB receive buffer that reads every 5 ms: its 1 MB PDF is
  // still being written long after the gateway has answered everything else.
  launch(slow_target, 4096, milliseconds(5));
  std::this_thread::sleep_for(milliseconds(100));
  const auto sigterm = Clock::now();
  const int exit_code = suite.gateway().Stop(SIGTERM, std::chrono::seconds(20));
  const auto exited = Clock::now();
  EXPECT_EQ(exit_code, 0);
  RecordProperty("drain_ms", static_cast<int>(Seconds(exited - sigterm) * 1000));

  int after_sigterm = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto [r, done] = requests[i].get();
    if (done > sigterm) ++after_sigterm;
    EXPECT_TRUE(r.connected) << i;
    EXPECT_EQ(r.status, 200) << i << ": " << r.bytes.substr(0, 300);
    EXPECT_TRUE(r.complete) << i << ": got " << r.body.size() << " body bytes";
    EXPECT_EQ(r.body.rfind("%PDF", 0), 0u) << i;
  }
  EXPECT_GE(after_sigterm, 1) << "nothing was in flight at SIGTERM";
  // Gone: a new connection is refused.
  EXPECT_FALSE(RawRequest(port, RawGet("/healthz", {}), std::chrono::seconds(2)).connected);
}

// Splits a stream of keep-alive responses; the last one may be cut short.
std::vector<RawResult> SplitResponses(const std::string& bytes) {
  std::vector<RawResult> out;
  size_t at = 0;
  while (at < bytes.size()) {
    RawResult r;
    r.connected = true;
    r.bytes = bytes.substr(at);
    ParseRaw(r);
    const size_t head = r.bytes.find("\r\n\r\n");
    if (!r.complete || head == std::string::npos) {
      out.push_back(std::move(r));
      break;
    }
    at += head + 4 + r.body.size();
    r.bytes.resize(head + 4 + r.body.size());
    out.push_back(std::move(r));
  }
  return out;
}

// A keep-alive client that pipelines big responses and reads slowly keeps the
// gateway writing after its last handler has returned. SIGTERM then must not
// cut the response being written: every response the client gets is whole.
TEST(FaultsTest, GatewaySigtermNeverCutsAResponseShort) {
  Suite suite;
  SuiteOptions options = WithoutRateLimit();
  const World world = StartWithWorld(suite, options, 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();
  const std::string target = world.Assessment(0) + "/report?format=pdf&lang=en";
  const HttpResult pdf = HttpRequest(port, "GET", target, "", world.auth);
  ASSERT_EQ(pdf.status, 200);  // rendered once; the rest come from the cache

  std::string pipelined;
  for (int i = 0; i < 3; ++i) {
    pipelined += "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " +
                 world.auth.at("Authorization") + "\r\n\r\n";
  }
  auto client = std::async(std::launch::async, [&] {
    // Reads nothing for 600 ms, then 16 KiB every 2 ms: the gateway's writes
    // wait on a full socket well after SIGTERM.
    return RawRequest(port, pipelined, std::chrono::seconds(30), 4096, milliseconds(2),
                      milliseconds(600));
  });
  std::this_thread::sleep_for(milliseconds(300));
  const int exit_code = suite.gateway().Stop(SIGTERM, std::chrono::seconds(20));
  EXPECT_EQ(exit_code, 0);
  const RawResult r = client.get();
  const std::vector<RawResult> responses = SplitResponses(r.bytes);
  ASSERT_FALSE(responses.empty());
  for (size_t i = 0; i < responses.size(); ++i) {
    EXPECT_EQ(responses[i].status, 200) << i;
    EXPECT_TRUE(responses[i].complete)
        << "response " << i << " cut short: " << responses[i].body.size() << " of "
        << pdf.body.size() << " body bytes";
  }
  RecordProperty("whole_responses", static_cast<int>(responses.size()));
}

TEST(FaultsTest, AssessmentSigtermFinishesInFlightWrites) {
  Suite suite;
  SuiteOptions options = WithoutRateLimit();
  const World world = StartWithWorld(suite, options, 1);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const int port = suite.http_port();

  const std::vector<std::string> roles = {"A-1", "B-1", "C-1", "D-1"};
  std::vector<int> acknowledged(roles.size(), 0);
  const auto origin = Clock::now();
  Load load(static_cast<int>(roles.size()), [&](int t, int n) {
    Outcome o =
        Timed("PUT", port, world.Assessment(0) + "/answers/" + roles[t],
              json{{"inSource", (n + 1) % 6}, {"note", std::to_string(n + 1)}}.dump(), world.auth);
    if (o.status == 200) acknowledged[static_cast<size_t>(t)] = n + 1;
    return o;
  });
  std::this_thread::sleep_for(milliseconds(1000));
  const auto sigterm = Clock::now();
  // The Suite gives services --shutdown-grace-ms=2000.
  EXPECT_EQ(suite.service("assessment").Stop(SIGTERM, std::chrono::seconds(10)), 0);
  const auto exited = Clock::now();
  EXPECT_LT(exited - sigterm, milliseconds(2500));
  RecordProperty("drain_ms", static_cast<int>(Seconds(exited - sigterm) * 1000));
  std::this_thread::sleep_for(milliseconds(300));
  const std::vector<Outcome> outcomes = load.Stop();

  int ok = 0, unavailable = 0, bad = 0;
  for (const Outcome& o : outcomes) {
    EXPECT_LT(o.end - o.start, kNoHangBound) << Describe(o, origin);
    if (o.status == 200) {
      ++ok;
    } else if (o.status == 503 && o.code == "UNAVAILABLE") {
      ++unavailable;
    } else if (++bad <= 5) {
      ADD_FAILURE() << "assessment draining: " << Describe(o, origin);
    }
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GT(ok, 20);
  EXPECT_GT(unavailable, 0) << "no write saw the service gone";

  // Every acknowledged write is there (at most the one in flight beyond it).
  ASSERT_TRUE(suite.RestartService("assessment"));
  HttpResult read;
  for (int attempt = 0; attempt < 60; ++attempt) {
    read = HttpRequest(port, "GET", world.Assessment(0), "", world.auth);
    if (read.status == 200) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_EQ(read.status, 200) << read.body;
  std::map<std::string, int> stored;
  const json document = JsonOf(read);
  for (const auto& answer : document["answers"]) {
    if (answer.contains("note")) {
      stored[answer["roleCode"].get<std::string>()] = std::stoi(answer["note"].get<std::string>());
    }
  }
  for (size_t w = 0; w < roles.size(); ++w) {
    EXPECT_GE(stored[roles[w]], acknowledged[w]) << roles[w];
    EXPECT_LE(stored[roles[w]], acknowledged[w] + 1) << roles[w];
  }
}

}  // namespace
}  // namespace socm::testing
