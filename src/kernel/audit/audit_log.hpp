// The audit log: append-only, hash-chained, durable before it answers, with signed
// checkpoints and a retention floor.
//
// It keeps the audit requirements of GB/T 22239-2019 (level 3): every security-relevant
// action and every read of personal data appends one record (audit_record.hpp), records
// are chained by SM3 hashes (GB/T 32905-2016) and checkpointed with a signature, so that
// deletion and modification are detected (verify.hpp), and nothing younger than the
// retention floor (default 180 days, the standard's "at least six months") can be
// purged.
//
// Group commit. `append` queues the record and waits (`append_then` queues it and calls
// back instead, so that a server holds a reply rather than a thread); one writer thread
// takes whatever is queued (up to `max_batch`), and in ONE transaction re-reads the
// chain's tail, assigns consecutive seq numbers, computes the hashes, inserts the rows
// and any checkpoints due, and commits once; then it wakes every waiter of that batch.
// Many requests thus share one fsync. `append` returns (and `append_then` calls back)
// only after that commit: a record it reports is durable. Before a batch the writer
// waits up to `group_commit_wait` for the appenders it just woke to come back, so that
// concurrent appenders share each commit instead of splitting into two alternating
// halves. On SQLite the writer sets `PRAGMA synchronous=FULL` on its own connection (the
// platform's WAL + NORMAL is not durable on power loss); on PostgreSQL the batch sets
// `synchronous_commit` on.
//
// Several processes on one database (two nodes on PostgreSQL, or a CLI beside a server
// on SQLite) keep one chain: the batch transaction takes a PostgreSQL advisory
// transaction lock (or SQLite's write lock, BEGIN IMMEDIATE) before it reads the tail,
// and seq is the primary key, so two writers can never both append seq n.
//
// Checkpoints: in the batch transaction, one at every seq that is a multiple of
// `checkpoint_every`, and one at the batch's last record when the oldest record not yet
// covered by a checkpoint is `checkpoint_interval` old (so no record waits longer than
// that for a signature; an idle writer wakes up to do it). Without a Signer the
// checkpoints are written unsigned (empty key_id and signature): they still anchor
// purges and reveal truncation, but only a signed one resists a rewrite.
//
// Failures: when a batch transaction fails, every waiter of that batch gets the error
// and nothing of the batch is stored; `append_async` records of a failed batch are
// counted in stats().lost_async and logged.
//
// Ownership: the caller keeps `db`, `clock` and `signer` alive until the AuditLog is
// destroyed (or stopped). Thread-safety: every member function may be called from any
// thread. On SQLite, do not call `append` while the same thread holds a write
// transaction on the same database: the writer would wait for that lock until the busy
// timeout, and the append then fails.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kernel/audit/audit_record.hpp"
#include "kernel/audit/signer.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/result.hpp"

namespace zhengwu::audit {

// Tables audit_records and audit_checkpoints (module "kernel.audit").
std::vector<db::Migration> audit_migrations();

struct AuditOptions {
  std::int64_t checkpoint_every = 1000;              // a checkpoint at every multiple of this seq
  std::chrono::seconds checkpoint_interval{60};      // ... and when the oldest uncovered record is this old
  std::size_t max_batch = 4096;                      // records per transaction at most
  std::size_t max_queue = 65536;                     // appenders wait while this many are queued
  std::chrono::days min_retention{180};              // purge_before refuses anything younger
  bool sqlite_full_sync = true;                      // PRAGMA synchronous=FULL for audit commits
  // How long the writer waits, at most, for the appenders of its last batch to come back
  // before committing a smaller batch (0: never waits).
  std::chrono::microseconds group_commit_wait{500};
};

struct Appended {
  std::int64_t seq = 0;
  std::string hash;
};

struct AuditStats {
  std::uint64_t records = 0;         // records committed by this log
  std::uint64_t batches = 0;         // transactions committed that held records
  std::uint64_t failed_batches = 0;  // transactions that failed (their waiters got the error)
  std::uint64_t checkpoints = 0;     // checkpoints written by this log
  std::uint64_t lost_async = 0;      // append_async records of failed batches
  std::size_t largest_batch = 0;     // most records in one transaction
};

struct PurgeReport {
  std::int64_t through_seq = 0;          // records 1..through_seq are gone; 0: nothing was purged
  std::int64_t deleted_records = 0;
  std::int64_t deleted_checkpoints = 0;
  std::int64_t record_seq = 0;           // seq of the audit.purged record, 0 when nothing was purged
};

class AuditLog {
 public:
  // Reads the tail once (so a missing table fails here, with db::Error) and starts the
  // writer thread.
  AuditLog(db::Database& db, const Clock& clock, AuditOptions options = {}, Signer* signer = nullptr);
  ~AuditLog();  // stop()
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends and returns once the record is committed, with its seq and hash. Fails with
  // ErrorCode::invalid for a record validate() refuses, ErrorCode::busy after stop() or
  // when the database was busy, ErrorCode::internal when the batch transaction failed
  // otherwise (the message says why). `record.time` at the epoch is stamped with now.
  Result<Appended> append(Record record);
  // What append_then calls with the outcome of one record.
  using Completion = std::function<void(Result<Appended>)>;
  // Appends without blocking the caller: `done` is called exactly once with what
  // `append` would have returned, after the commit, on the writer's thread (so it must
  // be quick: hand the result over, do not block); for a record validate() refuses, or
  // after stop(), it is called at once on the caller's thread. The caller blocks only
  // while the queue is full (max_queue). This is how a server holds a reply back until
  // its record is durable without holding a thread: many requests then share a commit.
  void append_then(Record record, Completion done);
  // Queues without waiting, for low-value events; still chained and checkpointed. Fails
  // only for an invalid record or after stop().
  Status append_async(Record record);

  // Writes a checkpoint at the tail now unless the tail has one; returns the tail's seq
  // (0 for an empty log).
  Result<std::int64_t> checkpoint();

  // Deletes the records older than `cutoff`, up to the newest checkpoint before the
  // first record to keep; that checkpoint row stays as the anchor of verification. In
  // the same transaction appends an `audit.purged` record (object audit_records, id the
  // last purged seq) on behalf of `requested_by` (its actor and source fields are used).
  // Refuses with ErrorCode::invalid (and records the refusal, outcome denied) when
  // `cutoff` is later than now - min_retention, and with ErrorCode::conflict when the
  // chain does not verify (evidence is not destroyed). `through_seq` 0: nothing to purge.
  Result<PurgeReport> purge_before(TimePoint cutoff, Record requested_by);

  // Drains the queue (everything queued is written), checkpoints the tail if records
  // after the last checkpoint remain, then ends the writer thread. Appends after stop()
  // fail with ErrorCode::busy. Idempotent.
  void stop();

  AuditStats stats() const;

 private:
  struct Ticket;
  struct Entry;
  struct BatchOutcome;

  Result<Appended> submit(Entry entry, PurgeReport* purge = nullptr);
  void enqueue(Entry entry);  // requires mutex_ held
  void run();
  BatchOutcome write_batch(std::vector<Entry>& batch);
  void note_uncovered(std::optional<TimePoint> oldest);

  db::Database& db_;
  const Clock& clock_;
  const AuditOptions options_;
  Signer* const signer_;

  mutable std::mutex mutex_;
  std::condition_variable queued_cv_;  // writer waits for work
  std::condition_variable space_cv_;   // appenders wait for room in the queue
  // Guarded by mutex_:
  std::deque<Entry> queue_;
  bool stopping_ = false;
  AuditStats stats_;
  // The oldest record this writer committed that no checkpoint covers yet.
  std::optional<TimePoint> uncovered_since_;
  // Synchronous appenders seen around the last batch: the size worth waiting for.
  std::size_t appenders_ = 0;
  // While the writer gathers a batch: the queue size at which to wake it; 0 otherwise.
  std::size_t gathering_ = 0;

  std::mutex join_mutex_;  // one stop() joins the writer, a concurrent one waits for it
  std::thread writer_;
};

}  // namespace zhengwu::audit
