// The chain walk (ChainChecker, pure) and its driver over the database (verify_chain):
// records and checkpoints are read in keyset pages by seq and merged into one ordered
// stream. See verify.hpp for the rules.
#include "kernel/audit/verify.hpp"

#include <algorithm>
#include <deque>
#include <ostream>

#include "kernel/audit/audit_store.hpp"
#include "kernel/db/database.hpp"

namespace zhengwu::audit {
namespace {

std::string range_text(std::int64_t from, std::int64_t to) {
  if (from == to) return "record " + std::to_string(from);
  return "records " + std::to_string(from) + ".." + std::to_string(to);
}

// Reads one table in seq order, `page` rows at a time, up to `last`.
class PagedReader {
 public:
  PagedReader(db::Database& db, std::string select, std::int64_t after, std::int64_t last, std::size_t page)
      : db_(db), select_(std::move(select)), after_(after), last_(last), page_(page) {}

  // The next row, or nullptr at the end. Valid until pop().
  const db::Row* peek() {
    if (buffer_.empty() && !done_) fill();
    return buffer_.empty() ? nullptr : &buffer_.front();
  }
  void pop() { buffer_.pop_front(); }

 private:
  void fill() {
    auto rows = db_.query(select_, {after_, last_, static_cast<std::int64_t>(page_)});
    if (rows.size() < page_) done_ = true;
    for (auto& r : rows.rows) buffer_.push_back(std::move(r));
    if (!buffer_.empty()) after_ = buffer_.back().get<std::int64_t>("seq");
  }

  db::Database& db_;
  std::string select_;
  std::int64_t after_;
  std::int64_t last_;
  std::size_t page_;
  bool done_ = false;
  std::deque<db::Row> buffer_;
};

}  // namespace

std::string_view to_string(ChainProblem problem) {
  switch (problem) {
    case ChainProblem::none: return "none";
    case ChainProblem::modified: return "modified";
    case ChainProblem::missing: return "missing";
    case ChainProblem::relinked: return "relinked";
    case ChainProblem::duplicate: return "duplicate";
    case ChainProblem::truncated: return "truncated";
    case ChainProblem::bad_signature: return "bad_signature";
    case ChainProblem::unsigned_checkpoint: return "unsigned_checkpoint";
    case ChainProblem::checkpoint_mismatch: return "checkpoint_mismatch";
    case ChainProblem::unrecorded_purge: return "unrecorded_purge";
  }
  return "none";
}

void ChainChecker::start(const std::optional<Checkpoint>& anchor) {
  report_ = VerifyReport{};
  report_.signatures_checked = signer_ != nullptr;
  if (signer_) key_id_ = signer_->key_id();
  if (anchor) {
    report_.anchor_seq = anchor->seq;
    expected_seq_ = anchor->seq + 1;
    expected_prev_ = anchor->hash;
    last_seq_ = anchor->seq;
  }
}

void ChainChecker::fail(ChainProblem problem, std::int64_t seq, std::string message) {
  if (!report_.ok) return;
  report_.ok = false;
  report_.problem = problem;
  report_.bad_seq = seq;
  report_.message = std::move(message);
}

std::string ChainChecker::previous_name(std::int64_t seq) const {
  if (seq == 1) return "the genesis value";
  if (seq - 1 == report_.anchor_seq) return "the checkpoint at " + std::to_string(seq - 1);
  return "record " + std::to_string(seq - 1);
}

void ChainChecker::add_unreadable(std::int64_t seq) {
  if (failed()) return;
  if (seq > expected_seq_) {
    fail(ChainProblem::missing, expected_seq_, range_text(expected_seq_, seq - 1) + " missing (deleted)");
    return;
  }
  fail(ChainProblem::modified, seq, "record " + std::to_string(seq) + ": hash does not match its content (modified)");
}

void ChainChecker::add_record(const StoredRecord& r) {
  if (failed()) return;
  const std::string seq_text = std::to_string(r.seq);
  if (r.seq < expected_seq_) {
    fail(ChainProblem::duplicate, r.seq, "record " + seq_text + ": appears more than once (duplicated)");
    return;
  }
  if (r.seq > expected_seq_) {
    fail(ChainProblem::missing, expected_seq_, range_text(expected_seq_, r.seq - 1) + " missing (deleted)");
    return;
  }
  const bool content_ok = record_hash(r.record, r.seq, r.prev_hash) == r.hash;
  const bool link_ok = r.prev_hash == expected_prev_;
  if (!link_ok) {
    // A record moved to another seq (or swapped) breaks both; a new one slipped in with
    // a forged hash of its own breaks the link of the record after it.
    fail(ChainProblem::relinked, r.seq,
         "record " + seq_text + ": previous hash does not match " + previous_name(r.seq) + " (inserted or reordered)");
    return;
  }
  if (!content_ok) {
    fail(ChainProblem::modified, r.seq, "record " + seq_text + ": hash does not match its content (modified)");
    return;
  }
  if (report_.records == 0) report_.first_seq = r.seq;
  ++report_.records;
  report_.last_seq = r.seq;
  last_seq_ = r.seq;
  expected_seq_ = r.seq + 1;
  expected_prev_ = r.hash;
  if (r.record.action == "audit.purged" && r.record.outcome == Outcome::success &&
      r.record.object_type == "audit_records") {
    try {
      purged_through_ = std::stoll(r.record.object_id);
    } catch (const std::exception&) {
      purged_through_ = -1;
    }
  }
}

void ChainChecker::add_checkpoint(const Checkpoint& cp) {
  if (failed()) return;
  const std::string at = "checkpoint at " + std::to_string(cp.seq);
  if (signer_) {
    if (cp.signature.empty()) {
      fail(ChainProblem::unsigned_checkpoint, cp.seq, at + ": not signed");
      return;
    }
    bool valid = false;
    try {
      valid = signer_->verify(checkpoint_message(cp.seq, cp.hash, to_millis(cp.time)), cp.signature);
    } catch (const std::exception&) {
      valid = false;  // a signature the key cannot even parse is no better than a wrong one
    }
    if (!valid) {
      std::string why = at + ": signature invalid";
      if (cp.key_id != key_id_) why += " (signed with key '" + cp.key_id + "', verified with '" + key_id_ + "')";
      fail(ChainProblem::bad_signature, cp.seq, std::move(why));
      return;
    }
  }
  ++report_.checkpoints;
  if (cp.seq <= report_.anchor_seq) return;  // the purge boundary or older: no record left to compare
  if (cp.seq == last_seq_) {
    if (cp.hash != expected_prev_)
      fail(ChainProblem::checkpoint_mismatch, cp.seq,
           at + ": hash does not match record " + std::to_string(cp.seq) + " (rewritten)");
    return;
  }
  // Past the records seen so far: either the next record fills the gap (and the gap is
  // reported as missing), or the chain ends before it (truncated).
  if (cp.seq > last_seq_) beyond_ = std::max(beyond_, cp.seq);
}

VerifyReport ChainChecker::finish() {
  if (report_.ok && beyond_ > last_seq_) {
    fail(ChainProblem::truncated, last_seq_ + 1,
         range_text(last_seq_ + 1, beyond_) + " missing (truncated: the checkpoint at " + std::to_string(beyond_) +
             " says they existed)");
  }
  if (report_.ok && report_.anchor_seq > 0 && purged_through_ != report_.anchor_seq) {
    fail(ChainProblem::unrecorded_purge, 1,
         range_text(1, report_.anchor_seq) + " missing (deleted without a recorded purge)");
  }
  return report_;
}

VerifyReport verify_chain(db::Database& db, Signer* signer, std::size_t page_size) {
  if (page_size == 0) page_size = 1000;
  // One statement, so both maxima come from the same snapshot: checkpoints committed
  // later (with their records) are not mistaken for a truncation.
  auto bounds = db.query(
      "SELECT (SELECT max(seq) FROM audit_records), (SELECT min(seq) FROM audit_records), "
      "(SELECT max(seq) FROM audit_checkpoints)");
  const auto& b = bounds[0];
  const std::int64_t last_record = b.at(0).is_null() ? 0 : b.at(0).as_int();
  const std::int64_t first_record = b.at(1).is_null() ? 0 : b.at(1).as_int();
  const std::int64_t last_checkpoint = b.at(2).is_null() ? 0 : b.at(2).as_int();

  ChainChecker checker(signer);
  std::optional<Checkpoint> anchor;
  if (first_record > 1) {
    auto rows = db.query("SELECT " + std::string(store::kCheckpointColumns) +
                             " FROM audit_checkpoints WHERE seq < ? ORDER BY seq DESC LIMIT 1",
                         {first_record});
    if (!rows.empty()) anchor = store::checkpoint_from_row(rows[0]);
  }
  checker.start(anchor);

  PagedReader records(db,
                      "SELECT " + std::string(store::kRecordColumns) +
                          " FROM audit_records WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                      0, last_record, page_size);
  PagedReader checkpoints(db,
                          "SELECT " + std::string(store::kCheckpointColumns) +
                              " FROM audit_checkpoints WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                          0, last_checkpoint, page_size);
  auto feed_checkpoints_while = [&](auto&& keep_going) {
    while (!checker.failed()) {
      const db::Row* row = checkpoints.peek();
      if (!row || !keep_going(row->get<std::int64_t>("seq"))) break;
      checker.add_checkpoint(store::checkpoint_from_row(*row));
      checkpoints.pop();
    }
  };
  while (!checker.failed()) {
    const db::Row* row = records.peek();
    if (!row) break;
    const std::int64_t seq = row->get<std::int64_t>("seq");
    feed_checkpoints_while([&](std::int64_t cp) { return cp < seq; });
    if (checker.failed()) break;
    auto record = store::record_from_row(*row);
    if (record) {
      checker.add_record(*record);
    } else {
      checker.add_unreadable(seq);
    }
    records.pop();
    feed_checkpoints_while([&](std::int64_t cp) { return cp == seq; });
  }
  feed_checkpoints_while([](std::int64_t) { return true; });
  return checker.finish();
}

int run_audit_verify(db::Database& db, Signer* signer, std::ostream& out, std::ostream& err) {
  VerifyReport report;
  try {
    report = verify_chain(db, signer);
  } catch (const std::exception& e) {
    err << "audit verify: could not read the audit log: " << e.what() << '\n';
    return 2;
  }
  if (!report.ok) {
    err << "audit chain BROKEN: " << report.message << '\n';
    out << "checked " << report.records << " records and " << report.checkpoints
        << " checkpoints before the first problem\n";
    return 1;
  }
  out << "audit chain intact: " << report.records << " records";
  if (report.records > 0) out << " (seq " << report.first_seq << ".." << report.last_seq << ")";
  out << ", " << report.checkpoints << " checkpoints";
  if (report.anchor_seq > 0) out << ", starting after the purge at " << report.anchor_seq;
  if (report.signatures_checked)
    out << ", signatures verified with key '" << (signer ? signer->key_id() : std::string()) << "'";
  else
    out << "; checkpoint signatures NOT checked (no key given)";
  out << '\n';
  return 0;
}

}  // namespace zhengwu::audit
