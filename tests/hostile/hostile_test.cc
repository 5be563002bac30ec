// Hostile requests over a real socket against the real gateway: oversized and
// trickled headers, malformed HTTP, deep or broken JSON, out-of-range numbers,
// path traversal and header injection. Every test ends by checking that the
// gateway still answers /healthz, so a crash anywhere fails the test that
// caused it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/faults/world.h"

namespace socm::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using std::chrono::milliseconds;
using namespace std::string_literals;

constexpr int kReadTimeoutMs = 1500;

class HostileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = std::make_unique<Suite>();
    SuiteOptions options = WithoutRateLimit();
    options.gateway_read_timeout_ms = kReadTimeoutMs;
    ASSERT_TRUE(suite_->Start(options));
    port_ = suite_->http_port();
    world_ = MakeWorld(port_, 1);
  }
  static void TearDownTestSuite() { suite_.reset(); }

  void SetUp() override {
    if (!suite_ || port_ <= 0) GTEST_SKIP() << "the suite did not start";
  }
  void TearDown() override {
    if (!suite_) return;
    ExpectAlive();
  }

  static void ExpectAlive() {
    try {
      const HttpResult r = HttpRequest(port_, "GET", "/healthz");
      EXPECT_EQ(r.status, 200) << "the gateway no longer answers /healthz";
    } catch (const std::exception& e) {
      ADD_FAILURE() << "the gateway is gone: " << e.what();
    }
  }

  static RawResult Raw(const std::string& bytes, milliseconds timeout = milliseconds(5000)) {
    return RawRequest(port_, bytes, timeout);
  }
  static HttpResult Do(const std::string& method, const std::string& target,
                       const std::string& body = "",
                       std::map<std::string, std::string> headers = {}) {
    for (const auto& [name, value] : world_.auth) headers.emplace(name, value);
    return HttpRequest(port_, method, target, body, headers);
  }
  // A request with a JSON body over a raw socket (bytes exactly as given).
  static RawResult RawJson(const std::string& method, const std::string& target,
                           const std::string& body) {
    return Raw(absl::StrCat(method, " ", target,
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                            "Content-Type: application/json\r\nAuthorization: ",
                            world_.auth.at("Authorization"), "\r\nContent-Length: ", body.size(),
                            "\r\n\r\n", body));
  }
  static std::string ErrorOf(const RawResult& r) {
    const json body = json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("error")) return "";
    return body["error"].value("code", "");
  }
  static std::string Answer(const std::string& role) {
    return world_.Assessment(0) + "/answers/" + role;
  }
  // The inSource of `role` in an assessment body; -1 when not answered.
  static int InSourceOf(const HttpResult& r, const std::string& role) {
    const json assessment = JsonOf(r);
    if (!assessment.is_object() || !assessment.contains("answers")) return -1;
    for (const auto& a : assessment["answers"]) {
      if (a.value("roleCode", "") == role) return a.value("inSource", -1);
    }
    return -1;
  }

  static inline std::unique_ptr<Suite> suite_;
  static inline int port_ = 0;
  static inline World world_;
};

// ---- HTTP framing ----

TEST_F(HostileTest, AHugeHeaderIs431) {
  const RawResult r = Raw(RawGet("/healthz", {{"X-Big", std::string(20000, 'a')}}));
  EXPECT_EQ(r.status, 431) << r.bytes.substr(0, 200);
  EXPECT_EQ(ErrorOf(r), "INVALID_ARGUMENT");
  // A long request line counts against the same limit.
  const RawResult line = Raw(RawGet("/healthz?" + std::string(20000, 'q'), {}));
  EXPECT_EQ(line.status, 431) << line.bytes.substr(0, 200);
}

TEST_F(HostileTest, ManyHeadersAreServedUnderTheLimitAnd431Over) {
  std::map<std::string, std::string> some, too_many;
  for (int i = 0; i < 500; ++i) some[absl::StrCat("X-H", i)] = "v";       // ~4.5 KiB
  for (int i = 0; i < 3000; ++i) too_many[absl::StrCat("X-H", i)] = "v";  // ~30 KiB
  EXPECT_EQ(Raw(RawGet("/healthz", some)).status, 200);
  EXPECT_EQ(Raw(RawGet("/healthz", too_many)).status, 431);
}

TEST_F(HostileTest, SlowlorisIsDroppedAtTheReadTimeoutWhileOthersAreServed) {
  // Several connections that each send one header byte every 200 ms.
  constexpr int kConnections = 20;
  std::vector<std::future<double>> trickles;
  const auto start = Clock::now();
  for (int c = 0; c < kConnections; ++c) {
    trickles.push_back(std::async(std::launch::async, [] {
      const int fd = ConnectLoopback(port_);
      if (fd < 0) return -1.0;
      const auto opened = Clock::now();
      const std::string head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
      send(fd, head.data(), head.size(), MSG_NOSIGNAL);
      double closed_after = -1;
      for (int i = 0; i < 25 && closed_after < 0; ++i) {  // 5 s at most
        std::this_thread::sleep_for(milliseconds(200));
        char probe;
        const ssize_t got = recv(fd, &probe, 1, MSG_DONTWAIT);
        const bool gone = got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
                          send(fd, "a", 1, MSG_NOSIGNAL) < 0;
        if (gone || got > 0) {
          closed_after = std::chrono::duration<double>(Clock::now() - opened).count();
        }
      }
      close(fd);
      return closed_after;
    }));
  }
  // Meanwhile everyone else is served promptly.
  int served = 0;
  while (Clock::now() - start < milliseconds(2500)) {
    const auto t0 = Clock::now();
    const HttpResult r = HttpRequest(port_, "GET", "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_LT(Clock::now() - t0, milliseconds(500));
    ++served;
    std::this_thread::sleep_for(milliseconds(100));
  }
  for (auto& t : trickles) {
    const double closed_after = t.get();
    EXPECT_GT(closed_after, 0) << "a trickling connection was never closed";
    EXPECT_GE(closed_after, kReadTimeoutMs / 1000.0 - 0.3);
    EXPECT_LE(closed_after, kReadTimeoutMs / 1000.0 + 1.0);
  }
  EXPECT_GT(served, 10);
}

TEST_F(HostileTest, SilentAndSlowBodyConnectionsAreDropped) {
  // Connects and says nothing.
  auto t0 = Clock::now();
  RawResult r = Raw("", milliseconds(5000));
  EXPECT_TRUE(r.connected);
  EXPECT_EQ(r.bytes, "");
  EXPECT_LT(Clock::now() - t0, milliseconds(kReadTimeoutMs + 1000));
  // Promises a body and never sends it.
  t0 = Clock::now();
  r = Raw(absl::StrCat("POST /v1/organizations HTTP/1.1\r\nHost: x\r\nAuthorization: ",
                       world_.auth.at("Authorization"), "\r\nContent-Length: 100\r\n\r\n{\"disp"),
          milliseconds(5000));
  EXPECT_EQ(r.status, 0) << r.bytes.substr(0, 200);
  EXPECT_LT(Clock::now() - t0, milliseconds(kReadTimeoutMs + 1000));
}

TEST_F(HostileTest, MalformedFramingIs400Or413) {
  struct Case {
    std::string name, bytes;
    std::vector<int> statuses;
  };
  const std::vector<Case> cases = {
      {"NUL in the target", "GET /v1/catalogues/isogj\0x HTTP/1.1\r\nHost: x\r\n\r\n"s, {400}},
      {"NUL in a header value", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"s, {400}},
      {"bare CR in a header value", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", {400}},
      {"space before the colon", "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n", {400}},
      {"two Content-Lengths",
       "POST /v1/tenants HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
       "Content-Length: 3\r\n\r\n{}",
       {400}},
      // With a credential: a body to a route that needs one is read only once it is known.
      {"Content-Length and chunked",
       "POST /v1/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "s + kOperatorToken +
           "\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       {400}},
      {"a negative Content-Length",
       "POST /v1/tenants HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
       {400}},
      {"a 20-digit Content-Length",
       "POST /v1/tenants HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
       {400, 413}},
      {"a Content-Length over the limit",
       "POST /v1/tenants HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n{",
       {413}},
      {"a bad chunk size",
       "POST /v1/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "s + kOperatorToken +
           "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       {400}},
      {"HTTP/2.0 in the request line", "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", {400}},
      {"garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not HTTP at all\r\n\r\n"s, {400}},
  };
  for (const Case& c : cases) {
    const RawResult r = Raw(c.bytes);
    EXPECT_NE(std::find(c.statuses.begin(), c.statuses.end(), r.status), c.statuses.end())
        << c.name << ": " << r.bytes.substr(0, 200);
    ExpectAlive();
  }
  // A chunked body over the 1 MiB limit is refused as it streams in.
  std::string chunked = "POST /v1/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "s +
                        kOperatorToken + "\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_EQ(Raw(chunked).status, 413);
  // An absolute-form or asterisk target matches no route.
  EXPECT_EQ(Raw(RawGet("http://evil.example/healthz", {})).status, 404);
  EXPECT_EQ(Raw("OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 404);
}

// ---- JSON bodies ----

TEST_F(HostileTest, DeeplyNestedJsonIs400) {
  const int depth = 100000;
  const std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  std::string objects;
  for (int i = 0; i < depth / 10; ++i) objects += "{\"a\":";
  objects += "1" + std::string(depth / 10, '}');
  const std::vector<std::pair<std::string, std::string>> targets = {
      {"POST", "/v1/organizations"},
      {"PATCH", "/v1/organizations/" + world_.org},
      {"POST", world_.Assessment(0) + "/answers:batchUpdate"},
      {"PUT", Answer("A-1")},
      {"POST", "/v1/catalogues"},
      {"POST", "/v1/tenants/" + world_.tenant + "/apiKeys"},
  };
  for (const auto& [method, target] : targets) {
    for (const std::string& body :
         {"{\"displayName\":" + arrays + "}", "{\"answers\":" + arrays + "}", arrays, objects,
          "{\"role\":" + objects + "}"}) {
      const RawResult r = RawJson(method, target, body);
      EXPECT_EQ(r.status, 400) << method << " " << target << ": " << r.bytes.substr(0, 300);
      EXPECT_EQ(ErrorOf(r), "INVALID_ARGUMENT") << method << " " << target;
    }
    ExpectAlive();
  }
}

TEST_F(HostileTest, InvalidUtf8InJsonStringsIs400) {
  const std::vector<std::string> bad = {"\xff\xfe", "a\xc3(", "\xed\xa0\x80",  // a UTF-16 surrogate
                                        "\xf4\x90\x80\x80", "\xc0\xaf"};  // > U+10FFFF, overlong
  for (const std::string& text : bad) {
    const std::string quoted = "\"" + text + "\"";
    const std::vector<std::tuple<std::string, std::string, std::string>> requests = {
        {"POST", "/v1/organizations", "{\"displayName\":" + quoted + "}"},
        {"PATCH", "/v1/organizations/" + world_.org, "{\"industry\":" + quoted + "}"},
        {"PUT", Answer("A-2"), "{\"inSource\":1,\"note\":" + quoted + "}"},
        {"POST", world_.Assessment(0) + "/answers:batchUpdate",
         "{\"answers\":[{\"roleCode\":\"A-2\",\"note\":" + quoted + "}]}"},
        {"POST", "/v1/organizations/" + world_.org + "/assessments",
         "{\"catalogueId\":\"isogj-soc-csirt\",\"assessedOn\":\"2026-01-01\",\"title\":" + quoted +
             "}"},
        {"POST", "/v1/tenants/" + world_.tenant + "/apiKeys",
         "{\"role\":\"viewer\",\"description\":" + quoted + "}"},
        {"PUT", Answer("A-2"), "{\"inSource\":1,\"note\":\"ok\",\"x" + text + "\":1}"},
    };
    for (const auto& [method, target, body] : requests) {
      const RawResult r = RawJson(method, target, body);
      EXPECT_EQ(r.status, 400) << method << " " << target << " " << body << ": "
                               << r.bytes.substr(0, 300);
    }
  }
  // Escaped lone surrogates decode to no valid UTF-8 either.
  for (const std::string escape : {"\\ud800", "\\udc00x", "\\ud800\\u0041"}) {
    const RawResult r = RawJson("PUT", Answer("A-2"), "{\"note\":\"" + escape + "\"}");
    EXPECT_EQ(r.status, 400) << escape << ": " << r.bytes.substr(0, 300);
  }
  // A custom catalogue is a document of many strings: an invalid one is 400 too.
  json doc = json::parse(Do("GET", "/v1/catalogues/isogj-soc-csirt").body);
  doc.erase("builtin");
  doc.erase("language");
  doc["id"] = "hostile-utf8";
  std::string text = doc.dump();
  const std::string name = "\"" + doc["functions"][0]["roles"][0]["name"]["en"].get<std::string>();
  ASSERT_NE(text.find(name), std::string::npos);
  text.replace(text.find(name), name.size(), "\"\xff\xfe");
  const RawResult r = RawJson("POST", "/v1/catalogues", text);
  EXPECT_EQ(r.status, 400) << r.bytes.substr(0, 300);
  EXPECT_EQ(Do("GET", "/v1/catalogues/hostile-utf8").status, 404);
}

TEST_F(HostileTest, NulBytesArePlainDataOrRefused) {
  // In a path parameter: it never matches a parameter.
  EXPECT_EQ(Do("GET", "/v1/catalogues/isogj-soc-csirt%00").status, 404);
  EXPECT_EQ(Do("GET", "/v1/organizations/" + world_.org + "%00").status, 404);
  // In a query value.
  EXPECT_EQ(Do("GET", "/v1/catalogues/isogj-soc-csirt?lang=en%00").status, 400);
  // A NUL after the JSON value is trailing garbage.
  EXPECT_EQ(RawJson("PUT", Answer("A-3"), "{\"inSource\":1}\0"s).status, 400);
  EXPECT_EQ(RawJson("PUT", Answer("A-3"), "\0{\"inSource\":1}"s).status, 400);
  // Observed: a raw NUL (or other control byte) inside a JSON string is read
  // as that character; RFC 8259 wants it escaped, protobuf's parser is lenient.
  // It is stored, and escaped on the way out, like "\u0000" below.
  RawResult raw = RawJson("PUT", Answer("A-3"), "{\"inSource\":1,\"note\":\"a\0b\"}"s);
  EXPECT_EQ(raw.status, 200) << raw.bytes.substr(0, 300);
  EXPECT_NE(raw.body.find(R"("note":"a\u0000b")"), std::string::npos);
  // An escaped one is a character like any other: kept, and escaped on the way out.
  const HttpResult put = Do("PUT", Answer("A-3"), R"({"inSource":2,"note":"a\u0000b"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_NE(put.body.find(R"("note":"a\u0000b")"), std::string::npos) << put.body;
}

// Observed and pinned here (protobuf 3.21's JSON mapping; nlohmann for apiKeys):
// - a proto3 `optional` field named twice (inSource, note, ...) is refused, 400;
// - a map key named twice (labels, functionTargets) is refused, 400;
// - a plain field named twice (displayName, industry, roleCode): the last wins;
// - a repeated field named twice: the lists are concatenated;
// - POST .../apiKeys (parsed by nlohmann): the last wins.
TEST_F(HostileTest, DuplicateKeysAreNotACrash) {
  EXPECT_EQ(Do("PUT", Answer("A-4"), R"({"inSource":1,"inSource":5})").status, 400);
  EXPECT_EQ(Do("PUT", Answer("A-4"), R"({"inSource":1,"note":"a","note":"b"})").status, 400);
  EXPECT_EQ(
      Do("POST", "/v1/organizations", R"({"displayName":"o","labels":{"k":"1","k":"2"}})").status,
      400);
  EXPECT_EQ(Do("POST", "/v1/organizations/" + world_.org + "/assessments",
               R"({"catalogueId":"isogj-soc-csirt","title":"t","assessedOn":"2026-01-01",)"
               R"("functionTargets":{"A":1,"A":2}})")
                .status,
            400);

  HttpResult r =
      Do("POST", "/v1/organizations", R"({"displayName":"first","displayName":"second"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(JsonOf(r)["displayName"], "second");
  r = Do("PATCH", "/v1/organizations/" + JsonOf(r)["id"].get<std::string>(),
         R"({"industry":"a","industry":"b"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonOf(r)["industry"], "b");
  r = Do("POST", "/v1/tenants/" + world_.tenant + "/apiKeys",
         R"({"role":"viewer","role":"assessor"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(JsonOf(r)["role"], "assessor");

  r = Do("POST", world_.Assessment(0) + "/answers:batchUpdate",
         R"({"answers":[{"roleCode":"A-5","roleCode":"A-4","inSource":1}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(InSourceOf(r, "A-4"), 1);
  r = Do(
      "POST", world_.Assessment(0) + "/answers:batchUpdate",
      R"({"answers":[{"roleCode":"A-5","inSource":2}],"answers":[{"roleCode":"A-4","inSource":3}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(InSourceOf(r, "A-5"), 2);
  EXPECT_EQ(InSourceOf(r, "A-4"), 3);
  // The same role twice in one batch is refused as such.
  r = Do("POST", world_.Assessment(0) + "/answers:batchUpdate",
         R"({"answers":[{"roleCode":"A-5","inSource":1},{"roleCode":"A-5","inSource":2}]})");
  EXPECT_EQ(r.status, 400);
  // Thousands of repeats of one plain key.
  std::string body = R"({"roleCode":"A-5",)";
  for (int i = 0; i < 10000; ++i) body += R"("roleCode":"A-5",)";
  body += R"("inSource":4})";
  r = Do("PUT", Answer("A-5"), body);
  EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(InSourceOf(r, "A-5"), 4);
}

TEST_F(HostileTest, NumbersOutOfRangeAre400AndEdgeCasesAreDefined) {
  for (const std::string v : {"1e400", "-1e400", "2147483648", "-2147483649", "9223372036854775808",
                              "1.5",   "1e1",    "6",          "-1",          "true",
                              "[1]",   "{}",     "\"x\"",      "NaN",         "0x1",
                              "01",    "1_0",    "\"1e400\"",  "\"\"",        "\" 3\""}) {
    const HttpResult r = Do("PUT", Answer("A-6"), "{\"inSource\":" + v + "}");
    EXPECT_EQ(r.status, 400) << "inSource " << v << ": " << r.body;
    EXPECT_EQ(ErrorCode(r), "INVALID_ARGUMENT") << v;
  }
  // Defined: the JSON mapping reads -0 as 0, "3" (a quoted integer) as 3,
  // 3.0 and 3e0 as 3 (integral values), and null as "no value".
  const std::vector<std::pair<std::string, int>> accepted = {{"-0", 0},  {"\"3\"", 3},  {"3.0", 3},
                                                             {"3e0", 3}, {"\"-0\"", 0}, {"2", 2}};
  for (const auto& [v, expected] : accepted) {
    const HttpResult r = Do("PUT", Answer("A-6"), "{\"inSource\":" + v + "}");
    ASSERT_EQ(r.status, 200) << "inSource " << v << ": " << r.body;
    EXPECT_EQ(InSourceOf(r, "A-6"), expected) << v;
  }
  // null is "no value": with nothing else, the answer is removed.
  const HttpResult removed = Do("PUT", Answer("A-6"), R"({"inSource":null})");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(InSourceOf(removed, "A-6"), -1);
  // Doubles: targets must be finite and 0..5.
  for (const std::string v :
       {"1e400", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "5.0001", "-0.1"}) {
    const HttpResult r =
        Do("POST", "/v1/organizations/" + world_.org + "/assessments",
           R"({"catalogueId":"isogj-soc-csirt","title":"n","assessedOn":"2026-01-01",)"
           R"("functionTargets":{"A":)" +
               v + "}}");
    EXPECT_EQ(r.status, 400) << "target " << v << ": " << r.body;
  }
  // int64 and int32 fields elsewhere.
  EXPECT_EQ(Do("POST", "/v1/organizations", R"({"displayName":"n","employeeCount":1e400})").status,
            400);
  EXPECT_EQ(Do("POST", "/v1/organizations", R"({"displayName":"n","employeeCount":-5})").status,
            400);
  EXPECT_EQ(Do("GET", world_.Assessment(0).substr(0, world_.Assessment(0).rfind('/')) +
                          "?pageSize=99999999999")
                .status,
            400);
  EXPECT_EQ(Do("GET", "/v1/catalogues?pageSize=-1").status, 400);
}

// ---- static files ----

TEST_F(HostileTest, PathTraversalOnStaticFilesIs404) {
  for (const std::string target :
       {"/ui/../../etc/passwd", "/ui/%2e%2e%2fetc%2fpasswd", "/ui/..%2f..%2fCMakeLists.txt",
        "/ui/%2e%2e/%2e%2e/CMakeLists.txt", "/ui/..", "/ui/%2e%2e", "/ui/.", "/ui/%2F",
        "/ui/..%5c..%5cCMakeLists.txt", "/ui/..\\..\\CMakeLists.txt", "/ui/index.html%00.txt",
        "/ui//etc/passwd", "/ui/%252e%252e%252fCMakeLists.txt", "/ui/%c0%ae%c0%ae/CMakeLists.txt",
        "//etc/passwd", "/../../etc/passwd", "/ui/../ui/../../../../etc/passwd",
        "/ui/%2e%2e%2f%2e%2e%2f%2e%2e%2fgateway%2fmain.cc", "/ui/%"}) {
    const RawResult r = Raw(RawGet(target, {}));
    EXPECT_TRUE(r.status == 404 || r.status == 400) << target << ": " << r.status;
    EXPECT_EQ(r.bytes.find("root:"), std::string::npos) << target;
    EXPECT_EQ(r.bytes.find("cmake_minimum_required"), std::string::npos) << target;
    EXPECT_EQ(r.bytes.find("#include"), std::string::npos) << target;
  }
  // The files that are there are served.
  const RawResult index = Raw(RawGet("/", {}));
  if (index.status == 200) {
    std::string lower = index.bytes.substr(0, index.bytes.find("\r\n\r\n"));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(lower.find("content-security-policy"), std::string::npos);
  }
}

// ---- header injection ----

TEST_F(HostileTest, RequestIdsWithControlCharactersAreNeverReflected) {
  const std::vector<std::string> requests = {
      // obs-fold: a continuation line that would smuggle a header if echoed
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: abc\r\n "
      "Set-Cookie: evil=1\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: abc%0d%0aSet-Cookie:"
      "%20evil=1\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: abc\tSet-Cookie: "
      "evil=1\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: " +
          std::string(200, 'a') + "\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: "
      "\xe2\x80\xa8x\r\n\r\n",
  };
  for (const std::string& request : requests) {
    const RawResult r = Raw(request);
    const std::string head = r.bytes.substr(0, r.bytes.find("\r\n\r\n"));
    if (r.status == 400) continue;  // refused outright is fine too
    EXPECT_EQ(r.status, 200) << r.bytes.substr(0, 200);
    EXPECT_EQ(head.find("evil"), std::string::npos) << head;
    EXPECT_EQ(head.find("Set-Cookie"), std::string::npos) << head;
    std::string lower = head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const size_t id = lower.find("\r\nx-request-id: ");
    ASSERT_NE(id, std::string::npos) << head;
    const std::string value = head.substr(id + 16, head.find("\r\n", id + 2) - id - 16);
    EXPECT_EQ(value.size(), 16u) << "a client id that is not plain is replaced: " << value;
  }
  // A plain one is kept.
  const RawResult plain = Raw(RawGet("/healthz", {{"X-Request-Id", "abc-123_x.y"}}));
  EXPECT_NE(plain.bytes.find("abc-123_x.y"), std::string::npos);
}

TEST_F(HostileTest, OrganisationNamesNeverBreakContentDisposition) {
  const std::vector<std::string> names = {
      "Evil\r\nSet-Cookie: evil=1", "Quote\"; filename=\"hack.exe",
      "Slash/../..\\..\\x",         "\xe6\x9c\xac\xe7\xa4\xbe SOC\r\n\r\n<html>",
      std::string(190, 'n') + "\n",
  };
  for (const std::string& name : names) {
    HttpResult r = Do("POST", "/v1/organizations", json{{"displayName", name}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string org = JsonOf(r)["id"];
    r = Do("POST", "/v1/organizations/" + org + "/assessments",
           R"({"catalogueId":"isogj-soc-csirt","title":"t\r\nX: y","assessedOn":"2026-01-01"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string a =
        "/v1/organizations/" + org + "/assessments/" + JsonOf(r)["id"].get<std::string>();
    ASSERT_EQ(Do("PUT", a + "/answers/A-1", R"({"inSource":3})").status, 200);
    for (const char* format : {"csv", "json", "html", "xlsx"}) {
      const RawResult raw = Raw(RawGet(a + "/report?format=" + format, world_.auth));
      ASSERT_EQ(raw.status, 200) << format << ": " << raw.bytes.substr(0, 300);
      const std::string head = raw.bytes.substr(0, raw.bytes.find("\r\n\r\n"));
      std::string lower = head;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_EQ(lower.find("\r\nset-cookie"), std::string::npos) << head;
      EXPECT_EQ(lower.find("\r\nx:"), std::string::npos) << head;
      EXPECT_EQ(lower.find("<html>"), std::string::npos) << head;
      const size_t at = lower.find("\r\ncontent-disposition: ");
      ASSERT_NE(at, std::string::npos) << head;
      const size_t end = head.find("\r\n", at + 2);
      const std::string value = head.substr(at + 23, end - at - 23);
      const std::string prefix = "attachment; filename=\"";
      ASSERT_EQ(value.rfind(prefix, 0), 0u) << value;
      const std::string file = value.substr(prefix.size(), value.size() - prefix.size() - 1);
      EXPECT_EQ(value.back(), '"') << value;
      EXPECT_EQ(file.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789._-"),
                std::string::npos)
          << value;
      EXPECT_LE(file.size(), 100u) << value;
      EXPECT_EQ(value.find("filename=", prefix.size()), std::string::npos) << value;
    }
  }
}

// Guessing API keys: each guess reaches the assessment service (and its database) once;
// repeating a guess is answered from the gateway's bounded cache of unknown tokens.
TEST_F(HostileTest, RepeatedGuessesOfAKeyReachTheDatabaseOnce) {
  const auto lookups = [] {
    return Metric(HttpRequest(suite_->metrics_port("assessment"), "GET", "/metrics").body,
                  "grpc_server_handled_total",
                  {{"grpc_method", "VerifyApiKey"}, {"grpc_code", "UNAUTHENTICATED"}});
  };
  const double before = lookups();
  for (int i = 0; i < 200; ++i) {
    const HttpResult r = HttpRequest(port_, "GET", "/v1/organizations", "",
                                     {{"Authorization", "Bearer socm_guessed_key_0001"}});
    ASSERT_EQ(r.status, 401) << r.body;
  }
  EXPECT_EQ(lookups() - before, 1) << "one lookup for 200 tries of one guess";
  for (int i = 0; i < 20; ++i) {
    const HttpResult r = HttpRequest(port_, "GET", "/v1/organizations", "",
                                     {{"Authorization", absl::StrCat("Bearer socm_guess_", i)}});
    ASSERT_EQ(r.status, 401) << r.body;
  }
  EXPECT_EQ(lookups() - before, 21) << "each new guess is looked up once";
  // A real key still works (it was never guessed, so never remembered as unknown).
  EXPECT_EQ(Do("GET", "/v1/organizations").status, 200);
}

// ---- Connections: limits and running out of descriptors ----

// A TCP connection to the gateway from a loopback address of our choice (127.0.0.x).
int ConnectFrom(const char* from, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, from, &local.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    ::close(fd);
    return -1;
  }
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// What the server sends within `timeout` (until it closes or stays quiet).
std::string ReadFor(int fd, milliseconds timeout) {
  std::string out;
  const auto until = Clock::now() + timeout;
  char buf[4096];
  while (Clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now()).count();
    if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(left, 1))) <= 0) break;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    // One whole response: the headers, then Content-Length bytes.
    const size_t end = out.find("\r\n\r\n");
    const size_t length_at = out.find("Content-Length: ");
    if (end != std::string::npos && length_at != std::string::npos && length_at < end &&
        out.size() >= end + 4 + std::stoul(out.substr(length_at + 16))) {
      break;
    }
  }
  return out;
}

std::string HealthzOver(int fd) {
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size()))
    return "";
  return ReadFor(fd, milliseconds(3000));
}

// A gateway of the test's own beside the suite's, on the same backends.
std::unique_ptr<Process> ExtraGateway(Suite& suite, std::vector<std::string> prefix,
                                      const std::vector<std::string>& extra,
                                      const std::string& name, int* port) {
  for (const auto& a : suite.GatewayArgs()) prefix.push_back(a);
  for (const auto& a : extra) prefix.push_back(a);
  auto p = std::make_unique<Process>();
  p->Start(prefix, suite.dir() + "/" + name + ".log");
  *port = p->ServingPort("http_port", std::chrono::seconds(20));
  return p;
}

TEST_F(HostileTest, ConnectionsAreCappedInAllAndPerClientAddressWithAnAnswer) {
  int port = 0;
  auto gateway =
      ExtraGateway(*suite_, {}, {"--max-connections=15", "--max-connections-per-address=10"},
                   "capped-gateway", &port);
  ASSERT_GT(port, 0);
  std::vector<int> first;  // from 127.0.0.1
  for (int i = 0; i < 10; ++i) first.push_back(ConnectFrom("127.0.0.1", port));
  ASSERT_NE(HealthzOver(first[0]).find("HTTP/1.1 200"), std::string::npos);
  const int eleventh = ConnectFrom("127.0.0.1", port);
  const std::string refused = ReadFor(eleventh, milliseconds(3000));
  EXPECT_NE(refused.find("HTTP/1.1 429"), std::string::npos) << refused;
  EXPECT_NE(refused.find("RESOURCE_EXHAUSTED"), std::string::npos) << refused;
  ::close(eleventh);
  // Another address still gets in, until the total is reached.
  std::vector<int> second;
  for (int i = 0; i < 5; ++i) second.push_back(ConnectFrom("127.0.0.2", port));
  ASSERT_NE(second[0], -1) << "127.0.0.2 is a loopback address on Linux";
  EXPECT_NE(HealthzOver(second[4]).find("HTTP/1.1 200"), std::string::npos);
  const int over = ConnectFrom("127.0.0.2", port);
  const std::string busy = ReadFor(over, milliseconds(3000));
  EXPECT_NE(busy.find("HTTP/1.1 503"), std::string::npos) << busy;
  EXPECT_NE(busy.find("Retry-After: 1"), std::string::npos) << busy;
  ::close(over);
  // Closed connections give their places back.
  for (int i = 0; i < 3; ++i) ::close(first[static_cast<size_t>(i)]);
  std::string again;
  for (int attempt = 0; attempt < 20 && again.find("HTTP/1.1 200") == std::string::npos;
       ++attempt) {
    std::this_thread::sleep_for(milliseconds(50));
    const int fd = ConnectFrom("127.0.0.2", port);
    again = HealthzOver(fd);
    ::close(fd);
  }
  EXPECT_NE(again.find("HTTP/1.1 200"), std::string::npos) << again;
  for (size_t i = 3; i < first.size(); ++i) ::close(first[i]);
  for (int fd : second) ::close(fd);
  EXPECT_EQ(gateway->Stop(SIGTERM, std::chrono::seconds(10)), 0);
}

// CPU seconds a process has used so far (user + system), from /proc.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

TEST_F(HostileTest, OutOfFileDescriptorsTheGatewayWaitsInsteadOfSpinningAndRecovers) {
#ifdef __SANITIZE_ADDRESS__
  // UBSan's vptr check opens a pipe to test memory; with no descriptor left it reports a false
  // "invalid vptr" and stops the gateway. The plain build runs this test.
  GTEST_SKIP() << "not under the sanitizers: their own checks need file descriptors";
#endif
  int port = 0;
  // 128 descriptors: enough to start (gRPC channels, Redis, threads) and little to exhaust.
  auto gateway = ExtraGateway(*suite_, {"prlimit", "--nofile=128:128"}, {}, "fd-gateway", &port);
  ASSERT_GT(port, 0) << "see " << gateway->log_path();
  std::vector<int> held;
  for (int i = 0; i < 200; ++i) {
    const int fd = ConnectFrom("127.0.0.1", port);
    if (fd >= 0) held.push_back(fd);
  }
  ASSERT_GT(held.size(), 150u);
  ASSERT_FALSE(gateway->WaitForLine("cannot accept connections", std::chrono::seconds(5)).empty())
      << "the gateway ran out of descriptors";
  const double before = CpuSeconds(gateway->pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const double used = CpuSeconds(gateway->pid()) - before;
  EXPECT_LT(used, 0.4) << "CPU seconds in 2 s with the accept queue full (a spinning loop uses ~2)";
  for (int fd : held) ::close(fd);
  std::string answer;
  for (int attempt = 0; attempt < 40 && answer.find("HTTP/1.1 200") == std::string::npos;
       ++attempt) {
    std::this_thread::sleep_for(milliseconds(100));
    const int fd = ConnectFrom("127.0.0.1", port);
    answer = HealthzOver(fd);
    ::close(fd);
  }
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos)
      << "serves again once descriptors are free";
  EXPECT_EQ(gateway->Stop(SIGTERM, std::chrono::seconds(10)), 0);
}

// A body is read only once its sender is known: the refusal of an unknown key comes as soon
// as the headers are in, while the 4 MiB it announced have not been sent.
TEST_F(HostileTest, AnUnknownKeyIsRefusedBeforeItsBodyIsRead) {
  const int fd = ConnectFrom("127.0.0.1", port_);
  ASSERT_GE(fd, 0);
  const std::string head = absl::StrCat(
      "POST ", world_.Assessment(0), "/answers:import HTTP/1.1\r\nHost: x\r\n",
      "Authorization: Bearer socm_not_a_key_at_all\r\n",
      "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n",
      "Content-Length: 4194304\r\n\r\n");
  ASSERT_EQ(::write(fd, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  const auto start = Clock::now();
  const std::string answer = ReadFor(fd, milliseconds(1000));
  EXPECT_NE(answer.find("HTTP/1.1 401"), std::string::npos) << answer;
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
  ::close(fd);
  // The same request with a good key waits for its body, as it should.
  const int good = ConnectFrom("127.0.0.1", port_);
  const std::string good_head = absl::StrCat(
      "POST ", world_.Assessment(0), "/answers:import?dryRun=true HTTP/1.1\r\nHost: x\r\n",
      "Authorization: ", world_.auth.at("Authorization"), "\r\n",
      "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n",
      "Content-Length: 4194304\r\n\r\n");
  ASSERT_EQ(::write(good, good_head.data(), good_head.size()),
            static_cast<ssize_t>(good_head.size()));
  EXPECT_EQ(ReadFor(good, milliseconds(500)), "") << "nothing is answered before the body";
  ::close(good);
}

}  // namespace
}  // namespace socm::testing
