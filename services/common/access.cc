#include "services/common/access.h"

#include "absl/strings/str_cat.h"

namespace socm {

int TenantRoleRank(Role role) {
  switch (role) {
    case Role::kViewer:
      return 1;
    case Role::kAssessor:
      return 2;
    case Role::kAdmin:
      return 3;
    default:
      return 0;
  }
}

absl::Status Require(const Caller& p, Need need, const std::string& path_tenant) {
  if (need == Need::kPublic) return absl::OkStatus();
  if (need == Need::kService) {
    return p.role == Role::kService
               ? absl::OkStatus()
               : absl::PermissionDeniedError("only the suite's own components may call this");
  }
  if (p.role == Role::kService || p.role == Role::kNone) {
    return absl::PermissionDeniedError("this call needs a person's or a key's credential");
  }
  if (need == Need::kAnyCaller && p.is_operator()) return absl::OkStatus();
  if (need == Need::kAnyCaller) need = Need::kAnyKey;
  if (need == Need::kOperatorOrTenantAdmin) {
    if (p.is_operator()) return absl::OkStatus();
    if (p.tenant.value() != path_tenant)
      return absl::NotFoundError(absl::StrCat("tenant ", path_tenant, " not found"));
    need = Need::kTenantAdmin;
  }
  if (need == Need::kOperator) {
    return p.is_operator() ? absl::OkStatus()
                           : absl::PermissionDeniedError("this route needs the operator token");
  }
  if (p.is_operator()) return absl::PermissionDeniedError("this route needs a tenant's API key");
  if (p.tenant.empty()) return absl::PermissionDeniedError("this call needs a tenant's credential");
  int rank = 1;
  if (need == Need::kAssessor) rank = 2;
  if (need == Need::kAdmin || need == Need::kTenantAdmin) rank = 3;
  if (TenantRoleRank(p.role) < rank) {
    return absl::PermissionDeniedError(absl::StrCat("this route needs an ",
                                                    rank == 3 ? "admin" : "assessor",
                                                    " key; this key is ", RoleName(p.role)));
  }
  if ((need == Need::kTenantAdmin || need == Need::kTenantWide) && p.scoped()) {
    return absl::PermissionDeniedError("a key pinned to one organisation cannot use this route");
  }
  return absl::OkStatus();
}

}  // namespace socm
