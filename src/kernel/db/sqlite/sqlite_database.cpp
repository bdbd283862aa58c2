// SQLite driver: connections, statement cache, the per-thread registry, error mapping.
//
// Layout: SqliteConnection wraps one sqlite3 handle and its statement cache;
// SqliteRegistry owns every connection of one SqliteDatabase; a thread-local table maps a
// database id to the calling thread's connection. See sqlite_database.hpp for the
// ownership rules.
#include "kernel/db/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kernel/db/database_url.hpp"
#include "kernel/db/statement_cache.hpp"

namespace zhengwu::db {
namespace {

std::atomic<std::uint64_t> next_database_id{1};

Error::Kind error_kind(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Error::Kind::busy;
    case SQLITE_CONSTRAINT: return Error::Kind::constraint;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB: return Error::Kind::connection;
    default: return Error::Kind::other;
  }
}

std::string excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  return std::string(sql.size() <= kMax ? sql : sql.substr(0, kMax)) + (sql.size() <= kMax ? "" : "...");
}

[[noreturn]] void fail(sqlite3* db, int code, std::string_view sql) {
  throw Error(error_kind(code), "sqlite: " + std::string(sqlite3_errmsg(db)) + " (in: " + excerpt(sql) + ")");
}

bool only_separators(const char* p, const char* end) {
  for (; p < end; ++p)
    if (*p != ';' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return false;
  return true;
}

}  // namespace

namespace {

// How a connection waits for another's write lock. SQLite's own busy handler sleeps 1,
// 2, 5, 10 ... 100 ms between tries: a writer could sleep 5 ms for a lock held 200 µs,
// and under a steady stream of short write transactions (the audit writer's group
// commits, batched nonce writes) those sleeps became the tail latency of requests. Here a
// waiter tries again after 50 µs, doubling up to 1.6 ms, until the busy timeout passed.
struct BusyWait {
  std::chrono::milliseconds timeout{0};
  std::chrono::steady_clock::time_point since{};
};

int wait_for_lock(void* arg, int attempt) {
  auto* wait = static_cast<BusyWait*>(arg);
  const auto now = std::chrono::steady_clock::now();
  if (attempt == 0) wait->since = now;
  if (now - wait->since >= wait->timeout) return 0;  // SQLITE_BUSY to the caller
  std::this_thread::sleep_for(std::chrono::microseconds(50) * (1 << std::min(attempt, 5)));
  return 1;
}

}  // namespace

// One sqlite3 handle. Used by one thread at a time (the registry hands it to one thread
// only), hence opened with SQLITE_OPEN_NOMUTEX.
class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& target, bool memory, const Options& options)
      : cache_(options.statement_cache) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (memory) flags |= SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(target.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      throw Error(Error::Kind::connection, "cannot open SQLite database " + (memory ? std::string("in memory") : target) + ": " + why);
    }
    sqlite3_extended_result_codes(db_, 1);
    busy_.timeout = std::chrono::milliseconds(std::clamp<std::int64_t>(options.busy_timeout.count(), 0, INT_MAX));
    sqlite3_busy_handler(db_, wait_for_lock, &busy_);
    try {
      // WAL lets readers run beside the writer; with it, synchronous=NORMAL is durable
      // across application crashes and loses at most the last commits on power loss.
      // The in-memory VFS has no WAL; its journal stays in memory.
      if (!memory) execute_script("PRAGMA journal_mode=WAL");
      execute_script("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");
      // Each connection caches up to 32 MiB of pages (SQLite's default is 2 MiB): a
      // lookup in a table of millions of rows otherwise read most pages again through
      // read(). The cache only takes memory as pages are used. (Memory-mapped reads were
      // tried and dropped: with the audit log growing the file all the time, SQLite
      // remapped it over and over, and unmapping cost more than the reads it saved.)
      if (!memory) execute_script("PRAGMA cache_size=-32768");
    } catch (const Error& e) {
      // Typically "file is not a database": the first statement is where SQLite finds out.
      sqlite3_close_v2(db_);
      throw Error(e.kind() == Error::Kind::other ? Error::Kind::connection : e.kind(),
                  "cannot open SQLite database " + (memory ? std::string("in memory") : target) + ": " + e.what());
    }
  }

  ~SqliteConnection() override {
    cache_.clear([](sqlite3_stmt* s) { sqlite3_finalize(s); });
    sqlite3_close_v2(db_);
  }

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Rows query(std::string_view sql, const Params& params) override {
    Statement stmt = prepare(sql, params);
    Rows out;
    // The columns are read after the first step: a cached statement whose table changed
    // shape is compiled again by that step, and may then have other columns.
    int rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(db_, rc, sql);
    int columns = sqlite3_column_count(stmt.get());
    auto names = std::make_shared<std::vector<std::string>>();
    names->reserve(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) {
      const char* name = sqlite3_column_name(stmt.get(), i);
      names->emplace_back(name ? name : "");
    }
    out.columns = names;
    for (;; rc = sqlite3_step(stmt.get())) {
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(db_, rc, sql);
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) values.push_back(column(stmt.get(), i));
      out.rows.emplace_back(out.columns, std::move(values));
    }
    return out;
  }

  std::int64_t execute(std::string_view sql, const Params& params) override {
    // A statement run with OR ROLLBACK (db::bulk_insert) that failed has ended the
    // transaction already; the caller's ROLLBACK then has nothing left to undo.
    if (sql == "ROLLBACK" && sqlite3_get_autocommit(db_)) return 0;
    Statement stmt = prepare(sql, params);
    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, even after a
    // statement that changed nothing (DDL, BEGIN); the total tells them apart.
    std::int64_t before = sqlite3_total_changes64(db_);
    while (true) {
      int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(db_, rc, sql);
    }
    return sqlite3_total_changes64(db_) == before ? 0 : sqlite3_changes64(db_);
  }

  void execute_script(std::string_view sql) override {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return;
    std::string why = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw Error(error_kind(sqlite3_extended_errcode(db_)), "sqlite: " + why + " (in: " + excerpt(sql) + ")");
  }

  // Rolls back a transaction left open by the last lease, which would otherwise keep
  // the write lock and stall every other thread. False when even that failed.
  bool end_abandoned_transaction() {
    if (sqlite3_get_autocommit(db_)) return true;
    return sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  // Lease bookkeeping; touched only by the thread that owns the connection.
  int leases = 0;
  bool broken = false;

 private:
  // A statement in use for one call: reset and unbound afterwards when it stays cached,
  // finalized when caching is off.
  class Statement {
   public:
    Statement(sqlite3_stmt* stmt, bool owned) : stmt_(stmt), owned_(owned) {}
    Statement(Statement&& o) noexcept : stmt_(std::exchange(o.stmt_, nullptr)), owned_(o.owned_) {}
    Statement& operator=(Statement&&) = delete;
    ~Statement() {
      if (!stmt_) return;
      if (owned_) {
        sqlite3_finalize(stmt_);
      } else {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
      }
    }
    sqlite3_stmt* get() const { return stmt_; }

   private:
    sqlite3_stmt* stmt_;
    bool owned_;
  };

  Statement prepare(std::string_view sql, const Params& params) {
    sqlite3_stmt* stmt = nullptr;
    bool owned = false;
    if (sqlite3_stmt** cached = cache_.find(sql)) {
      stmt = *cached;
    } else {
      stmt = compile(sql);
      if (cache_.capacity() == 0) {
        owned = true;
      } else if (auto evicted = cache_.insert(std::string(sql), stmt)) {
        sqlite3_finalize(*evicted);
      }
    }
    Statement use(stmt, owned);
    bind(use.get(), sql, params);
    return use;
  }

  sqlite3_stmt* compile(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    unsigned flags = cache_.capacity() > 0 ? SQLITE_PREPARE_PERSISTENT : 0;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, &tail);
    if (rc != SQLITE_OK) fail(db_, rc, sql);
    if (!stmt) throw Error(Error::Kind::other, "sqlite: no statement to run (in: " + excerpt(sql) + ")");
    const char* end = sql.data() + sql.size();
    if (tail && !only_separators(tail, end)) {
      // Whatever follows may still be only comments; SQLite tells by compiling nothing.
      sqlite3_stmt* next = nullptr;
      sqlite3_prepare_v3(db_, tail, static_cast<int>(end - tail), 0, &next, nullptr);
      if (next) {
        sqlite3_finalize(next);
        sqlite3_finalize(stmt);
        throw Error(Error::Kind::other,
                    "sqlite: query() and execute() run one statement; use execute_script for several (in: " +
                        excerpt(sql) + ")");
      }
    }
    return stmt;
  }

  void bind(sqlite3_stmt* stmt, std::string_view sql, const Params& params) {
    int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<std::size_t>(expected) != params.size())
      throw Error(Error::Kind::other, "sqlite: the statement takes " + std::to_string(expected) + " parameters, " +
                                          std::to_string(params.size()) + " given (in: " + excerpt(sql) + ")");
    for (int i = 0; i < expected; ++i) {
      const auto& v = params[static_cast<std::size_t>(i)].raw();
      int index = i + 1;
      int rc = SQLITE_OK;
      // The parameters outlive the statement's use (it is reset and unbound before this
      // call returns), so SQLite need not copy them.
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else if (const auto* b = std::get_if<Blob>(&v)) {
        // A null pointer would bind NULL, so an empty blob is bound as a zero-length one.
        rc = b->empty() ? sqlite3_bind_zeroblob(stmt, index, 0)
                        : sqlite3_bind_blob64(stmt, index, b->data(), b->size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) fail(db_, rc, sql);
    }
  }

  static Value column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER: return Value(static_cast<std::int64_t>(sqlite3_column_int64(stmt, i)));
      case SQLITE_FLOAT: return Value(sqlite3_column_double(stmt, i));
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return Value(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))));
      }
      case SQLITE_BLOB: {
        const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, i));
        auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
        return Value(data ? Blob(data, data + size) : Blob());
      }
      default: return Value();
    }
  }

  sqlite3* db_ = nullptr;
  BusyWait busy_;
  StatementCache<sqlite3_stmt*> cache_;
};

// Owns every connection of one SqliteDatabase. Shared with the thread-local tables
// through weak pointers, so that a thread ending after the database is gone finds
// nothing to close, and one ending while the database is destroyed closes its connection
// exactly once (whoever takes it out of `open_` under the mutex closes it).
class SqliteRegistry {
 public:
  SqliteRegistry(std::string target, bool memory, const Options& options)
      : target_(std::move(target)), memory_(memory), options_(options) {
    // An in-memory database lives as long as one connection to it is open; this one
    // keeps it alive when the threads that used it end.
    if (memory_) anchor_ = std::make_unique<SqliteConnection>(target_, memory_, options_);
  }

  // Opens a connection for the calling thread. Throws db::Error when it cannot.
  SqliteConnection* open_connection() {
    auto conn = std::make_unique<SqliteConnection>(target_, memory_, options_);
    SqliteConnection* raw = conn.get();
    std::lock_guard lock(mutex_);
    if (closed_) throw Error(Error::Kind::connection, "the SQLite database is being closed");
    open_.emplace(raw, std::move(conn));
    return raw;
  }

  // Closes `conn` if this registry still holds it.
  void close(SqliteConnection* conn) {
    std::unique_ptr<SqliteConnection> doomed;
    {
      std::lock_guard lock(mutex_);
      auto it = open_.find(conn);
      if (it == open_.end()) return;
      doomed = std::move(it->second);
      open_.erase(it);
    }
  }

  void close_all() {
    std::unordered_map<SqliteConnection*, std::unique_ptr<SqliteConnection>> doomed;
    std::unique_ptr<SqliteConnection> anchor;
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      doomed.swap(open_);
      anchor.swap(anchor_);
    }
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return open_.size() + (anchor_ ? 1 : 0);
  }

  std::atomic<std::size_t> in_use{0};

 private:
  const std::string target_;
  const bool memory_;
  const Options options_;

  mutable std::mutex mutex_;
  // Guarded by mutex_:
  std::unordered_map<SqliteConnection*, std::unique_ptr<SqliteConnection>> open_;
  std::unique_ptr<SqliteConnection> anchor_;  // memory databases only
  bool closed_ = false;
};

namespace {

// The calling thread's connections, by database id. Entries of destroyed databases are
// pruned when the thread next opens a connection; the rest are closed when it ends.
struct ThreadConnections {
  struct Entry {
    std::weak_ptr<SqliteRegistry> registry;
    SqliteConnection* connection;
  };
  std::unordered_map<std::uint64_t, Entry> by_database;

  ThreadConnections() = default;
  ThreadConnections(const ThreadConnections&) = delete;
  ThreadConnections& operator=(const ThreadConnections&) = delete;
  ~ThreadConnections() {
    for (auto& [id, entry] : by_database)
      if (auto registry = entry.registry.lock()) registry->close(entry.connection);
  }

  void prune() {
    std::erase_if(by_database, [](const auto& item) { return item.second.registry.expired(); });
  }
};

ThreadConnections& thread_connections() {
  thread_local ThreadConnections connections;
  return connections;
}

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, bool memory, std::string description, const Options& options)
    : id_(next_database_id.fetch_add(1)),
      description_(std::move(description)),
      registry_(std::make_shared<SqliteRegistry>(
          memory ? "file:/zhengwu-memory-" + std::to_string(id_) + "?vfs=memdb" : std::move(path), memory, options)) {}

SqliteDatabase::~SqliteDatabase() { registry_->close_all(); }

std::unique_ptr<Database> SqliteDatabase::open(const DatabaseUrl& url, const Options& options) {
  // SQLite counts every allocation in global statistics behind one mutex, which the
  // request threads then queue for; nothing here reads those statistics. The setting only
  // takes before SQLite initialises, that is before the first connection of the process.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  if (!url.sqlite_memory) {
    std::filesystem::path parent = std::filesystem::path(url.sqlite_path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      throw Error(Error::Kind::connection,
                  "cannot create the directory " + parent.string() + " for " + url.redacted + ": " + ec.message());
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(url.sqlite_path, url.sqlite_memory, url.redacted, options));
  // Opening the caller's connection now reports a bad path or a corrupt file here rather
  // than at the first query.
  db->acquire();
  return db;
}

Lease SqliteDatabase::acquire() {
  ThreadConnections& mine = thread_connections();
  SqliteConnection* conn = nullptr;
  if (auto it = mine.by_database.find(id_); it != mine.by_database.end()) {
    conn = it->second.connection;
  } else {
    mine.prune();
    conn = registry_->open_connection();
    mine.by_database.emplace(id_, ThreadConnections::Entry{registry_, conn});
  }
  ++conn->leases;
  ++registry_->in_use;
  // Runs on the thread that took the lease (see the header), so it may touch that
  // thread's table and the connection's bookkeeping without a lock.
  return Lease(conn, [this](Connection* c, bool broken) {
    auto* released = static_cast<SqliteConnection*>(c);
    --registry_->in_use;
    released->broken = released->broken || broken;
    if (--released->leases > 0) return;
    if (!released->broken && released->end_abandoned_transaction()) return;
    thread_connections().by_database.erase(id_);
    registry_->close(released);
  });
}

PoolStats SqliteDatabase::pool_stats() const {
  PoolStats stats;
  stats.size = registry_->size();
  stats.in_use = registry_->in_use.load();
  stats.capacity = 0;
  return stats;
}

}  // namespace zhengwu::db
