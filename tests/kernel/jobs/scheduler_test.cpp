// The durable scheduler on both engines: timers fire once when due, failures retry with
// backoff, leases expire, two nodes never run the same timer, recurring jobs run once
// per period, and outbox events exist only with their transaction.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "kernel/db/migrations.hpp"
#include "kernel/jobs/scheduler.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::jobs {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = from_millis(1'767'225'600'000);  // 2026-01-01T00:00:00Z

class SchedulerTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), Scheduler::migrations(), clock_);
  }
  SchedulerOptions options(const std::string& node, int max_attempts = 5) {
    SchedulerOptions o;
    o.node = node;
    o.max_attempts = max_attempts;
    o.poll_interval = 50ms;
    o.lease = 30s;
    return o;
  }
  std::int64_t count(const std::string& sql) { return db().query(sql)[0].get<std::int64_t>(0); }

  ManualClock clock_{kStart};
};

TEST_P(SchedulerTest, TimerRunsOnceWhenDue) {
  Scheduler s(db(), clock_, options("a"));
  std::vector<std::string> seen;
  s.on("test.ping", [&](const Job& j) { seen.push_back(j.payload); });
  auto id = s.schedule("test.ping", kStart + 10s, "hello");
  EXPECT_EQ(s.run_due(), 0);
  EXPECT_TRUE(seen.empty());
  clock_.advance(10s);
  EXPECT_EQ(s.run_due(), 1);
  ASSERT_EQ(seen, std::vector<std::string>{"hello"});
  EXPECT_EQ(s.run_due(), 0);
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM job_timers WHERE state = 'done' AND id = " + std::to_string(id)), 1);
  EXPECT_EQ(count("SELECT count(*) FROM job_runs WHERE outcome = 'done'"), 1);
}

TEST_P(SchedulerTest, TimersRunInDueOrder) {
  Scheduler s(db(), clock_, options("a"));
  std::vector<std::string> seen;
  s.on("test.order", [&](const Job& j) { seen.push_back(j.payload); });
  s.schedule("test.order", kStart + 3s, "third");
  s.schedule("test.order", kStart + 1s, "first");
  s.schedule("test.order", kStart + 2s, "second");
  clock_.advance(5s);
  s.run_due();
  EXPECT_EQ(seen, (std::vector<std::string>{"first", "second", "third"}));
}

TEST_P(SchedulerTest, TimerOfARolledBackTransactionNeverExists) {
  {
    auto tx = db().begin();
    Scheduler::schedule(tx, "test.ping", kStart, "lost", kStart);
    // no commit: the destructor rolls back
  }
  EXPECT_EQ(count("SELECT count(*) FROM job_timers"), 0);
}

TEST_P(SchedulerTest, DedupeKeyGivesTheSameTimer) {
  Scheduler s(db(), clock_, options("a"));
  auto a = s.schedule("test.ping", kStart + 1h, "x", std::string("case-42-deadline"));
  auto b = s.schedule("test.ping", kStart + 2h, "y", std::string("case-42-deadline"));
  EXPECT_EQ(a, b);
  EXPECT_EQ(count("SELECT count(*) FROM job_timers"), 1);
}

TEST_P(SchedulerTest, FailuresRetryWithBackoffThenFail) {
  Scheduler s(db(), clock_, options("a", 3));
  int calls = 0;
  s.on("test.flaky", [&](const Job& j) {
    ++calls;
    EXPECT_EQ(j.attempt, calls);
    throw std::runtime_error("upstream refused, attempt " + std::to_string(j.attempt));
  });
  s.schedule("test.flaky", kStart, "");
  EXPECT_EQ(s.run_due(), 1);  // attempt 1 fails: retry after 2 s
  EXPECT_EQ(s.run_due(), 0);
  clock_.advance(1s);
  EXPECT_EQ(s.run_due(), 0);
  clock_.advance(1s);
  EXPECT_EQ(s.run_due(), 1);  // attempt 2 fails: retry after 4 s
  clock_.advance(3s);
  EXPECT_EQ(s.run_due(), 0);
  clock_.advance(1s);
  EXPECT_EQ(s.run_due(), 1);  // attempt 3 fails for good
  clock_.advance(1h);
  EXPECT_EQ(s.run_due(), 0);
  EXPECT_EQ(calls, 3);
  auto row = db().query("SELECT state, attempts, last_error FROM job_timers")[0];
  EXPECT_EQ(row.get<std::string>("state"), "failed");
  EXPECT_EQ(row.get<int>("attempts"), 3);
  EXPECT_EQ(row.get<std::string>("last_error"), "upstream refused, attempt 3");
  EXPECT_EQ(count("SELECT count(*) FROM job_runs WHERE outcome = 'retry'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM job_runs WHERE outcome = 'failed'"), 1);
}

TEST_P(SchedulerTest, UnknownKindIsAFailedAttemptNotACrash) {
  Scheduler s(db(), clock_, options("a", 1));
  s.schedule("test.nobody-handles-this", kStart, "");
  EXPECT_EQ(s.run_due(), 1);
  auto row = db().query("SELECT state, last_error FROM job_timers")[0];
  EXPECT_EQ(row.get<std::string>("state"), "failed");
  EXPECT_NE(row.get<std::string>("last_error").find("test.nobody-handles-this"), std::string::npos);
}

TEST_P(SchedulerTest, CancelOnlyWhilePending) {
  Scheduler s(db(), clock_, options("a"));
  int calls = 0;
  s.on("test.ping", [&](const Job&) { ++calls; });
  auto id = s.schedule("test.ping", kStart + 1s, "");
  EXPECT_TRUE(s.cancel(id));
  EXPECT_FALSE(s.cancel(id));
  clock_.advance(2s);
  EXPECT_EQ(s.run_due(), 0);
  EXPECT_EQ(calls, 0);
}

TEST_P(SchedulerTest, TimerOfADeadNodeIsTakenAgainAfterItsLease) {
  Scheduler s(db(), clock_, options("b"));
  int calls = 0;
  s.on("test.ping", [&](const Job& j) {
    ++calls;
    EXPECT_EQ(j.attempt, 2);
  });
  auto id = s.schedule("test.ping", kStart, "");
  // Node "a" claimed it and died: running, lease until 30 s from now.
  db().execute("UPDATE job_timers SET state = 'running', locked_by = 'a', locked_until = ?, attempts = 1 WHERE id = ?",
               {to_millis(kStart + 30s), id});
  EXPECT_EQ(s.run_due(), 0);
  clock_.advance(31s);
  EXPECT_EQ(s.run_due(), 1);
  EXPECT_EQ(calls, 1);
}

TEST_P(SchedulerTest, TwoNodesNeverRunTheSameTimer) {
  auto other = open_another();
  Scheduler a(db(), clock_, options("node-a"));
  Scheduler b(*other, clock_, options("node-b"));
  std::mutex m;
  std::map<std::int64_t, int> runs;
  auto handler = [&](const Job& j) {
    std::lock_guard lock(m);
    ++runs[j.id];
  };
  a.on("test.ping", handler);
  b.on("test.ping", handler);
  constexpr int kTimers = 200;
  {
    auto tx = db().begin();
    for (int i = 0; i < kTimers; ++i) Scheduler::schedule(tx, "test.ping", kStart, "", kStart);
    tx.commit();
  }
  std::atomic<bool> done{false};
  auto worker = [&](Scheduler& s) {
    while (!done) {
      try {
        s.run_due();
      } catch (const db::Error& e) {
        // A busy SQLite lock is a retry, not a failure of the guarantee under test.
        if (e.kind() != db::Error::Kind::busy) throw;
      }
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back(worker, std::ref(a));
  threads.emplace_back(worker, std::ref(b));
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (count("SELECT count(*) FROM job_timers WHERE state = 'done'") == kTimers) break;
    std::this_thread::sleep_for(20ms);
  }
  done = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(runs.size(), static_cast<std::size_t>(kTimers));
  for (const auto& [id, n] : runs) EXPECT_EQ(n, 1) << "timer " << id;
  EXPECT_EQ(count("SELECT count(*) FROM job_runs"), kTimers);
}

TEST_P(SchedulerTest, OwnershipOneOnSqliteEveryNodeOnPostgres) {
  auto other = open_another();
  if (is_postgres()) {
    Scheduler a(db(), clock_, options("node-a"));
    Scheduler b(*other, clock_, options("node-b"));
    a.run_due();
    b.run_due();
    EXPECT_TRUE(a.owns_scheduler());
    EXPECT_TRUE(b.owns_scheduler());
    return;
  }
  Scheduler a(db(), clock_, options("node-a"));
  Scheduler b(*other, clock_, options("node-b"));
  int ran_b = 0;
  a.on("test.ping", [](const Job&) {});
  b.on("test.ping", [&](const Job&) { ++ran_b; });
  a.run_due();
  EXPECT_TRUE(a.owns_scheduler());
  a.schedule("test.ping", kStart, "");
  EXPECT_EQ(b.run_due(), 0);
  EXPECT_FALSE(b.owns_scheduler());
  // Node a falls silent; after its lease lapses, b takes over.
  clock_.advance(10s);
  EXPECT_EQ(b.run_due(), 1);
  EXPECT_TRUE(b.owns_scheduler());
  EXPECT_EQ(ran_b, 1);
}

TEST_P(SchedulerTest, RecurringJobRunsOncePerPeriodAcrossNodes) {
  auto other = open_another();
  Scheduler a(db(), clock_, options("node-a"));
  Scheduler b(*other, clock_, options("node-b"));
  std::atomic<int> runs{0};
  a.every("test.hourly", 1h, [&] { ++runs; });
  b.every("test.hourly", 1h, [&] { ++runs; });
  a.run_due();
  b.run_due();
  EXPECT_EQ(runs, 0) << "the first run is one interval after registration";
  for (int hour = 1; hour <= 3; ++hour) {
    clock_.advance(1h);
    a.run_due();
    b.run_due();
    clock_.advance(10s);  // on SQLite the lease moves to whichever node asks later
    b.run_due();
    a.run_due();
    EXPECT_EQ(runs, hour);
  }
}

TEST_P(SchedulerTest, OutboxEventExistsOnlyIfItsTransactionCommits) {
  Scheduler s(db(), clock_, options("a"));
  std::vector<std::string> delivered;
  s.subscribe("case.created", [&](const Event& e) { delivered.push_back(e.payload); });
  {
    auto tx = db().begin();
    tx.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, title TEXT)");
    tx.commit();
  }
  {
    auto tx = db().begin();
    tx.execute("INSERT INTO cases (id, title) VALUES (1, 'pothole')");
    Scheduler::publish(tx, "case.created", R"({"id":1})", clock_.now());
    // rolled back: neither the case nor its event
  }
  EXPECT_EQ(s.run_due(), 0);
  {
    auto tx = db().begin();
    tx.execute("INSERT INTO cases (id, title) VALUES (2, 'broken light')");
    Scheduler::publish(tx, "case.created", R"({"id":2})", clock_.now());
    Scheduler::publish(tx, "case.created", R"({"id":3})", clock_.now());
    tx.commit();
  }
  EXPECT_EQ(s.run_due(), 2);
  EXPECT_EQ(delivered, (std::vector<std::string>{R"({"id":2})", R"({"id":3})"}));
  EXPECT_EQ(s.run_due(), 0);
  EXPECT_EQ(delivered.size(), 2u);
  EXPECT_EQ(count("SELECT count(*) FROM outbox_events WHERE state = 'done'"), 2);
}

TEST_P(SchedulerTest, FailingSubscriberIsRetriedLater) {
  Scheduler s(db(), clock_, options("a", 2));
  int calls = 0;
  s.subscribe("x", [&](const Event&) {
    ++calls;
    throw std::runtime_error("webhook down");
  });
  {
    auto tx = db().begin();
    Scheduler::publish(tx, "x", "{}", clock_.now());
    tx.commit();
  }
  EXPECT_EQ(s.run_due(), 1);
  EXPECT_EQ(s.run_due(), 0) << "not again before its backoff";
  clock_.advance(3s);
  EXPECT_EQ(s.run_due(), 1);
  clock_.advance(1h);
  EXPECT_EQ(s.run_due(), 0);
  EXPECT_EQ(calls, 2);
  auto row = db().query("SELECT state, last_error FROM outbox_events")[0];
  EXPECT_EQ(row.get<std::string>("state"), "failed");
  EXPECT_EQ(row.get<std::string>("last_error"), "webhook down");
}

TEST_P(SchedulerTest, BackgroundThreadPicksUpWorkAndStops) {
  SystemClock real;
  Scheduler s(db(), real, options("bg"));
  std::atomic<int> calls{0};
  s.on("test.ping", [&](const Job&) { ++calls; });
  s.start();
  s.schedule("test.ping", real.now(), "");
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (calls == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  s.stop();
  EXPECT_EQ(calls, 1);
}

ZHENGWU_STORAGE_TEST_SUITE(SchedulerTest);

}  // namespace
}  // namespace zhengwu::jobs
