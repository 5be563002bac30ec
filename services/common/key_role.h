#pragma once
// The wire's KeyRole (API keys, people, claim mappings) and the Caller's Role, both ways.
#include "services/common/caller.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"

namespace socm {

// Viewer, assessor or admin; kNone for anything else.
Role RoleOfKey(soc::maturity::assessment::v1::KeyRole role);
// KEY_ROLE_UNSPECIFIED for a role no key or person holds.
soc::maturity::assessment::v1::KeyRole KeyRoleOf(Role role);

}  // namespace socm
