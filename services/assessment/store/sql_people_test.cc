// People on both engines: a sign-in makes the person once per (issuer, subject) and brings
// them up to date each time; a role and scope an admin set outlast later sign-ins; people of
// another tenant are neither listed nor found nor changed; every change is audited.
#include "services/assessment/store/sql_people.h"

#include <gtest/gtest.h>

#include "services/assessment/store/store_test_fixture.h"

namespace socm::assessment {
namespace {

using PeopleStoreTest = testing::StoreFixture;

constexpr int64_t kT0 = 1796083200LL * 1000000;
constexpr char kIssuer[] = "https://idp.example.test";

SignInClaims Bob(const std::string& tenant) {
  return {tenant,
          kIssuer,
          "bob-sub",
          "bob@acme.test",
          "Bob",
          Role::kAssessor,
          {"org-b", "org-a", "org-b"}};
}

TEST_P(PeopleStoreTest, ASignInMakesThePersonOnceAndBringsThemUpToDate) {
  const std::string tenant = NewTenant("Acme");
  SqlPeopleStore people(database());
  auto first = people.RecordSignIn(Bob(tenant), kT0, "10.0.0.7");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->role, Role::kAssessor);
  EXPECT_EQ(first->organizations, (std::vector<std::string>{"org-a", "org-b"}));
  EXPECT_EQ(first->create_micros, kT0);

  SignInClaims later = Bob(tenant);
  later.email = "robert@acme.test";
  later.role = Role::kViewer;
  later.organizations = {};
  auto second = people.RecordSignIn(later, kT0 + 1000, "10.0.0.8");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->email, "robert@acme.test");
  EXPECT_EQ(second->role, Role::kViewer);
  EXPECT_TRUE(second->organizations.empty());
  EXPECT_EQ(second->create_micros, kT0);
  EXPECT_EQ(second->last_sign_in_micros, kT0 + 1000);

  // Another issuer's subject of the same name is another person.
  SignInClaims elsewhere = Bob(tenant);
  elsewhere.issuer = "https://other-idp.example.test";
  auto other = people.RecordSignIn(elsewhere, kT0, "");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->id, first->id);
  EXPECT_EQ(people.List(tenant)->size(), 2u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id=$1 AND doc LIKE $2",
                  {tenant, "%person.sign_in%"}),
            3);

  // A sign-in the mapping gave no role is refused, and nothing is written.
  SignInClaims nobody = Bob(tenant);
  nobody.subject = "carol-sub";
  nobody.role = Role::kNone;
  EXPECT_EQ(people.RecordSignIn(nobody, kT0, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  nobody.role = Role::kOperator;
  EXPECT_FALSE(people.RecordSignIn(nobody, kT0, "").ok());
  EXPECT_EQ(people.List(tenant)->size(), 2u);
}

TEST_P(PeopleStoreTest, WhatAnAdminSetsOutlastsSignInsAndStaysInItsTenant) {
  const std::string acme = NewTenant("Acme");
  const std::string globex = NewTenant("Globex");
  SqlPeopleStore people(database());
  auto bob = people.RecordSignIn(Bob(acme), kT0, "");
  ASSERT_TRUE(bob.ok());

  Caller admin = As(acme);
  auto set = people.SetAccess(admin, bob->id, Role::kViewer, {"org-c"}, kT0 + 1);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_TRUE(set->set_by_admin);
  auto again = people.RecordSignIn(Bob(acme), kT0 + 2, "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->role, Role::kViewer);
  EXPECT_EQ(again->organizations, (std::vector<std::string>{"org-c"}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id=$1 AND doc LIKE $2",
                  {acme, "%person.update%"}),
            1);

  // Another tenant's admin neither finds nor changes Acme's person.
  EXPECT_EQ(people.SetAccess(As(globex), bob->id, Role::kAdmin, {}, kT0).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(people.Get(globex, bob->id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(people.List(globex)->empty());
  EXPECT_TRUE(people.Get(acme, bob->id).ok());

  // Only an unpinned admin sets access, and only to a tenant role.
  Caller assessor = As(acme);
  assessor.role = Role::kAssessor;
  EXPECT_EQ(people.SetAccess(assessor, bob->id, Role::kAdmin, {}, kT0).status().code(),
            absl::StatusCode::kPermissionDenied);
  Caller pinned = As(acme);
  pinned.organizations = {"org-c"};
  EXPECT_EQ(people.SetAccess(pinned, bob->id, Role::kAdmin, {}, kT0).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(people.SetAccess(admin, bob->id, Role::kOperator, {}, kT0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(people.Get(acme, bob->id)->role, Role::kViewer);
}

INSTANTIATE_TEST_SUITE_P(Engines, PeopleStoreTest,
                         ::testing::Values(testing::Engine::kSqlite, testing::Engine::kPostgres),
                         testing::EngineName);

}  // namespace
}  // namespace socm::assessment
