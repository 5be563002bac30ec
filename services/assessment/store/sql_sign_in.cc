#include "services/assessment/store/sql_sign_in.h"

#include "absl/strings/str_cat.h"
#include "services/common/crypto.h"
#include "services/common/status.h"

namespace socm::assessment {
namespace {

using db::Connection;

// Session tokens and CSRF tokens: 32 random bytes, hex.
constexpr size_t kSecretBytes = 32;
// Flows and sessions a tenant may hold at once: a flood of /auth/login must not fill the disk.
constexpr int64_t kMaxFlowsPerTenant = 10000;

absl::Status Gone(const char* what) {
  return absl::NotFoundError(absl::StrCat(what, " not found, used or expired"));
}

}  // namespace

absl::Status SqlSignInStore::SaveLoginFlow(const std::string& state, const LoginFlowRecord& flow) {
  if (state.size() < 32 || flow.tenant.empty() || flow.nonce.empty() ||
      flow.code_verifier.empty()) {
    return absl::InvalidArgumentError(
        "a login flow needs a state, a tenant, a nonce and a verifier");
  }
  return db_.Transaction([&](Connection& c) -> absl::Status {
    auto count = c.Query("SELECT COUNT(*) FROM login_flows WHERE tenant_id=$1", {flow.tenant});
    if (!count.ok()) return count.status();
    if (!count->empty() && count->front().Int(0) >= kMaxFlowsPerTenant) {
      return absl::ResourceExhaustedError(
          "too many sign-ins under way for this tenant; try again in a few minutes");
    }
    return c
        .Exec(
            "INSERT INTO login_flows (state_sha256, tenant_id, nonce, code_verifier, "
            "return_to, expire_time) VALUES ($1,$2,$3,$4,$5,$6)",
            {Sha256Hex(state), flow.tenant, flow.nonce, flow.code_verifier, flow.return_to,
             flow.expire_micros})
        .status();
  });
}

absl::StatusOr<LoginFlowRecord> SqlSignInStore::TakeLoginFlow(const std::string& state,
                                                              int64_t now_micros) {
  LoginFlowRecord out;
  bool found = false;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    // One statement reads and deletes: two callbacks with one state cannot both find it.
    auto rows = c.Query(
        "DELETE FROM login_flows WHERE state_sha256=$1 "
        "RETURNING tenant_id, nonce, code_verifier, return_to, expire_time",
        {Sha256Hex(state)});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::OkStatus();
    const db::Row& row = rows->front();
    out.tenant = row.Text(0);
    out.nonce = row.Text(1);
    out.code_verifier = row.Text(2);
    out.return_to = row.Text(3);
    out.expire_micros = row.Int(4);
    found = true;
    return absl::OkStatus();
  }));
  if (!found || out.expire_micros <= now_micros) return Gone("login flow");
  return out;
}

absl::StatusOr<NewSession> SqlSignInStore::CreateSession(const std::string& tenant,
                                                         const std::string& person_id,
                                                         int64_t now_micros,
                                                         const SessionLimits& limits) {
  if (tenant.empty() || person_id.empty()) {
    return absl::InvalidArgumentError("a session belongs to a tenant's person");
  }
  NewSession out;
  out.token = RandomHex(kSecretBytes);
  out.csrf_token = RandomHex(kSecretBytes);
  out.record.tenant = tenant;
  out.record.person_id = person_id;
  out.record.csrf_sha256 = Sha256Hex(out.csrf_token);
  out.record.create_micros = now_micros;
  out.record.last_seen_micros = now_micros;
  out.record.absolute_expire_micros = now_micros + limits.absolute_micros;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    return c
        .Exec(
            "INSERT INTO sessions (token_sha256, tenant_id, person_id, csrf_sha256, "
            "create_time, last_seen_time, absolute_expire_time) VALUES ($1,$2,$3,$4,$5,$6,$7)",
            {Sha256Hex(out.token), tenant, person_id, out.record.csrf_sha256, now_micros,
             now_micros, out.record.absolute_expire_micros})
        .status();
  }));
  return out;
}

absl::StatusOr<SessionRecord> SqlSignInStore::TouchSession(const std::string& token,
                                                           int64_t now_micros,
                                                           const SessionLimits& limits) {
  if (token.size() != 2 * kSecretBytes) return Gone("session");
  const std::string key = Sha256Hex(token);
  SessionRecord out;
  bool live = false;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    auto rows = c.Query(
        "SELECT tenant_id, person_id, csrf_sha256, create_time, last_seen_time, "
        "absolute_expire_time FROM sessions WHERE token_sha256=$1",
        {key});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::OkStatus();
    const db::Row& row = rows->front();
    out.tenant = row.Text(0);
    out.person_id = row.Text(1);
    out.csrf_sha256 = row.Text(2);
    out.create_micros = row.Int(3);
    out.last_seen_micros = row.Int(4);
    out.absolute_expire_micros = row.Int(5);
    if (out.last_seen_micros + limits.idle_micros <= now_micros ||
        out.absolute_expire_micros <= now_micros) {
      return c.Exec("DELETE FROM sessions WHERE token_sha256=$1", {key}).status();
    }
    live = true;
    out.last_seen_micros = now_micros;
    return c.Exec("UPDATE sessions SET last_seen_time=$2 WHERE token_sha256=$1", {key, now_micros})
        .status();
  }));
  if (!live) return Gone("session");
  return out;
}

absl::StatusOr<int64_t> SqlSignInStore::Delete(const char* sql,
                                               const std::vector<db::Value>& params) {
  int64_t deleted = 0;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    auto n = c.Exec(sql, params);
    if (!n.ok()) return n.status();
    deleted = *n;
    return absl::OkStatus();
  }));
  return deleted;
}

absl::Status SqlSignInStore::EndSession(const std::string& token) {
  auto ended = Delete("DELETE FROM sessions WHERE token_sha256=$1", {Sha256Hex(token)});
  if (!ended.ok()) return ended.status();
  return *ended > 0 ? absl::OkStatus() : Gone("session");
}

absl::StatusOr<int64_t> SqlSignInStore::EndSessionsOf(const std::string& tenant,
                                                      const std::string& person_id) {
  return Delete("DELETE FROM sessions WHERE tenant_id=$1 AND person_id=$2", {tenant, person_id});
}

absl::StatusOr<int64_t> SqlSignInStore::EndTenantSessions(const std::string& tenant) {
  return Delete("DELETE FROM sessions WHERE tenant_id=$1", {tenant});
}

absl::StatusOr<int64_t> SqlSignInStore::PurgeExpired(int64_t now_micros,
                                                     const SessionLimits& limits) {
  int64_t purged = 0;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    auto flows = c.Exec("DELETE FROM login_flows WHERE expire_time <= $1", {now_micros});
    if (!flows.ok()) return flows.status();
    auto sessions =
        c.Exec("DELETE FROM sessions WHERE absolute_expire_time <= $1 OR last_seen_time <= $2",
               {now_micros, now_micros - limits.idle_micros});
    if (!sessions.ok()) return sessions.status();
    purged = *flows + *sessions;
    return absl::OkStatus();
  }));
  return purged;
}

}  // namespace socm::assessment
