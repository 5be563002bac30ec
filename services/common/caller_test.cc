#include "services/common/caller.h"

#include <gtest/gtest.h>

namespace socm {
namespace {

TEST(CallerTest, RolesHaveOneSpelling) {
  for (Role role : {Role::kViewer, Role::kAssessor, Role::kAdmin, Role::kOperator}) {
    EXPECT_EQ(RoleNamed(RoleName(role)), role);
  }
  EXPECT_EQ(RoleNamed("superuser"), Role::kNone);
  EXPECT_EQ(RoleNamed(""), Role::kNone);
}

TEST(CallerTest, APinnedCallerSeesItsOrganizationOnly) {
  Caller tenant_wide;
  tenant_wide.tenant = TenantId("tn_1");
  EXPECT_TRUE(tenant_wide.MaySee("org_1"));
  EXPECT_TRUE(tenant_wide.MaySee("org_2"));
  Caller pinned = tenant_wide;
  pinned.organizations = {"org_1"};
  EXPECT_TRUE(pinned.MaySee("org_1"));
  EXPECT_FALSE(pinned.MaySee("org_2"));
}

TEST(CallerTest, TheOperatorActsForOneTenantAtATime) {
  Caller op;
  op.principal = "operator";
  op.role = Role::kOperator;
  EXPECT_TRUE(op.tenant.empty());
  const Caller acting = op.ActingFor(TenantId("tn_1"));
  EXPECT_EQ(acting.tenant, TenantId("tn_1"));
  EXPECT_EQ(acting.principal, "operator");
  EXPECT_TRUE(acting.is_operator());
  EXPECT_TRUE(op.tenant.empty());
}

}  // namespace
}  // namespace socm
