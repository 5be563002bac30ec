#include "gateway/operator_sessions.h"

#include <algorithm>

#include "services/common/crypto.h"

namespace socm::gateway {

// Sessions and codes are told from people's by the prefix, so a person's cookie never costs a
// lookup here and a log line that shows a prefix says which it was.
namespace {
constexpr char kCodePrefix[] = "opc_";
constexpr char kSessionPrefix[] = "ops_";
}  // namespace

void OperatorSessions::PurgeLocked(Clock::time_point now) {
  for (auto it = codes_.begin(); it != codes_.end();) {
    it = it->second <= now ? codes_.erase(it) : std::next(it);
  }
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const bool over = now - it->second.last_use >= kIdle || now - it->second.start >= kAbsolute;
    it = over ? sessions_.erase(it) : std::next(it);
  }
}

std::string OperatorSessions::MintCode(Clock::time_point now) {
  const std::string code = kCodePrefix + RandomHex(32);
  std::lock_guard lock(mu_);
  PurgeLocked(now);
  while (codes_.size() >= kMaxCodes) {
    codes_.erase(std::min_element(codes_.begin(), codes_.end(), [](const auto& a, const auto& b) {
      return a.second < b.second;
    }));
  }
  codes_[Sha256Hex(code)] = now + kCodeLifetime;
  return code;
}

std::optional<OperatorSessions::Started> OperatorSessions::Redeem(const std::string& code,
                                                                  Clock::time_point now) {
  if (code.size() > 128 || code.rfind(kCodePrefix, 0) != 0) return std::nullopt;
  std::lock_guard lock(mu_);
  PurgeLocked(now);
  auto it = codes_.find(Sha256Hex(code));
  if (it == codes_.end()) return std::nullopt;
  codes_.erase(it);
  while (sessions_.size() >= kMaxSessions) {
    sessions_.erase(std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.last_use < b.second.last_use; }));
  }
  Started started{kSessionPrefix + RandomHex(32), RandomHex(32),
                  std::chrono::duration_cast<std::chrono::seconds>(kAbsolute)};
  sessions_[Sha256Hex(started.session_token)] = {Sha256Hex(started.csrf_token), now, now};
  return started;
}

std::optional<std::string> OperatorSessions::Touch(const std::string& token,
                                                   Clock::time_point now) {
  if (token.rfind(kSessionPrefix, 0) != 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = sessions_.find(Sha256Hex(token));
  if (it == sessions_.end()) return std::nullopt;
  Session& session = it->second;
  if (now - session.last_use >= kIdle || now - session.start >= kAbsolute) {
    sessions_.erase(it);
    return std::nullopt;
  }
  session.last_use = now;
  return session.csrf_sha256;
}

bool OperatorSessions::IsOperatorSession(const std::string& token) {
  return token.rfind(kSessionPrefix, 0) == 0;
}

bool OperatorSessions::End(const std::string& token) {
  if (token.rfind(kSessionPrefix, 0) != 0) return false;
  std::lock_guard lock(mu_);
  return sessions_.erase(Sha256Hex(token)) > 0;
}

}  // namespace socm::gateway
