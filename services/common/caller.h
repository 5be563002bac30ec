#pragma once
// Caller is who makes a call: made once per request from verified credentials
// (the gateway's authentication, carried to the services as metadata by
// caller_metadata.h) and passed as it is to rules and stores, which take the
// tenant and the organisation scope from it and nowhere else. TenantId is the
// one type of a tenant's id. Example:
//   const Caller caller = CallerFromMetadata(*context);
//   if (!caller.MaySee(org)) return absl::NotFoundError(...);
//   store.GetOrganization(caller, org);
//   // The operator, acting for one tenant on that tenant's keys:
//   store.ListApiKeys(caller.ActingFor(TenantId(request->tenant_id())), page);

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace socm {

class TenantId {
 public:
  TenantId() = default;
  explicit TenantId(std::string id) : id_(std::move(id)) {}
  const std::string& value() const { return id_; }
  bool empty() const { return id_.empty(); }
  friend bool operator==(const TenantId& a, const TenantId& b) { return a.id_ == b.id_; }
  friend bool operator!=(const TenantId& a, const TenantId& b) { return a.id_ != b.id_; }

 private:
  std::string id_;
};

// What the credential may do; each route and RPC says what it needs.
// kService is a suite component acting for itself (the gateway checking a key, the
// assessment service pulling the catalogue's audit records), never a person.
enum class Role { kNone, kViewer, kAssessor, kAdmin, kOperator, kService };

// "viewer", "assessor", "admin", "operator", "service", or "" for kNone.
const char* RoleName(Role role);
// The inverse of RoleName; kNone for anything else.
Role RoleNamed(const std::string& name);

// The principals of the suite's components acting for themselves (Role::kService).
inline constexpr char kGatewayServicePrincipal[] = "gateway";
inline constexpr char kAssessmentServicePrincipal[] = "assessment";

// The ids of people signed in through a provider begin so (an API key's with "key_").
inline constexpr char kPersonIdPrefix[] = "person_";
// At most this many organisations in one caller's scope.
// (Each travels in the signed principal of every call inside the suite: a few kilobytes.)
inline constexpr size_t kMaxScopeOrganizations = 200;

struct Caller {
  // Empty for the operator, who belongs to no tenant.
  TenantId tenant;
  // The API key's id, or "operator": what the audit log names.
  std::string principal;
  Role role = Role::kNone;
  // Non-empty for a caller limited to some organisations (a key pinned to one, a person
  // given a set by an admin or the provider's claims): the only ones it sees.
  std::vector<std::string> organizations;
  // Carried along for the log lines of every service a request reaches.
  std::string request_id;
  // Where the request came from (the gateway's peer), for the audit log.
  std::string client_address;
  // The signed form of the fields above (principal_token.h) as the gateway issued it; what a
  // service passes on when it calls another for this caller.
  std::string token;

  bool is_operator() const { return role == Role::kOperator; }
  // Whether the organisation is within the caller's scope.
  bool MaySee(const std::string& org) const {
    return organizations.empty() ||
           std::find(organizations.begin(), organizations.end(), org) != organizations.end();
  }
  // Whether the caller sees only some of the tenant's organisations.
  bool scoped() const { return !organizations.empty(); }
  // The same caller working inside `tenant` (the operator on a tenant's keys).
  Caller ActingFor(TenantId tenant) const {
    Caller out = *this;
    out.tenant = std::move(tenant);
    return out;
  }
};

// A suite component acting for itself: `principal` is one of the names above.
inline Caller ServiceCaller(const char* principal) {
  Caller caller;
  caller.principal = principal;
  caller.role = Role::kService;
  return caller;
}

}  // namespace socm
