#pragma once
// Share links in the system-of-record database: made, listed and revoked by a caller within
// their scope, and resolved from a token alone (the gateway's /share routes), which names its
// tenant. Each creation and revocation is in the audit log.
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assessment/store/assessment_store.h"
#include "services/common/db/db.h"
#include "soc/maturity/assessment/v1/practice.pb.h"

namespace socm::assessment {

class SqlShareLinkStore {
 public:
  // `database` must outlive this. `public_url` ("https://maturity.example.com", or "") begins
  // the links' URLs.
  SqlShareLinkStore(db::Database& database, std::string public_url)
      : db_(database), public_url_(std::move(public_url)) {}

  // A new link to an assessment in the caller's scope; the reply alone holds the token.
  absl::StatusOr<pb::ShareLink> Create(const Caller& caller, const std::string& org,
                                       const std::string& assessment, int64_t ttl_seconds,
                                       const std::vector<std::string>& views,
                                       const WriteOptions& write);
  // The assessment's links, newest first, expired ones included, never a token.
  absl::StatusOr<std::vector<pb::ShareLink>> List(const Caller& caller, const std::string& org,
                                                  const std::string& assessment);
  // Revokes (deletes) a link: its token is unknown from then on.
  absl::Status Delete(const Caller& caller, const std::string& org, const std::string& assessment,
                      const std::string& id, const WriteOptions& write);
  // What a live token shows; NOT_FOUND alike for a malformed, unknown, expired or revoked one.
  absl::StatusOr<pb::ResolvedShareLink> Resolve(const std::string& token, int64_t now_micros);

 private:
  db::Database& db_;
  const std::string public_url_;
};

}  // namespace socm::assessment
