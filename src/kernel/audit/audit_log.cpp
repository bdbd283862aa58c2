// The audit log's writer. See audit_log.hpp for what is promised; here is how:
//
// - Appenders put an Entry (a record, or a checkpoint or purge request) on a queue and
//   wait on a Ticket they share with the entry. The writer fills the ticket and wakes its
//   one appender through an atomic wait/notify, outside the queue's mutex: a batch wakes
//   exactly its own appenders, and they need no lock to leave.
// - The writer takes a run of record entries (at most max_batch), or one special entry
//   alone, and writes it in one transaction: lock, read the tail and the last checkpoint
//   inside the transaction, hash, insert in multi-row statements, add checkpoints,
//   commit. Reading the tail inside the locked transaction, every time, is what lets
//   several processes append to one chain; the cost is three indexed look-ups per
//   batch (tail, last checkpoint, oldest record it does not cover).
// - Rows go in as multi-row INSERTs of 64, 32, ... 1 rows, so a batch of any size uses at
//   most seven distinct statements (cached, prepared once per connection).
#include "kernel/audit/audit_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>

#include "kernel/audit/audit_store.hpp"
#include "kernel/audit/verify.hpp"

namespace zhengwu::audit {
namespace {

// Key of the PostgreSQL advisory lock that serialises audit writers ("ZWAUDIT1").
constexpr std::int64_t kChainLock = 0x5A57'4155'4449'5431;
constexpr std::size_t kRecordParams = 16;
constexpr std::array<std::size_t, 7> kChunks{64, 32, 16, 8, 4, 2, 1};

const std::string& insert_sql(db::Kind kind, std::size_t rows) {
  using Statements = std::array<std::string, kChunks.size()>;
  auto build = [](db::Kind k) {
    Statements out;
    for (std::size_t i = 0; i < kChunks.size(); ++i) {
      std::string sql(db::bulk_insert(k));
      sql.append(" INTO audit_records (");
      sql.append(store::kRecordColumns);
      sql.append(") VALUES ");
      for (std::size_t r = 0; r < kChunks[i]; ++r) {
        if (r > 0) sql.push_back(',');
        sql.append("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      }
      out[i] = std::move(sql);
    }
    return out;
  };
  static const Statements sqlite = build(db::Kind::sqlite);
  static const Statements postgres = build(db::Kind::postgres);
  const Statements& statements = kind == db::Kind::sqlite ? sqlite : postgres;
  for (std::size_t i = 0; i < kChunks.size(); ++i)
    if (kChunks[i] == rows) return statements[i];
  return statements.back();
}

// Moves the record's text into the parameters (the hashes, seq and time stay behind for
// the checkpoints).
void add_params(db::Params& p, StoredRecord& s) {
  Record& r = s.record;
  p.emplace_back(s.seq);
  p.emplace_back(to_millis(r.time));
  p.emplace_back(to_string(r.actor_kind));
  p.emplace_back(std::move(r.actor_id));
  p.emplace_back(std::move(r.actor_name));
  p.emplace_back(std::move(r.actor_org));
  p.emplace_back(std::move(r.action));
  p.emplace_back(std::move(r.object_type));
  p.emplace_back(std::move(r.object_id));
  p.emplace_back(to_string(r.outcome));
  p.emplace_back(std::move(r.source));
  p.emplace_back(std::move(r.request_id));
  p.emplace_back(std::move(r.purpose));
  p.emplace_back(std::move(r.details));
  p.emplace_back(s.prev_hash);
  p.emplace_back(s.hash);
}

void insert_records(db::Transaction& tx, std::vector<StoredRecord>& rows) {
  std::size_t at = 0;
  db::Params params;
  for (std::size_t chunk : kChunks) {
    while (rows.size() - at >= chunk) {
      params.clear();
      params.reserve(chunk * kRecordParams);
      for (std::size_t i = 0; i < chunk; ++i) add_params(params, rows[at + i]);
      tx.execute(insert_sql(tx.kind(), chunk), params);
      at += chunk;
    }
  }
}

TimePoint truncate_to_millis(TimePoint t) { return from_millis(to_millis(t)); }

// Zero would stall the writer (empty batches, a queue with no room); read it as one.
AuditOptions sanitized(AuditOptions o) {
  o.max_batch = std::max<std::size_t>(o.max_batch, 1);
  o.max_queue = std::max<std::size_t>(o.max_queue, 1);
  o.checkpoint_every = std::max<std::int64_t>(o.checkpoint_every, 1);
  return o;
}

}  // namespace

std::vector<db::Migration> audit_migrations() {
  return {{"kernel.audit", 1, "hash-chained audit records and signed checkpoints", R"SQL(
CREATE TABLE audit_records (
  seq BIGINT PRIMARY KEY,
  time_ms BIGINT NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user','client','system','anonymous')),
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  actor_org TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('success','failure','denied')),
  source TEXT NOT NULL,
  request_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_records_time ON audit_records (time_ms);
CREATE INDEX audit_records_actor ON audit_records (actor_id, seq);
CREATE INDEX audit_records_org ON audit_records (actor_org, seq);
CREATE INDEX audit_records_action ON audit_records (action, seq);
CREATE INDEX audit_records_object ON audit_records (object_type, object_id, seq);
CREATE INDEX audit_records_request ON audit_records (request_id);
CREATE TABLE audit_checkpoints (
  seq BIGINT PRIMARY KEY,
  hash TEXT NOT NULL,
  time_ms BIGINT NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL
)
)SQL"}};
}

// Shared by the appender and the writer, so that either may let go first. The writer
// fills `result` (and `purge`) and then releases `done`; the appender reads them after
// acquiring it.
struct AuditLog::Ticket {
  std::atomic<int> done{0};
  std::optional<Result<Appended>> result;
  PurgeReport purge;

  void finish(Result<Appended> r) {
    result.emplace(std::move(r));
    done.store(1, std::memory_order_release);
    done.notify_one();
  }
};

struct AuditLog::Entry {
  // record: append one; checkpoint: at the tail now; timed_checkpoint: at the tail if
  // the interval has passed (the idle writer's own); purge: see purge_before.
  enum class Kind { record, checkpoint, timed_checkpoint, purge };
  Kind kind = Kind::record;
  Record record;
  std::shared_ptr<Ticket> ticket;  // null: nobody waits (append_async, append_then, timed checkpoints)
  Completion done;                 // append_then's: called with the outcome instead
  TimePoint cutoff{};
};

struct AuditLog::BatchOutcome {
  std::optional<Error> error;
  std::vector<Appended> appended;  // one per record entry, in order
  Appended special;                // result of a checkpoint or purge entry
  PurgeReport purge;
  std::size_t checkpoints = 0;
  std::optional<TimePoint> uncovered_since;  // after this batch
};

AuditLog::AuditLog(db::Database& db, const Clock& clock, AuditOptions options, Signer* signer)
    : db_(db), clock_(clock), options_(sanitized(std::move(options))), signer_(signer) {
  {
    auto tx = db_.begin(db::TxMode::read);
    auto tail = store::read_tail(tx);
    auto cp = store::last_checkpoint(tx);
    std::int64_t covered = cp ? cp->seq : 0;
    if (tail.seq > covered) {
      auto rows = tx.query("SELECT time_ms FROM audit_records WHERE seq > ? ORDER BY seq LIMIT 1", {covered});
      if (!rows.empty()) uncovered_since_ = from_millis(rows[0].get<std::int64_t>(0));
    }
    tx.commit();
  }
  writer_ = std::thread([this] { run(); });
}

AuditLog::~AuditLog() { stop(); }

void AuditLog::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_cv_.notify_all();
  space_cv_.notify_all();
  std::lock_guard join_lock(join_mutex_);
  if (writer_.joinable()) writer_.join();
}

AuditStats AuditLog::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

Result<Appended> AuditLog::submit(Entry entry, PurgeReport* purge) {
  auto ticket = std::make_shared<Ticket>();
  entry.ticket = ticket;
  {
    std::unique_lock lock(mutex_);
    space_cv_.wait(lock, [&] { return stopping_ || queue_.size() < options_.max_queue; });
    if (stopping_) return Error{ErrorCode::busy, "the audit log is stopped", {}};
    enqueue(std::move(entry));
  }
  ticket->done.wait(0, std::memory_order_acquire);
  if (purge) *purge = ticket->purge;
  return std::move(*ticket->result);
}

void AuditLog::enqueue(Entry entry) {
  queue_.push_back(std::move(entry));
  // The writer waits only when the queue was empty, or while it gathers a batch.
  if (queue_.size() == 1 || (gathering_ > 0 && queue_.size() >= gathering_)) queued_cv_.notify_one();
}

Result<Appended> AuditLog::append(Record record) {
  if (record.time == TimePoint{}) record.time = clock_.now();
  record.time = truncate_to_millis(record.time);
  if (auto s = validate(record); !s) return s.error();
  Entry e;
  e.record = std::move(record);
  return submit(std::move(e));
}

void AuditLog::append_then(Record record, Completion done) {
  if (record.time == TimePoint{}) record.time = clock_.now();
  record.time = truncate_to_millis(record.time);
  if (auto s = validate(record); !s) return done(s.error());
  {
    std::unique_lock lock(mutex_);
    space_cv_.wait(lock, [&] { return stopping_ || queue_.size() < options_.max_queue; });
    if (!stopping_) {
      Entry e;
      e.record = std::move(record);
      e.done = std::move(done);
      enqueue(std::move(e));
      return;
    }
  }
  done(Error{ErrorCode::busy, "the audit log is stopped", {}});
}

Status AuditLog::append_async(Record record) {
  if (record.time == TimePoint{}) record.time = clock_.now();
  record.time = truncate_to_millis(record.time);
  if (auto s = validate(record); !s) return s.error();
  std::unique_lock lock(mutex_);
  space_cv_.wait(lock, [&] { return stopping_ || queue_.size() < options_.max_queue; });
  if (stopping_) return Error{ErrorCode::busy, "the audit log is stopped", {}};
  Entry e;
  e.record = std::move(record);
  enqueue(std::move(e));
  return Status::success();
}

Result<std::int64_t> AuditLog::checkpoint() {
  Entry e;
  e.kind = Entry::Kind::checkpoint;
  auto r = submit(std::move(e));
  if (!r) return r.error();
  return r->seq;
}

Result<PurgeReport> AuditLog::purge_before(TimePoint cutoff, Record requested_by) {
  const TimePoint now = clock_.now();
  const TimePoint latest = now - options_.min_retention;
  Record r = std::move(requested_by);
  r.time = TimePoint{};
  r.action = "audit.purged";
  r.object_type = "audit_records";
  r.object_id.clear();
  r.purpose.clear();
  if (cutoff > latest) {
    r.outcome = Outcome::denied;
    r.details = "{\"cutoff_ms\":" + std::to_string(to_millis(cutoff)) + ",\"min_retention_days\":" +
                std::to_string(options_.min_retention.count()) + "}";
    auto recorded = append(r);
    if (!recorded) spdlog::error("audit: could not record a refused purge: {}", recorded.error().message);
    return Error::invalid("cutoff", "audit records must be kept at least " +
                                        std::to_string(options_.min_retention.count()) +
                                        " days; the latest allowed cutoff is " + std::to_string(to_millis(latest)) +
                                        " ms since the epoch");
  }
  r.outcome = Outcome::success;
  r.details = "{}";
  if (auto valid = validate(r); !valid) return valid.error();
  VerifyReport report = verify_chain(db_, signer_);
  if (!report.ok)
    return Error::conflict("the audit chain does not verify (" + report.message +
                           "); nothing is purged so that the evidence stays");
  Entry e;
  e.kind = Entry::Kind::purge;
  e.record = std::move(r);
  e.cutoff = cutoff;
  PurgeReport purged;
  auto done = submit(std::move(e), &purged);
  if (!done) return done.error();
  return purged;
}

void AuditLog::run() {
  const auto poll = std::clamp<std::chrono::milliseconds>(options_.checkpoint_interval, std::chrono::milliseconds(10),
                                                          std::chrono::milliseconds(1000));
  bool final_checkpoint = false;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (queue_.empty()) {
      if (stopping_) {
        // Leave the tail signed, so that truncating it later shows.
        if (!uncovered_since_ || final_checkpoint) break;
        final_checkpoint = true;
        Entry e;
        e.kind = Entry::Kind::checkpoint;
        queue_.push_back(std::move(e));
        continue;
      }
      if (uncovered_since_) {
        queued_cv_.wait_for(lock, poll);
        if (queue_.empty() && !stopping_ && uncovered_since_ &&
            clock_.now() - *uncovered_since_ >= options_.checkpoint_interval) {
          Entry e;
          e.kind = Entry::Kind::timed_checkpoint;
          queue_.push_back(std::move(e));
        }
      } else {
        queued_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      }
      continue;
    }
    // Group commit: the appenders of the last batch are on their way back with their
    // next records; wait a moment for them so that they share the next commit, instead
    // of splitting into two halves that alternate.
    const std::size_t expected = std::min(appenders_, options_.max_batch);
    if (queue_.front().kind == Entry::Kind::record && queue_.size() < expected &&
        options_.group_commit_wait.count() > 0) {
      gathering_ = expected;
      queued_cv_.wait_for(lock, options_.group_commit_wait,
                          [&] { return stopping_ || queue_.size() >= expected; });
      gathering_ = 0;
    }
    std::vector<Entry> batch;
    if (queue_.front().kind != Entry::Kind::record) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    } else {
      batch.reserve(std::min(queue_.size(), options_.max_batch));
      while (!queue_.empty() && queue_.front().kind == Entry::Kind::record && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    space_cv_.notify_all();
    lock.unlock();
    BatchOutcome out = write_batch(batch);

    std::size_t records = 0;  // committed
    std::size_t waiting = 0;  // synchronous appenders in the batch
    std::size_t lost = 0;     // append_async records of a failed batch
    for (const Entry& e : batch) {
      if (e.kind != Entry::Kind::record) continue;
      if (e.ticket || e.done) ++waiting;
      if (!out.error) ++records;
      if (out.error && !e.ticket && !e.done) ++lost;
    }
    if (!out.error && out.purge.record_seq > 0) ++records;
    if (out.error)
      spdlog::error("audit: a batch of {} entries was not stored: {}", batch.size(), out.error->message);
    // Statistics first, so that an appender that returns sees its batch counted.
    lock.lock();
    if (batch.front().kind == Entry::Kind::record) appenders_ = waiting + queue_.size();
    if (out.error) {
      ++stats_.failed_batches;
      stats_.lost_async += lost;
    } else {
      if (records > 0) ++stats_.batches;
      stats_.records += records;
      stats_.checkpoints += out.checkpoints;
      stats_.largest_batch = std::max(stats_.largest_batch, records);
      uncovered_since_ = out.uncovered_since;
    }
    lock.unlock();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      Entry& e = batch[i];
      if (e.done) {
        try {
          if (out.error) {
            e.done(*out.error);
          } else {
            e.done(out.appended[i]);
          }
        } catch (const std::exception& ex) {
          spdlog::error("audit: a completion failed: {}", ex.what());
        }
        continue;
      }
      if (!e.ticket) continue;
      if (out.error) {
        e.ticket->finish(*out.error);
      } else if (e.kind == Entry::Kind::record) {
        e.ticket->finish(out.appended[i]);
      } else {
        e.ticket->purge = out.purge;
        e.ticket->finish(out.special);
      }
    }
    lock.lock();
  }
}

AuditLog::BatchOutcome AuditLog::write_batch(std::vector<Entry>& batch) {
  BatchOutcome out;
  std::size_t record_count = 0;
  for (const auto& e : batch)
    if (e.kind == Entry::Kind::record) ++record_count;
  try {
    db::Lease lease = db_.acquire();
    const bool postgres = db_.kind() == db::Kind::postgres;
    // Per connection, outside any transaction (SQLite refuses to change it inside one).
    // The audit indexes take random inserts (actor, object, request id): a larger page
    // cache on this one connection keeps them from being read back from the file.
    if (!postgres) {
      lease->execute(options_.sqlite_full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", {});
      lease->execute("PRAGMA cache_size=-32768", {});
    }
    db::Transaction tx(std::move(lease), db_.kind(), db::TxMode::write);
    if (postgres) {
      tx.execute("SELECT pg_advisory_xact_lock(" + std::to_string(kChainLock) + ")");
      tx.execute("SET LOCAL synchronous_commit TO on");
    }
    const TimePoint now = clock_.now();
    store::Tail tail = store::read_tail(tx);
    auto last_cp = store::last_checkpoint(tx);
    std::int64_t covered = last_cp ? last_cp->seq : 0;
    // The oldest record no checkpoint covers yet, before this batch.
    std::optional<TimePoint> uncovered;
    if (tail.seq > covered) {
      auto rows = tx.query("SELECT time_ms FROM audit_records WHERE seq > ? ORDER BY seq LIMIT 1", {covered});
      if (!rows.empty()) uncovered = from_millis(rows[0].get<std::int64_t>(0));
    }

    std::vector<StoredRecord> rows;
    rows.reserve(record_count + 1);
    auto chain = [&](Record record) {
      StoredRecord s;
      s.seq = tail.seq + 1;
      s.prev_hash = tail.hash;
      s.hash = record_hash(record, s.seq, s.prev_hash);
      s.record = std::move(record);
      tail.seq = s.seq;
      tail.hash = s.hash;
      rows.push_back(std::move(s));
      return Appended{tail.seq, tail.hash};
    };

    bool force_checkpoint = false;
    bool write = true;
    Entry& first = batch.front();
    if (first.kind == Entry::Kind::record) {
      out.appended.reserve(batch.size());
      for (auto& e : batch) out.appended.push_back(chain(std::move(e.record)));
    } else if (first.kind == Entry::Kind::checkpoint) {
      force_checkpoint = tail.seq > covered;
      write = force_checkpoint;
      out.special = Appended{tail.seq, tail.hash};
    } else if (first.kind == Entry::Kind::timed_checkpoint) {
      write = uncovered && now - *uncovered >= options_.checkpoint_interval;
      force_checkpoint = write;
      out.special = Appended{tail.seq, tail.hash};
    } else {
      // Purge: everything before the first record to keep, cut back to a checkpoint.
      const std::int64_t cutoff_ms = to_millis(first.cutoff);
      auto keep = tx.query("SELECT min(seq) FROM audit_records WHERE time_ms >= ?", {cutoff_ms});
      std::int64_t first_kept = keep[0].at(0).is_null() ? tail.seq + 1 : keep[0].get<std::int64_t>(0);
      auto boundary_rows = tx.query("SELECT max(seq) FROM audit_checkpoints WHERE seq < ?", {first_kept});
      auto oldest_rows = tx.query("SELECT min(seq) FROM audit_records");
      std::int64_t oldest = oldest_rows[0].at(0).is_null() ? tail.seq + 1 : oldest_rows[0].get<std::int64_t>(0);
      if (boundary_rows[0].at(0).is_null() || boundary_rows[0].get<std::int64_t>(0) < oldest) {
        write = false;  // no checkpoint to cut at, or nothing older than it is left
      } else {
        const std::int64_t through = boundary_rows[0].get<std::int64_t>(0);
        out.purge.through_seq = through;
        out.purge.deleted_records = tx.execute("DELETE FROM audit_records WHERE seq <= ?", {through});
        out.purge.deleted_checkpoints = tx.execute("DELETE FROM audit_checkpoints WHERE seq < ?", {through});
        Record r = std::move(first.record);
        r.time = truncate_to_millis(now);
        r.object_id = std::to_string(through);
        r.details = "{\"through_seq\":" + std::to_string(through) + ",\"cutoff_ms\":" + std::to_string(cutoff_ms) +
                    ",\"deleted_records\":" + std::to_string(out.purge.deleted_records) +
                    ",\"deleted_checkpoints\":" + std::to_string(out.purge.deleted_checkpoints) + "}";
        out.special = chain(std::move(r));
        out.purge.record_seq = out.special.seq;
        // Only records up to a checkpoint went, so those still uncovered all remain.
      }
    }
    if (!write) {
      tx.rollback();
      out.uncovered_since = uncovered;
      return out;
    }

    insert_records(tx, rows);

    // Checkpoints: at each multiple of checkpoint_every among the new records ...
    std::vector<std::pair<std::int64_t, std::string>> marks;
    const std::int64_t covered_before = covered;
    // The oldest uncovered record should no checkpoint of this batch be written.
    std::optional<TimePoint> oldest_unmarked = uncovered;
    if (!oldest_unmarked && !rows.empty()) oldest_unmarked = rows.front().record.time;
    for (const auto& s : rows) {
      if (s.seq % options_.checkpoint_every == 0) {
        marks.emplace_back(s.seq, s.hash);
        covered = s.seq;
      }
    }
    // ... and at the tail when the oldest record left uncovered is interval old. A new
    // mark covers everything before it, so the oldest uncovered is then a new record.
    if (covered != covered_before || !uncovered) {
      uncovered.reset();
      for (const auto& s : rows) {
        if (s.seq > covered) {
          uncovered = s.record.time;
          break;
        }
      }
    }
    if (force_checkpoint || (uncovered && now - *uncovered >= options_.checkpoint_interval)) {
      if (covered < tail.seq) {
        marks.emplace_back(tail.seq, tail.hash);
        covered = tail.seq;
      }
      uncovered.reset();
    }
    const std::int64_t now_ms = to_millis(now);
    std::vector<db::Params> checkpoints;
    try {
      for (const auto& [seq, hash] : marks) {
        std::string signature, key_id;
        if (signer_) {
          signature = signer_->sign(checkpoint_message(seq, hash, now_ms));
          key_id = signer_->key_id();
        }
        checkpoints.push_back({seq, hash, now_ms, std::move(key_id), std::move(signature)});
      }
    } catch (const std::exception& e) {
      // The records matter more than their checkpoint: store them, and try the
      // checkpoint again once the interval has passed (the idle writer does).
      if (rows.empty()) throw;
      spdlog::error("audit: checkpoint not signed ({}); records stored without it, retried later", e.what());
      checkpoints.clear();
      uncovered = oldest_unmarked;
    }
    for (const auto& params : checkpoints)
      tx.execute("INSERT INTO audit_checkpoints (seq, hash, time_ms, key_id, signature) VALUES (?, ?, ?, ?, ?)",
                 params);
    tx.commit();
    out.checkpoints = checkpoints.size();
    out.uncovered_since = uncovered;
  } catch (const db::Error& e) {
    out.error = Error{e.kind() == db::Error::Kind::busy ? ErrorCode::busy : ErrorCode::internal,
                      std::string("audit records not stored: ") + e.what(), {}};
  } catch (const std::exception& e) {
    out.error = Error{ErrorCode::internal, std::string("audit records not stored: ") + e.what(), {}};
  }
  return out;
}

}  // namespace zhengwu::audit
