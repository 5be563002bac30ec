#include "services/common/key_role.h"

namespace socm {

namespace apb = soc::maturity::assessment::v1;

Role RoleOfKey(apb::KeyRole role) {
  switch (role) {
    case apb::KEY_ROLE_ADMIN:
      return Role::kAdmin;
    case apb::KEY_ROLE_ASSESSOR:
      return Role::kAssessor;
    case apb::KEY_ROLE_VIEWER:
      return Role::kViewer;
    default:
      return Role::kNone;
  }
}

apb::KeyRole KeyRoleOf(Role role) {
  switch (role) {
    case Role::kAdmin:
      return apb::KEY_ROLE_ADMIN;
    case Role::kAssessor:
      return apb::KEY_ROLE_ASSESSOR;
    case Role::kViewer:
      return apb::KEY_ROLE_VIEWER;
    default:
      return apb::KEY_ROLE_UNSPECIFIED;
  }
}

}  // namespace socm
