#include "services/common/db/postgres_db.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "services/common/db/pool.h"

namespace socm::db::internal {
namespace {

// Built-in type OIDs. They are fixed in PostgreSQL's catalog, but the header
// that names them (catalog/pg_type_d.h) ships with the server, not libpq-dev.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's own messages span lines ("...failed: Connection refused\n\tIs the
// server running..."); a status message should be one line in the logs.
std::string OneLine(absl::string_view s) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(s, '\n', absl::SkipWhitespace())) {
    if (!out.empty()) out += " ";
    out += std::string(absl::StripAsciiWhitespace(line));
  }
  return out;
}

// Some messages quote the offending input: a data exception repeats the
// value that failed to convert (`invalid input syntax for type bigint:
// "..."`), and a URL parse error may repeat the URL with its password. Only
// the part before the first ": " is kept, with quoted spans blanked.
std::string WithoutValues(absl::string_view message) {
  message = absl::StripAsciiWhitespace(message);
  if (size_t colon = message.find(": "); colon != absl::string_view::npos) {
    message = message.substr(0, colon);
  }
  std::string out;
  bool quoted = false;
  for (char ch : message) {
    if (ch == '"') {
      out += quoted ? "\"" : "\"...";
      quoted = !quoted;
    } else if (!quoted) {
      out += ch;
    }
  }
  return out;
}

absl::StatusCode CodeForSqlState(absl::string_view state) {
  if (state == "23505") return absl::StatusCode::kAlreadyExists;
  // 55P03 is lock_timeout: like SQLite's BUSY, the transaction may be retried.
  if (state == "40001" || state == "40P01" || state == "55P03") return absl::StatusCode::kAborted;
  if (state == "57014") return absl::StatusCode::kDeadlineExceeded;
  // Class 08 is a connection failure; 57P01..57P03 an administrator shutdown,
  // a crash recovery or a server still starting; 53300 too many connections.
  // All of them go away once the server is back.
  if (absl::StartsWith(state, "08") || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "53300") {
    return absl::StatusCode::kUnavailable;
  }
  return absl::StatusCode::kInternal;
}

std::string FormatDouble(double d) {
  // Shortest text that reads back as the same double, which float8in accepts
  // (including "inf", "-inf" and "nan").
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  return std::string(buf, ec == std::errc() ? end : buf);
}

// libpq prints notices (e.g. "drop cascades to ...") on stderr by default,
// which would break the one-JSON-object-per-line service logs.
void IgnoreNotice(void*, const char*) {}

class PgConnection final : public Connection {
 public:
  PgConnection(std::string url, const DatabaseOptions& options)
      : url_(std::move(url)), options_(options) {}
  ~PgConnection() override { Close(); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  // Called before the connection is lent out. A session the server has
  // closed while it sat idle (restart, failover, idle timeout) is replaced
  // here rather than failing the caller's first statement.
  absl::Status EnsureReady() {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK || ClosedByServer()) {
      return Connect();
    }
    return absl::OkStatus();
  }

  absl::Status Connect() {
    Close();
    const std::string connect_timeout =
        absl::StrCat(std::max(1, (options_.connect_timeout_ms + 999) / 1000));
    // dbname comes last so that what the URL spells out overrides these
    // defaults (libpq applies the keywords in order).
    const char* const keys[] = {"client_encoding", "fallback_application_name", "connect_timeout",
                                "dbname", nullptr};
    const char* const values[] = {"UTF8", "socm", connect_timeout.c_str(), url_.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (conn == nullptr) return absl::UnavailableError("postgres: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
      absl::Status status = absl::UnavailableError(
          absl::StrCat("postgres: cannot connect: ", OneLine(PQerrorMessage(conn))));
      PQfinish(conn);
      return status;
    }
    conn_ = conn;
    PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
    // extra_float_digits > 0 makes the server print doubles exactly (the
    // shortest text that reads back as the same value).
    absl::Status status = ExecScript(absl::StrCat("SET statement_timeout = ", options_.timeout_ms,
                                                  "; SET extra_float_digits = 3"));
    if (!status.ok()) Close();
    return status;
  }

  absl::StatusOr<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    absl::StatusOr<ResultPtr> result = Execute(sql, params);
    if (!result.ok()) return result.status();
    const PGresult* r = result->get();
    const int nrows = PQntuples(r);
    const int ncols = PQnfields(r);
    std::vector<Oid> types(ncols);
    for (int c = 0; c < ncols; ++c) types[c] = PQftype(r, c);
    Rows rows(nrows);
    for (int i = 0; i < nrows; ++i) {
      std::vector<Value>& values = rows[i].values;
      values.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(r, i, c)) {
          values.emplace_back(std::monostate());
          continue;
        }
        const absl::string_view text(PQgetvalue(r, i, c), PQgetlength(r, i, c));
        values.push_back(Convert(types[c], text));
      }
    }
    return rows;
  }

  absl::StatusOr<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    absl::StatusOr<ResultPtr> result = Execute(sql, params);
    if (!result.ok()) return result.status();
    // Empty for statements that do not count rows (DDL, SET, ...).
    int64_t changed = 0;
    if (!absl::SimpleAtoi(PQcmdTuples(result->get()), &changed)) changed = 0;
    return changed;
  }

  absl::Status ExecScript(std::string_view sql) override {
    if (conn_ == nullptr) return absl::UnavailableError("postgres: not connected");
    // PQexec uses the simple protocol, the only one that accepts several
    // statements in one string.
    ResultPtr result(PQexec(conn_, std::string(sql).c_str()));
    return Check(result.get());
  }

  bool InFailedTransaction() const {
    return conn_ != nullptr && PQtransactionStatus(conn_) == PQTRANS_INERROR;
  }

  // A caller that leaves a transaction open would otherwise hand its locks
  // and snapshot to the next borrower.
  void RollbackIfOpen() {
    if (conn_ == nullptr) return;
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_IDLE:
        return;
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR:
        if (ExecScript("ROLLBACK").ok()) return;
        break;
      default:
        break;
    }
    // Anything else means the session is in a state we cannot reason about.
    Close();
  }

 private:
  void Close() {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
  }

  // Idle outside a transaction, the server has nothing to tell us, so a
  // readable socket almost always carries its goodbye (an error message and
  // EOF). Reconnecting on a false alarm costs only a reconnect.
  bool ClosedByServer() const {
    const int fd = PQsocket(conn_);
    if (fd < 0) return true;
    pollfd p{};
    p.fd = fd;
    p.events = POLLIN;
    return poll(&p, 1, 0) > 0;
  }

  absl::StatusOr<ResultPtr> Execute(std::string_view sql, const std::vector<Value>& params) {
    if (conn_ == nullptr) return absl::UnavailableError("postgres: not connected");
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    // Numbers are sent typed (BIGINT, DOUBLE PRECISION) so that `$1 + 1` or
    // `$1 > 2147483647` means what it means on SQLite instead of the server
    // guessing INTEGER or text; text and NULL stay untyped and take the type
    // of the column they meet.
    std::vector<Oid> types(params.size(), 0);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* n = std::get_if<int64_t>(&v)) {
        texts[i] = absl::StrCat(*n);
        types[i] = kInt8Oid;
      } else if (const auto* d = std::get_if<double>(&v)) {
        texts[i] = FormatDouble(*d);
        types[i] = kFloat8Oid;
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        if (s->find('\0') != std::string::npos) {
          return absl::InvalidArgumentError(absl::StrCat(
              "postgres: parameter $", i + 1, " contains a NUL byte, which text cannot hold"));
        }
        values[i] = s->c_str();
        continue;
      } else if (const auto* b = std::get_if<Bytes>(&v)) {
        // Sent in binary format: no escaping, no size growth.
        types[i] = kByteaOid;
        values[i] = b->data.data();
        lengths[i] = static_cast<int>(b->data.size());
        formats[i] = 1;
        continue;
      } else {
        continue;
      }
      values[i] = texts[i].c_str();
    }
    ResultPtr result(PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(params.size()),
                                  types.data(), values.data(), lengths.data(), formats.data(),
                                  /*resultFormat=*/0));
    if (absl::Status s = Check(result.get()); !s.ok()) return s;
    return result;
  }

  absl::Status Check(const PGresult* result) {
    const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      return absl::OkStatus();
    }
    // libpq's own failures (the socket closed, the server vanished) carry no
    // SQLSTATE; the connection status tells them apart.
    const bool lost = PQstatus(conn_) != CONNECTION_OK;
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    // Only the primary message: DETAIL repeats the row or key values.
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = primary != nullptr ? primary : OneLine(PQerrorMessage(conn_));
    if (state != nullptr && absl::StartsWith(state, "22")) message = WithoutValues(message);
    if (status != PGRES_FATAL_ERROR && status != PGRES_NONFATAL_ERROR &&
        status != PGRES_BAD_RESPONSE) {
      message = absl::StrCat("unexpected result status ", PQresStatus(status));
    }
    absl::StatusCode code =
        lost ? absl::StatusCode::kUnavailable : CodeForSqlState(state != nullptr ? state : "");
    if (lost) Close();
    return absl::Status(
        code, absl::StrCat("postgres: ", message,
                           state != nullptr ? absl::StrCat(" (SQLSTATE ", state, ")") : ""));
  }

  static Value Convert(Oid type, absl::string_view text) {
    switch (type) {
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
      case kOidOid: {
        int64_t n;
        if (absl::SimpleAtoi(text, &n)) return n;
        break;
      }
      case kFloat4Oid:
      case kFloat8Oid: {
        double d;
        if (absl::SimpleAtod(text, &d)) return d;
        break;
      }
      case kBoolOid:
        return int64_t{text == "t" ? 1 : 0};
      case kByteaOid: {
        // Text results carry bytea as "\\x" and two hex digits per byte.
        if (absl::StartsWith(text, "\\x")) return absl::HexStringToBytes(text.substr(2));
        break;
      }
      default:
        break;
    }
    return std::string(text);
  }

  const std::string url_;
  const DatabaseOptions options_;
  PGconn* conn_ = nullptr;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::vector<std::unique_ptr<PgConnection>> conns, const DatabaseOptions& options)
      : pool_(std::move(conns)), pool_wait_(options.timeout_ms + options.connect_timeout_ms) {}

  Dialect dialect() const override { return Dialect::kPostgres; }

  absl::Status Transaction(const std::function<absl::Status(Connection&)>& fn) override {
    auto lease = pool_.Acquire(pool_wait_);
    if (!lease.ok()) return lease.status();
    PgConnection& conn = **lease;
    if (absl::Status s = conn.EnsureReady(); !s.ok()) return s;
    absl::Cleanup rollback = [&conn] { conn.RollbackIfOpen(); };

    absl::Status s = conn.ExecScript("BEGIN");
    // Nothing has happened yet, so a session that died unnoticed can be
    // replaced and the BEGIN sent again without risk of doing anything twice.
    if (absl::IsUnavailable(s)) {
      s = conn.Connect();
      if (s.ok()) s = conn.ExecScript("BEGIN");
    }
    if (!s.ok()) return s;
    if (s = fn(conn); !s.ok()) return s;
    // COMMIT of a failed transaction "succeeds" by rolling back, so a
    // statement error that `fn` swallowed has to be caught here.
    if (conn.InFailedTransaction()) {
      return absl::InternalError(
          "postgres: a statement in the transaction failed, so it was rolled back");
    }
    return conn.ExecScript("COMMIT");
  }

  absl::Status Run(const std::function<absl::Status(Connection&)>& fn) override {
    auto lease = pool_.Acquire(pool_wait_);
    if (!lease.ok()) return lease.status();
    PgConnection& conn = **lease;
    if (absl::Status s = conn.EnsureReady(); !s.ok()) return s;
    absl::Cleanup rollback = [&conn] { conn.RollbackIfOpen(); };
    return fn(conn);
  }

 private:
  Pool<PgConnection> pool_;
  std::chrono::milliseconds pool_wait_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(const std::string& url,
                                                       const DatabaseOptions& options) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &error);
  if (parsed == nullptr) {
    std::string why = error != nullptr ? WithoutValues(error) : "out of memory";
    PQfreemem(error);
    return absl::InvalidArgumentError(absl::StrCat("postgres: bad database URL: ", why));
  }
  PQconninfoFree(parsed);

  std::vector<std::unique_ptr<PgConnection>> conns;
  for (int i = 0; i < options.pool_size; ++i) {
    conns.push_back(std::make_unique<PgConnection>(url, options));
  }
  // One connection up front: a wrong host or password should stop the
  // service at start-up, not surface on its first request.
  if (absl::Status s = conns.back()->Connect(); !s.ok()) return s;
  return std::make_unique<PgDatabase>(std::move(conns), options);
}

}  // namespace socm::db::internal
