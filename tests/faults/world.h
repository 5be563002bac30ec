#pragma once
// World is the data a fault or hostile test needs in a running Suite: a
// tenant with an admin key, one organisation and assessments whose 54 roles
// are all answered, so that every read route (catalogue, assessment, score,
// report) has something real to serve. Also a tiny raw HTTP client that tells
// apart "never connected", "cut short" and "answered". Example:
//   World world = MakeWorld(suite.http_port(), 2);
//   HttpResult r = HttpRequest(port, "GET", world.Assessment(0) + "/score", "", world.auth);

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/process.h"
#include "tests/integration/suite.h"

namespace socm::testing {

struct World {
  std::string tenant;
  std::string org;
  std::vector<std::string> assessments;
  std::map<std::string, std::string> auth;  // Authorization: Bearer <admin key>

  std::string Assessment(size_t i) const {
    return "/v1/organizations/" + org + "/assessments/" + assessments.at(i);
  }
};

inline nlohmann::json JsonOf(const HttpResult& r) {
  return nlohmann::json::parse(r.body, nullptr, false);
}

// The "error.code" of an error body, or "".
inline std::string ErrorCode(const HttpResult& r) {
  const nlohmann::json body = JsonOf(r);
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return "";
  return body["error"].value("code", "");
}

// Options that keep the gateway's rate limit out of the way of a test's own load.
inline SuiteOptions WithoutRateLimit(SuiteOptions options = {}) {
  options.rate_limit_per_second = 1000000;
  return options;
}

// Builds the world through the public API; fails the test on any surprise.
inline World MakeWorld(int port, int assessments) {
  using nlohmann::json;
  World w;
  const std::map<std::string, std::string> op = {
      {"Authorization", std::string("Bearer ") + kOperatorToken}};
  HttpResult r = HttpRequest(port, "POST", "/v1/tenants", R"({"displayName":"Faults"})", op);
  EXPECT_EQ(r.status, 201) << r.body;
  w.tenant = JsonOf(r).value("id", "");
  r = HttpRequest(port, "POST", "/v1/tenants/" + w.tenant + "/apiKeys", R"({"role":"admin"})", op);
  EXPECT_EQ(r.status, 201) << r.body;
  w.auth = {{"Authorization", "Bearer " + JsonOf(r).value("key", "")}};
  r = HttpRequest(port, "POST", "/v1/organizations",
                  R"({"displayName":"Customer 1","industry":"finance"})", w.auth);
  EXPECT_EQ(r.status, 201) << r.body;
  w.org = JsonOf(r).value("id", "");

  r = HttpRequest(port, "GET", "/v1/catalogues/isogj-soc-csirt", "", w.auth);
  EXPECT_EQ(r.status, 200) << r.body;
  const json catalogue = JsonOf(r);
  for (int i = 0; i < assessments; ++i) {
    r = HttpRequest(port, "POST", "/v1/organizations/" + w.org + "/assessments",
                    json{{"catalogueId", "isogj-soc-csirt"},
                         {"title", "FY" + std::to_string(2026 + i)},
                         {"assessedOn", "2026-04-01"},
                         {"functionTargets", {{"C", 4}}}}
                        .dump(),
                    w.auth);
    EXPECT_EQ(r.status, 201) << r.body;
    w.assessments.push_back(JsonOf(r).value("id", ""));
    json batch = {{"answers", json::array()}};
    int n = i;
    for (const auto& f : catalogue["functions"]) {
      for (const auto& role : f["roles"]) {
        batch["answers"].push_back({{"roleCode", role["code"]}, {"inSource", n++ % 6}});
      }
    }
    r = HttpRequest(port, "POST", w.Assessment(static_cast<size_t>(i)) + "/answers:batchUpdate",
                    batch.dump(), w.auth);
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
  }
  return w;
}

// Starts `suite` and builds a world of `assessments` in it. On failure the test has a
// failure recorded (check ::testing::Test::HasFailure()) and the world is empty.
inline World StartWithWorld(Suite& suite, const SuiteOptions& options, int assessments) {
  if (!suite.Start(options)) {
    ADD_FAILURE() << "the suite did not start";
    return {};
  }
  return MakeWorld(suite.http_port(), assessments);
}

// What a raw exchange came to.
struct RawResult {
  bool connected = false;
  std::string bytes;      // everything the server sent before it closed
  int status = 0;         // 0: no complete status line
  bool complete = false;  // a full response: status, headers and Content-Length bytes of body
  std::string body;
};

// Parses the first HTTP/1.1 response (with a Content-Length body) of `out.bytes`.
inline void ParseRaw(RawResult& out) {
  const size_t end = out.bytes.find("\r\n\r\n");
  if (out.bytes.rfind("HTTP/1.1 ", 0) != 0 || out.bytes.size() < 12) return;
  out.status = std::atoi(out.bytes.substr(9, 3).c_str());
  if (end == std::string::npos) return;
  const std::string head = out.bytes.substr(0, end);
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const size_t cl = lower.find("\r\ncontent-length:");
  if (cl == std::string::npos) return;
  const size_t length = std::strtoull(head.c_str() + cl + 17, nullptr, 10);
  out.body = out.bytes.substr(end + 4, length);
  out.complete = out.body.size() == length;
}

// A TCP connection to 127.0.0.1:`port`, or -1. `rcvbuf` > 0 shrinks the receive buffer
// before the connection is made, so the window it announces is small (a slow reader).
inline int ConnectLoopback(int port, int rcvbuf = 0) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Connects, sends `request` as is, then reads until the server closes or
// `timeout` passes. `rcvbuf` > 0 shrinks the receive buffer (a slow reader)
// and `read_pause` waits between reads of at most 16 KiB.
inline RawResult RawRequest(int port, const std::string& request, std::chrono::milliseconds timeout,
                            int rcvbuf = 0,
                            std::chrono::milliseconds read_pause = std::chrono::milliseconds(0),
                            std::chrono::milliseconds before_read = std::chrono::milliseconds(0)) {
  RawResult out;
  const int fd = ConnectLoopback(port, rcvbuf);
  if (fd < 0) return out;
  timeval tv{};
  tv.tv_sec = static_cast<long>(timeout.count() / 1000);
  tv.tv_usec = static_cast<long>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  out.connected = true;
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  if (before_read.count() > 0) std::this_thread::sleep_for(before_read);
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  char buf[16384];
  while (std::chrono::steady_clock::now() < give_up) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.bytes.append(buf, static_cast<size_t>(n));
    if (read_pause.count() > 0) std::this_thread::sleep_for(read_pause);
  }
  close(fd);
  ParseRaw(out);
  return out;
}

// A GET with Connection: close and the given headers.
inline std::string RawGet(const std::string& target,
                          const std::map<std::string, std::string>& headers) {
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  return request + "\r\n";
}

}  // namespace socm::testing
