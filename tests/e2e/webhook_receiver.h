#pragma once
// The tests' webhook receiver (webhook_receiver.mjs, run by Node): a real HTTP server on
// loopback that verifies each delivery's signature on its own and keeps what it received.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/integration/process.h"

namespace socm::testing {

class WebhookReceiver {
 public:
  // Starts it with its log in `dir`; false when it does not start.
  bool Start(const std::string& dir) {
    process_.Start(
        {"/usr/bin/env", "node", std::string(SOCM_SOURCE_DIR) + "/tests/e2e/webhook_receiver.mjs"},
        dir + "/webhook-receiver.log");
    port_ = process_.ServingPort("http_port", std::chrono::seconds(20));
    return port_ > 0;
  }
  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", port_, path);
  }
  // What `path` answers: `statuses` in turn, then 200; deliveries are verified with `secret`.
  void Answer(const std::string& path, const std::string& secret,
              const std::vector<int>& statuses = {}, const std::string& location = "") {
    const nlohmann::json rule = {
        {"path", path}, {"secret", secret}, {"statuses", statuses}, {"location", location}};
    HttpRequest(port_, "POST", "/control", rule.dump());
  }
  // Every request received at `path`, oldest first.
  nlohmann::json Received(const std::string& path) const {
    const auto all =
        nlohmann::json::parse(HttpRequest(port_, "GET", "/control/received").body, nullptr, false);
    nlohmann::json out = nlohmann::json::array();
    if (!all.is_array()) return out;
    for (const auto& r : all) {
      if (r["path"] == path) out.push_back(r);
    }
    return out;
  }
  // Waits until `path` has received at least `n` requests; what it has then.
  nlohmann::json WaitFor(const std::string& path, size_t n,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20)) const {
    const auto give_up = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      nlohmann::json got = Received(path);
      if (got.size() >= n || std::chrono::steady_clock::now() > give_up) return got;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

 private:
  Process process_;
  int port_ = -1;
};

}  // namespace socm::testing
