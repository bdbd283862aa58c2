// The driver-independent half of the storage interface: value conversions, rows,
// transactions, autocommit helpers, the dialect tokens, and `Database::open`, which picks
// a driver from the URL scheme.
#include "kernel/db/database.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "kernel/db/database_url.hpp"
#include "kernel/db/postgres/postgres_database.hpp"
#include "kernel/db/sqlite/sqlite_database.hpp"

namespace zhengwu::db {
namespace {

const char* type_name(const Value& v) {
  switch (v.raw().index()) {
    case 0: return "NULL";
    case 1: return "an integer";
    case 2: return "a real number";
    case 3: return "text";
    default: return "a blob";
  }
}

[[noreturn]] void conversion_error(const Value& v, std::string_view target) {
  throw Error(Error::Kind::other, "cannot read " + std::string(type_name(v)) + " as " + std::string(target));
}

std::string quoted_excerpt(const std::string& s) {
  constexpr std::size_t kMax = 40;
  return "'" + (s.size() <= kMax ? s : s.substr(0, kMax) + "...") + "'";
}

void replace_all(std::string& s, std::string_view token, std::string_view with) {
  for (std::size_t pos = s.find(token); pos != std::string::npos; pos = s.find(token, pos + with.size()))
    s.replace(pos, token.size(), with);
}

}  // namespace

std::int64_t Value::as_int() const {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return *i;
  if (const auto* d = std::get_if<double>(&v_)) {
    // Only whole numbers convert: silently truncating 2.5 would hide a schema mistake.
    // 2^63 is exactly representable, so `< 2^63` is the exact upper bound.
    if (std::isfinite(*d) && std::trunc(*d) == *d && *d >= -9223372036854775808.0 && *d < 9223372036854775808.0)
      return static_cast<std::int64_t>(*d);
    throw Error(Error::Kind::other, "cannot read the real number " + as_text() + " as an integer");
  }
  if (const auto* s = std::get_if<std::string>(&v_)) {
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && end == s->data() + s->size() && !s->empty()) return out;
    throw Error(Error::Kind::other, "cannot read the text " + quoted_excerpt(*s) + " as an integer");
  }
  conversion_error(*this, "an integer");
}

double Value::as_double() const {
  if (const auto* d = std::get_if<double>(&v_)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&v_)) {
    // PostgreSQL spells the special values this way in float8 and numeric output.
    if (*s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (*s == "Infinity") return std::numeric_limits<double>::infinity();
    if (*s == "-Infinity") return -std::numeric_limits<double>::infinity();
    double out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && end == s->data() + s->size() && !s->empty()) return out;
    throw Error(Error::Kind::other, "cannot read the text " + quoted_excerpt(*s) + " as a real number");
  }
  conversion_error(*this, "a real number");
}

std::string Value::as_text() const {
  if (const auto* s = std::get_if<std::string>(&v_)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v_)) {
    if (std::isnan(*d)) return "NaN";
    if (std::isinf(*d)) return *d > 0 ? "Infinity" : "-Infinity";
    // Shortest text that reads back as the same double.
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, end);
  }
  conversion_error(*this, "text");
}

const Blob& Value::as_blob() const {
  if (const auto* b = std::get_if<Blob>(&v_)) return *b;
  conversion_error(*this, "a blob");
}

const Value& Row::at(std::size_t i) const {
  if (i >= values_.size())
    throw Error(Error::Kind::other,
                "column index " + std::to_string(i) + " out of range (the row has " + std::to_string(values_.size()) + ")");
  return values_[i];
}

const Value& Row::at(std::string_view column) const {
  if (columns_) {
    for (std::size_t i = 0; i < columns_->size() && i < values_.size(); ++i)
      if ((*columns_)[i] == column) return values_[i];
  }
  throw Error(Error::Kind::other, "no column named '" + std::string(column) + "' in the result");
}

std::string_view to_string(Kind k) {
  switch (k) {
    case Kind::sqlite: return "sqlite";
    case Kind::postgres: return "postgres";
  }
  return "unknown";
}

Transaction::Transaction(Lease lease, Kind kind, TxMode mode) : lease_(std::move(lease)), kind_(kind) {
  const char* begin = "BEGIN";
  if (kind == Kind::sqlite && mode == TxMode::write) begin = "BEGIN IMMEDIATE";
  if (kind == Kind::postgres && mode == TxMode::read) begin = "BEGIN READ ONLY";
  lease_->execute(begin, {});
  active_ = true;
}

Transaction::Transaction(Transaction&& o) noexcept
    : lease_(std::move(o.lease_)), kind_(o.kind_), active_(std::exchange(o.active_, false)) {}

Transaction::~Transaction() {
  if (!active_) return;
  try {
    rollback();
  } catch (...) {
    // rollback() already marked the connection broken; a destructor must not throw.
  }
}

namespace {
void require_active(bool active) {
  if (!active) throw Error(Error::Kind::other, "the transaction has already been committed or rolled back");
}
}  // namespace

Rows Transaction::query(std::string_view sql, const Params& params) {
  require_active(active_);
  return lease_->query(sql, params);
}

std::int64_t Transaction::execute(std::string_view sql, const Params& params) {
  require_active(active_);
  return lease_->execute(sql, params);
}

void Transaction::execute_script(std::string_view sql) {
  require_active(active_);
  lease_->execute_script(sql);
}

void Transaction::commit() {
  require_active(active_);
  // A failed COMMIT leaves the transaction open on SQLite (e.g. SQLITE_BUSY); active_
  // stays true so that the destructor rolls it back.
  lease_->execute("COMMIT", {});
  active_ = false;
}

void Transaction::rollback() {
  require_active(active_);
  active_ = false;
  try {
    lease_->execute("ROLLBACK", {});
  } catch (...) {
    // The connection's state is unknown now: close it rather than lend it again.
    lease_.mark_broken();
    throw;
  }
}

std::string Database::expand_dialect(std::string_view sql) const {
  std::string out(sql);
  const bool pg = kind() == Kind::postgres;
  replace_all(out, "{{pk}}", pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  replace_all(out, "{{blob}}", pg ? "BYTEA" : "BLOB");
  return out;
}

Rows Database::query(std::string_view sql, const Params& params) {
  Lease lease = acquire();
  return lease->query(sql, params);
}

std::int64_t Database::execute(std::string_view sql, const Params& params) {
  Lease lease = acquire();
  return lease->execute(sql, params);
}

bool Database::ping() {
  try {
    Rows rows = query("SELECT 1");
    return rows.size() == 1 && rows[0].at(0).as_int() == 1;
  } catch (const std::exception&) {
    return false;
  }
}

std::unique_ptr<Database> Database::open(const std::string& url, const Options& options) {
  DatabaseUrl parsed = parse_database_url(url);
  if (parsed.kind == Kind::sqlite) return SqliteDatabase::open(parsed, options);
  return PostgresDatabase::open(parsed, options);
}

}  // namespace zhengwu::db
