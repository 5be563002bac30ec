#include "services/common/db/db.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/db/postgres_db.h"
#include "services/common/db/sqlite_db.h"

namespace socm::db {
namespace {

// Any constant works as long as every replica uses the same one; this is
// "socm-mig" in ASCII so it is recognisable in pg_locks.
constexpr int64_t kMigrationLockKey = 0x736f636d2d6d6967;

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

// A double outside int64's range makes static_cast undefined, so saturate.
int64_t SaturatingCast(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775808.0) return std::numeric_limits<int64_t>::max();
  if (d < -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

int64_t UnixMillisNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// Accessors never fail: a column the caller reads as the wrong kind gives a
// zero value, because a Row carries no error channel and the SQL decides types.
int64_t Row::Int(size_t i) const {
  const Value& v = values.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return SaturatingCast(*d);
  if (const auto* s = std::get_if<std::string>(&v)) {
    // PostgreSQL NUMERIC (e.g. SUM over BIGINT) and anything else libpq hands
    // over as text arrives here.
    int64_t n;
    if (absl::SimpleAtoi(*s, &n)) return n;
    double d;
    if (absl::SimpleAtod(*s, &d)) return SaturatingCast(d);
  }
  return 0;
}

double Row::Double(size_t i) const {
  const Value& v = values.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* s = std::get_if<std::string>(&v)) {
    double d;
    if (absl::SimpleAtod(*s, &d)) return d;
  }
  return 0;
}

const std::string& Row::Text(size_t i) const {
  // Leaked on purpose: a reference to it may outlive static destruction.
  static const std::string* const kEmpty = new std::string();
  if (const auto* s = std::get_if<std::string>(&values.at(i))) return *s;
  return *kEmpty;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& url,
                                                         const DatabaseOptions& options) {
  if (options.pool_size < 1 || options.timeout_ms < 0 || options.connect_timeout_ms < 0) {
    return absl::InvalidArgumentError(
        "database options: pool_size must be >= 1 and timeouts must be >= 0");
  }
  // The URL is never echoed back: a PostgreSQL one may carry a password.
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "sqlite:")) {
    if (absl::ConsumePrefix(&rest, "//") && !absl::StartsWith(rest, "/")) {
      return absl::InvalidArgumentError(
          "sqlite URL names a host; use sqlite:///absolute/path or sqlite:relative/path");
    }
    return internal::OpenSqlite(std::string(rest), options);
  }
  if (absl::StartsWith(url, "postgres://") || absl::StartsWith(url, "postgresql://")) {
    return internal::OpenPostgres(url, options);
  }
  return absl::InvalidArgumentError(
      "unsupported database URL; expected sqlite:PATH or postgres://user@host:port/db");
}

absl::Status Database::Migrate(const std::vector<Migration>& migrations) {
  std::vector<const Migration*> ordered;
  ordered.reserve(migrations.size());
  for (const Migration& m : migrations) ordered.push_back(&m);
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });
  for (size_t i = 1; i < ordered.size(); ++i) {
    if (ordered[i]->version == ordered[i - 1]->version) {
      return absl::InvalidArgumentError(
          absl::StrCat("two migrations share version ", ordered[i]->version));
    }
  }

  const bool postgres = dialect() == Dialect::kPostgres;
  // Replicas starting together would otherwise race on CREATE TABLE IF NOT
  // EXISTS (PostgreSQL reports a duplicate type) and on applying the same
  // migration twice. The lock is released by the transaction's end.
  auto serialise = [postgres](Connection& c) -> absl::Status {
    if (!postgres) return absl::OkStatus();
    return c.Query("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}).status();
  };

  absl::Status status = Transaction([&](Connection& c) -> absl::Status {
    if (absl::Status s = serialise(c); !s.ok()) return s;
    return c.ExecScript(kCreateMigrationsTable);
  });
  if (!status.ok()) return status;

  // Read once up front so that an up-to-date database costs one query and no
  // write transaction per known migration.
  std::set<int64_t> applied;
  status = Run([&](Connection& c) -> absl::Status {
    absl::StatusOr<Rows> rows = c.Query("SELECT version FROM schema_migrations");
    if (!rows.ok()) return rows.status();
    for (const Row& row : *rows) applied.insert(row.Int(0));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;

  for (const Migration* m : ordered) {
    if (applied.count(m->version) > 0) continue;
    const std::string& sql = postgres && !m->postgres_sql.empty() ? m->postgres_sql : m->sqlite_sql;
    status = Transaction([&](Connection& c) -> absl::Status {
      if (absl::Status s = serialise(c); !s.ok()) return s;
      // Checked again under the lock: another replica may have applied it
      // since the read above.
      absl::StatusOr<Rows> done = c.Query("SELECT 1 FROM schema_migrations WHERE version = $1",
                                          {static_cast<int64_t>(m->version)});
      if (!done.ok()) return done.status();
      if (!done->empty()) return absl::OkStatus();
      if (absl::Status s = c.ExecScript(sql); !s.ok()) return s;
      return c
          .Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                {static_cast<int64_t>(m->version), m->name, UnixMillisNow()})
          .status();
    });
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat("migration ", m->version, " (", m->name,
                                                      "): ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace socm::db
