// The records of a catalog resource (归集), in a real typed table per resource
// (DESIGN.md "Storage": not a JSON blob, so analysts can query it and PostgreSQL can
// partition it), with provenance on every row and the previous version of every change.
//
//   rs_<resource id>          one column per field (typed per engine, see column_type),
//                             zw_key (the record key, primary key), zw_source_org,
//                             zw_batch, zw_updated_at, zw_revision, zw_seq (the change
//                             sequence, below)
//   rs_<resource id>_history  every replaced row: zw_key, zw_revision, the old values as
//                             a JSON object, its source org and batch, and when it was
//                             replaced and by which batch
//
// Values come in canonical text (standardise.hpp writes them: ISO dates, 18-character
// ID numbers, "true"/"false"); this store binds them by field type. The key is the key
// fields' values joined by U+001F (record_key), so any key field combination is one text
// column, and a one-field key is the value itself.
//
// Change tracking (the exchange's change feed and push subscriptions). Every row carries
// zw_seq, a number from the resource's own sequence, given when the row is inserted and
// again whenever its values change (an identical write keeps the row's number). So the
// records changed after a point are `zw_seq > cursor`, in change order, each once with
// its current values (the versions in between are in the history table). Numbers only
// grow; there are gaps (an upsert call reserves one number per distinct key it is given
// and identical records leave theirs unused), so a consumer compares, never counts.
//
// The sequence is the row of data_change_counters (module "data", version 10) for the
// resource. An upsert call reserves its numbers with ONE statement (INSERT ... ON
// CONFLICT DO UPDATE SET last_seq = last_seq + n RETURNING last_seq) inside the writing
// transaction, and numbers its records base+1, base+2, ...: one counter write per call,
// nothing per row but a bound integer. Why this is safe to page by: the counter row stays
// locked from that statement until the writer commits (PostgreSQL's row lock; SQLite
// holds its single write lock anyway), so a second writer of the same resource gets its
// numbers only after the first has committed or rolled back. Hence numbers are handed
// out in commit order: when a reader sees a change numbered s, every change numbered
// below s has committed (or never will), and a cursor never steps over a change that
// commits late. The price is that writers of ONE resource are serialised on PostgreSQL
// (an import chunk, a record-API write, an accepted discrepancy wait for each other);
// writers of different resources are not. To keep one lock order (counter, then rows)
// `find`, which locks rows, takes the counter row first on PostgreSQL.
//
// Storage: on SQLite a new table's zw_seq is its INTEGER PRIMARY KEY (the rowid), with
// zw_key a UNIQUE column: the feed reads a rowid range and an insert costs what it cost
// before (the rowid was appended anyway). On PostgreSQL zw_seq is a BIGINT with an index.
// Tables made before change tracking get the column (and index) added by ensure_tables —
// which the data module runs for every published resource at start-up — or by the first
// upsert or find of a store (the CLI's import), and their rows numbered in (updated_at,
// key) order.
//
// Ownership: borrows the Database and the Clock. Thread-safety: any thread; `upsert`
// runs in the caller's transaction so that a chunk of an import applies atomically.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/result.hpp"
#include "modules/data/catalog_spec.hpp"

namespace zhengwu::data {

// Table data_change_counters: the change sequence of each resource (module "data",
// version 10).
std::vector<db::Migration> record_store_migrations();

// The SQL column type of a field on an engine: TEXT for text-like types and datetimes
// (ISO 8601 with the offset as given), BIGINT for integers, and NUMERIC / DATE / BOOLEAN
// on PostgreSQL (TEXT / TEXT / INTEGER on SQLite, which has no exact decimal, date or
// boolean type).
std::string column_type(FieldType type, db::Kind engine);

// The record key of canonical key-field values, in field order.
std::string record_key(const std::vector<std::string>& key_values);

// One record to write: canonical text per field in field order, nullopt for empty.
struct RecordValues {
  std::vector<std::optional<std::string>> values;
};

struct StoredRecord {
  std::string key;
  std::vector<std::optional<std::string>> values;  // in field order, as text
  std::string source_org;
  std::optional<std::int64_t> batch;
  TimePoint updated_at;
  int revision = 0;
  std::int64_t seq = 0;  // zw_seq: where the record's last change stands in the resource's sequence
};

struct UpsertCounts {
  std::size_t inserted = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;  // same values again: no new revision, no history row
};

// One condition of a record query, on canonical text values (see find).
struct RecordFilter {
  enum class Op { equals, in, from, to, prefix };
  std::size_t field = 0;  // index into the resource's fields
  Op op = Op::equals;
  std::vector<std::string> values;  // one, or several for `in`
};

class RecordStore {
 public:
  RecordStore(db::Database& db, const Clock& clock);

  static std::string table_name(std::int64_t resource_id);

  // Creates the resource's tables, or adds the columns of fields it lacks (an additive
  // new version of a published resource). Idempotent.
  void ensure_tables(db::Transaction& tx, std::int64_t resource_id, const std::vector<FieldSpec>& fields);

  // Writes records (new ones inserted; changed ones updated with their old version kept
  // in the history; identical ones left alone), all in `tx`.
  //
  // `writable` (per field, or null for all) is the one-data-one-source mask of the
  // writer (discrepancies.hpp): a field it leaves out keeps the stored value of a record
  // that exists, so a write never overwrites another department's authoritative value,
  // even one committed after the caller looked. New records are inserted with the values
  // given: the caller leaves the masked-out values empty. With no mask nothing per row is
  // added to the path a provider's own import takes.
  UpsertCounts upsert(db::Transaction& tx, std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                      const std::vector<RecordValues>& records, std::string_view source_org,
                      std::optional<std::int64_t> batch, const std::vector<bool>* writable = nullptr);

  // The stored records of `keys` that exist, by key, read in `tx`; on PostgreSQL the
  // rows are locked (FOR UPDATE) until `tx` ends, so that what the caller compares with
  // is what it then writes over (SQLite serialises writers anyway).
  std::unordered_map<std::string, StoredRecord> find(db::Transaction& tx, std::int64_t resource_id,
                                                     const std::vector<FieldSpec>& fields,
                                                     const std::vector<std::string>& keys) const;

  std::optional<StoredRecord> get(std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                                  std::string_view key) const;
  // Earlier versions of a record, newest first.
  std::vector<StoredRecord> history(std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                                    std::string_view key) const;
  std::int64_t count(std::int64_t resource_id) const;

  // Records meeting every filter (the exchange's queries), in key order, after `after_key` (keyset pagination),
  // at most `limit`. `from`/`to` are inclusive bounds in the column's order (numbers as
  // numbers, ISO dates as dates); `prefix` is for text columns only (the caller checks).
  std::vector<StoredRecord> query(std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                                 const std::vector<RecordFilter>& filters, const std::optional<std::string>& after_key,
                                 std::size_t limit) const;

  // The change feed: records whose last change is numbered after `after_seq`, in change
  // order, at most `limit` (see the header comment for why paging by seq never skips).
  std::vector<StoredRecord> changes(std::int64_t resource_id, const std::vector<FieldSpec>& fields,
                                    std::int64_t after_seq, std::size_t limit) const;
  // How many records changed after `after_seq` (an index range count).
  std::int64_t count_changes(std::int64_t resource_id, std::int64_t after_seq) const;
  // The last number handed out for the resource (0: none yet).
  std::int64_t last_seq(std::int64_t resource_id) const;

 private:
  // Adds zw_seq to a table made before change tracking; checked once per store and
  // resource, on the write paths (reads rely on ensure_tables having run at start-up).
  void ensure_change_tracking(db::Transaction& tx, std::int64_t resource_id) const;

  db::Database& db_;
  const Clock& clock_;
  mutable std::mutex tracked_mutex_;
  mutable std::unordered_set<std::int64_t> tracked_;  // guarded by tracked_mutex_: tables known to have zw_seq
};

}  // namespace zhengwu::data
