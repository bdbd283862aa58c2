// PostgreSQL driver: one libpq connection with its prepared-statement cache, the pool
// that lends connections, result conversion by column type, and error mapping by SQLSTATE
// (PostgreSQL 15 documentation, appendix A "PostgreSQL Error Codes").
#include "kernel/db/postgres/postgres_database.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <utility>

#include "kernel/db/database_url.hpp"
#include "kernel/db/postgres/placeholders.hpp"
#include "kernel/db/statement_cache.hpp"

namespace zhengwu::db {
namespace {

// Type OIDs are fixed by the server's catalog (pg_type.dat); libpq has no header for them.
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kOid = 26;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  return std::string(sql.size() <= kMax ? sql : sql.substr(0, kMax)) + (sql.size() <= kMax ? "" : "...");
}

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

Error::Kind error_kind(PGconn* conn, std::string_view sqlstate) {
  if (PQstatus(conn) != CONNECTION_OK) return Error::Kind::connection;
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") return Error::Kind::busy;
  if (sqlstate.substr(0, 2) == "23") return Error::Kind::constraint;
  if (sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03")
    return Error::Kind::connection;
  return Error::Kind::other;
}

// The message names the SQLSTATE and the constraint but leaves out the DETAIL line,
// which quotes the offending values (an ID number, a phone) and would carry personal
// data into logs.
[[noreturn]] void fail(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  std::string message = "postgresql: " + (primary ? std::string(primary) : trimmed(PQerrorMessage(conn)));
  if (state) message += " [SQLSTATE " + std::string(state) + "]";
  if (constraint) message += " [constraint " + std::string(constraint) + "]";
  message += " (in: " + excerpt(sql) + ")";
  throw Error(error_kind(conn, state ? state : ""), message);
}

void check(PGconn* conn, const Result& res, std::string_view sql) {
  ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
  if (status == PGRES_EMPTY_QUERY)
    throw Error(Error::Kind::other, "postgresql: no statement to run (in: " + excerpt(sql) + ")");
  fail(conn, res.get(), sql);
}

// Statements that end or open a transaction run through the simple protocol: they are
// never worth a cache slot, and ROLLBACK must work in an aborted transaction.
bool transaction_control(std::string_view sql) {
  return sql == "BEGIN" || sql == "BEGIN READ ONLY" || sql == "COMMIT" || sql == "ROLLBACK";
}

std::int64_t parse_int(const char* text, int length) {
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(text, text + length, out);
  if (ec != std::errc() || end != text + length)
    throw Error(Error::Kind::other, "postgresql: unexpected integer text '" + std::string(text, static_cast<std::size_t>(length)) + "'");
  return out;
}

Value column_value(const PGresult* res, int row, int col, Oid type) {
  if (PQgetisnull(res, row, col)) return Value();
  const char* text = PQgetvalue(res, row, col);
  int length = PQgetlength(res, row, col);
  switch (type) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: return Value(parse_int(text, length));
    case kFloat4:
    case kFloat8: return Value(Value(std::string(text, static_cast<std::size_t>(length))).as_double());
    case kBool: return Value(std::int64_t{text[0] == 't' ? 1 : 0});
    case kBytea: {
      // Text output of bytea is `\x` + hex (or the old escape format, if a server is
      // configured so); PQunescapeBytea reads both.
      std::size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      if (!bytes) throw Error(Error::Kind::other, "postgresql: out of memory decoding a bytea value");
      Blob blob(bytes, bytes + size);
      PQfreemem(bytes);
      return Value(std::move(blob));
    }
    default: return Value(std::string(text, static_cast<std::size_t>(length)));
  }
}

Rows to_rows(const PGresult* res) {
  Rows out;
  int columns = PQnfields(res);
  auto names = std::make_shared<std::vector<std::string>>();
  std::vector<Oid> types;
  for (int c = 0; c < columns; ++c) {
    names->emplace_back(PQfname(res, c));
    types.push_back(PQftype(res, c));
  }
  out.columns = names;
  int rows = PQntuples(res);
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) values.push_back(column_value(res, r, c, types[static_cast<std::size_t>(c)]));
    out.rows.emplace_back(out.columns, std::move(values));
  }
  return out;
}

// Parameters in libpq's parallel arrays. Text for everything but blobs, whose bytes go
// in binary format so that zero bytes need no escaping.
class BoundParams {
 public:
  BoundParams(const Params& params, std::string_view sql) {
    std::size_t n = params.size();
    text_.resize(n);
    values_.resize(n, nullptr);
    lengths_.resize(n, 0);
    formats_.resize(n, 0);
    types_.resize(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (v.is_null()) continue;
      if (v.is_blob()) {
        const Blob& b = v.as_blob();
        static const char kEmpty = 0;
        values_[i] = b.empty() ? &kEmpty : reinterpret_cast<const char*>(b.data());
        lengths_[i] = static_cast<int>(b.size());
        formats_[i] = 1;
        types_[i] = kBytea;
        continue;
      }
      text_[i] = v.as_text();
      if (text_[i].find('\0') != std::string::npos)
        throw Error(Error::Kind::other,
                    "postgresql: parameter " + std::to_string(i + 1) + " is text with a NUL byte, which PostgreSQL "
                    "cannot store; pass a Blob (in: " + excerpt(sql) + ")");
      values_[i] = text_[i].c_str();
    }
  }

  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }
  const Oid* types() const { return types_.data(); }

  // Statements are prepared per parameter-type shape: a blob parameter is typed bytea at
  // prepare time, the others are left to the server to infer.
  std::string shape() const {
    std::string s;
    for (Oid t : types_) s += t == kBytea ? 'b' : '.';
    return s;
  }

 private:
  std::vector<std::string> text_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<Oid> types_;
};

}  // namespace

// One libpq connection. Not thread-safe: the pool lends it to one thread at a time.
class PostgresConnection final : public Connection {
 public:
  PostgresConnection(PGconn* conn, std::size_t cache_capacity) : conn_(conn), cache_(cache_capacity) {
    // Notices (`table exists, skipping`, `no transaction in progress`) are expected
    // chatter; they must not reach stderr.
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Rows query(std::string_view sql, const Params& params) override { return to_rows(run(sql, params).get()); }

  std::int64_t execute(std::string_view sql, const Params& params) override {
    Result res = run(sql, params);
    // COMMIT of a transaction in which a statement failed succeeds but rolls back; the
    // caller asked for a commit, so that is an error.
    if (sql == "COMMIT" && std::strcmp(PQcmdStatus(res.get()), "ROLLBACK") == 0)
      throw Error(Error::Kind::other, "postgresql: the transaction was rolled back, since a statement in it failed");
    const char* tuples = PQcmdTuples(res.get());
    return *tuples ? parse_int(tuples, static_cast<int>(std::strlen(tuples))) : 0;
  }

  void execute_script(std::string_view sql) override {
    Result res(PQexec(conn_, std::string(sql).c_str()));
    // A script of only comments is a valid (empty) migration, as it is on SQLite.
    if (res && PQresultStatus(res.get()) == PGRES_EMPTY_QUERY) return;
    check(conn_, res, sql);
  }

  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

  // Makes the connection fit for the next borrower: ends a transaction left open and
  // drops statements evicted meanwhile. False when it is not fit and must be closed.
  bool reset_for_reuse() {
    if (!healthy()) return false;
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_IDLE: break;
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR: {
        Result res(PQexec(conn_, "ROLLBACK"));
        if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) return false;
        break;
      }
      default: return false;  // a command still running, or the connection is lost
    }
    deallocate_pending();
    return healthy() && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

 private:
  struct Prepared {
    std::string name;
    int parameters = 0;
  };

  Result run(std::string_view sql, const Params& params) {
    if (params.empty() && transaction_control(sql)) {
      Result res(PQexec(conn_, std::string(sql).c_str()));
      check(conn_, res, sql);
      return res;
    }
    BoundParams bound(params, sql);
    if (cache_.capacity() == 0) {
      postgres::NumberedSql numbered = numbered_for(sql, params.size());
      Result res(PQexecParams(conn_, numbered.text.c_str(), bound.count(), bound.types(), bound.values(),
                              bound.lengths(), bound.formats(), 0));
      check(conn_, res, sql);
      return res;
    }
    std::string key = std::string(sql);
    key += '\x1f';
    key += bound.shape();
    const PGTransactionStatusType before = PQtransactionStatus(conn_);
    Result res = run_prepared(key, sql, bound);
    if (!res || PQresultStatus(res.get()) != PGRES_FATAL_ERROR || !stale_plan(res.get())) {
      check(conn_, res, sql);
      return res;
    }
    // The table behind a cached statement changed shape (ALTER TABLE, a table dropped and
    // created again). Forget the statement; outside a transaction nothing was affected,
    // so running it once more, freshly prepared, is safe.
    forget(key);
    if (before != PQTRANS_IDLE) check(conn_, res, sql);
    res = run_prepared(key, sql, bound);
    check(conn_, res, sql);
    return res;
  }

  Result run_prepared(const std::string& key, std::string_view sql, const BoundParams& bound) {
    deallocate_pending();
    Prepared* prepared = cache_.find(key);
    if (!prepared) {
      postgres::NumberedSql numbered = numbered_for(sql, static_cast<std::size_t>(bound.count()));
      std::string name = "zw_" + std::to_string(++statements_made_);
      Result made(PQprepare(conn_, name.c_str(), numbered.text.c_str(), bound.count(), bound.types()));
      check(conn_, made, sql);
      if (auto evicted = cache_.insert(key, Prepared{name, numbered.parameters})) retire(evicted->name);
      prepared = cache_.find(key);
    }
    return Result(PQexecPrepared(conn_, prepared->name.c_str(), bound.count(), bound.values(), bound.lengths(),
                                 bound.formats(), 0));
  }

  static postgres::NumberedSql numbered_for(std::string_view sql, std::size_t given) {
    postgres::NumberedSql numbered = postgres::to_numbered_placeholders(sql);
    if (static_cast<std::size_t>(numbered.parameters) != given)
      throw Error(Error::Kind::other, "postgresql: the statement takes " + std::to_string(numbered.parameters) +
                                          " parameters, " + std::to_string(given) + " given (in: " + excerpt(sql) + ")");
    return numbered;
  }

  static bool stale_plan(const PGresult* res) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    return state && std::strcmp(state, "0A000") == 0 && primary &&
           std::strstr(primary, "cached plan must not change result type") != nullptr;
  }

  void forget(const std::string& key) {
    if (auto gone = cache_.erase(key)) retire(gone->name);
  }

  // DEALLOCATE fails inside an aborted transaction; such names wait for a better moment.
  void retire(std::string name) {
    pending_deallocations_.push_back(std::move(name));
    deallocate_pending();
  }

  void deallocate_pending() {
    if (pending_deallocations_.empty() || PQtransactionStatus(conn_) == PQTRANS_INERROR) return;
    for (const std::string& name : pending_deallocations_) {
      std::string sql = "DEALLOCATE " + name;
      Result res(PQexec(conn_, sql.c_str()));
    }
    pending_deallocations_.clear();
  }

  PGconn* conn_;
  StatementCache<Prepared> cache_;
  std::uint64_t statements_made_ = 0;
  std::vector<std::string> pending_deallocations_;
};

PostgresDatabase::PostgresDatabase(std::string uri, std::string description, const Options& options)
    : uri_(std::move(uri)),
      description_(std::move(description)),
      options_(options),
      capacity_(options.pool_size > 0 ? options.pool_size : 1) {}

PostgresDatabase::~PostgresDatabase() {
  std::lock_guard lock(mutex_);
  idle_.clear();
  leased_.clear();
}

std::unique_ptr<Database> PostgresDatabase::open(const DatabaseUrl& url, const Options& options) {
  char* why = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.postgres_uri.c_str(), &why);
  if (!parsed) {
    std::string message = why ? trimmed(why) : "out of memory";
    PQfreemem(why);
    throw Error(Error::Kind::other, "malformed database URL '" + url.redacted + "': " + message);
  }
  PQconninfoFree(parsed);
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(url.postgres_uri, url.redacted, options));
  db->acquire();
  return db;
}

std::unique_ptr<PostgresConnection> PostgresDatabase::connect() const {
  // Keywords before `dbname` are defaults the URL may override; those after it are not.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
  const char* values[] = {"10", "zhengwu", uri_.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (!conn) throw Error(Error::Kind::connection, "cannot connect to " + description_ + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    throw Error(Error::Kind::connection, "cannot connect to " + description_ + ": " + why);
  }
  return std::make_unique<PostgresConnection>(conn, options_.statement_cache);
}

Lease PostgresDatabase::acquire() {
  std::vector<std::unique_ptr<PostgresConnection>> broken;  // closed after the lock is let go
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + options_.busy_timeout;
  bool waited = false;
  while (true) {
    while (!idle_.empty()) {
      std::unique_ptr<PostgresConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->healthy()) return lend(std::move(conn));
      --open_;
      broken.push_back(std::move(conn));
    }
    if (open_ < capacity_) {
      ++open_;  // reserve the slot while connecting without the lock
      lock.unlock();
      std::unique_ptr<PostgresConnection> conn;
      try {
        conn = connect();
      } catch (...) {
        lock.lock();
        --open_;
        returned_.notify_one();
        throw;
      }
      lock.lock();
      return lend(std::move(conn));
    }
    if (!waited) {
      ++waits_;
      waited = true;
    }
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= capacity_)
      throw Error(Error::Kind::busy, "postgresql: all " + std::to_string(capacity_) + " connections to " +
                                         description_ + " stayed in use for " +
                                         std::to_string(options_.busy_timeout.count()) + " ms");
  }
}

Lease PostgresDatabase::lend(std::unique_ptr<PostgresConnection> conn) {
  PostgresConnection* raw = conn.get();
  leased_.emplace(raw, std::move(conn));
  return Lease(raw, [this](Connection* c, bool broken) { release(static_cast<PostgresConnection*>(c), broken); });
}

void PostgresDatabase::release(PostgresConnection* conn, bool broken) {
  // The connection is still ours alone here, so the ROLLBACK runs without the lock.
  const bool reusable = !broken && conn->reset_for_reuse();
  std::unique_ptr<PostgresConnection> doomed;
  {
    std::lock_guard lock(mutex_);
    auto it = leased_.find(conn);
    if (it == leased_.end()) return;
    if (reusable) {
      idle_.push_back(std::move(it->second));
    } else {
      doomed = std::move(it->second);
      --open_;
    }
    leased_.erase(it);
  }
  returned_.notify_one();
}

PoolStats PostgresDatabase::pool_stats() const {
  std::lock_guard lock(mutex_);
  PoolStats stats;
  stats.size = idle_.size() + leased_.size();
  stats.in_use = leased_.size();
  stats.capacity = capacity_;
  stats.waits = waits_;
  return stats;
}

}  // namespace zhengwu::db
