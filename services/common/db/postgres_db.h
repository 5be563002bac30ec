#pragma once
// Internal to socm_db: the PostgreSQL engine behind socm::db::Database, on
// libpq. Parameters travel as text; BIGINT/INTEGER/SMALLINT, REAL/DOUBLE
// PRECISION and BOOLEAN results come back as int64 or double (so rows look
// the same as on SQLite), everything else as text. Integer parameters are
// sent as BIGINT, so a function that only takes INTEGER needs
// CAST($1 AS INTEGER), which SQLite accepts too. Connections are opened
// lazily and reopened when found broken, so once a restarted PostgreSQL is
// back the next request works; only those made while it was away fail, with
// UNAVAILABLE. Reached through
// Database::Open("postgres://...", options); Open itself connects once, so a
// wrong address or password is reported there.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/db/db.h"

namespace socm::db::internal {

absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(const std::string& url,
                                                       const DatabaseOptions& options);

}  // namespace socm::db::internal
