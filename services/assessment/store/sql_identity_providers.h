#pragma once
// A tenant's identity provider in the system-of-record database: its settings as a document,
// and the client secret only in the sealed form the gateway made (the store never holds a
// key that opens it). The gateway finds a tenant's sign-in settings by the tenant's slug
// (/auth/login), by (issuer, audience) for a bearer token, or by tenant id (/auth/callback).
// Example:
//   SqlIdentityProviderStore providers(database, /*allow_private_issuers=*/false);
//   auto saved = providers.Update(admin, request.provider(), request.sealed_client_secret(), w);
//   auto sign_in = providers.FindBySlug("acme");
#include <string>

#include "absl/status/statusor.h"
#include "services/assessment/store/assessment_store.h"
#include "services/common/db/db.h"
#include "soc/maturity/assessment/v1/identity.pb.h"

namespace socm::assessment {

class SqlIdentityProviderStore {
 public:
  // `database` must outlive this. `allow_private_issuers` is the operator's switch for an
  // issuer inside their own network (http, or a private address literal).
  SqlIdentityProviderStore(db::Database& database, bool allow_private_issuers)
      : db_(database), allow_private_(allow_private_issuers) {}

  // For a caller not pinned to an organisation; NOT_FOUND when the tenant has none. The
  // secret is never in it: client_secret_set says whether one is stored.
  absl::StatusOr<pb::IdentityProvider> Get(const Caller& caller);
  // Replaces the settings (validated, each field named). An empty `sealed_client_secret`
  // keeps the stored one while the issuer and client id stay the same, and clears it when
  // either changes. ALREADY_EXISTS when another tenant uses the same issuer and client
  // id. In the audit log without the secret ("identity_provider.update").
  absl::StatusOr<pb::IdentityProvider> Update(const Caller& caller,
                                              const pb::IdentityProvider& provider,
                                              const std::string& sealed_client_secret,
                                              const WriteOptions& write);
  // NOT_FOUND when there was none; "identity_provider.delete" in the audit log.
  absl::Status Delete(const Caller& caller, const WriteOptions& write);

  // The gateway's lookups; NOT_FOUND for an unknown tenant or one without a provider.
  absl::StatusOr<pb::SignInSettings> FindBySlug(const std::string& slug);
  absl::StatusOr<pb::SignInSettings> FindByIssuerAudience(const std::string& issuer,
                                                          const std::string& audience);
  absl::StatusOr<pb::SignInSettings> FindByTenant(const std::string& tenant);

 private:
  absl::StatusOr<pb::SignInSettings> Find(const char* where, const std::vector<db::Value>& params);
  db::Database& db_;
  bool allow_private_;
};

}  // namespace socm::assessment
