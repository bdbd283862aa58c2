// Audit append throughput on SQLite with group commit.
//
// The audit log must make each record durable before the request that caused it answers
// (GB/T 22239-2019 audit records; DESIGN.md "Storage": group commit), so every commit
// syncs the disk (`PRAGMA synchronous=FULL` on the writer's connection). Three ways to
// store the same chained rows, in one run, on a file database in a fresh temporary
// directory:
//   - BM_AuditAppendGroupCommit/T: T threads call AuditLog::append concurrently; the
//     writer commits whatever is queued in one transaction (one fsync per batch).
//     Target: at least 50,000 records/s from 8-64 appenders.
//   - BM_AuditOneRecordPerTransaction: the reference without group commit: each record
//     its own transaction (lock, read the tail, SM3, insert, commit with fsync).
//   - BM_AuditBulkInsertOneTransaction: the ceiling: the same rows, hashed beforehand,
//     inserted by one thread in a single transaction.
// Each reports `records_per_s`; the group-commit case also the mean records per commit.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <semaphore>
#include <thread>

#include "kernel/audit/audit_log.hpp"
#include "kernel/audit/audit_store.hpp"
#include "kernel/crypto/crypto.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"

namespace {

using namespace zhengwu;

// Checkpoints are signed with HMAC-SM3 here; the platform's SM2 key signs one
// checkpoint per 1000 records, too rarely to move these numbers.
class BenchSigner final : public audit::Signer {
 public:
  std::string sign(std::string_view data) override { return crypto::to_hex(crypto::hmac_sm3("bench-key", data)); }
  bool verify(std::string_view data, std::string_view signature) override { return sign(data) == signature; }
  std::string key_id() const override { return "bench-hmac"; }
};

// A fresh directory under the system temp directory, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::mt19937_64 rng{std::random_device{}()};
    path_ = std::filesystem::temp_directory_path() / ("zhengwu-audit-bench-" + std::to_string(rng()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string url() const { return "sqlite://" + (path_ / "audit.db").string(); }

 private:
  std::filesystem::path path_;
};

std::unique_ptr<db::Database> open_audit_db(const ScratchDir& dir, const Clock& clock) {
  auto db = db::Database::open(dir.url());
  db::apply_migrations(*db, audit::audit_migrations(), clock);
  return db;
}

audit::Record bench_record(std::int64_t i) {
  audit::Record r;
  r.actor_kind = audit::ActorKind::client;
  r.actor_id = "client-" + std::to_string(i % 97);
  r.actor_name = "杭州市民政局低保系统";
  r.actor_org = "330100000000";
  r.action = "exchange.read";
  r.object_type = "resource";
  r.object_id = "population/33010219900101" + std::to_string(1000 + i % 9000);
  r.source = "10.20.30." + std::to_string(i % 250 + 1);
  r.request_id = "req-" + std::to_string(i);
  r.purpose = "低保资格审核";
  r.details = R"({"fields":["name","address","household"]})";
  return r;
}

void BM_AuditAppendInFlight(benchmark::State& state) {
  const auto in_flight = static_cast<std::ptrdiff_t>(state.range(0));
  const std::int64_t per_iteration = 16'000;
  ScratchDir dir;
  SystemClock clock;
  auto db = open_audit_db(dir, clock);
  BenchSigner signer;
  audit::AuditLog log(*db, clock, audit::AuditOptions{}, &signer);
  std::counting_semaphore<> slots(in_flight);
  std::atomic<std::int64_t> completed{0};
  std::atomic<std::int64_t> failed{0};
  std::atomic<std::int64_t> target{0};
  std::int64_t n = 0;
  for (auto _ : state) {
    target.store(completed.load() + per_iteration);
    for (std::int64_t i = 0; i < per_iteration; ++i, ++n) {
      slots.acquire();
      log.append_then(bench_record(n), [&](Result<audit::Appended> r) {
        if (!r) failed.fetch_add(1);
        slots.release();
        if (completed.fetch_add(1) + 1 >= target.load()) completed.notify_all();
      });
    }
    // The iteration ends when its last record is durable.
    for (auto seen = completed.load(); seen < target.load(); seen = completed.load()) completed.wait(seen);
  }
  auto stats = log.stats();
  log.stop();
  if (failed.load() > 0) state.SkipWithError("appends failed");
  state.counters["records_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * per_iteration, benchmark::Counter::kIsRate);
  state.counters["records_per_commit"] =
      stats.batches ? static_cast<double>(stats.records) / static_cast<double>(stats.batches) : 0.0;
}
BENCHMARK(BM_AuditAppendInFlight)->Arg(64)->Arg(256)->Arg(1024)->Arg(4096)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_AuditAppendGroupCommit(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const int per_thread = 250;
  ScratchDir dir;
  SystemClock clock;
  auto db = open_audit_db(dir, clock);
  BenchSigner signer;
  audit::AuditLog log(*db, clock, audit::AuditOptions{}, &signer);
  std::int64_t failures = 0;
  for (auto _ : state) {
    std::vector<std::thread> workers;
    std::atomic<std::int64_t> failed{0};
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i)
          if (!log.append(bench_record(static_cast<std::int64_t>(t) * per_thread + i))) ++failed;
      });
    }
    for (auto& w : workers) w.join();
    failures += failed.load();
  }
  auto stats = log.stats();
  log.stop();
  if (failures > 0) state.SkipWithError("appends failed");
  const double records = static_cast<double>(state.iterations()) * threads * per_thread;
  state.counters["records_per_s"] = benchmark::Counter(records, benchmark::Counter::kIsRate);
  state.counters["records_per_commit"] =
      stats.batches ? static_cast<double>(stats.records) / static_cast<double>(stats.batches) : 0.0;
}
BENCHMARK(BM_AuditAppendGroupCommit)->Arg(8)->Arg(16)->Arg(32)->Arg(64)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_AuditOneRecordPerTransaction(benchmark::State& state) {
  const int per_iteration = 200;
  ScratchDir dir;
  SystemClock clock;
  auto db = open_audit_db(dir, clock);
  db->execute("PRAGMA synchronous=FULL");  // this thread's connection: durable like the log's
  const std::string insert = "INSERT INTO audit_records (" + std::string(audit::store::kRecordColumns) +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  std::int64_t n = 0;
  for (auto _ : state) {
    for (int i = 0; i < per_iteration; ++i, ++n) {
      audit::Record r = bench_record(n);
      r.time = clock.now();
      auto tx = db->begin();
      auto tail = audit::store::read_tail(tx);
      const std::int64_t seq = tail.seq + 1;
      const std::string hash = audit::record_hash(r, seq, tail.hash);
      tx.execute(insert, {seq, audit::to_millis(r.time), to_string(r.actor_kind), r.actor_id, r.actor_name,
                          r.actor_org, r.action, r.object_type, r.object_id, to_string(r.outcome), r.source,
                          r.request_id, r.purpose, r.details, tail.hash, hash});
      tx.commit();
    }
  }
  state.counters["records_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * per_iteration, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AuditOneRecordPerTransaction)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_AuditBulkInsertOneTransaction(benchmark::State& state) {
  const int rows_per_iteration = 16'000;  // as many as 64 appenders write per iteration above
  ScratchDir dir;
  SystemClock clock;
  auto db = open_audit_db(dir, clock);
  db->execute("PRAGMA synchronous=FULL");
  std::vector<audit::StoredRecord> rows;
  rows.reserve(rows_per_iteration);
  std::string prev{audit::kGenesisHash};
  for (int i = 0; i < rows_per_iteration; ++i) {
    audit::StoredRecord s;
    s.seq = i + 1;
    s.record = bench_record(i);
    s.record.time = clock.now();
    s.prev_hash = prev;
    s.hash = audit::record_hash(s.record, s.seq, s.prev_hash);
    prev = s.hash;
    rows.push_back(std::move(s));
  }
  const std::string insert = "INSERT INTO audit_records (" + std::string(audit::store::kRecordColumns) +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  for (auto _ : state) {
    state.PauseTiming();
    db->execute("DELETE FROM audit_records");
    state.ResumeTiming();
    auto tx = db->begin();
    for (const auto& s : rows) {
      const audit::Record& r = s.record;
      tx.execute(insert, {s.seq, audit::to_millis(r.time), to_string(r.actor_kind), r.actor_id, r.actor_name,
                          r.actor_org, r.action, r.object_type, r.object_id, to_string(r.outcome), r.source,
                          r.request_id, r.purpose, r.details, s.prev_hash, s.hash});
    }
    tx.commit();
  }
  state.counters["records_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * rows_per_iteration, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AuditBulkInsertOneTransaction)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
