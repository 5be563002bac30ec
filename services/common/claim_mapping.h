#pragma once
// How a tenant turns what its identity provider says about a person into the person's role
// and organisation scope. Providers put groups in different places (Entra ID `roles`, Okta
// `groups`, Keycloak `realm_access.roles`, Auth0 a namespaced `https://example.com/roles`), so
// a claim is named by its whole name or a dotted path. Pure, so the assessment service checks
// a tenant's mapping with the same rules the gateway applies at sign-in. Example:
//   ClaimMapping m{.role_claim = "groups",
//                  .roles = {{"soc-admins", Role::kAdmin}, {"soc-analysts", Role::kAssessor}},
//                  .organization_claim = "soc_customers"};
//   absl::StatusOr<MappedPerson> p = MapClaims(m, verified.claims);

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/caller.h"
#include "soc/maturity/assessment/v1/identity.pb.h"

namespace socm::oidc {

// At most this many role values in a mapping (a scope's limit is socm::kMaxScopeOrganizations).
using socm::kMaxScopeOrganizations;
inline constexpr size_t kMaxRoleValues = 100;

struct ClaimMapping {
  // Dotted path to a string or an array of strings, e.g. "groups" or "realm_access.roles".
  std::string role_claim;
  // Claim value → role; the strongest role among the person's values wins.
  std::map<std::string, Role> roles;
  // The role of a person none of whose values is mapped; kNone refuses them sign-in.
  Role default_role = Role::kNone;
  // Dotted path to the organisation ids the person may see; empty: every organisation.
  std::string organization_claim;
};

struct MappedPerson {
  Role role = Role::kNone;
  // Empty: the whole tenant. Otherwise the only organisations the person sees, sorted.
  std::vector<std::string> organizations;
};

// The role and scope for `claims`, or PERMISSION_DENIED naming what was missing (no mapped
// role; an organisation claim configured but absent, which must not widen to everything).
absl::StatusOr<MappedPerson> MapClaims(const ClaimMapping& mapping, const nlohmann::json& claims);

// The stored form (a tenant's IdentityProvider.claim_mapping) as these rules take it.
ClaimMapping ClaimMappingFromProto(const soc::maturity::assessment::v1::ClaimMapping& stored);

// The mapping's own errors, each with its field path ("roles.soc-ops: ..."); empty when valid.
// Only viewer, assessor and admin are roles a provider can grant.
std::vector<std::string> MappingProblems(const ClaimMapping& mapping);

}  // namespace socm::oidc
