#include "gateway/oidc/provider_directory.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace socm::oidc {

ProviderDirectory::ProviderDirectory(std::shared_ptr<ProviderHttp> http, std::chrono::seconds ttl,
                                     std::chrono::seconds min_refresh)
    : ttl_(ttl), min_refresh_(min_refresh), http_(std::move(http)) {}

void ProviderDirectory::Metadata(const std::string& issuer, MetadataDone done) {
  if (auto hit = metadata_.Get(issuer); hit && Clock::now() - hit->fetched < ttl_) {
    return done(hit->metadata);
  }
  if (auto failed = failures_.Get(issuer); failed && Clock::now() - failed->when < kFailureMemory) {
    return done(failed->status);
  }
  std::string base = issuer;
  if (absl::EndsWith(base, "/")) base.pop_back();
  http_->Get(base + "/.well-known/openid-configuration", [this, issuer,
                                                          done](absl::StatusOr<HttpAnswer> answer) {
    auto fail = [&](absl::Status status) {
      failures_.Put(issuer, {status, Clock::now()});
      done(status);
    };
    if (!answer.ok()) return fail(answer.status());
    if (answer->status != 200) {
      return fail(absl::UnavailableError(
          absl::StrCat("the provider's discovery document answered HTTP ", answer->status)));
    }
    auto metadata = ParseDiscovery(answer->body, issuer, http_->allow_private());
    if (!metadata.ok()) {
      return fail(absl::UnavailableError(absl::StrCat(
          "the provider's discovery document is refused: ", metadata.status().message())));
    }
    metadata_.Put(issuer, {*metadata, Clock::now()});
    done(*metadata);
  });
}

void ProviderDirectory::Keys(const ProviderMetadata& provider, const std::string& kid,
                             KeysDone done) {
  const auto now = Clock::now();
  if (auto hit = keys_.Get(provider.jwks_uri)) {
    const bool fresh = now - hit->fetched < ttl_;
    const bool has_kid = kid.empty() || hit->keys->Find(kid) != nullptr;
    // An unknown key id refreshes the keys, but not more often than min_refresh.
    if (fresh && (has_kid || now - hit->fetched < min_refresh_)) return done(hit->keys);
  }
  FetchKeys(provider.jwks_uri, std::move(done));
}

void ProviderDirectory::FetchKeys(const std::string& jwks_uri, KeysDone done) {
  http_->Get(jwks_uri, [this, jwks_uri, done](absl::StatusOr<HttpAnswer> answer) {
    if (!answer.ok()) return done(answer.status());
    if (answer->status != 200) {
      return done(absl::UnavailableError(
          absl::StrCat("the provider's keys answered HTTP ", answer->status)));
    }
    auto keys = ProviderKeys::Parse(answer->body);
    if (!keys.ok()) {
      return done(absl::UnavailableError(
          absl::StrCat("the provider's keys are refused: ", keys.status().message())));
    }
    auto shared = std::make_shared<const ProviderKeys>(std::move(*keys));
    keys_.Put(jwks_uri, {shared, Clock::now()});
    done(shared);
  });
}

}  // namespace socm::oidc
