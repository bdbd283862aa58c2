// The audit log on both engines: appends are durable and chained, group commit shares
// transactions between concurrent appenders, failures reach every waiter, two nodes keep
// one chain, checkpoints come every N records and after an interval, and retention
// refuses young cutoffs while a legal purge leaves a verifiable chain.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "kernel/audit/audit_log.hpp"
#include "kernel/audit/verify.hpp"
#include "kernel/audit/audit_test_support.hpp"

namespace zhengwu::audit {
namespace {

using namespace std::chrono_literals;
using testing::sample_record;

class AuditLogTest : public testing::AuditStorageTest {};

TEST_P(AuditLogTest, AppendsAreChainedFromGenesis) {
  AuditLog log(db(), clock_, options(), &signer_);
  std::vector<Appended> got;
  for (int i = 1; i <= 3; ++i) {
    auto r = log.append(sample_record(i));
    ASSERT_TRUE(r.ok()) << r.error().message;
    got.push_back(*r);
  }
  EXPECT_EQ(got[0].seq, 1);
  EXPECT_EQ(got[1].seq, 2);
  EXPECT_EQ(got[2].seq, 3);
  auto rows = db().query("SELECT seq, prev_hash, hash, time_ms, actor_name, purpose FROM audit_records ORDER BY seq");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].get<std::string>("prev_hash"), kGenesisHash);
  EXPECT_EQ(rows[1].get<std::string>("prev_hash"), got[0].hash);
  EXPECT_EQ(rows[2].get<std::string>("prev_hash"), got[1].hash);
  EXPECT_EQ(rows[2].get<std::string>("hash"), got[2].hash);
  EXPECT_EQ(rows[0].get<std::int64_t>("time_ms"), to_millis(testing::kAuditStart));  // stamped by the log's clock
  EXPECT_EQ(rows[0].get<std::string>("actor_name"), "张三");
  EXPECT_EQ(rows[0].get<std::string>("purpose"), "低保资格审核");
  EXPECT_TRUE(verify_chain(db(), &signer_).ok);
}

TEST_P(AuditLogTest, ManyThreadsAppendOneGapFreeChain) {
  constexpr int kThreads = 8;
  constexpr int kEach = 250;
  std::vector<std::vector<std::int64_t>> seqs(kThreads);
  std::atomic<int> failures{0};
  {
    AuditLog log(db(), clock_, options(), &signer_);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          auto r = log.append(sample_record(t * kEach + i, "u-" + std::to_string(t)));
          if (!r) {
            ++failures;
            continue;
          }
          seqs[t].push_back(r->seq);
        }
      });
    }
    for (auto& th : threads) th.join();
    // Durable when append returned: visible to another connection before stop().
    EXPECT_EQ(count("SELECT count(*) FROM audit_records"), kThreads * kEach);
  }
  EXPECT_EQ(failures.load(), 0);
  std::set<std::int64_t> all;
  for (const auto& v : seqs) {
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));  // one thread's records keep their order
    all.insert(v.begin(), v.end());
  }
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kEach);
  EXPECT_EQ(count("SELECT count(*) FROM audit_checkpoints WHERE seq IN (1000, 2000)"), 2);
  auto report = verify_chain(db(), &signer_, 128);
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_EQ(report.records, kThreads * kEach);
}

TEST_P(AuditLogTest, GroupCommitSharesTransactions) {
  constexpr int kThreads = 32;
  constexpr int kEach = 50;
  constexpr int kTotal = kThreads * kEach;
  AuditLog log(db(), clock_, options(), &signer_);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        if (!log.append(sample_record(t * kEach + i))) ++failures;
    });
  }
  for (auto& th : threads) th.join();
  auto stats = log.stats();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(stats.records, static_cast<std::uint64_t>(kTotal));
  EXPECT_EQ(stats.failed_batches, 0u);
  // One commit per record would be kTotal batches; with 32 appenders waiting, batches
  // hold many records each.
  EXPECT_LE(stats.batches * 4, static_cast<std::uint64_t>(kTotal)) << "batches: " << stats.batches;
  EXPECT_GT(stats.largest_batch, 4u);
}

TEST_P(AuditLogTest, AsyncAppendsAreChainedInOrder) {
  AuditLog log(db(), clock_, options(100), &signer_);
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(log.append_async(sample_record(i)).ok());
  auto last = log.append(sample_record(500));
  ASSERT_TRUE(last.ok()) << last.error().message;
  EXPECT_EQ(last->seq, 501);  // queued after the 500: written after them
  EXPECT_EQ(count("SELECT count(*) FROM audit_records"), 501);
  auto first = db().query("SELECT object_id FROM audit_records WHERE seq = 1");
  EXPECT_EQ(first[0].get<std::string>(0), "population/0");
  EXPECT_LT(log.stats().batches, 501u);
  EXPECT_TRUE(verify_chain(db(), &signer_).ok);
}

// append_then: each completion gets its own record's seq once the batch is committed
// (the row is there when the completion runs), completions of one caller come in order,
// and many of them share commits.
TEST_P(AuditLogTest, CompletionsReportEachRecordAfterItsCommit) {
  AuditLog log(db(), clock_, options(), &signer_);
  constexpr int kRecords = 300;
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::int64_t> seqs;
  std::atomic<int> missing_rows{0};
  for (int i = 0; i < kRecords; ++i) {
    log.append_then(sample_record(i), [&, i](Result<Appended> r) {
      ASSERT_TRUE(r.ok()) << r.error().message;
      // Durable before the completion: another connection sees the row.
      auto rows = db().query("SELECT object_id FROM audit_records WHERE seq = ?", {r->seq});
      if (rows.empty() || rows[0].get<std::string>(0) != "population/" + std::to_string(i)) ++missing_rows;
      std::lock_guard lock(m);
      seqs.push_back(r->seq);
      cv.notify_one();
    });
  }
  {
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return seqs.size() == kRecords; }));
  }
  EXPECT_EQ(missing_rows.load(), 0);
  for (int i = 0; i < kRecords; ++i) EXPECT_EQ(seqs[i], i + 1);
  EXPECT_LT(log.stats().batches, static_cast<std::uint64_t>(kRecords)) << "completions share commits";
  EXPECT_TRUE(verify_chain(db(), &signer_).ok);
}

TEST_P(AuditLogTest, CompletionsOfRefusedRecordsComeAtOnce) {
  AuditLog log(db(), clock_, options(), &signer_);
  Record bad = sample_record(1);
  bad.action = "Login";
  std::optional<Result<Appended>> got;
  log.append_then(bad, [&](Result<Appended> r) { got.emplace(std::move(r)); });
  ASSERT_TRUE(got.has_value()) << "called on the caller's thread, before append_then returns";
  ASSERT_FALSE(got->ok());
  EXPECT_EQ(got->error().code, ErrorCode::invalid);
  log.stop();
  got.reset();
  log.append_then(sample_record(2), [&](Result<Appended> r) { got.emplace(std::move(r)); });
  ASSERT_TRUE(got.has_value());
  ASSERT_FALSE(got->ok());
  EXPECT_EQ(got->error().code, ErrorCode::busy);
  EXPECT_EQ(count("SELECT count(*) FROM audit_records"), 0);
}

TEST_P(AuditLogTest, AFailedBatchReachesEveryCompletion) {
  AuditLog log(db(), clock_, options(), &signer_);
  db().execute("ALTER TABLE audit_records RENAME TO audit_records_hidden");
  std::mutex m;
  std::condition_variable cv;
  int failed = 0, succeeded = 0;
  for (int i = 0; i < 20; ++i) {
    log.append_then(sample_record(i), [&](Result<Appended> r) {
      std::lock_guard lock(m);
      (r ? succeeded : failed)++;
      cv.notify_one();
    });
  }
  {
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return failed + succeeded == 20; }));
  }
  db().execute("ALTER TABLE audit_records_hidden RENAME TO audit_records");
  EXPECT_EQ(failed, 20);
  EXPECT_EQ(log.stats().lost_async, 0u) << "a failure reported to its caller is not lost silently";
  EXPECT_EQ(count("SELECT count(*) FROM audit_records"), 0);
}

TEST_P(AuditLogTest, InvalidRecordsAreRefusedBeforeQueueing) {
  AuditLog log(db(), clock_, options(), &signer_);
  Record bad = sample_record(1);
  bad.action = "Login";
  auto r = log.append(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid);
  bad = sample_record(1);
  bad.details = "not json";
  EXPECT_FALSE(log.append_async(bad).ok());
  EXPECT_EQ(count("SELECT count(*) FROM audit_records"), 0);
}

TEST_P(AuditLogTest, AFailedBatchReachesEveryWaiterAndStoresNothing) {
  AuditLog log(db(), clock_, options(), &signer_);
  ASSERT_TRUE(log.append(sample_record(0)).ok());
  // Take the table away under the writer: every batch transaction fails now.
  db().execute("ALTER TABLE audit_records RENAME TO audit_records_hidden");
  constexpr int kThreads = 8;
  std::atomic<int> failed{0};
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto r = log.append(sample_record(100 + t * 5 + i));
        if (r) {
          ++succeeded;
        } else {
          ++failed;
          EXPECT_NE(r.error().message.find("not stored"), std::string::npos) << r.error().message;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(succeeded.load(), 0);
  EXPECT_EQ(failed.load(), kThreads * 5);
  EXPECT_GE(log.stats().failed_batches, 1u);
  db().execute("ALTER TABLE audit_records_hidden RENAME TO audit_records");

  // Nothing of the failed batches was stored, and the chain goes on from its real tail.
  EXPECT_EQ(count("SELECT count(*) FROM audit_records"), 1);
  auto next = log.append(sample_record(1));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->seq, 2);
  EXPECT_TRUE(verify_chain(db(), &signer_).ok);
}

TEST_P(AuditLogTest, TwoNodesKeepOneChain) {
  auto other = open_another();
  constexpr int kThreadsPerNode = 4;
  constexpr int kEach = 150;
  std::atomic<int> failures{0};
  {
    AuditLog a(db(), clock_, options(200), &signer_);
    AuditLog b(*other, clock_, options(200), &signer_);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2 * kThreadsPerNode; ++t) {
      AuditLog& log = t % 2 == 0 ? a : b;
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          auto r = log.append(sample_record(t * kEach + i, t % 2 == 0 ? "node-a" : "node-b"));
          if (!r) {
            ++failures;
            ADD_FAILURE() << r.error().message;
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_GT(a.stats().records, 0u);
    EXPECT_GT(b.stats().records, 0u);
  }
  EXPECT_EQ(failures.load(), 0);
  constexpr int kTotal = 2 * kThreadsPerNode * kEach;
  EXPECT_EQ(count("SELECT count(*) FROM audit_records"), kTotal);
  EXPECT_EQ(count("SELECT max(seq) FROM audit_records"), kTotal);
  auto report = verify_chain(db(), &signer_);
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_EQ(report.records, kTotal);
}

TEST_P(AuditLogTest, RestartContinuesTheChain) {
  {
    AuditLog log(db(), clock_, options(), &signer_);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(log.append(sample_record(i)).ok());
  }
  AuditLog log(db(), clock_, options(), &signer_);
  auto r = log.append(sample_record(5));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->seq, 6);
  EXPECT_TRUE(verify_chain(db(), &signer_).ok);
}

TEST_P(AuditLogTest, StopDrainsTheQueueAndSignsTheTail) {
  AuditLog log(db(), clock_, options(), &signer_);
  for (int i = 0; i < 700; ++i) ASSERT_TRUE(log.append_async(sample_record(i)).ok());
  log.stop();
  EXPECT_EQ(count("SELECT count(*) FROM audit_records"), 700);
  EXPECT_EQ(count("SELECT max(seq) FROM audit_checkpoints"), 700);
  auto after = log.append(sample_record(700));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::busy);
  EXPECT_FALSE(log.append_async(sample_record(701)).ok());
  log.stop();  // again: nothing happens
}

TEST_P(AuditLogTest, CheckpointsEveryNRecordsAndAfterTheInterval) {
  AuditOptions o = options(10);
  o.checkpoint_interval = 60s;
  AuditLog log(db(), clock_, o, &signer_);
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(log.append(sample_record(i)).ok());
  auto seqs = [&] {
    std::vector<std::int64_t> out;
    for (const auto& row : db().query("SELECT seq FROM audit_checkpoints ORDER BY seq")) out.push_back(row.get<std::int64_t>(0));
    return out;
  };
  EXPECT_EQ(seqs(), (std::vector<std::int64_t>{10, 20}));

  // Records 21..25 wait; once the oldest is 60 s old the idle writer signs the tail.
  clock_.advance(61s);
  for (int i = 0; i < 300 && seqs().size() < 3; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(seqs(), (std::vector<std::int64_t>{10, 20, 25}));

  // An explicit checkpoint signs the tail at once, and not twice.
  ASSERT_TRUE(log.append(sample_record(25)).ok());
  auto cp = log.checkpoint();
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(*cp, 26);
  EXPECT_EQ(*log.checkpoint(), 26);
  EXPECT_EQ(seqs(), (std::vector<std::int64_t>{10, 20, 25, 26}));

  auto row = db().query("SELECT hash, time_ms, key_id, signature FROM audit_checkpoints WHERE seq = 20")[0];
  auto record_hash_20 = db().query("SELECT hash FROM audit_records WHERE seq = 20")[0].get<std::string>(0);
  EXPECT_EQ(row.get<std::string>("hash"), record_hash_20);
  EXPECT_EQ(row.get<std::string>("key_id"), "test-hmac-1");
  EXPECT_TRUE(signer_.verify(checkpoint_message(20, record_hash_20, row.get<std::int64_t>("time_ms")),
                             row.get<std::string>("signature")));
  EXPECT_EQ(log.stats().checkpoints, 4u);
}

TEST_P(AuditLogTest, WithoutASignerCheckpointsAreUnsigned) {
  {
    AuditLog log(db(), clock_, options(5));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(log.append(sample_record(i)).ok());
  }
  auto row = db().query("SELECT key_id, signature FROM audit_checkpoints WHERE seq = 5")[0];
  EXPECT_EQ(row.get<std::string>("key_id"), "");
  EXPECT_EQ(row.get<std::string>("signature"), "");
  auto unchecked = verify_chain(db(), nullptr);
  EXPECT_TRUE(unchecked.ok);
  EXPECT_FALSE(unchecked.signatures_checked);
  auto checked = verify_chain(db(), &signer_);
  EXPECT_FALSE(checked.ok);
  EXPECT_EQ(checked.message, "checkpoint at 5: not signed");
}

// The platform key, unavailable for a while (an HSM restarting).
class UnavailableSigner final : public Signer {
 public:
  std::string sign(std::string_view data) override {
    if (unavailable) throw std::runtime_error("signing key unavailable");
    return key.sign(data);
  }
  bool verify(std::string_view data, std::string_view signature) override { return key.verify(data, signature); }
  std::string key_id() const override { return key.key_id(); }

  std::atomic<bool> unavailable{true};
  testing::HmacTestSigner key;
};

TEST_P(AuditLogTest, ASigningFailureKeepsTheRecordsAndRetriesTheCheckpoint) {
  UnavailableSigner signer;
  AuditLog log(db(), clock_, options(5), &signer);
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(log.append(sample_record(i)).ok());  // the one at 5 cannot be signed
  EXPECT_EQ(count("SELECT count(*) FROM audit_records"), 7);
  EXPECT_EQ(count("SELECT count(*) FROM audit_checkpoints"), 0);
  EXPECT_FALSE(log.checkpoint().ok());  // nothing but the checkpoint at stake: an error
  signer.unavailable = false;
  auto cp = log.checkpoint();
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(*cp, 7);
  auto report = verify_chain(db(), &signer);
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_EQ(report.checkpoints, 1);
}

TEST_P(AuditLogTest, RetentionRefusesACutoffYoungerThanTheFloor) {
  AuditLog log(db(), clock_, options(10), &signer_);
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(log.append(sample_record(i)).ok());
  clock_.advance(std::chrono::days(179));
  Record admin;
  admin.actor_kind = ActorKind::user;
  admin.actor_id = "auditor";
  admin.source = "10.9.9.9";
  auto refused = log.purge_before(clock_.now(), admin);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  refused = log.purge_before(clock_.now() - std::chrono::days(179), admin);
  ASSERT_FALSE(refused.ok());  // 179 days < 180
  EXPECT_EQ(count("SELECT count(*) FROM audit_records WHERE seq <= 30"), 30);
  // The refusals are themselves audited.
  EXPECT_EQ(count("SELECT count(*) FROM audit_records WHERE action = 'audit.purged' AND outcome = 'denied' "
                  "AND actor_id = 'auditor' AND source = '10.9.9.9'"),
            2);
}

TEST_P(AuditLogTest, ALegalPurgeKeepsAVerifiableChain) {
  AuditLog log(db(), clock_, options(1000), &signer_);
  for (int i = 0; i < 2500; ++i) ASSERT_TRUE(log.append_async(sample_record(i)).ok());
  ASSERT_EQ(*log.checkpoint(), 2500);  // checkpoints at 1000, 2000, 2500
  clock_.advance(std::chrono::days(200));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log.append(sample_record(10'000 + i)).ok());

  Record admin;
  admin.actor_kind = ActorKind::user;
  admin.actor_id = "auditor";
  auto purged = log.purge_before(clock_.now() - std::chrono::days(190), admin);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged->through_seq, 2500);
  EXPECT_EQ(purged->deleted_records, 2500);
  EXPECT_EQ(purged->deleted_checkpoints, 2);  // 1000 and 2000; 2500 stays as the anchor
  EXPECT_EQ(purged->record_seq, 2511);
  EXPECT_EQ(count("SELECT min(seq) FROM audit_records"), 2501);
  EXPECT_EQ(count("SELECT min(seq) FROM audit_checkpoints"), 2500);
  auto rec = db().query("SELECT action, object_id, actor_id FROM audit_records WHERE seq = 2511")[0];
  EXPECT_EQ(rec.get<std::string>("action"), "audit.purged");
  EXPECT_EQ(rec.get<std::string>("object_id"), "2500");
  EXPECT_EQ(rec.get<std::string>("actor_id"), "auditor");

  auto report = verify_chain(db(), &signer_);
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_EQ(report.anchor_seq, 2500);
  EXPECT_EQ(report.first_seq, 2501);

  // Nothing more to purge: no change, no record.
  auto again = log.purge_before(clock_.now() - std::chrono::days(190), admin);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->through_seq, 0);
  EXPECT_EQ(count("SELECT max(seq) FROM audit_records"), 2511);

  // The chain goes on after the purge, also across a restart.
  log.stop();
  AuditLog next(db(), clock_, options(1000), &signer_);
  auto r = next.append(sample_record(1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->seq, 2512);
  EXPECT_TRUE(verify_chain(db(), &signer_).ok);
}

TEST_P(AuditLogTest, PurgeRefusesToDestroyEvidenceOfTampering) {
  AuditLog log(db(), clock_, options(10), &signer_);
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(log.append(sample_record(i)).ok());
  db().execute("UPDATE audit_records SET actor_id = 'someone-else' WHERE seq = 3");
  clock_.advance(std::chrono::days(200));
  auto r = log.purge_before(clock_.now() - std::chrono::days(190), Record{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_NE(r.error().message.find("record 3"), std::string::npos) << r.error().message;
  EXPECT_EQ(count("SELECT count(*) FROM audit_records"), 30);
}

ZHENGWU_STORAGE_TEST_SUITE(AuditLogTest);

}  // namespace
}  // namespace zhengwu::audit
