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
// another site cannot make the browser write. Example:
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
#include "services/common/caller.h"
#include "services/common/lru_cache.h"
#include "soc/maturity/assessment/v1/assessment.grpc.pb.h"
#include "soc/maturity/assessment/v1/identity.grpc.pb.h"

namespace socm::gateway {

using soc::maturity::assessment::v1::KeyRole;

class Authenticator {
 public:
  // An empty `operator_token` disables operator access.
  Authenticator(std::string operator_token, std::shared_ptr<grpc::Channel> assessment,
                std::chrono::milliseconds cache_ttl,
                std::chrono::milliseconds unknown_ttl = std::chrono::seconds(30));

  // Calls `done` exactly once, maybe on a gRPC thread. UNAUTHENTICATED when
  // the header is missing or the token unknown.
  void Authenticate(const Call& call, std::function<void(absl::StatusOr<Caller>)> done);

  // Drops what this gateway remembers of a session (at logout; other replicas forget it
  // within `cache_ttl`).
  void Forget(const std::string& session_token);

 private:
  struct Cached {
    Caller caller;
    std::chrono::steady_clock::time_point expiry;
    // For a session: the SHA-256 (hex) of its CSRF token.
    std::string csrf_sha256;
  };
  void AuthenticateSession(const Call& call, const std::string& session,
                           std::function<void(absl::StatusOr<Caller>)> done);
  std::string operator_token_;
  std::unique_ptr<soc::maturity::assessment::v1::AssessmentService::Stub> stub_;
  std::unique_ptr<soc::maturity::assessment::v1::IdentityService::Stub> identity_;
  std::chrono::milliseconds cache_ttl_;
  std::chrono::milliseconds unknown_ttl_;
  LruCache<std::string, Cached> cache_{10000};
  // Digests of tokens found unknown, until when; the least recently seen go first.
  LruCache<std::string, std::chrono::steady_clock::time_point> unknown_{10000};
};

// A key's role as the Caller's.
Role RoleOf(KeyRole role);

}  // namespace socm::gateway
