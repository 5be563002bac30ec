#pragma once
// JSON-line logging: one JSON object per line on stderr, so that any log
// collector can parse it. Example:
//   socm::Log(socm::LogLevel::kInfo, "serving", {{"grpc_port", 7001}});
// prints {"time":"2026-11-26T04:30:00.123Z","level":"info","service":"catalogue",
//         "msg":"serving","grpc_port":7001}
// Never pass a key, a token or an answer note as a field.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace socm {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Names the process in every line; call once at start.
void SetLogService(std::string service);

void Log(LogLevel level, std::string_view msg,
         const nlohmann::json& fields = nlohmann::json::object());

// The current time as RFC 3339 UTC with milliseconds.
std::string NowRfc3339();

}  // namespace socm
