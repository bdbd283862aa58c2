// Storage: one `Database` interface, two drivers (SQLite, PostgreSQL).
//
// SQL is written once with `?` placeholders and the common dialect of both engines
// (RETURNING, ON CONFLICT, CTEs); the PostgreSQL driver rewrites `?` to `$n`. Migration
// scripts may use the tokens `{{pk}}` (an auto-increment 64-bit primary key column
// definition) and `{{blob}}` (binary column type), expanded per driver by
// `Database::expand_dialect`.
//
// Ownership: `Database::open` returns the owner. A `Lease` or `Transaction` borrows one
// connection and must be destroyed before the Database.
// Thread-safety: a Database may be used from any number of threads; a Lease/Transaction
// belongs to the thread that took it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace zhengwu::db {

using Blob = std::vector<std::uint8_t>;

// A parameter or column value. Booleans are stored as integers 0/1 (SQLite has no
// boolean type); PostgreSQL booleans read back as 0/1 too.
class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}                                  // NOLINT
  Value(bool b) : v_(std::int64_t{b ? 1 : 0}) {}             // NOLINT
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
  Value(I i) : v_(static_cast<std::int64_t>(i)) {}          // NOLINT
  Value(double d) : v_(d) {}                                // NOLINT
  Value(std::string s) : v_(std::move(s)) {}                // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}         // NOLINT
  Value(const char* s) : v_(std::string(s)) {}              // NOLINT
  Value(Blob b) : v_(std::move(b)) {}                       // NOLINT
  template <class T>
  Value(const std::optional<T>& o) {                        // NOLINT
    if (o) *this = Value(*o);
  }

  bool is_null() const { return v_.index() == 0; }
  bool is_int() const { return v_.index() == 1; }
  bool is_double() const { return v_.index() == 2; }
  bool is_text() const { return v_.index() == 3; }
  bool is_blob() const { return v_.index() == 4; }

  // Typed access with conversion: text that holds a number converts to a number, numbers
  // format as text. Throws db::Error on a NULL or an impossible conversion.
  std::int64_t as_int() const;
  double as_double() const;
  std::string as_text() const;
  const Blob& as_blob() const;
  bool as_bool() const { return as_int() != 0; }

  const std::variant<std::monostate, std::int64_t, double, std::string, Blob>& raw() const { return v_; }

 private:
  std::variant<std::monostate, std::int64_t, double, std::string, Blob> v_;
};

using Params = std::vector<Value>;

// A database failure the caller did not expect: a constraint violation, a syntax error,
// a lost connection. `busy` marks lock time-outs and serialization failures, which are
// worth a retry; `constraint` marks unique/foreign-key/check violations.
class Error : public std::runtime_error {
 public:
  enum class Kind { other, busy, constraint, connection };
  Error(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  // By position or by column name; throws db::Error for an unknown column.
  const Value& at(std::size_t i) const;
  const Value& at(std::string_view column) const;

  template <class T, class K>
  T get(K key) const {
    const Value& v = at(key);
    if constexpr (std::is_same_v<T, std::string>) return v.as_text();
    else if constexpr (std::is_same_v<T, bool>) return v.as_bool();
    else if constexpr (std::is_integral_v<T>) return static_cast<T>(v.as_int());
    else if constexpr (std::is_floating_point_v<T>) return static_cast<T>(v.as_double());
    else if constexpr (std::is_same_v<T, Blob>) return v.as_blob();
    else static_assert(sizeof(T) == 0, "unsupported column type");
  }
  // As get(), but NULL reads as nullopt.
  template <class T, class K>
  std::optional<T> opt(K key) const {
    if (at(key).is_null()) return std::nullopt;
    return get<T>(key);
  }
  bool is_null(std::string_view column) const { return at(column).is_null(); }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

struct Rows {
  std::shared_ptr<const std::vector<std::string>> columns;
  std::vector<Row> rows;

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  const Row& operator[](std::size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

// One connection of a driver. Not thread-safe; used through a Lease.
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement and returns its rows (empty for statements without any).
  virtual Rows query(std::string_view sql, const Params& params) = 0;
  // Runs one statement; returns the number of rows changed.
  virtual std::int64_t execute(std::string_view sql, const Params& params) = 0;
  // Runs several statements separated by ';' without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;
};

// A connection borrowed from the database; returned when the lease is destroyed.
class Lease {
 public:
  Lease(Connection* conn, std::function<void(Connection*, bool broken)> release)
      : conn_(conn), release_(std::move(release)) {}
  Lease(Lease&& o) noexcept
      : conn_(std::exchange(o.conn_, nullptr)), release_(std::move(o.release_)), broken_(o.broken_) {}
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease() {
    if (conn_ && release_) release_(conn_, broken_);
  }
  Connection* operator->() const { return conn_; }
  Connection& operator*() const { return *conn_; }
  // Marks the connection unusable (it is closed instead of returned to the pool).
  void mark_broken() { broken_ = true; }

 private:
  Connection* conn_;
  std::function<void(Connection*, bool)> release_;
  bool broken_ = false;
};

enum class Kind { sqlite, postgres };
std::string_view to_string(Kind k);

// The verb of a multi-row INSERT whose failure fails its whole transaction, as every
// caller here treats it. On SQLite that is INSERT OR ROLLBACK: a plain multi-row INSERT
// inside a transaction keeps a statement journal (the old content of every page it
// changes, spilled to a temporary file past 64 KiB) only so that the one statement could
// be undone alone. OR ROLLBACK turns a constraint failure into the end of the transaction
// instead, and SQLite then keeps no such journal.
inline std::string_view bulk_insert(Kind k) { return k == Kind::sqlite ? "INSERT OR ROLLBACK" : "INSERT"; }

// SQLite needs to know up front whether a transaction will write (BEGIN IMMEDIATE takes
// the write lock at once and so never fails half-way with SQLITE_BUSY on upgrade).
enum class TxMode { read, write };

// RAII transaction: rolls back on destruction unless committed.
class Transaction {
 public:
  Transaction(Lease lease, Kind kind, TxMode mode);
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Rows query(std::string_view sql, const Params& params = {});
  std::int64_t execute(std::string_view sql, const Params& params = {});
  void execute_script(std::string_view sql);
  void commit();
  void rollback();
  bool active() const { return active_; }
  Kind kind() const { return kind_; }

 private:
  Lease lease_;
  Kind kind_;
  bool active_ = false;
};

struct PoolStats {
  std::size_t size = 0;     // connections open
  std::size_t in_use = 0;   // leased now
  std::size_t capacity = 0; // maximum (0: unbounded, one per thread on SQLite)
  std::uint64_t waits = 0;  // acquisitions that had to wait for a free connection
};

struct Options {
  std::chrono::milliseconds busy_timeout{5000};  // SQLite lock wait, PG pool wait
  std::size_t pool_size = 8;                     // PostgreSQL connections at most
  std::size_t statement_cache = 128;             // prepared statements per connection
};

class Database {
 public:
  virtual ~Database() = default;

  // Opens `sqlite:///abs/path.db`, `sqlite://relative.db`, `sqlite::memory:` or a
  // `postgresql://user:pass@host:port/db?...` URL. Throws db::Error with a readable
  // message when the URL is malformed or the database cannot be reached.
  static std::unique_ptr<Database> open(const std::string& url, const Options& options = {});

  virtual Kind kind() const = 0;
  // The URL without its password, for logs and the status page.
  virtual std::string describe() const = 0;
  virtual Lease acquire() = 0;
  virtual PoolStats pool_stats() const = 0;
  // Expands `{{pk}}` and `{{blob}}` for this engine.
  std::string expand_dialect(std::string_view sql) const;

  Transaction begin(TxMode mode = TxMode::write) { return Transaction(acquire(), kind(), mode); }
  // Single statements in autocommit mode.
  Rows query(std::string_view sql, const Params& params = {});
  std::int64_t execute(std::string_view sql, const Params& params = {});
  // True when a trivial query answers (readiness).
  bool ping();
};

}  // namespace zhengwu::db
