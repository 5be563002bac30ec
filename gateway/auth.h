#pragma once
// Authentication and authorisation at the gateway. A request carries
// "Authorization: Bearer <token>": either the operator token (compared in
// constant time, never logged) or a tenant's API key, verified by the
// assessment service and remembered for a short time by its SHA-256 (the key
// itself is never kept). A token the assessment service did not know is
// remembered too, for `unknown_ttl`, in a bounded cache: guessing keys costs the
// database nothing after the first try of each guess. The tenant always comes
// from the key. Example:
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

 private:
  struct Cached {
    Caller caller;
    std::chrono::steady_clock::time_point expiry;
  };
  std::string operator_token_;
  std::unique_ptr<soc::maturity::assessment::v1::AssessmentService::Stub> stub_;
  std::chrono::milliseconds cache_ttl_;
  std::chrono::milliseconds unknown_ttl_;
  LruCache<std::string, Cached> cache_{10000};
  // Digests of tokens found unknown, until when; the least recently seen go first.
  LruCache<std::string, std::chrono::steady_clock::time_point> unknown_{10000};
};

// A key's role as the Caller's.
Role RoleOf(KeyRole role);

}  // namespace socm::gateway
