// Verification of the audit chain: is every record still what was written, and is
// every record still there?
//
// GB/T 22239-2019 asks that audit records be protected against deletion and
// modification; the chain (audit_record.hpp) and signed checkpoints (signer.hpp) make
// any such change detectable, and this is where it is detected. The walk goes through
// the records in seq order, one page at a time (memory stays flat however long the
// chain), and:
//   - recomputes each record's SM3 hash (GB/T 32905-2016) from its content;
//   - checks that its prev_hash is the previous record's hash, and that seq runs on
//     without gaps or repeats;
//   - checks each checkpoint's signature and that its hash is the hash of the record at
//     its seq; a checkpoint beyond the last record means the tail was cut off;
//   - after a purge, starts from the checkpoint at the purge boundary (the newest
//     checkpoint before the first record) instead of the genesis hash, and then requires
//     an `audit.purged` record naming that boundary, so a deletion of old records is
//     legal only when it was recorded.
// It stops at the first problem, in seq order, and names it, e.g.
//   "record 1043: hash does not match its content (modified)"
//   "records 1043..1044 missing (deleted)"
//   "record 1043: previous hash does not match record 1042 (inserted or reordered)"
//   "checkpoint at 2000: signature invalid"
//   "records 1990..2000 missing (truncated: the checkpoint at 2000 says they existed)"
// A record whose content hash and link are both wrong (a record moved to another seq,
// or two records swapped) is reported as "inserted or reordered"; one whose link is
// right but content hash wrong as "modified". A forger who recomputes every hash after
// a change is caught at the next signed checkpoint ("checkpoint at 2000: hash does not
// match record 2000 (rewritten)"); records appended after the last checkpoint can only
// be vouched for by the chain itself.
//
// Thread-safety: ChainChecker belongs to one thread; verify_chain and run_audit_verify
// may run on any thread, beside appenders (they check what was committed when they
// began).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "kernel/audit/audit_record.hpp"
#include "kernel/audit/signer.hpp"

namespace zhengwu::db {
class Database;
}

namespace zhengwu::audit {

enum class ChainProblem {
  none,
  modified,             // a record's hash does not match its content
  missing,              // seq numbers skipped: records deleted
  relinked,             // prev_hash does not link to the record before: inserted or reordered
  duplicate,            // a seq seen twice
  truncated,            // a checkpoint names a seq beyond the last record
  bad_signature,        // a checkpoint's signature does not verify
  unsigned_checkpoint,  // a checkpoint without signature, while verifying with a key
  checkpoint_mismatch,  // a checkpoint's hash is not the hash of the record at its seq
  unrecorded_purge,     // old records gone without an audit.purged record for it
};

std::string_view to_string(ChainProblem problem);

struct VerifyReport {
  bool ok = true;
  ChainProblem problem = ChainProblem::none;
  std::int64_t bad_seq = 0;  // the first bad record (or checkpoint) seq; 0 when ok
  std::string message;       // "record 1043: ..." ; empty when ok
  std::int64_t records = 0;  // records checked (up to the problem)
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::int64_t checkpoints = 0;  // checkpoints checked
  std::int64_t anchor_seq = 0;   // the purge boundary the walk started from; 0: genesis
  bool signatures_checked = false;
};

// The walk itself, without I/O: feed it in seq order and ask for the report. Feed each
// checkpoint after the records with a smaller seq and before those with a larger one
// (a checkpoint at seq n goes right after record n). After the first problem further
// input is ignored.
class ChainChecker {
 public:
  // With `signer` null, signatures are not checked (the report says so).
  explicit ChainChecker(Signer* signer) : signer_(signer) {}

  // `anchor`: the newest checkpoint before the first record, when the first record is
  // not seq 1 (records before it were purged); nullopt: the chain starts at genesis.
  void start(const std::optional<Checkpoint>& anchor);
  void add_record(const StoredRecord& record);
  // A row whose enum columns hold unknown names: its content cannot be what was hashed.
  void add_unreadable(std::int64_t seq);
  void add_checkpoint(const Checkpoint& checkpoint);
  bool failed() const { return !report_.ok; }
  VerifyReport finish();

 private:
  void fail(ChainProblem problem, std::int64_t seq, std::string message);
  std::string previous_name(std::int64_t seq) const;

  Signer* signer_;
  VerifyReport report_;
  std::int64_t expected_seq_ = 1;
  std::string expected_prev_{kGenesisHash};
  std::int64_t last_seq_ = 0;       // last record seen, 0 before any
  std::int64_t beyond_ = 0;         // a checkpoint seq past the records seen so far
  std::int64_t purged_through_ = 0; // boundary named by the newest audit.purged record
  std::string key_id_;
};

// Walks the chain in `db` (pages of `page_size` records). Throws db::Error when the
// database fails; a broken chain is a report, not an error.
VerifyReport verify_chain(db::Database& db, Signer* signer, std::size_t page_size = 1000);

// `zhengwu audit verify`: runs verify_chain and prints a one-line summary on `out`, or
// the first problem on `err`. Returns 0 when the chain is intact, 1 when it is broken, 2
// when it could not be verified (the database failed; the reason goes to `err`).
int run_audit_verify(db::Database& db, Signer* signer, std::ostream& out, std::ostream& err);

}  // namespace zhengwu::audit
