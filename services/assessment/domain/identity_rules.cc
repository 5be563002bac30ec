#include "services/assessment/domain/identity_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/assessment/domain/webhook_rules.h"
#include "services/common/claim_mapping.h"
#include "services/common/status.h"

namespace socm::assessment {
namespace {

using soc::maturity::common::v1::FieldViolation;
namespace apb = soc::maturity::assessment::v1;

bool SlugChar(char c) { return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-'; }

// RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
bool ScopeToken(const std::string& scope) {
  if (scope.empty() || scope.size() > kMaxScopeBytes) return false;
  return std::all_of(scope.begin(), scope.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == 0x21 || (u >= 0x23 && u <= 0x5b) || (u >= 0x5d && u <= 0x7e);
  });
}

bool Printable(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
}

void CheckIssuer(const std::string& issuer, bool allow_private, std::vector<FieldViolation>& out) {
  if (issuer.size() > kMaxIssuerBytes) {
    out.push_back(Violation("issuer", absl::StrCat("at most ", kMaxIssuerBytes, " bytes")));
    return;
  }
  std::string host;
  if (auto problem = OutboundUrlProblem(issuer, &host)) {
    out.push_back(Violation("issuer", *problem));
    return;
  }
  // OpenID Connect Discovery 1.0, 3: https, no query and no fragment.
  if (absl::StrContains(issuer, '?')) {
    out.push_back(Violation("issuer", "must not have a ?query"));
  }
  if (allow_private) return;
  if (!absl::StartsWithIgnoreCase(issuer, "https://")) {
    out.push_back(Violation("issuer", "must begin with https://"));
  } else if (auto reason = ForbiddenAddressLiteral(host)) {
    out.push_back(Violation(
        "issuer", absl::StrCat(host, " is ", *reason, ": an operator allows private issuers")));
  }
}

}  // namespace

std::vector<FieldViolation> CheckSlug(const std::string& slug) {
  std::vector<FieldViolation> out;
  const bool form = slug.size() >= kMinSlugChars && slug.size() <= kMaxSlugChars &&
                    absl::ascii_islower(slug.front()) && slug.back() != '-' &&
                    std::all_of(slug.begin(), slug.end(), SlugChar) &&
                    !absl::StrContains(slug, "--");
  if (!form) {
    out.push_back(Violation("slug", absl::StrCat(kMinSlugChars, " to ", kMaxSlugChars,
                                                 " of a-z, 0-9 and '-', starting with a letter, "
                                                 "no '-' at the end or twice in a row")));
  }
  return out;
}

std::string SlugFromName(const std::string& name) {
  std::string slug;
  for (char c : absl::AsciiStrToLower(name)) {
    if (absl::ascii_islower(c) || absl::ascii_isdigit(c)) {
      slug.push_back(c);
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
    if (slug.size() == kMaxSlugChars) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) return "tenant";
  if (!absl::ascii_islower(slug.front())) slug = "t-" + slug;
  if (slug.size() < kMinSlugChars) slug += "-tenant";
  if (slug.size() > kMaxSlugChars) slug.resize(kMaxSlugChars);
  while (slug.back() == '-') slug.pop_back();
  return slug;
}

std::string SlugOfLegacyTenant(const std::string& id) {
  std::string slug = absl::AsciiStrToLower(id);
  std::replace(slug.begin(), slug.end(), '_', '-');
  return slug;
}

std::vector<FieldViolation> CheckIdentityProvider(const apb::IdentityProvider& provider,
                                                  bool allow_private) {
  std::vector<FieldViolation> out;
  CheckIssuer(provider.issuer(), allow_private, out);
  const std::string& client = provider.client_id();
  if (client.empty() || client.size() > kMaxClientIdBytes || !Printable(client)) {
    out.push_back(Violation("clientId", absl::StrCat("1 to ", kMaxClientIdBytes,
                                                     " printable ASCII characters, no spaces")));
  }
  if (static_cast<size_t>(provider.scopes_size()) > kMaxScopes) {
    out.push_back(Violation("scopes", absl::StrCat("at most ", kMaxScopes)));
  }
  for (int i = 0; i < provider.scopes_size(); ++i) {
    const std::string path = absl::StrCat("scopes[", i, "]");
    const std::string& scope = provider.scopes(i);
    if (!ScopeToken(scope)) {
      out.push_back(Violation(path,
                              "an OAuth scope: printable ASCII without spaces, quotes "
                              "or backslashes"));
    } else if (scope == "openid") {
      out.push_back(Violation(path, "\"openid\" is always asked; leave it out"));
    } else if (std::find(provider.scopes().begin(), provider.scopes().begin() + i, scope) !=
               provider.scopes().begin() + i) {
      out.push_back(Violation(path, "named twice"));
    }
  }
  const oidc::ClaimMapping mapping = oidc::ClaimMappingFromProto(provider.claim_mapping());
  for (const std::string& problem : oidc::MappingProblems(mapping)) {
    const size_t colon = problem.find(": ");
    out.push_back(Violation(absl::StrCat("claimMapping.", problem.substr(0, colon)),
                            colon == std::string::npos ? "" : problem.substr(colon + 2)));
  }
  if (mapping.roles.empty() && mapping.default_role == Role::kNone) {
    out.push_back(Violation("claimMapping.roles",
                            "map at least one claim value to a role, or set a defaultRole: as "
                            "it is, nobody could sign in"));
  }
  return out;
}

}  // namespace socm::assessment
