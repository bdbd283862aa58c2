// One audit record and its place in the hash chain.
//
// GB/T 22239-2019 (graded protection 2.0, level 3, "security audit") asks that audit
// covers every user, that each record holds the date and time, the user, the event type,
// the object, the outcome and the source address, and that records are protected
// against deletion and modification. A `Record` carries those fields and a few more
// (organisation, request id, the purpose of a personal-data read, a small JSON object of
// details). Protection is by a hash chain: each stored record keeps its `seq` (1, 2, 3 ...
// without gaps), the hash of the record before it (`prev_hash`, 64 zeros for the first)
// and its own `hash` = lower-case hex SM3 (GB/T 32905-2016) of `canonical(record, seq,
// prev_hash)`. Changing, removing, inserting or reordering a record breaks the chain;
// signed checkpoints (signer.hpp) make rewriting the whole chain detectable too.
//
// Canonical form, version 1 — fixed forever once records are written with it:
//
//   "zhengwu-audit-v1\n"
//   then, for each field in this order,  NAME "=" LENGTH ":" VALUE "\n"
//     seq, prev_hash, time_ms, actor_kind, actor_id, actor_name, actor_org, action,
//     object_type, object_id, outcome, source, request_id, purpose, details
//
// LENGTH is the decimal byte length of VALUE (UTF-8 bytes, not characters), so no value
// can be mistaken for a separator. seq and time_ms are decimal integers (time_ms:
// milliseconds since the Unix epoch, UTC, negative before 1970); the enums are their
// names below; text fields are the bytes as stored. A later format would start with
// another version line and be chosen by seq range; v1 is never changed.
//
// Everything here is a pure function, safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/clock.hpp"
#include "kernel/result.hpp"

namespace zhengwu {
class TimeZone;
}

namespace zhengwu::audit {

// Who acted: a person signed in, a registered department system, the platform itself
// (jobs, start-up), or nobody identified (a failed login, a public page).
enum class ActorKind { user, client, system, anonymous };
enum class Outcome { success, failure, denied };

std::string_view to_string(ActorKind kind);
std::string_view to_string(Outcome outcome);
std::optional<ActorKind> parse_actor_kind(std::string_view text);
std::optional<Outcome> parse_outcome(std::string_view text);

struct Record {
  // When it happened (UTC). Left at the epoch, AuditLog stamps it from its clock. Kept
  // with millisecond precision (finer parts are dropped before hashing).
  TimePoint time{};
  ActorKind actor_kind = ActorKind::system;
  std::string actor_id;    // user id, client id, "" for anonymous
  std::string actor_name;  // display name at the time (names change; the record keeps it)
  std::string actor_org;   // organisation code of the actor, "" when none
  std::string action;      // dotted event type: "auth.login", "user.create", "exchange.read"
  std::string object_type; // what it was done to: "user", "resource", "audit_records"
  std::string object_id;
  Outcome outcome = Outcome::success;
  std::string source;      // source address (client IP, or "cli", "system")
  std::string request_id;
  std::string purpose;     // declared purpose of a personal-data read, else ""
  std::string details = "{}";  // a JSON object, as text; hashed byte for byte
};

// A record as stored: its place in the chain and its hash.
struct StoredRecord {
  std::int64_t seq = 0;
  Record record;
  std::string prev_hash;
  std::string hash;
};

// A signed checkpoint: the hash of record `seq`, signed with the platform key, so that
// the chain up to `seq` cannot be rewritten without the key. `signature` and `key_id`
// are empty when the log runs without a Signer.
struct Checkpoint {
  std::int64_t seq = 0;
  std::string hash;
  TimePoint time{};
  std::string key_id;
  std::string signature;
};

// prev_hash of record 1.
inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// Limits of one record, so that an audit row stays small: each text field at most
// kMaxFieldBytes, details at most kMaxDetailsBytes.
inline constexpr std::size_t kMaxFieldBytes = 1024;
inline constexpr std::size_t kMaxDetailsBytes = 16 * 1024;

std::int64_t to_millis(TimePoint t);
TimePoint from_millis(std::int64_t ms);

// The v1 canonical bytes (see the top of this file).
std::string canonical(const Record& record, std::int64_t seq, std::string_view prev_hash);
// hex(SM3(canonical(...))), 64 lower-case hex digits.
std::string record_hash(const Record& record, std::int64_t seq, std::string_view prev_hash);

// Checks what the chain and both databases need: an action of dotted lower-case words
// ([a-z0-9_-]+ joined by single dots, at least two), every text field valid UTF-8 without
// NUL and within its limit, details a JSON object. Fails with ErrorCode::invalid naming
// the field.
Status validate(const Record& record);

// "2026-12-04T14:30:00.123+08:00": the instant in `zone`, with milliseconds.
std::string format_audit_time(TimePoint t, const TimeZone& zone);

}  // namespace zhengwu::audit
