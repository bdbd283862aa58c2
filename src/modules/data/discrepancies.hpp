// One data, one source (一数一源, DOMAIN.md "Data catalog and sharing"): every field of a
// resource has one authoritative department — the field's `authority`, or the resource's
// provider when it names none. Others may use a value but not overwrite it. A write by a
// department that is not a field's authority is therefore not applied to that field; it
// becomes a discrepancy (差异) against the authoritative value, on a governance list that
// the authority resolves: accept (the proposed value is written, as the authority's) or
// reject (with a reason).
//
// What a write by `writer` does, per record (import batches and the record API alike):
//   - key fields are always written: they are the record's identity, not a value anyone
//     owns, and a record row exists with the key afterwards;
//   - fields whose authority is the writer are applied as before (an empty value clears);
//   - any other field keeps its stored value; when the writer submitted a non-empty value
//     that differs from the stored one (including when none is stored yet) an open
//     discrepancy is recorded: resource, key, field, the stored value, the proposed one,
//     the proposer, the batch. An empty value from a non-authority proposes nothing (a
//     file without that column is not a proposal to erase). An identical open
//     discrepancy (same record, field, proposer and value) is not recorded twice.
//   - A brand-new record submitted by a non-authority IS created, with its key and the
//     fields the writer is the authority of; the other fields stay empty (NULL, even a
//     required one) until their authority writes them or accepts the discrepancy that
//     carries the proposed value. So the record exists for everyone at once, what it
//     holds is only what its authorities vouch for, and the governance list shows the
//     rest. (Refusing the record instead would lose the writer's own authoritative
//     fields; writing the proposed values would break the rule.)
//   - Required fields are required of their authority only (fields_to_check): a
//     non-authority may send just the key and the values it proposes.
//   - Repeated keys in one write: the last one wins, as in RecordStore::upsert.
// Everything of a write happens in the caller's transaction: the records, their history
// and the discrepancies commit or roll back together (with the import chunk).
//
// The common case — a provider importing its own resource, the authority of every field —
// is decided once per write (OneSourceWriter::writes_all) and goes straight to
// RecordStore::upsert with no mask: no extra query, no work per row.
//
// Ownership: borrows what it is given. Thread-safety: any thread (a OneSourceWriter is
// immutable after construction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/result.hpp"
#include "modules/data/catalog_spec.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {

// Table data_discrepancies (module "data", version 7).
std::vector<db::Migration> discrepancy_migrations();

// The authoritative department of a field: its `authority`, else the provider.
std::string_view authority_of(const FieldSpec& field, std::string_view provider);

// Which fields `writer` may write in a resource: key fields and the fields it is the
// authority of. Decided once per resource and writer.
class FieldAuthority {
 public:
  FieldAuthority(const std::vector<FieldSpec>& fields, std::string_view provider, std::string_view writer);

  // The writer is the authority of every non-key field: everything it sends is applied.
  bool writes_all() const { return writes_all_; }
  bool writes(std::size_t field) const { return writable_[field]; }
  const std::vector<bool>& writable() const { return writable_; }
  const std::string& authority(std::size_t field) const { return authorities_[field]; }

 private:
  std::vector<bool> writable_;
  std::vector<std::string> authorities_;
  bool writes_all_ = true;
};

// The fields as `authority`'s writer must supply them, for the record checks
// (record_check.hpp): a field it is not the authority of is optional for it — a
// department proposing another address for a person does not have to send the name the
// register holds. Key fields and its own required fields stay required.
std::vector<FieldSpec> fields_to_check(const std::vector<FieldSpec>& fields, const FieldAuthority& authority);

enum class DiscrepancyState { open, accepted, rejected };
std::string_view to_string(DiscrepancyState s);
std::optional<DiscrepancyState> discrepancy_state_from(std::string_view s);

struct Discrepancy {
  std::int64_t id = 0;
  std::int64_t resource_id = 0;
  std::string record_key;
  std::string field;                               // the field's name
  std::string authority_org;                       // who resolves it (as when proposed)
  std::optional<std::string> authoritative_value;  // as stored when proposed; none yet: nullopt
  std::string proposed_value;
  std::string proposer_org;
  std::optional<std::int64_t> batch;
  TimePoint created_at;
  DiscrepancyState state = DiscrepancyState::open;
  std::optional<std::string> resolved_by;  // username
  std::optional<TimePoint> resolved_at;
  std::string reason;  // why it was rejected (required) or accepted (optional)
  // Joined when read: the resource's code, the organisations' names.
  std::string resource_code;
  std::string authority_name;
  std::string proposer_name;
};

// What a write did: the record store's counts, and the values withheld as discrepancies.
struct OneSourceCounts {
  UpsertCounts records;
  std::size_t discrepancies = 0;  // recorded now (identical open ones not counted again)
};

// A write of records by one department into one resource, under the rule above.
class OneSourceWriter {
 public:
  // `records` and `fields` must outlive the writer.
  OneSourceWriter(RecordStore& records, const Clock& clock, std::int64_t resource_id,
                  const std::vector<FieldSpec>& fields, std::string_view provider, std::string writer);

  bool writes_all() const { return authority_.writes_all(); }
  const FieldAuthority& authority() const { return authority_; }

  // Writes `values` (canonical, in field order; see RecordStore) in `tx`, with `batch` as
  // provenance of the records and of the discrepancies.
  OneSourceCounts write(db::Transaction& tx, const std::vector<RecordValues>& values,
                        std::optional<std::int64_t> batch) const;

 private:
  RecordStore& records_;
  const Clock& clock_;
  std::int64_t resource_id_;
  const std::vector<FieldSpec>& fields_;
  std::string writer_;
  FieldAuthority authority_;
};

struct DiscrepancyQuery {
  std::optional<std::int64_t> resource_id;
  // Only discrepancies where one of these organisations is the authority or the
  // proposer (a department's staff: their own); empty: every one (the big-data centre).
  std::vector<std::string> visible_to;
  // Narrows further: the organisation is the authority ("authority"), the proposer
  // ("proposer"), or either (empty).
  std::optional<std::string> org;
  std::string side;
  std::optional<DiscrepancyState> state;
  std::int64_t before_id = 0;  // newest first, ids below this (0: from the newest)
  std::size_t limit = 50;
};

class Discrepancies {
 public:
  Discrepancies(db::Database& db, const Clock& clock);

  Result<Discrepancy> get(std::int64_t id) const;  // ErrorCode::not_found
  std::vector<Discrepancy> list(const DiscrepancyQuery& query) const;

  // The authority takes the proposed value: it is written into the record through
  // RecordStore (a new revision, the previous one kept in the history, provenance: the
  // authority as source org, the discrepancy's batch), in one transaction with the state
  // change. `fields` is the resource's current schema. ErrorCode::conflict when the
  // discrepancy is not open (also when another resolution won a race) or its field or
  // record is gone; not_found for an unknown id. Who may accept is the caller's check.
  Result<Discrepancy> accept(std::int64_t id, const std::vector<FieldSpec>& fields, std::string_view actor,
                             std::string_view reason);
  // The authority keeps its value; `reason` must not be empty (ErrorCode::invalid naming
  // `reason`); conflict when not open.
  Result<Discrepancy> reject(std::int64_t id, std::string_view actor, std::string_view reason);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace zhengwu::data
