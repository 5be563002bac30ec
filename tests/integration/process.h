#pragma once
// Test helpers that run real binaries: start a process with its output in a
// log file, wait for its JSON "serving" line to learn the ports it bound
// (everything binds port 0), signal it, and collect its exit status.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace socm::testing {

class Process {
 public:
  Process() = default;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  // Starts `argv[0]` with the rest as arguments; output goes to `log_path`.
  void Start(const std::vector<std::string>& argv, const std::string& log_path);
  // Waits for a log line containing `needle`; returns that line or "" on timeout/exit.
  std::string WaitForLine(const std::string& needle, std::chrono::milliseconds timeout) const;
  // The integer field `name` of the JSON "serving" log line, or -1.
  int ServingPort(const std::string& name, std::chrono::milliseconds timeout) const;
  // Sends `signal` and waits for the exit; returns the exit code, or 128+signal
  // when killed by a signal, or -1 when it did not exit within `timeout`.
  int Stop(int signal, std::chrono::milliseconds timeout);
  // Sends `signal` without waiting (e.g. SIGSTOP/SIGCONT); false when not running.
  bool Signal(int signal) const;
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// A TCP port that was free a moment ago (for servers that cannot bind port 0).
int FreePort();

// Minimal blocking HTTP/1.1 client for tests.
struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; Set-Cookie lines joined by \n
  std::string body;
};
HttpResult HttpRequest(int port, const std::string& method, const std::string& target,
                       const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});
// HttpRequest with "Authorization: Bearer <token>".
inline HttpResult AuthedRequest(int port, const std::string& method, const std::string& target,
                                const std::string& token, const std::string& body = "",
                                std::map<std::string, std::string> headers = {}) {
  headers["Authorization"] = "Bearer " + token;
  return HttpRequest(port, method, target, body, headers);
}

// Sends raw bytes, returns everything the server answers until it closes.
std::string RawExchange(int port, const std::string& bytes, std::chrono::milliseconds timeout);

// The value of one Prometheus sample, e.g. Metric(text, "http_requests_total",
// {{"route","/healthz"},{"code","200"}}); 0 when absent.
double Metric(const std::string& exposition, const std::string& name,
              const std::map<std::string, std::string>& labels);

}  // namespace socm::testing
