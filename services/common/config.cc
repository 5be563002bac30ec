#include "services/common/config.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace socm {
namespace {

void ParseFlags(const std::vector<std::string>& args, std::map<std::string, std::string>* flags,
                std::vector<std::string>* errors) {
  for (const std::string& arg : args) {
    if (arg.rfind("--", 0) != 0) {
      errors->push_back(absl::StrCat("unexpected argument '", arg, "' (use --name=value)"));
      continue;
    }
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      (*flags)[arg.substr(2)] = "true";
    } else {
      (*flags)[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
    }
  }
}

}  // namespace

Config::Config(int argc, const char* const* argv) : use_process_env_(true) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  ParseFlags(args, &flags_, &errors_);
}

Config::Config(std::vector<std::string> flags, std::map<std::string, std::string> env)
    : env_(std::move(env)) {
  ParseFlags(flags, &flags_, &errors_);
}

std::string Config::EnvName(const std::string& name) {
  std::string env = "SOCM_";
  for (char c : name) env += c == '-' ? '_' : absl::ascii_toupper(static_cast<unsigned char>(c));
  return env;
}

bool Config::Lookup(const std::string& name, std::string* value, std::string* source) {
  known_.insert(name);
  if (auto it = flags_.find(name); it != flags_.end()) {
    *value = it->second;
    *source = "--" + name;
    return true;
  }
  const std::string env_name = EnvName(name);
  if (use_process_env_) {
    if (const char* v = std::getenv(env_name.c_str()); v != nullptr) {
      *value = v;
      *source = env_name;
      return true;
    }
  } else if (auto it = env_.find(env_name); it != env_.end()) {
    *value = it->second;
    *source = env_name;
    return true;
  }
  return false;
}

std::string Config::String(const std::string& name, const std::string& default_value) {
  std::string value, source;
  return Lookup(name, &value, &source) ? value : default_value;
}

std::string Config::RequiredString(const std::string& name) {
  std::string value, source;
  if (!Lookup(name, &value, &source) || value.empty()) {
    errors_.push_back(absl::StrCat("--", name, " (or ", EnvName(name), ") is required"));
    return "";
  }
  return value;
}

int64_t Config::Int(const std::string& name, int64_t default_value, int64_t min, int64_t max) {
  std::string value, source;
  if (!Lookup(name, &value, &source)) return default_value;
  int64_t parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed) || parsed < min || parsed > max) {
    errors_.push_back(
        absl::StrCat(source, "='", value, "': must be an integer in ", min, "..", max));
    return default_value;
  }
  return parsed;
}

int Config::Port(const std::string& name, int default_value) {
  return static_cast<int>(Int(name, default_value, 0, 65535));
}

std::chrono::milliseconds Config::Millis(const std::string& name, int64_t default_ms) {
  return std::chrono::milliseconds(Int(name, default_ms, 1, 24LL * 3600 * 1000));
}

bool Config::Bool(const std::string& name, bool default_value) {
  std::string value, source;
  if (!Lookup(name, &value, &source)) return default_value;
  const std::string lower = absl::AsciiStrToLower(value);
  if (lower == "true" || lower == "1" || lower == "yes") return true;
  if (lower == "false" || lower == "0" || lower == "no") return false;
  errors_.push_back(absl::StrCat(source, "='", value, "': must be true or false"));
  return default_value;
}

absl::Status Config::Finish() {
  // --list-flags: every flag this binary read, one per line, for the chart's settings check.
  if (flags_.count("list-flags") != 0) {
    for (const std::string& name : known_) std::printf("%s\n", name.c_str());
    std::fflush(stdout);
    std::exit(0);
  }
  for (const auto& [name, value] : flags_) {
    if (known_.count(name) == 0) errors_.push_back(absl::StrCat("unknown flag --", name));
  }
  if (errors_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("bad configuration: ", absl::StrJoin(errors_, "; ")));
}

}  // namespace socm
