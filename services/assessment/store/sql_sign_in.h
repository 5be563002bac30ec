#pragma once
// What a person's sign-in through their identity provider leaves in the system of record:
// the login flows between /auth/login and /auth/callback, and the sessions after it. Both
// are keyed by the SHA-256 of their secret (the state, the session token), never the secret
// itself, so a copy of the database opens no session. A flow is taken once: the callback
// that reads it deletes it in the same statement, so a replayed state finds nothing.
// Sessions end after 30 minutes unused or 12 hours in all (by default), at logout, or when
// the person's sessions are ended (removed by an admin). Example:
//   SqlSignInStore sign_in(database);
//   sign_in.SaveLoginFlow(flow.state, {tenant, flow.nonce, flow.code_verifier, "/", expiry});
//   auto flow = sign_in.TakeLoginFlow(state_from_callback, now);      // once only
//   auto session = sign_in.CreateSession(tenant, person_id, now, {});  // token for the cookie
//   auto who = sign_in.TouchSession(cookie_token, now, {});
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/db/db.h"

namespace socm::assessment {

struct LoginFlowRecord {
  std::string tenant;
  std::string nonce;
  std::string code_verifier;
  // Where the browser goes once signed in (a path of the gateway's own).
  std::string return_to;
  int64_t expire_micros = 0;
};

struct SessionLimits {
  int64_t idle_micros = 30LL * 60 * 1000000;
  int64_t absolute_micros = 12LL * 3600 * 1000000;
};

struct SessionRecord {
  std::string tenant;
  std::string person_id;
  // SHA-256 of the CSRF token a cookie-authenticated write must carry.
  std::string csrf_sha256;
  int64_t create_micros = 0;
  int64_t last_seen_micros = 0;
  int64_t absolute_expire_micros = 0;
};

// A session just made: its secrets are shown here once and stored only as hashes.
struct NewSession {
  std::string token;
  std::string csrf_token;
  SessionRecord record;
};

class SqlSignInStore {
 public:
  // `database` must outlive this.
  explicit SqlSignInStore(db::Database& database) : db_(database) {}

  absl::Status SaveLoginFlow(const std::string& state, const LoginFlowRecord& flow);
  // The flow of `state`, deleted as it is read; NOT_FOUND when unknown, taken before, or
  // expired.
  absl::StatusOr<LoginFlowRecord> TakeLoginFlow(const std::string& state, int64_t now_micros);

  absl::StatusOr<NewSession> CreateSession(const std::string& tenant, const std::string& person_id,
                                           int64_t now_micros, const SessionLimits& limits);
  // The session of `token`, marked as used now; NOT_FOUND when unknown or past either
  // limit (an expired session is deleted on the way).
  absl::StatusOr<SessionRecord> TouchSession(const std::string& token, int64_t now_micros,
                                             const SessionLimits& limits);
  // Logout: NOT_FOUND when there was no such session.
  absl::Status EndSession(const std::string& token);
  // Every session of a person, e.g. when an admin removes them; how many there were.
  absl::StatusOr<int64_t> EndSessionsOf(const std::string& tenant, const std::string& person_id);
  // Every session of a tenant, e.g. when its identity provider is removed or replaced.
  absl::StatusOr<int64_t> EndTenantSessions(const std::string& tenant);
  // Expired sessions and flows, deleted; how many.
  absl::StatusOr<int64_t> PurgeExpired(int64_t now_micros, const SessionLimits& limits);

 private:
  // Runs one DELETE in a transaction; how many rows it took.
  absl::StatusOr<int64_t> Delete(const char* sql, const std::vector<db::Value>& params);
  db::Database& db_;
};

}  // namespace socm::assessment
