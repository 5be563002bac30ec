#pragma once
// A tenant's sign-in settings as pure rules: its slug (what people type to sign in) and its
// identity provider (issuer, client, scopes, claim mapping), each problem named by its field
// path in the REST body. Example:
//   auto problems = CheckIdentityProvider(request.provider(), allow_private);
//   if (!problems.empty()) return InvalidFields(problems);
#include <string>
#include <vector>

#include "soc/maturity/assessment/v1/identity.pb.h"
#include "soc/maturity/common/v1/errors.pb.h"

namespace socm::assessment {

inline constexpr size_t kMinSlugChars = 3;
inline constexpr size_t kMaxSlugChars = 40;
inline constexpr size_t kMaxIssuerBytes = 512;
inline constexpr size_t kMaxClientIdBytes = 255;
inline constexpr size_t kMaxScopes = 20;
inline constexpr size_t kMaxScopeBytes = 100;
// A sealed client secret (a compact JWE) longer than this is not one the gateway made.
inline constexpr size_t kMaxSealedSecretBytes = 4096;

// 3 to 40 of a-z, 0-9 and '-', starting with a letter, not ending with '-', no "--".
std::vector<soc::maturity::common::v1::FieldViolation> CheckSlug(const std::string& slug);
// A valid slug made from a display name ("Acme SOC, Inc." -> "acme-soc-inc"); "tenant" when
// nothing of the name can be used; a name too short is padded ("Q" -> "q-tenant").
std::string SlugFromName(const std::string& name);
// The slug a tenant made before slugs existed gets: its id with '_' as '-' ("tn_ab12" ->
// "tn-ab12"). Migration 6 writes the same into the column.
std::string SlugOfLegacyTenant(const std::string& id);

// The issuer is an https URL without query or fragment (http and literal private addresses
// only with `allow_private`, the operator's switch for a provider inside their network); a
// client id; scopes as OAuth scope tokens, each once, "openid" implied; a claim mapping that
// grants viewer, assessor or admin only and grants something to someone.
std::vector<soc::maturity::common::v1::FieldViolation> CheckIdentityProvider(
    const soc::maturity::assessment::v1::IdentityProvider& provider, bool allow_private);

}  // namespace socm::assessment
