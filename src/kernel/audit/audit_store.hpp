// The audit tables as the audit code reads them: the column list, rows to records and
// checkpoints, and the chain's tail. Internal to kernel/audit (the log, verification and
// query share it); other code uses audit_log.hpp, verify.hpp and audit_query.hpp.
//
// Pure mapping and single statements; safe from any thread that may use the Database
// or Transaction passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/audit/audit_record.hpp"
#include "kernel/db/database.hpp"

namespace zhengwu::audit::store {

inline constexpr std::string_view kRecordColumns =
    "seq, time_ms, actor_kind, actor_id, actor_name, actor_org, action, object_type, object_id, outcome, "
    "source, request_id, purpose, details, prev_hash, hash";
inline constexpr std::string_view kCheckpointColumns = "seq, hash, time_ms, key_id, signature";

// A row selected with kRecordColumns. Fails (ErrorCode::invalid) when actor_kind or
// outcome holds a name this version does not know, which only a change made behind
// the log's back can produce.
Result<StoredRecord> record_from_row(const db::Row& row);
Checkpoint checkpoint_from_row(const db::Row& row);

// The last link of the chain: the newest record, or after a purge that removed every
// record, the checkpoint at the purge boundary; seq 0 and the genesis hash when empty.
struct Tail {
  std::int64_t seq = 0;
  std::string hash{kGenesisHash};
};
Tail read_tail(db::Transaction& tx);

// The newest checkpoint, if any.
std::optional<Checkpoint> last_checkpoint(db::Transaction& tx);

}  // namespace zhengwu::audit::store
