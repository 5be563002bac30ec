#pragma once
// Config reads a process's settings once at start, from "--name=value" flags
// first, then SOCM_NAME environment variables, then the default. Every problem
// is collected and reported together so that a bad deployment fails fast with
// one clear message. Example:
//   socm::Config config(argc, argv);
//   int port = config.Port("grpc-port", 7001);       // --grpc-port or SOCM_GRPC_PORT
//   std::string redis = config.String("redis-addr", "");
//   if (absl::Status s = config.Finish(); !s.ok()) { /* print s, exit 2 */ }

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace socm {

class Config {
 public:
  Config(int argc, const char* const* argv);
  // For tests: flags and an environment given explicitly.
  Config(std::vector<std::string> flags, std::map<std::string, std::string> env);

  std::string String(const std::string& name, const std::string& default_value);
  // Fails when set but empty.
  std::string RequiredString(const std::string& name);
  int64_t Int(const std::string& name, int64_t default_value, int64_t min, int64_t max);
  int Port(const std::string& name, int default_value);
  std::chrono::milliseconds Millis(const std::string& name, int64_t default_ms);
  bool Bool(const std::string& name, bool default_value);

  // OK, or INVALID_ARGUMENT naming every bad or unknown setting.
  absl::Status Finish();

  // "grpc-port" -> "SOCM_GRPC_PORT".
  static std::string EnvName(const std::string& name);

 private:
  // The raw value and where it came from, or nothing when unset.
  bool Lookup(const std::string& name, std::string* value, std::string* source);

  std::map<std::string, std::string> flags_;
  std::map<std::string, std::string> env_;
  bool use_process_env_ = false;
  std::set<std::string> known_;
  std::vector<std::string> errors_;
};

}  // namespace socm
