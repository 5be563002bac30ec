#pragma once
// Authentication and authorisation at the gateway. A request carries
// "Authorization: Bearer <token>": either the operator token (compared in
// constant time, never logged) or a tenant's API key, verified by the
// assessment service and remembered for a short time by its SHA-256 (the key
// itself is never kept). A token the assessment service did not know is
// remembered too, for `unknown_ttl`, in a bounded cache: guessing keys costs the
// database nothing after the first try of each guess. The tenant always comes
// from the key. A browser signed in through its tenant's identity provider sends no
// Authorization header but the session cookie (cookies.h): the session is looked up as the
// gateway (TouchSession, which also keeps it from idling out), and remembered for the same
// short time; a write made with it must carry the session's CSRF token in X-CSRF-Token, so
// another site cannot make the browser write. A bearer JWT is an access token of a tenant's
// identity provider: its issuer and audience (the tenant's client id) name the tenant, whose
// provider's keys then check it fully; the person it names is recorded as at a sign-in, and
// their role and scope are what the tenant's mapping (or an admin) gives them. Example:
//   auth.Authenticate(*call, [=](absl::StatusOr<Caller> p) {
//     if (auto s = Require(*p, Need::kAssessor); !s.ok()) ...
//   });

#include <grpcpp/channel.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gateway/access.h"
#include "gateway/http_types.h"
#include "gateway/operator_sessions.h"
#include "services/common/caller.h"
#include "services/common/lru_cache.h"
#include "soc/maturity/assessment/v1/assessment.grpc.pb.h"
#include "soc/maturity/assessment/v1/identity.grpc.pb.h"

namespace socm::oidc {
class ProviderDirectory;
class ProviderKeys;
struct VerifiedToken;
struct MappedPerson;
}  // namespace socm::oidc

namespace socm::gateway {

using soc::maturity::assessment::v1::KeyRole;

class Authenticator {
 public:
  // An empty `operator_token` disables operator access.
  Authenticator(std::string operator_token, std::shared_ptr<grpc::Channel> assessment,
                std::chrono::milliseconds cache_ttl,
                std::chrono::milliseconds unknown_ttl = std::chrono::seconds(30));

  // Calls `done` exactly once, maybe on a gRPC thread. UNAUTHENTICATED when
  // the header is missing or the token unknown. `call` must live until `done` is called.
  void Authenticate(const Call& call, std::function<void(absl::StatusOr<Caller>)> done);

  // Bearer JWTs are checked with the providers `providers` knows (null: none is taken).
  void UseProviders(oidc::ProviderDirectory* providers) { providers_ = providers; }

  // Drops what this gateway remembers of a session (at logout; other replicas forget it
  // within `cache_ttl`); true when it was an operator's session, which then ends here.
  bool Forget(const std::string& session_token);

  // The operator's browser sessions (operator_sessions.h); null when operator access is off.
  OperatorSessions* operator_sessions() { return operator_sessions_.get(); }

 private:
  struct Cached {
    Caller caller;
    std::chrono::steady_clock::time_point expiry;
    // For a session: the SHA-256 (hex) of its CSRF token.
    std::string csrf_sha256;
  };
  void AuthenticateSession(const Call& call, const std::string& session,
                           std::function<void(absl::StatusOr<Caller>)> done);
  void AuthenticateProviderToken(const Call& call, const std::string& token,
                                 std::function<void(absl::StatusOr<Caller>)> done);
  // The tenant's audit log gets a refused bearer token's reason, once a minute at most per
  // tenant and reason (refusals cost a hostile client nothing; the log must not grow with them).
  void RecordRefusal(const Call& call, const std::string& tenant, const std::string& reason);
  void FinishProviderToken(const Call& call, const std::string& token, const std::string& digest,
                           const soc::maturity::assessment::v1::SignInSettings& settings,
                           const oidc::ProviderKeys& keys,
                           std::function<void(absl::StatusOr<Caller>)> done);
  std::string operator_token_;
  std::unique_ptr<OperatorSessions> operator_sessions_;
  std::unique_ptr<soc::maturity::assessment::v1::AssessmentService::Stub> stub_;
  std::unique_ptr<soc::maturity::assessment::v1::IdentityService::Stub> identity_;
  std::chrono::milliseconds cache_ttl_;
  std::chrono::milliseconds unknown_ttl_;
  LruCache<std::string, Cached> cache_{10000};
  // Digests of tokens found unknown, until when; the least recently seen go first.
  LruCache<std::string, std::chrono::steady_clock::time_point> unknown_{10000};
  oidc::ProviderDirectory* providers_ = nullptr;
  LruCache<std::string, std::chrono::steady_clock::time_point> refusals_{1000};
};

// A key's role as the Caller's.
Role RoleOf(KeyRole role);

// The person a verified token names, with the role and scope the tenant's mapping gave them,
// as the system of record takes a sign-in.
soc::maturity::assessment::v1::Person PersonOf(const std::string& issuer,
                                               const oidc::VerifiedToken& token,
                                               const oidc::MappedPerson& mapped);

}  // namespace socm::gateway
