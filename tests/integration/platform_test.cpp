// The platform end to end on both databases: migrations, serving, the calendar through
// CLI and HTTP, durable timers across restarts and across two server processes, and
// online backup and restore. Each test gets a fresh database of its engine.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <thread>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/jobs/scheduler.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class PlatformTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto pg = test::postgres_for_tests();
    if (GetParam() == "postgres" && !pg.admin_url) {
      if (pg.required) FAIL() << "ZHENGWU_TEST_PG_URL is not set but PostgreSQL tests are required";
      GTEST_SKIP() << "no PostgreSQL (ZHENGWU_TEST_PG_URL)";
    }
    scratch_ = std::make_unique<test::ScratchDatabase>(GetParam());
  }
  Env env() const { return {{"ZHENGWU_DB_URL", scratch_->url()}, {"ZHENGWU_DATA_DIR", (dir_.path() / "data").string()}}; }
  std::unique_ptr<ServerProcess> start() { return std::make_unique<ServerProcess>(dir_.path() / "data", env()); }
  std::unique_ptr<db::Database> open() const { return db::Database::open(scratch_->url()); }
  std::int64_t count(const std::string& sql) const { return open()->query(sql)[0].get<std::int64_t>(0); }

  TempDir dir_;
  std::unique_ptr<test::ScratchDatabase> scratch_;
};

TEST_P(PlatformTest, MigrateTwiceChangesNothing) {
  auto first = run_zhengwu({"migrate"}, env());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto applied = count("SELECT count(*) FROM schema_migrations");
  EXPECT_GE(applied, 3);
  auto second = run_zhengwu({"migrate"}, env());
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), applied);
  EXPECT_EQ(second.err.find("applied"), std::string::npos) << "second run applied something: " << second.err;
  // The shipped calendar years were loaded once.
  EXPECT_EQ(count("SELECT count(*) FROM calendar_years WHERE year = 2025"), 1);
}

TEST_P(PlatformTest, ServesAndReportsItsDatabase) {
  auto server = start();
  auto ready = json::parse(http_get(server->port(), "/readyz").body);
  EXPECT_EQ(ready.at("database").at("kind").as_string(), GetParam());
  auto info = json::parse(http_get(server->port(), "/api/system/info").body);
  EXPECT_EQ(info.at("database").at("kind").as_string(), GetParam());
  EXPECT_EQ(server->stop(), 0);
}

TEST_P(PlatformTest, CalendarAnswersTheSameThroughCliAndHttp) {
  struct Case {
    const char* from;
    const char* days;
    const char* expected;
  };
  const std::vector<Case> cases{
      {"2025-01-03", "1", "2025-01-06"},   // Friday → Monday
      {"2025-01-24", "1", "2025-01-26"},   // Sunday 26 Jan is a make-up working day
      {"2025-01-27", "1", "2025-02-05"},   // over the Spring Festival
      {"2025-09-30", "1", "2025-10-09"},   // over National Day
      {"2025-09-26", "1", "2025-09-28"},   // Sunday 28 Sep is a make-up working day
      {"2025-10-09", "-1", "2025-09-30"},  // backwards
      {"2025-04-30", "2", "2025-05-07"},   // over Labour Day
  };
  auto server = start();
  for (const auto& c : cases) {
    auto cli = run_zhengwu({"calendar", "add-working-days", c.from, c.days}, env());
    EXPECT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(cli.out, std::string(c.expected) + "\n") << c.from << " + " << c.days;
    auto r = http_get(server->port(), std::string("/api/calendar/add-working-days?from=") + c.from + "&days=" + c.days);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("date").as_string(), c.expected) << c.from << " + " << c.days;
  }
  auto bad = http_get(server->port(), "/api/calendar/add-working-days?from=2025-02-30&days=1");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body).at("errors").at(0).at("field").as_string(), "from");
  auto bad_days = http_get(server->port(), "/api/calendar/add-working-days?from=2025-02-03&days=x");
  EXPECT_EQ(bad_days.status, 400);
  EXPECT_EQ(json::parse(bad_days.body).at("errors").at(0).at("field").as_string(), "days");
  auto cli_bad = run_zhengwu({"calendar", "add-working-days", "2025-13-01", "1"}, env());
  EXPECT_EQ(cli_bad.exit_code, 2);
  EXPECT_FALSE(cli_bad.err.empty());
}

TEST_P(PlatformTest, OverdueTimerFiresWhenTheServerStarts) {
  ASSERT_EQ(run_zhengwu({"migrate"}, env()).exit_code, 0);
  auto scheduled = run_zhengwu({"jobs", "schedule", "system.canary", "--in", "1", "--payload", "overdue"}, env());
  ASSERT_EQ(scheduled.exit_code, 0) << scheduled.err;
  auto id = json::parse(scheduled.out).at("id").as_int64();
  std::this_thread::sleep_for(1500ms);  // due while no server runs
  EXPECT_EQ(count("SELECT count(*) FROM job_timers WHERE state = 'pending'"), 1);
  auto server = start();
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (count("SELECT count(*) FROM job_timers WHERE state = 'done'") == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(count("SELECT count(*) FROM job_timers WHERE state = 'done' AND id = " + std::to_string(id)), 1);
  EXPECT_EQ(count("SELECT count(*) FROM job_runs WHERE timer_id = " + std::to_string(id)), 1);
  auto listed = run_zhengwu({"jobs", "list", "--state", "done"}, env());
  EXPECT_NE(listed.out.find("\"kind\":\"system.canary\""), std::string::npos) << listed.out;
  EXPECT_NE(server->log().find("overdue"), std::string::npos);
}

TEST_P(PlatformTest, TwoServersRunEachTimerExactlyOnce) {
  ASSERT_EQ(run_zhengwu({"migrate"}, env()).exit_code, 0);
  auto a = start();
  auto b = start();
  constexpr int kTimers = 300;
  {
    auto db = open();
    SystemClock clock;
    auto tx = db->begin();
    for (int i = 0; i < kTimers; ++i)
      jobs::Scheduler::schedule(tx, "system.canary", clock.now(), "timer " + std::to_string(i), clock.now());
    tx.commit();
  }
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (count("SELECT count(*) FROM job_timers WHERE state = 'done'") < kTimers &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100ms);
  EXPECT_EQ(count("SELECT count(*) FROM job_timers WHERE state = 'done'"), kTimers);
  EXPECT_EQ(count("SELECT count(*) FROM job_runs WHERE timer_id IS NOT NULL"), kTimers);
  EXPECT_EQ(count("SELECT count(DISTINCT timer_id) FROM job_runs"), kTimers);
  EXPECT_EQ(count("SELECT count(*) FROM job_timers WHERE attempts <> 1"), 0);
  auto nodes = count("SELECT count(DISTINCT node) FROM job_runs WHERE timer_id IS NOT NULL");
  if (GetParam() == "sqlite") {
    EXPECT_EQ(nodes, 1) << "on SQLite one process owns the scheduler";
  }
  std::cout << "timers ran on " << nodes << " node(s)\n";
  EXPECT_EQ(a->stop(), 0);
  EXPECT_EQ(b->stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(Platform, PlatformTest, ::testing::Values(std::string("sqlite"), std::string("postgres")),
                         [](const auto& info) { return info.param; });

// Online backup while a server writes, then restore into a new place and serve again.
TEST(BackupTest, ConsistentWhileWritingAndRestoredCopyServes) {
  TempDir dir;
  Env env{{"ZHENGWU_DATA_DIR", (dir.path() / "data").string()}};
  auto server = std::make_unique<ServerProcess>(dir.path() / "data", env);
  auto url = "sqlite://" + (dir.path() / "data" / "zhengwu.db").string();
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto db = db::Database::open(url);
    SystemClock clock;
    while (!stop) {
      auto tx = db->begin();
      // Two rows per transaction: a consistent copy never holds an odd number.
      jobs::Scheduler::schedule(tx, "system.canary", clock.now() + std::chrono::hours(24), "a", clock.now());
      jobs::Scheduler::schedule(tx, "system.canary", clock.now() + std::chrono::hours(24), "b", clock.now());
      tx.commit();
      written += 2;
    }
  });
  while (written < 200) std::this_thread::sleep_for(5ms);
  auto backup_file = (dir.path() / "copy.db").string();
  auto result = run_zhengwu({"backup", backup_file}, env);
  stop = true;
  writer.join();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("\"file\""), std::string::npos);
  EXPECT_EQ(server->stop(), 0);

  auto copy = db::Database::open("sqlite://" + backup_file);
  auto in_copy = copy->query("SELECT count(*) FROM job_timers")[0].get<std::int64_t>(0);
  EXPECT_GE(in_copy, 200);
  EXPECT_EQ(in_copy % 2, 0) << "the backup holds half a transaction";
  EXPECT_EQ(copy->query("PRAGMA integrity_check")[0].get<std::string>(0), "ok");
  copy.reset();

  Env restored_env{{"ZHENGWU_DATA_DIR", (dir.path() / "restored").string()}};
  auto restored = run_zhengwu({"restore", backup_file}, restored_env);
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  auto again = std::make_unique<ServerProcess>(dir.path() / "restored", restored_env);
  EXPECT_EQ(http_get(again->port(), "/readyz").status, 200);
  auto db = db::Database::open("sqlite://" + (dir.path() / "restored" / "zhengwu.db").string());
  EXPECT_EQ(db->query("SELECT count(*) FROM job_timers")[0].get<std::int64_t>(0), in_copy);
}

TEST(BackupTest, RefusesWhatIsNotAZhengwuDatabase) {
  TempDir dir;
  auto junk = dir.path() / "junk.db";
  std::ofstream(junk) << "not a database";
  auto r = run_zhengwu({"restore", junk.string()}, {{"ZHENGWU_DATA_DIR", (dir.path() / "data").string()}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("junk.db"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data" / "zhengwu.db"));
}

TEST(BackupTest, PostgresIsPointedToItsOwnTools) {
  TempDir dir;
  auto r = run_zhengwu({"backup", (dir.path() / "x.db").string()},
                       {{"ZHENGWU_DB_URL", "postgresql://nobody@127.0.0.1:1/none"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pg_dump"), std::string::npos) << r.err;
}

TEST(ConfigTest, BadSettingsAreRefusedByName) {
  TempDir dir;
  auto r = run_zhengwu({"migrate"}, {{"ZHENGWU_DATA_DIR", dir.path().string()}, {"ZHENGWU_THREADS", "many"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ZHENGWU_THREADS"), std::string::npos) << r.err;
  auto file = dir.path() / "bad.toml";
  std::ofstream(file) << "[http]\nbody_limt = \"1MiB\"\n";
  auto typo = run_zhengwu({"--config", file.string(), "migrate"}, {{"ZHENGWU_DATA_DIR", dir.path().string()}});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("http.body_limt"), std::string::npos) << typo.err;
  auto zone = run_zhengwu({"migrate"}, {{"ZHENGWU_DATA_DIR", dir.path().string()}, {"ZHENGWU_TIMEZONE", "Mars/Olympus"}});
  EXPECT_NE(zone.exit_code, 0);
  EXPECT_NE(zone.err.find("Mars/Olympus"), std::string::npos) << zone.err;
}

TEST(ConfigTest, ListenAddressInUseIsAClearError) {
  TempDir dir;
  ServerProcess first(dir.path() / "a");
  auto r = run_zhengwu({"serve"}, {{"ZHENGWU_DATA_DIR", (dir.path() / "b").string()},
                                   {"ZHENGWU_LISTEN", "127.0.0.1:" + std::to_string(first.port())}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot listen"), std::string::npos) << r.err;
}

TEST(CliTest, VersionAndHelp) {
  auto v = run_zhengwu({"version"}, {});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("zhengwu ", 0), 0u);
  auto h = run_zhengwu({"help"}, {});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* cmd : {"serve", "migrate", "demo", "backup", "restore", "calendar", "jobs", "version"})
    EXPECT_NE(h.out.find(cmd), std::string::npos) << cmd;
  auto unknown = run_zhengwu({"frobnicate"}, {});
  EXPECT_NE(unknown.exit_code, 0);
}

TEST(DemoTest, SeedOnlySeedsOnceAndExits) {
  TempDir dir;
  Env env{{"ZHENGWU_DATA_DIR", dir.path().string()}};
  auto first = run_zhengwu({"demo", "--seed-only"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = run_zhengwu({"demo", "--seed-only"}, env);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("already seeded"), std::string::npos) << second.err;
  auto db = db::Database::open("sqlite://" + (dir.path() / "zhengwu.db").string());
  EXPECT_EQ(db->query("SELECT count(*) FROM platform_settings WHERE key = 'demo.seeded_at'")[0].get<std::int64_t>(0), 1);
}

}  // namespace
}  // namespace zhengwu::testing
