#include "services/common/claim_mapping.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/access.h"
#include "services/common/key_role.h"

namespace socm::oidc {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxPathBytes = 200;

// The value at a dotted path, or null when any step is missing. A claim whose whole name is
// the path comes first: namespaced claims ("https://example.com/roles") hold dots themselves.
const json* At(const json& claims, const std::string& path) {
  if (claims.is_object()) {
    auto whole = claims.find(path);
    if (whole != claims.end()) return &*whole;
  }
  const json* node = &claims;
  for (absl::string_view step : absl::StrSplit(path, '.')) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(std::string(step));
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

// A string claim is one value; an array keeps its strings.
std::vector<std::string> Strings(const json* value) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (value->is_string()) {
    out.push_back(value->get<std::string>());
  } else if (value->is_array()) {
    for (const json& v : *value) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

bool Grantable(Role role) { return TenantRoleRank(role) > 0; }

bool ValidPath(const std::string& path) {
  if (path.empty() || path.size() > kMaxPathBytes) return false;
  for (absl::string_view step : absl::StrSplit(path, '.')) {
    if (step.empty()) return false;
  }
  return true;
}

}  // namespace

ClaimMapping ClaimMappingFromProto(const soc::maturity::assessment::v1::ClaimMapping& stored) {
  ClaimMapping out;
  out.role_claim = stored.role_claim();
  // An unknown or operator-like wire value becomes kNone here, which MappingProblems refuses.
  for (const auto& [value, role] : stored.roles()) out.roles[value] = RoleOfKey(role);
  out.default_role = RoleOfKey(stored.default_role());
  out.organization_claim = stored.organization_claim();
  return out;
}

std::vector<std::string> MappingProblems(const ClaimMapping& mapping) {
  std::vector<std::string> problems;
  if (!ValidPath(mapping.role_claim)) {
    problems.push_back("roleClaim: a claim name or dotted path (\"realm_access.roles\"), at most " +
                       std::to_string(kMaxPathBytes) + " characters");
  }
  if (mapping.roles.size() > kMaxRoleValues) {
    problems.push_back(absl::StrCat("roles: at most ", kMaxRoleValues, " values"));
  }
  for (const auto& [value, role] : mapping.roles) {
    if (value.empty() || value.size() > 256) {
      problems.push_back("roles: a claim value is 1 to 256 characters");
    } else if (!Grantable(role)) {
      problems.push_back(
          absl::StrCat("roles.", value, ": a provider grants viewer, assessor or admin only"));
    }
  }
  if (mapping.default_role != Role::kNone && !Grantable(mapping.default_role)) {
    problems.push_back("defaultRole: viewer, assessor, admin, or none to refuse sign-in");
  }
  if (!mapping.organization_claim.empty() && !ValidPath(mapping.organization_claim)) {
    problems.push_back("organizationClaim: a claim name or dotted path, at most " +
                       std::to_string(kMaxPathBytes) + " characters");
  }
  return problems;
}

absl::StatusOr<MappedPerson> MapClaims(const ClaimMapping& mapping, const json& claims) {
  MappedPerson out;
  for (const std::string& value : Strings(At(claims, mapping.role_claim))) {
    auto it = mapping.roles.find(value);
    if (it != mapping.roles.end() && TenantRoleRank(it->second) > TenantRoleRank(out.role)) {
      out.role = it->second;
    }
  }
  if (out.role == Role::kNone) out.role = mapping.default_role;
  if (!Grantable(out.role)) {
    return absl::PermissionDeniedError(absl::StrCat("no value of the claim \"", mapping.role_claim,
                                                    "\" maps to a role in this tenant"));
  }
  if (mapping.organization_claim.empty()) return out;
  const json* orgs = At(claims, mapping.organization_claim);
  if (orgs == nullptr) {
    // Sign-in is refused rather than widened to the whole tenant.
    return absl::PermissionDeniedError(absl::StrCat("the claim \"", mapping.organization_claim,
                                                    "\" that limits a person's organisations is "
                                                    "missing"));
  }
  std::set<std::string> unique;
  for (std::string& org : Strings(orgs)) {
    if (!org.empty() && org.size() <= 128) unique.insert(std::move(org));
  }
  if (unique.empty()) {
    return absl::PermissionDeniedError(
        absl::StrCat("the claim \"", mapping.organization_claim, "\" names no organisation"));
  }
  if (unique.size() > kMaxScopeOrganizations) {
    return absl::PermissionDeniedError(absl::StrCat("the claim \"", mapping.organization_claim,
                                                    "\" names more than ", kMaxScopeOrganizations,
                                                    " organisations"));
  }
  out.organizations.assign(unique.begin(), unique.end());
  return out;
}

}  // namespace socm::oidc
