#pragma once
// The operator in a browser, without pasting the operator token into it. At start the gateway
// can mint a one-time sign-in code (--operator-link-file writes the link that holds it, which
// deploy/local/run.sh prints); POST /auth/operator redeems it once for an operator session
// with the same cookies as a person's (HttpOnly session, script-readable CSRF token) and the
// same timeouts (30 min idle, 12 h in all). Codes and sessions live in this gateway's memory
// alone, so they suit one gateway (a machine's run, or a first start); a cluster's operator
// keeps using the token. Only SHA-256 digests of codes and tokens are kept. Example:
//   OperatorSessions sessions;
//   std::string code = sessions.MintCode(now);        // into the printed link
//   auto started = sessions.Redeem(code, now);        // the cookies' values; nothing twice
//   std::optional<std::string> csrf = sessions.Touch(started->session_token, now);

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace socm::gateway {

class OperatorSessions {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::hours kCodeLifetime{24};
  static constexpr std::chrono::minutes kIdle{30};
  static constexpr std::chrono::hours kAbsolute{12};
  // Beyond these, the oldest go first: minting or redeeming cannot grow memory without end.
  static constexpr size_t kMaxCodes = 16;
  static constexpr size_t kMaxSessions = 64;

  struct Started {
    std::string session_token;
    std::string csrf_token;
    std::chrono::seconds lifetime;
  };

  // A new one-time code, good for kCodeLifetime.
  std::string MintCode(Clock::time_point now);
  // Starts a session for a code minted here, unused and unexpired; the code is then spent.
  std::optional<Started> Redeem(const std::string& code, Clock::time_point now);
  // The SHA-256 (hex) of the CSRF token of the live session `token` names, which then counts
  // as used now; nothing for a token that names none here (it may be a person's).
  std::optional<std::string> Touch(const std::string& token, Clock::time_point now);
  // Ends the session `token` names; false when it names none here.
  bool End(const std::string& token);
  // Whether `token` has the form of an operator session's (a person's never has).
  static bool IsOperatorSession(const std::string& token);

 private:
  struct Session {
    std::string csrf_sha256;
    Clock::time_point start;
    Clock::time_point last_use;
  };
  void PurgeLocked(Clock::time_point now);

  std::mutex mu_;
  std::map<std::string, Clock::time_point> codes_;  // digest -> expiry
  std::map<std::string, Session> sessions_;         // digest -> session
};

}  // namespace socm::gateway
