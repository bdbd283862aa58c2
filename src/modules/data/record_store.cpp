// Typed record tables with provenance and history; see record_store.hpp.
#include "modules/data/record_store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <set>
#include <stdexcept>

namespace zhengwu::data {
namespace json = boost::json;
namespace {

constexpr char kKeySeparator = '\x1f';
constexpr char kKeyEscape = '\x1e';
constexpr std::size_t kRowsPerInsert = 256;
// Both engines take at least 32,766 parameters per statement (SQLite's default limit).
constexpr std::size_t kMaxParams = 30000;

// Field names are validated identifiers (catalog_spec.cpp); quoting keeps SQL keywords
// ("order", "group") usable as field names.
std::string quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

// Canonical text → the parameter its column takes.
db::Value bind(FieldType type, const std::optional<std::string>& v) {
  if (!v) return db::Value();
  switch (type) {
    case FieldType::integer: return db::Value(static_cast<std::int64_t>(std::stoll(*v)));
    case FieldType::boolean: return db::Value(*v == "true");
    default: return db::Value(*v);
  }
}

// A column read back → canonical text, so that comparing with new values is textual.
std::optional<std::string> text_of(FieldType type, const db::Value& v) {
  if (v.is_null()) return std::nullopt;
  if (type == FieldType::boolean) return v.as_int() != 0 ? "true" : "false";
  return v.as_text();
}

std::string key_of(const std::vector<FieldSpec>& fields, const RecordValues& r) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].key) parts.push_back(r.values.at(i).value_or(""));
  return record_key(parts);
}

std::string in_list(std::size_t n) {
  std::string s = "(";
  for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s + ")";
}

std::string select_columns(const std::vector<FieldSpec>& fields) {
  std::string cols = "zw_key";
  for (const auto& f : fields) cols += ", " + quoted(f.name);
  return cols + ", zw_source_org, zw_batch, zw_updated_at, zw_revision, zw_seq";
}

// A row of select_columns → the record.
StoredRecord stored_of(const std::vector<FieldSpec>& fields, const db::Row& r) {
  StoredRecord s;
  s.key = r.get<std::string>(0);
  s.values.reserve(fields.size());
  for (std::size_t f = 0; f < fields.size(); ++f) s.values.push_back(text_of(fields[f].type, r.at(f + 1)));
  const std::size_t base = fields.size() + 1;
  s.source_org = r.at(base).as_text();
  if (!r.at(base + 1).is_null()) s.batch = r.at(base + 1).as_int();
  s.updated_at = from_unix_ms(r.at(base + 2).as_int());
  s.revision = static_cast<int>(r.at(base + 3).as_int());
  if (!r.at(base + 4).is_null()) s.seq = r.at(base + 4).as_int();
  return s;
}

std::set<std::string> columns_of(db::Transaction& tx, const std::string& table) {
  std::set<std::string> existing;
  if (tx.kind() == db::Kind::postgres) {
    for (const auto& r : tx.query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                  "current_schema() AND table_name = ?",
                                  {table}))
      existing.insert(r.get<std::string>(0));
  } else {
    for (const auto& r : tx.query("SELECT name FROM pragma_table_info(?)", {table})) existing.insert(r.get<std::string>(0));
  }
  return existing;
}

// Numbers the rows of a table made before change tracking, in the order they were last
// written, and starts the resource's sequence after them.
void add_change_tracking(db::Transaction& tx, std::int64_t resource_id, const std::string& table) {
  const bool pg = tx.kind() == db::Kind::postgres;
  tx.execute("ALTER TABLE " + table + (pg ? " ADD COLUMN IF NOT EXISTS" : " ADD COLUMN") + " zw_seq BIGINT");
  tx.execute("UPDATE " + table + " SET zw_seq = numbered.n FROM (SELECT zw_key, row_number() OVER (ORDER BY "
             "zw_updated_at, zw_key) AS n FROM " + table + ") AS numbered WHERE " + table + ".zw_key = numbered.zw_key");
  tx.execute("CREATE INDEX IF NOT EXISTS " + table + "_seq ON " + table + " (zw_seq)");
  tx.execute("INSERT INTO data_change_counters (resource_id, last_seq) VALUES (?, (SELECT COALESCE(MAX(zw_seq), 0) "
             "FROM " + table + ")) ON CONFLICT (resource_id) DO UPDATE SET last_seq = CASE WHEN excluded.last_seq > "
             "data_change_counters.last_seq THEN excluded.last_seq ELSE data_change_counters.last_seq END",
             {resource_id});
}

}  // namespace

std::vector<db::Migration> record_store_migrations() {
  return {{"data", 10, "change sequence of record tables", R"SQL(
CREATE TABLE data_change_counters (
  resource_id BIGINT PRIMARY KEY,
  last_seq BIGINT NOT NULL
)
)SQL"}};
}

std::string column_type(FieldType type, db::Kind engine) {
  const bool pg = engine == db::Kind::postgres;
  switch (type) {
    case FieldType::integer: return "BIGINT";
    // SQLite's NUMERIC affinity would turn 12.50 into the real 12.5: exact text there.
    case FieldType::decimal: return pg ? "NUMERIC" : "TEXT";
    case FieldType::date: return pg ? "DATE" : "TEXT";
    // ISO 8601 text with its offset as given: PostgreSQL's TIMESTAMPTZ would answer in
    // the session's zone and format, and a record read back must equal what was written.
    case FieldType::datetime: return "TEXT";
    case FieldType::boolean: return pg ? "BOOLEAN" : "INTEGER";
    default: return "TEXT";
  }
}

std::string record_key(const std::vector<std::string>& key_values) {
  // U+001E escapes a U+001E or U+001F inside a value, so that different parts never give
  // the same key; a value without control characters stands for itself.
  std::string out;
  for (std::size_t i = 0; i < key_values.size(); ++i) {
    if (i) out.push_back(kKeySeparator);
    for (char c : key_values[i]) {
      if (c == kKeySeparator || c == kKeyEscape) out.push_back(kKeyEscape);
      out.push_back(c);
    }
  }
  return out;
}

RecordStore::RecordStore(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

std::string RecordStore::table_name(std::int64_t resource_id) { return "rs_" + std::to_string(resource_id); }

void RecordStore::ensure_tables(db::Transaction& tx, std::int64_t resource_id, const std::vector<FieldSpec>& fields) {
  const std::string table = table_name(resource_id);
  const bool pg = tx.kind() == db::Kind::postgres;
  const std::set<std::string> existing = columns_of(tx, table);
  if (existing.empty()) {
    // SQLite: zw_seq is the rowid (see the header), zw_key a unique column.
    std::string sql = "CREATE TABLE " + table + (pg ? " (zw_key TEXT PRIMARY KEY" : " (zw_key TEXT NOT NULL UNIQUE");
    for (const auto& f : fields) sql += ", " + quoted(f.name) + " " + column_type(f.type, tx.kind());
    sql += ", zw_source_org TEXT NOT NULL, zw_batch BIGINT, zw_updated_at BIGINT NOT NULL, zw_revision INTEGER NOT NULL";
    sql += pg ? ", zw_seq BIGINT NOT NULL)" : ", zw_seq INTEGER PRIMARY KEY)";
    tx.execute(sql);
    if (pg) tx.execute("CREATE INDEX " + table + "_seq ON " + table + " (zw_seq)");
    tx.execute("CREATE TABLE " + table + "_history (zw_key TEXT NOT NULL, zw_revision INTEGER NOT NULL, "
               "zw_values TEXT NOT NULL, zw_source_org TEXT NOT NULL, zw_batch BIGINT, zw_updated_at BIGINT NOT NULL, "
               "zw_replaced_at BIGINT NOT NULL, zw_replaced_by_batch BIGINT, PRIMARY KEY (zw_key, zw_revision))");
    tx.execute("INSERT INTO data_change_counters (resource_id, last_seq) VALUES (?, 0) ON CONFLICT (resource_id) DO NOTHING",
               {resource_id});
  } else if (!existing.contains("zw_seq")) {
    add_change_tracking(tx, resource_id, table);
  }
  {
    std::lock_guard lock(tracked_mutex_);
    tracked_.insert(resource_id);
  }
  if (existing.empty()) return;
  for (const auto& f : fields)
    if (!existing.contains(f.name))
      tx.execute("ALTER TABLE " + table + " ADD COLUMN " + quoted(f.name) + " " + column_type(f.type, tx.kind()));
}

UpsertCounts RecordStore::upsert(db::Transaction& tx, std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                                 const std::vector<RecordValues>& records, std::string_view source_org,
                                 std::optional<std::int64_t> batch, const std::vector<bool>* writable) {
  const std::string table = table_name(resource_id);
  const std::int64_t now = to_unix_ms(clock_.now());
  UpsertCounts counts;
  if (records.empty()) return counts;
  // Later duplicates of a key in the same call win, as if written one after another.
  std::unordered_map<std::string, const RecordValues*> latest;
  std::vector<std::string> order;
  for (const auto& r : records) {
    if (r.values.size() != fields.size()) throw std::invalid_argument("a record has the wrong number of values");
    auto key = key_of(fields, r);
    if (!latest.contains(key)) order.push_back(key);
    latest[key] = &r;
  }
  // One number per distinct key, reserved at once; the key at position i of `order` gets
  // base + 1 + i whether it is inserted or changed, and an identical record leaves its
  // number unused. The counter row stays locked until `tx` ends (see the header).
  ensure_change_tracking(tx, resource_id);
  const auto reserved = static_cast<std::int64_t>(order.size());
  const std::int64_t base =
      tx.query("INSERT INTO data_change_counters (resource_id, last_seq) VALUES (?, ?) ON CONFLICT (resource_id) "
               "DO UPDATE SET last_seq = data_change_counters.last_seq + excluded.last_seq RETURNING last_seq",
               {resource_id, reserved})[0]
          .get<std::int64_t>(0) -
      reserved;
  std::unordered_map<std::string, std::int64_t> seq_of;
  std::string insert_head = std::string(db::bulk_insert(tx.kind())) + " INTO " + table + " (zw_key";
  for (const auto& f : fields) insert_head += ", " + quoted(f.name);
  insert_head += ", zw_source_org, zw_batch, zw_updated_at, zw_revision, zw_seq) VALUES ";
  std::string one_row = "(?";
  for (std::size_t i = 0; i < fields.size(); ++i) one_row += ",?";
  one_row += ",?,?,?,1,?)";
  std::string update = "UPDATE " + table + " SET ";
  for (std::size_t i = 0; i < fields.size(); ++i) update += (i ? ", " : "") + quoted(fields[i].name) + " = ?";
  update += ", zw_source_org = ?, zw_batch = ?, zw_updated_at = ?, zw_revision = zw_revision + 1, zw_seq = ? "
            "WHERE zw_key = ?";

  // New records are the common case (a first import): each group is inserted at once,
  // skipping keys that exist (ON CONFLICT DO NOTHING RETURNING names the rows written);
  // only the keys that existed are read back, compared and, when changed, updated with
  // their old version kept.
  const std::size_t per_insert = std::max<std::size_t>(1, std::min(kRowsPerInsert, kMaxParams / (fields.size() + 5)));
  for (std::size_t at = 0; at < order.size(); at += per_insert) {
    const std::size_t m = std::min(per_insert, order.size() - at);
    std::string sql = insert_head;
    db::Params p;
    p.reserve(m * (fields.size() + 5));
    for (std::size_t k = 0; k < m; ++k) {
      if (k) sql += ",";
      sql += one_row;
      const std::string& key = order[at + k];
      const RecordValues& r = *latest[key];
      p.emplace_back(key);
      for (std::size_t f = 0; f < fields.size(); ++f) p.push_back(bind(fields[f].type, r.values[f]));
      p.emplace_back(source_org);
      p.emplace_back(batch);
      p.emplace_back(now);
      p.emplace_back(base + 1 + static_cast<std::int64_t>(at + k));
    }
    sql += " ON CONFLICT (zw_key) DO NOTHING";
    const auto inserted = static_cast<std::size_t>(tx.execute(sql, p));
    counts.inserted += inserted;
    if (inserted == m) continue;

    // Some keys were there already: the group's rows are read back, and a row that does
    // not carry the change number given to it above is one that existed before.
    db::Params group;
    group.reserve(m);
    for (std::size_t k = 0; k < m; ++k) group.emplace_back(order[at + k]);
    std::map<std::string, db::Row> current;
    for (auto& row : tx.query("SELECT " + select_columns(fields) + " FROM " + table + " WHERE zw_key IN " +
                                  in_list(m),
                              group))
      current.emplace(row.get<std::string>(0), std::move(row));
    const std::size_t seq_column = fields.size() + 5;
    db::Params keys;
    for (std::size_t k = 0; k < m; ++k) {
      const std::int64_t given = base + 1 + static_cast<std::int64_t>(at + k);
      if (current.at(order[at + k]).at(seq_column).as_int() == given) continue;
      keys.emplace_back(order[at + k]);
      seq_of.emplace(order[at + k], given);
    }
    for (const auto& k : keys) {
      const std::string key = k.as_text();
      const RecordValues* given = latest[key];
      const db::Row& old = current.at(key);
      bool same = true;
      json::object before;
      // A masked-out field keeps what is stored (see the header): the record written is
      // the stored one with the writer's own fields replaced.
      RecordValues kept;
      if (writable) kept.values.reserve(fields.size());
      for (std::size_t f = 0; f < fields.size(); ++f) {
        auto was = text_of(fields[f].type, old.at(f + 1));
        if (writable) kept.values.push_back((*writable)[f] ? given->values[f] : was);
        if (was != (writable ? kept.values[f] : given->values[f])) same = false;
        before[fields[f].name] = was ? json::value(*was) : json::value(nullptr);
      }
      const RecordValues& r = writable ? kept : *given;
      if (same) {
        ++counts.unchanged;
        continue;
      }
      const std::size_t base = fields.size() + 1;
      tx.execute("INSERT INTO " + table + "_history (zw_key, zw_revision, zw_values, zw_source_org, zw_batch, "
                 "zw_updated_at, zw_replaced_at, zw_replaced_by_batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {key, old.at(base + 3).as_int(), json::serialize(before), old.at(base).as_text(), old.at(base + 1),
                  old.at(base + 2).as_int(), now, db::Value(batch)});
      db::Params u;
      for (std::size_t f = 0; f < fields.size(); ++f) u.push_back(bind(fields[f].type, r.values[f]));
      u.emplace_back(source_org);
      u.emplace_back(batch);
      u.emplace_back(now);
      u.emplace_back(seq_of.at(key));
      u.emplace_back(key);
      tx.execute(update, u);
      ++counts.updated;
    }
  }
  return counts;
}

std::unordered_map<std::string, StoredRecord> RecordStore::find(db::Transaction& tx, std::int64_t resource_id,
                                                              const std::vector<FieldSpec>& fields,
                                                              const std::vector<std::string>& keys) const {
  std::unordered_map<std::string, StoredRecord> out;
  if (keys.empty()) return out;
  ensure_change_tracking(tx, resource_id);
  const bool pg = tx.kind() == db::Kind::postgres;
  // The counter row before the record rows: the lock order upsert keeps (see the header).
  if (pg) tx.query("SELECT last_seq FROM data_change_counters WHERE resource_id = ? FOR UPDATE", {resource_id});
  const std::string head = "SELECT " + select_columns(fields) + " FROM " + table_name(resource_id) + " WHERE zw_key IN ";
  const std::string lock = pg ? " FOR UPDATE" : "";
  for (std::size_t at = 0; at < keys.size(); at += kMaxParams) {
    const std::size_t m = std::min(kMaxParams, keys.size() - at);
    db::Params p(keys.begin() + static_cast<std::ptrdiff_t>(at), keys.begin() + static_cast<std::ptrdiff_t>(at + m));
    for (const auto& r : tx.query(head + in_list(m) + lock, p)) {
      StoredRecord s = stored_of(fields, r);
      out.emplace(s.key, std::move(s));
    }
  }
  return out;
}

std::optional<StoredRecord> RecordStore::get(std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                                             std::string_view key) const {
  auto rows = db_.query("SELECT " + select_columns(fields) + " FROM " + table_name(resource_id) + " WHERE zw_key = ?", {key});
  if (rows.empty()) return std::nullopt;
  return stored_of(fields, rows[0]);
}

std::vector<StoredRecord> RecordStore::history(std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                                               std::string_view key) const {
  std::vector<StoredRecord> out;
  for (const auto& r : db_.query("SELECT zw_revision, zw_values, zw_source_org, zw_batch, zw_updated_at FROM " +
                                     table_name(resource_id) + "_history WHERE zw_key = ? ORDER BY zw_revision DESC",
                                 {key})) {
    StoredRecord s;
    s.key = std::string(key);
    s.revision = static_cast<int>(r.at(0).as_int());
    const json::value values = json::parse(r.at(1).as_text());
    for (const auto& f : fields) {
      auto it = values.as_object().find(f.name);
      if (it == values.as_object().end() || it->value().is_null())
        s.values.emplace_back(std::nullopt);
      else
        s.values.emplace_back(std::string(it->value().as_string()));
    }
    s.source_org = r.at(2).as_text();
    if (!r.at(3).is_null()) s.batch = r.at(3).as_int();
    s.updated_at = from_unix_ms(r.at(4).as_int());
    out.push_back(std::move(s));
  }
  return out;
}

std::int64_t RecordStore::count(std::int64_t resource_id) const {
  return db_.query("SELECT count(*) FROM " + table_name(resource_id))[0].get<std::int64_t>(0);
}

std::vector<StoredRecord> RecordStore::query(std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                                             const std::vector<RecordFilter>& filters,
                                             const std::optional<std::string>& after_key, std::size_t limit) const {
  std::string sql = "SELECT " + select_columns(fields) + " FROM " + table_name(resource_id) + " WHERE 1 = 1";
  db::Params p;
  for (const auto& f : filters) {
    const FieldSpec& field = fields.at(f.field);
    const std::string column = quoted(field.name);
    switch (f.op) {
      case RecordFilter::Op::equals: sql += " AND " + column + " = ?"; break;
      case RecordFilter::Op::in: sql += " AND " + column + " IN " + in_list(f.values.size()); break;
      case RecordFilter::Op::from: sql += " AND " + column + " >= ?"; break;
      case RecordFilter::Op::to: sql += " AND " + column + " <= ?"; break;
      case RecordFilter::Op::prefix: sql += " AND " + column + " LIKE ? ESCAPE '!'"; break;
    }
    for (const auto& v : f.values) {
      if (f.op != RecordFilter::Op::prefix) {
        p.push_back(bind(field.type, v));
        continue;
      }
      std::string pattern;
      for (char c : v) {
        if (c == '%' || c == '_' || c == '!') pattern.push_back('!');
        pattern.push_back(c);
      }
      p.emplace_back(pattern + "%");
    }
  }
  if (after_key) {
    sql += " AND zw_key > ?";
    p.emplace_back(*after_key);
  }
  sql += " ORDER BY zw_key LIMIT ?";
  p.emplace_back(static_cast<std::int64_t>(limit));
  std::vector<StoredRecord> out;
  for (const auto& r : db_.query(sql, p)) out.push_back(stored_of(fields, r));
  return out;
}

std::vector<StoredRecord> RecordStore::changes(std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                                               std::int64_t after_seq, std::size_t limit) const {
  std::vector<StoredRecord> out;
  for (const auto& r : db_.query("SELECT " + select_columns(fields) + " FROM " + table_name(resource_id) +
                                     " WHERE zw_seq > ? ORDER BY zw_seq LIMIT ?",
                                 {after_seq, static_cast<std::int64_t>(limit)}))
    out.push_back(stored_of(fields, r));
  return out;
}

std::int64_t RecordStore::count_changes(std::int64_t resource_id, std::int64_t after_seq) const {
  return db_.query("SELECT count(*) FROM " + table_name(resource_id) + " WHERE zw_seq > ?", {after_seq})[0]
      .get<std::int64_t>(0);
}

std::int64_t RecordStore::last_seq(std::int64_t resource_id) const {
  auto rows = db_.query("SELECT last_seq FROM data_change_counters WHERE resource_id = ?", {resource_id});
  return rows.empty() ? 0 : rows[0].get<std::int64_t>(0);
}

void RecordStore::ensure_change_tracking(db::Transaction& tx, std::int64_t resource_id) const {
  {
    std::lock_guard lock(tracked_mutex_);
    if (tracked_.contains(resource_id)) return;
  }
  const std::string table = table_name(resource_id);
  const auto columns = columns_of(tx, table);
  if (!columns.empty() && !columns.contains("zw_seq")) add_change_tracking(tx, resource_id, table);
  // A table that does not exist yet is left alone: the statement that needs it fails as before.
  if (columns.empty()) return;
  std::lock_guard lock(tracked_mutex_);
  tracked_.insert(resource_id);
}

}  // namespace zhengwu::data
