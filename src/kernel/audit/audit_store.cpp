// Rows of audit_records and audit_checkpoints to values, and the chain's tail.
#include "kernel/audit/audit_store.hpp"

namespace zhengwu::audit::store {

Result<StoredRecord> record_from_row(const db::Row& row) {
  StoredRecord s;
  s.seq = row.get<std::int64_t>("seq");
  Record& r = s.record;
  r.time = from_millis(row.get<std::int64_t>("time_ms"));
  auto kind_text = row.get<std::string>("actor_kind");
  auto kind = parse_actor_kind(kind_text);
  if (!kind) return Error::invalid("actor_kind", "unknown actor kind '" + kind_text + "'");
  r.actor_kind = *kind;
  r.actor_id = row.get<std::string>("actor_id");
  r.actor_name = row.get<std::string>("actor_name");
  r.actor_org = row.get<std::string>("actor_org");
  r.action = row.get<std::string>("action");
  r.object_type = row.get<std::string>("object_type");
  r.object_id = row.get<std::string>("object_id");
  auto outcome_text = row.get<std::string>("outcome");
  auto outcome = parse_outcome(outcome_text);
  if (!outcome) return Error::invalid("outcome", "unknown outcome '" + outcome_text + "'");
  r.outcome = *outcome;
  r.source = row.get<std::string>("source");
  r.request_id = row.get<std::string>("request_id");
  r.purpose = row.get<std::string>("purpose");
  r.details = row.get<std::string>("details");
  s.prev_hash = row.get<std::string>("prev_hash");
  s.hash = row.get<std::string>("hash");
  return s;
}

Checkpoint checkpoint_from_row(const db::Row& row) {
  Checkpoint c;
  c.seq = row.get<std::int64_t>("seq");
  c.hash = row.get<std::string>("hash");
  c.time = from_millis(row.get<std::int64_t>("time_ms"));
  c.key_id = row.get<std::string>("key_id");
  c.signature = row.get<std::string>("signature");
  return c;
}

Tail read_tail(db::Transaction& tx) {
  auto rows = tx.query("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1");
  if (rows.empty()) rows = tx.query("SELECT seq, hash FROM audit_checkpoints ORDER BY seq DESC LIMIT 1");
  Tail tail;
  if (!rows.empty()) {
    tail.seq = rows[0].get<std::int64_t>(0);
    tail.hash = rows[0].get<std::string>(1);
  }
  return tail;
}

std::optional<Checkpoint> last_checkpoint(db::Transaction& tx) {
  auto rows = tx.query("SELECT seq, hash, time_ms, key_id, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1");
  if (rows.empty()) return std::nullopt;
  return checkpoint_from_row(rows[0]);
}

}  // namespace zhengwu::audit::store
