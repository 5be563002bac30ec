#include "services/common/caller.h"

namespace socm {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kAssessor:
      return "assessor";
    case Role::kAdmin:
      return "admin";
    case Role::kOperator:
      return "operator";
    case Role::kService:
      return "service";
    case Role::kNone:
      break;
  }
  return "";
}

Role RoleNamed(const std::string& name) {
  for (Role role :
       {Role::kViewer, Role::kAssessor, Role::kAdmin, Role::kOperator, Role::kService}) {
    if (name == RoleName(role)) return role;
  }
  return Role::kNone;
}

}  // namespace socm
