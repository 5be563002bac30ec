#pragma once
// Internal to socm_db: the SQLite engine behind socm::db::Database. Every
// connection runs in WAL mode with synchronous=FULL (a commit is on disk
// before it is acknowledged) and foreign keys enforced. Writers inside this
// process queue on a mutex before BEGIN IMMEDIATE so they wake in turn instead
// of polling SQLite's busy handler; writers in other processes still meet the
// busy timeout. Reached through Database::Open("sqlite:PATH", options).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/db/db.h"

namespace socm::db::internal {

absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                     const DatabaseOptions& options);

}  // namespace socm::db::internal
