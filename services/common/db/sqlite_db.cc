#include "services/common/db/sqlite_db.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "services/common/db/pool.h"

namespace socm::db::internal {
namespace {

// The services use a few dozen distinct statements, so the cache is simply
// emptied when it reaches this size instead of tracking recency.
constexpr size_t kStatementCacheSize = 128;

// SQLite's messages name tables, columns and constraints but never bound
// values, so they are safe to pass on as they are.
absl::Status SqliteError(sqlite3* db, int rc) {
  const std::string message =
      absl::StrCat("sqlite: ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(message);
      }
      return absl::InternalError(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::AbortedError(message);
    case SQLITE_INTERRUPT:
      return absl::DeadlineExceededError(message);
    case SQLITE_CANTOPEN:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

class SqliteConnection final : public Connection {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                                const DatabaseOptions& options) {
    sqlite3* db = nullptr;
    // NOMUTEX: the pool lends a connection to one thread at a time, so
    // SQLite's own per-connection locking would only cost.
    const int rc =
        sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      absl::Status status = SqliteError(db, rc);
      sqlite3_close_v2(db);
      return status;
    }
    auto conn = std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, options.timeout_ms);

    // Switching a file into WAL takes an exclusive lock without consulting
    // the busy handler, so replicas opening a new file together see BUSY at
    // once; they wait here as the busy timeout would have made them.
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms);
    absl::StatusOr<Rows> mode = conn->Query("PRAGMA journal_mode = WAL", {});
    while (!mode.ok() && absl::IsAborted(mode.status()) &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      mode = conn->Query("PRAGMA journal_mode = WAL", {});
    }
    if (!mode.ok()) return mode.status();
    // SQLite silently keeps the old mode where WAL cannot work (e.g. some
    // network file systems); running without it would break the durability
    // and concurrency the callers rely on.
    if (mode->size() != 1 || (*mode)[0].Text(0) != "wal") {
      return absl::InternalError(
          absl::StrCat("sqlite: cannot switch ", path, " to WAL journal mode"));
    }
    // Reads through a memory map of up to 256 MiB: a page is then read where the kernel keeps
    // it, not copied into each connection's cache by a system call (the benchmark's read of
    // 10,000 organisations spent a tenth of its time in those copies).
    if (absl::Status s = conn->ExecScript(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA mmap_size = 268435456");
        !s.ok()) {
      return s;
    }
    return conn;
  }

  ~SqliteConnection() override {
    for (auto& entry : cache_) sqlite3_finalize(entry.second);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  absl::StatusOr<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    if (absl::Status s = Run(sql, params, &rows); !s.ok()) return s;
    return rows;
  }

  absl::StatusOr<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, so
    // after DDL it would report a stale number; an unchanged total means this
    // statement changed nothing.
    const int64_t before = sqlite3_total_changes64(db_);
    if (absl::Status s = Run(sql, params, nullptr); !s.ok()) return s;
    if (sqlite3_total_changes64(db_) == before) return 0;
    return sqlite3_changes64(db_);
  }

  absl::Status ExecScript(std::string_view sql) override {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK) return SqliteError(db_, rc);
    return absl::OkStatus();
  }

  // A caller that leaves a transaction open would otherwise keep the write
  // lock for as long as the connection sits idle in the pool.
  void RollbackIfOpen() {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  absl::StatusOr<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;

    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc);
    if (stmt == nullptr) return absl::InternalError("sqlite: empty statement");
    // SQLite compiles only the first statement and would silently ignore the
    // rest, where PostgreSQL refuses; refuse here too so both behave alike.
    const int tail_size = static_cast<int>(sql.data() + sql.size() - tail);
    sqlite3_stmt* extra = nullptr;
    rc = sqlite3_prepare_v2(db_, tail, tail_size, &extra, nullptr);
    if (rc != SQLITE_OK || extra != nullptr) {
      sqlite3_finalize(extra);
      sqlite3_finalize(stmt);
      return absl::InternalError("sqlite: more than one statement; use ExecScript");
    }

    if (cache_.size() >= kStatementCacheSize) {
      for (auto& entry : cache_) sqlite3_finalize(entry.second);
      cache_.clear();
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  absl::Status Bind(sqlite3_stmt* stmt, const std::vector<Value>& params) {
    for (size_t i = 0; i < params.size(); ++i) {
      const std::string name = absl::StrCat("$", i + 1);
      const int index = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (index == 0) {
        return absl::InternalError(absl::StrCat("sqlite: ", params.size(), " parameters given but ",
                                                name, " is not used"));
      }
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const auto* b = std::get_if<Bytes>(&v)) {
        rc = sqlite3_bind_blob64(stmt, index, b->data.data(), b->data.size(), SQLITE_STATIC);
      } else {
        // STATIC is safe: the bindings are cleared before `params` can go away.
        const std::string& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc);
    }
    // Each $k found above has its own index, so any surplus is a parameter
    // outside $1..$n (or a ?, :name or @name PostgreSQL would not accept).
    if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
      return absl::InternalError(
          params.empty() ? "sqlite: the statement has parameters but none were given"
                         : absl::StrCat("sqlite: the statement uses parameters other than $1..$",
                                        params.size()));
    }
    return absl::OkStatus();
  }

  absl::Status Run(std::string_view sql, const std::vector<Value>& params, Rows* rows) {
    absl::StatusOr<sqlite3_stmt*> prepared = Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    sqlite3_stmt* stmt = *prepared;
    // The statement stays cached, so it must leave here reset and unbound
    // whatever happens (the text bindings point into `params`).
    absl::Cleanup reset = [stmt] {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    };
    if (absl::Status s = Bind(stmt, params); !s.ok()) return s;

    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return absl::OkStatus();
      if (rc != SQLITE_ROW) return SqliteError(db_, rc);
      if (rows == nullptr) continue;
      Row& row = rows->emplace_back();
      row.values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL:
            row.values.emplace_back(std::monostate());
            break;
          case SQLITE_INTEGER:
            row.values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            row.values.emplace_back(sqlite3_column_double(stmt, c));
            break;
          default: {
            // Text and blobs alike are bytes with a length, so embedded NULs
            // survive; the pointer must be fetched before the length.
            const void* data = sqlite3_column_type(stmt, c) == SQLITE_TEXT
                                   ? static_cast<const void*>(sqlite3_column_text(stmt, c))
                                   : sqlite3_column_blob(stmt, c);
            const int size = sqlite3_column_bytes(stmt, c);
            row.values.emplace_back(data == nullptr
                                        ? std::string()
                                        : std::string(static_cast<const char*>(data), size));
          }
        }
      }
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::vector<std::unique_ptr<SqliteConnection>> conns,
                 const DatabaseOptions& options)
      : pool_(std::move(conns)),
        lock_wait_(options.timeout_ms),
        pool_wait_(options.timeout_ms + options.connect_timeout_ms) {}

  Dialect dialect() const override { return Dialect::kSqlite; }

  absl::Status Transaction(const std::function<absl::Status(Connection&)>& fn) override {
    // Taken before a connection so that queued writers do not hold pool
    // slots that readers could use.
    std::unique_lock<std::timed_mutex> writer(writer_, std::defer_lock);
    if (!writer.try_lock_for(lock_wait_)) {
      return absl::AbortedError("sqlite: timed out waiting for the write lock");
    }
    auto lease = pool_.Acquire(pool_wait_);
    if (!lease.ok()) return lease.status();
    SqliteConnection& conn = **lease;
    absl::Cleanup rollback = [&conn] { conn.RollbackIfOpen(); };

    // IMMEDIATE takes the write lock now, so a transaction that reads and
    // then writes cannot fail half-way with a lock upgrade deadlock.
    if (absl::Status s = conn.ExecScript("BEGIN IMMEDIATE"); !s.ok()) return s;
    if (absl::Status s = fn(conn); !s.ok()) return s;
    return conn.ExecScript("COMMIT");
  }

  absl::Status Run(const std::function<absl::Status(Connection&)>& fn) override {
    auto lease = pool_.Acquire(pool_wait_);
    if (!lease.ok()) return lease.status();
    SqliteConnection& conn = **lease;
    absl::Cleanup rollback = [&conn] { conn.RollbackIfOpen(); };
    return fn(conn);
  }

 private:
  Pool<SqliteConnection> pool_;
  std::timed_mutex writer_;
  std::chrono::milliseconds lock_wait_;
  std::chrono::milliseconds pool_wait_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                     const DatabaseOptions& options) {
  if (path.empty()) return absl::InvalidArgumentError("sqlite URL without a file path");
  // Every pooled connection would get its own private in-memory database.
  if (path == ":memory:" || path.rfind("file:", 0) == 0) {
    return absl::InvalidArgumentError("sqlite URL must name a plain file path");
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("sqlite: cannot create directory ", parent.string(), ": ", ec.message()));
    }
  }
  std::vector<std::unique_ptr<SqliteConnection>> conns;
  for (int i = 0; i < options.pool_size; ++i) {
    absl::StatusOr<std::unique_ptr<SqliteConnection>> conn = SqliteConnection::Open(path, options);
    if (!conn.ok()) return conn.status();
    conns.push_back(*std::move(conn));
  }
  return std::make_unique<SqliteDatabase>(std::move(conns), options);
}

}  // namespace socm::db::internal
