// The records of a catalog resource (归集), in a real typed table per resource
// (DESIGN.md "Storage": not a JSON blob, so analysts can query it and PostgreSQL can
// partition it), with provenance on every row and the previous version of every change.
//
//   rs_<resource id>          one column per field (typed per engine, see column_type),
//                             zw_key (the record key, primary key), zw_source_org,
//                             zw_batch, zw_updated_at, zw_revision
//   rs_<resource id>_history  every replaced row: zw_key, zw_revision, the old values as
//                             a JSON object, its source org and batch, and when it was
//                             replaced and by which batch
//
// Values come in canonical text (standardise.hpp writes them: ISO dates, 18-character
// ID numbers, "true"/"false"); this store binds them by field type. The key is the key
// fields' values joined by U+001F (record_key), so any key field combination is one text
// column, and a one-field key is the value itself.
//
// Ownership: borrows the Database and the Clock. Thread-safety: any thread; `upsert`
// runs in the caller's transaction so that a chunk of an import applies atomically.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/result.hpp"
#include "modules/data/catalog_spec.hpp"

namespace zhengwu::data {

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

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace zhengwu::data
