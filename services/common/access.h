#pragma once
// What a route or an RPC asks of its caller, and the one rule that judges it. The gateway
// checks it per route before it calls a backend; every backend checks it again per RPC
// (rpc_access.h), so a caller that reaches a service without the gateway gets no more than
// the gateway would have given it. Example:
//   if (absl::Status s = Require(caller, Need::kAssessor); !s.ok()) return s;

#include <string>

#include "absl/status/status.h"
#include "services/common/caller.h"

namespace socm {

enum class Need {
  kPublic,                 // no credential at all (health, metrics, the docs)
  kOperator,               // the operator token
  kAnyCaller,              // the operator or any key (who the caller is)
  kAnyKey,                 // any API key (viewer and up)
  kAssessor,               // assessor or admin
  kAdmin,                  // admin
  kTenantAdmin,            // admin not pinned to an organisation
  kTenantWide,             // any key not pinned to an organisation
  kOperatorOrTenantAdmin,  // the operator, or an unpinned admin of the path's {tenantId}
  kService,                // a suite component acting for itself, never a person's credential
};

// How much a tenant role may do: viewer 1, assessor 2, admin 3; any other role 0 (the
// operator and the suite's components are not on this scale).
int TenantRoleRank(Role role);

// PERMISSION_DENIED when the caller lacks what `need` asks. For kOperatorOrTenantAdmin,
// `path_tenant` is the tenant the call names; another tenant's answers NOT_FOUND, as if it
// did not exist.
absl::Status Require(const Caller& caller, Need need, const std::string& path_tenant = "");

}  // namespace socm
