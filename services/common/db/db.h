#pragma once
// A small SQL layer with two real engines behind one interface: SQLite (the
// embedded default: WAL, synchronous=FULL, so an acknowledged commit survives
// kill -9 and power loss) and PostgreSQL (at scale). The same SQL runs on both
// when it sticks to the common dialect: parameters are $1..$n, integers are
// BIGINT, text is TEXT, upserts are INSERT ... ON CONFLICT ... DO UPDATE.
// Example:
//   auto db = socm::db::Database::Open("sqlite:///var/lib/socm/assessment.db", {});
//   absl::Status s = (*db)->Transaction([&](socm::db::Connection& c) -> absl::Status {
//     auto rows = c.Query("SELECT revision FROM assessments WHERE tenant_id=$1 AND id=$2",
//                         {tenant, id});
//     if (!rows.ok()) return rows.status();
//     ...
//     return c.Exec("UPDATE ...", {...}).status();
//   });
// Errors: a lost or refused connection is UNAVAILABLE (retry the call), a
// unique-constraint violation ALREADY_EXISTS, a serialization failure or
// SQLite BUSY after the busy timeout ABORTED (retry the transaction), a
// statement timeout DEADLINE_EXCEEDED, anything else INTERNAL.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace socm::db {

enum class Dialect { kSqlite, kPostgres };

// Binary data (a BLOB on SQLite, BYTEA on PostgreSQL) as a parameter; read back, such a
// column is a std::string of the same bytes.
struct Bytes {
  std::string data;
};

// A parameter or a column value.
using Value = std::variant<std::monostate, int64_t, double, std::string, Bytes>;
inline Value Null() { return Value(std::monostate()); }

struct Row {
  std::vector<Value> values;
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values.at(i)); }
  // Integer columns; PostgreSQL text results of integer columns are converted.
  int64_t Int(size_t i) const;
  double Double(size_t i) const;
  // Text columns ("" when NULL).
  const std::string& Text(size_t i) const;
};
using Rows = std::vector<Row>;

// One session with the database. Not thread-safe: a Database lends it to one
// caller at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // One statement with $1..$n parameters; the rows it returns (none for writes).
  virtual absl::StatusOr<Rows> Query(std::string_view sql,
                                     const std::vector<Value>& params = {}) = 0;
  // One statement; the number of rows it changed.
  virtual absl::StatusOr<int64_t> Exec(std::string_view sql,
                                       const std::vector<Value>& params = {}) = 0;
  // Several statements without parameters (schema changes).
  virtual absl::Status ExecScript(std::string_view sql) = 0;
};

struct Migration {
  int version;
  std::string name;
  // The schema change; `postgres_sql` empty means the same as `sqlite_sql`.
  std::string sqlite_sql;
  std::string postgres_sql;
};

struct DatabaseOptions {
  int pool_size = 4;
  // SQLite: how long a writer waits for the lock. PostgreSQL: statement_timeout.
  int timeout_ms = 5000;
  int connect_timeout_ms = 3000;
};

// A pool of connections to one database.
class Database {
 public:
  // "sqlite:PATH" (PATH may be absolute: sqlite:///var/lib/x.db or relative: sqlite:var/x.db)
  // or "postgres://user:pass@host:port/db?..." / "postgresql://...".
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& url,
                                                        const DatabaseOptions& options);
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs `fn` inside BEGIN (SQLite: BEGIN IMMEDIATE) ... COMMIT on a pooled
  // connection; rolls back when `fn` fails or the commit fails. A connection
  // found broken is reopened on its next use (PostgreSQL restarts heal).
  virtual absl::Status Transaction(const std::function<absl::Status(Connection&)>& fn) = 0;
  // Runs `fn` on a pooled connection without a transaction (single reads).
  virtual absl::Status Run(const std::function<absl::Status(Connection&)>& fn) = 0;

  // Applies the migrations whose version is not yet recorded in the table
  // schema_migrations(version, name, applied_at), in version order, each in
  // its own transaction. Safe to call from several replicas at once on
  // PostgreSQL (an advisory lock serialises them).
  absl::Status Migrate(const std::vector<Migration>& migrations);
};

}  // namespace socm::db
