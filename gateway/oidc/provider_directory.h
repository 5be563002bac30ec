#pragma once
// What the gateway knows of each identity provider: its discovery document and its signing
// keys, fetched through ProviderHttp and kept for `ttl`. A token signed with a key id the
// cached keys lack fetches the JWKS again (the provider rotated its keys), at most once per
// `min_refresh` per provider, so tokens with made-up key ids cannot make the gateway hammer
// a provider. Example:
//   directory.Metadata(issuer, [&](absl::StatusOr<ProviderMetadata> provider) {
//     directory.Keys(*provider, TokenKeyId(id_token), [&](auto keys) { ... });
//   });

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gateway/oidc/login_flow.h"
#include "gateway/oidc/provider_http.h"
#include "gateway/oidc/provider_keys.h"
#include "services/common/lru_cache.h"

namespace socm::oidc {

class ProviderDirectory {
 public:
  using MetadataDone = std::function<void(absl::StatusOr<ProviderMetadata>)>;
  using KeysDone = std::function<void(absl::StatusOr<std::shared_ptr<const ProviderKeys>>)>;

  // Plain http issuers are taken only when `http` lets private issuers through (a provider on
  // the operator's own network).
  explicit ProviderDirectory(std::shared_ptr<ProviderHttp> http,
                             std::chrono::seconds ttl = std::chrono::minutes(10),
                             std::chrono::seconds min_refresh = std::chrono::minutes(1));

  // The issuer's discovery document, checked (login_flow.h, ParseDiscovery).
  void Metadata(const std::string& issuer, MetadataDone done);
  // The provider's signing keys; fetched again when `kid` is named but not among them.
  void Keys(const ProviderMetadata& provider, const std::string& kid, KeysDone done);
  // The client the documents come through (the token endpoint's calls go through it too).
  ProviderHttp& http() { return *http_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct CachedMetadata {
    ProviderMetadata metadata;
    Clock::time_point fetched;
  };
  struct CachedKeys {
    std::shared_ptr<const ProviderKeys> keys;
    Clock::time_point fetched;
  };
  void FetchKeys(const std::string& jwks_uri, KeysDone done);

  const std::chrono::seconds ttl_;
  const std::chrono::seconds min_refresh_;
  LruCache<std::string, CachedMetadata> metadata_{1000};
  LruCache<std::string, CachedKeys> keys_{1000};
  // A provider that could not be asked is not asked again for a while: sign-ins of a tenant
  // whose provider is down must not hold the client's threads for everyone.
  struct Failure {
    absl::Status status;
    Clock::time_point when;
  };
  LruCache<std::string, Failure> failures_{1000};
  static constexpr std::chrono::seconds kFailureMemory{15};
  // Last, so it goes first: its threads stop before the caches they fill.
  std::shared_ptr<ProviderHttp> http_;
};

}  // namespace socm::oidc
