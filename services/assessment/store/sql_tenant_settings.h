#pragma once
// A tenant's settings (today its allowed origins) in the system-of-record database. The origins
// are also kept one row each, by origin, because a CORS preflight carries an origin and no
// credential: the gateway asks whether any tenant allows it.
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assessment/store/assessment_store.h"
#include "services/common/db/db.h"
#include "soc/maturity/assessment/v1/practice.pb.h"

namespace socm::assessment {

class SqlTenantSettingsStore {
 public:
  // `database` must outlive this.
  explicit SqlTenantSettingsStore(db::Database& database) : db_(database) {}

  // For a caller not pinned to an organisation; empty settings when none were set.
  absl::StatusOr<pb::TenantSettings> Get(const Caller& caller);
  // Replaces the settings (validated, each field named), in the audit log.
  absl::StatusOr<pb::TenantSettings> Update(const Caller& caller,
                                            const pb::TenantSettings& settings,
                                            const WriteOptions& write);
  // Whether `tenant` (any tenant when empty) allows `origin`.
  absl::StatusOr<bool> OriginAllowed(const std::string& origin, const std::string& tenant = "");

 private:
  db::Database& db_;
};

// The tenant's settings as stored (empty when none), inside a store's transaction.
absl::StatusOr<pb::TenantSettings> LoadTenantSettings(db::Connection& c, const std::string& tenant);

}  // namespace socm::assessment
