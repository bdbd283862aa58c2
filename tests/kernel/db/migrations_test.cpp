// Schema migrations on both engines: applied once, recorded, rolled back on failure,
// refused when edited, dialect tokens, and concurrent start-ups applying each migration
// exactly once.
#include "kernel/db/migrations.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "support/test_databases.hpp"

namespace zhengwu::db {
namespace {

// 2026-12-04T06:30:00Z
const TimePoint kStart = std::chrono::sys_days(std::chrono::year(2026) / 12 / 4) + std::chrono::hours(6) +
                         std::chrono::minutes(30);

class MigrationTest : public test::StorageTest {
 protected:
  MigrationReport apply(const std::vector<Migration>& migrations) { return apply_migrations(db(), migrations, clock_); }
  std::int64_t count(const std::string& table) {
    return db().query("SELECT COUNT(*) AS c FROM " + table)[0].get<std::int64_t>("c");
  }
  bool table_exists(const std::string& table) {
    try {
      db().query("SELECT COUNT(*) FROM " + table);
      return true;
    } catch (const Error&) {
      return false;
    }
  }

  ManualClock clock_{kStart};
};

const std::vector<Migration> kBasic = {
    {"kernel.auth", 1, "organisations", "CREATE TABLE orgs (code TEXT PRIMARY KEY, name TEXT NOT NULL)"},
    {"kernel.auth", 2, "users", "CREATE TABLE users (id {{pk}}, org TEXT REFERENCES orgs (code));"
                                "CREATE INDEX users_org ON users (org)"},
    {"cases", 1, "cases", "CREATE TABLE cases (id {{pk}}, title TEXT NOT NULL, photo {{blob}})"},
};

TEST_P(MigrationTest, AppliesOnceAndRecordsEachMigration) {
  MigrationReport first = apply(kBasic);
  EXPECT_EQ(first.applied, 3);
  EXPECT_EQ(first.already, 0);
  EXPECT_TRUE(table_exists("orgs"));
  EXPECT_TRUE(table_exists("users"));
  EXPECT_TRUE(table_exists("cases"));

  clock_.advance(std::chrono::hours(1));
  MigrationReport second = apply(kBasic);
  EXPECT_EQ(second.applied, 0);
  EXPECT_EQ(second.already, 3);

  Rows rows = db().query("SELECT module, version, name, checksum, applied_at FROM schema_migrations ORDER BY module, version");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].get<std::string>("module"), "cases");
  EXPECT_EQ(rows[1].get<std::string>("module"), "kernel.auth");
  EXPECT_EQ(rows[2].get<int>("version"), 2);
  EXPECT_EQ(rows[2].get<std::string>("name"), "users");
  for (const Row& row : rows) {
    EXPECT_EQ(row.get<std::string>("applied_at"), "2026-12-04T06:30:00Z");
    std::string sum = row.get<std::string>("checksum");
    EXPECT_EQ(sum.size(), 16u);
    EXPECT_EQ(sum.find_first_not_of("0123456789abcdef"), std::string::npos) << sum;
  }
  // The checksum is the same on both engines: it is taken before dialect expansion.
  EXPECT_EQ(rows[0].get<std::string>("checksum"), "349e50132e1fa1a7");
}

TEST_P(MigrationTest, PendingOnesAreAppliedLater) {
  apply({kBasic[0]});
  std::vector<Migration> more = kBasic;
  more.push_back({"kernel.auth", 3, "user names", "ALTER TABLE users ADD COLUMN username TEXT"});
  MigrationReport report = apply(more);
  EXPECT_EQ(report.applied, 3);
  EXPECT_EQ(report.already, 1);
  db().execute("INSERT INTO users (username) VALUES ('admin')");
}

TEST_P(MigrationTest, VersionsRunInOrderWithinEachModule) {
  // Listed out of order: version 2 needs version 1's table.
  std::vector<Migration> shuffled = {kBasic[1], kBasic[2], kBasic[0]};
  EXPECT_EQ(apply(shuffled).applied, 3);
  db().execute("INSERT INTO orgs (code, name) VALUES ('330100', '杭州市')");
  db().execute("INSERT INTO users (org) VALUES ('330100')");
  EXPECT_EQ(count("users"), 1);
}

TEST_P(MigrationTest, FailingMigrationIsRolledBackAndEarlierOnesKept) {
  std::vector<Migration> migrations = {
      kBasic[0],
      {"kernel.auth", 2, "broken", "CREATE TABLE half (x INTEGER); INSERT INTO half (x) VALUES (1); "
                                   "INSERT INTO no_such_table (x) VALUES (1)"},
  };
  try {
    apply(migrations);
    FAIL() << "the broken migration was applied";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("kernel.auth #2 (broken)"), std::string::npos) << what;
  }
  EXPECT_TRUE(table_exists("orgs"));
  EXPECT_FALSE(table_exists("half"));
  EXPECT_EQ(count("schema_migrations"), 1);

  migrations[1].sql = "CREATE TABLE half (x INTEGER); INSERT INTO half (x) VALUES (1)";
  MigrationReport fixed = apply(migrations);
  EXPECT_EQ(fixed.applied, 1);
  EXPECT_EQ(fixed.already, 1);
  EXPECT_EQ(count("half"), 1);
}

TEST_P(MigrationTest, EditedMigrationIsRefused) {
  apply(kBasic);
  std::vector<Migration> edited = kBasic;
  edited[1].sql += " ";
  try {
    apply(edited);
    FAIL() << "an edited migration was accepted";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("kernel.auth"), std::string::npos) << what;
    EXPECT_NE(what.find("#2"), std::string::npos) << what;
    EXPECT_NE(what.find("users"), std::string::npos) << what;
    EXPECT_NE(what.find("changed"), std::string::npos) << what;
  }
}

TEST_P(MigrationTest, DialectTokensWork) {
  apply({{"office", 1, "seals", "CREATE TABLE seals (id {{pk}}, image {{blob}} NOT NULL, owner TEXT)"}});
  const Blob image{0x89, 'P', 'N', 'G', 0x00, 0x00, 0xff};
  std::int64_t a = db().query("INSERT INTO seals (image, owner) VALUES (?, ?) RETURNING id", {image, "市政府"})[0].get<std::int64_t>("id");
  std::int64_t b = db().query("INSERT INTO seals (image) VALUES (?) RETURNING id", {Blob{}})[0].get<std::int64_t>("id");
  EXPECT_GT(a, 0);
  EXPECT_GT(b, a);
  EXPECT_EQ(db().query("SELECT image FROM seals WHERE id = ?", {a})[0].get<Blob>("image"), image);
  // The key is generated, but an explicit one is accepted too (imports keep their ids).
  db().execute("INSERT INTO seals (id, image) VALUES (100, ?)", {Blob{1}});
}

TEST_P(MigrationTest, MigrationOfOnlyCommentsIsApplied) {
  EXPECT_EQ(apply({{"reserved", 1, "placeholder for a dropped feature", "-- nothing left to do\n"}}).applied, 1);
  EXPECT_EQ(count("schema_migrations"), 1);
}

TEST_P(MigrationTest, InvalidListsAreRefused) {
  EXPECT_THROW(apply({{"m", 0, "zero", "SELECT 1"}}), Error);
  EXPECT_THROW(apply({{"", 1, "nameless", "SELECT 1"}}), Error);
  EXPECT_THROW(apply({{"m", 1, "a", "SELECT 1"}, {"m", 1, "b", "SELECT 2"}}), Error);
  MigrationReport none = apply({});
  EXPECT_EQ(none.applied, 0);
  EXPECT_EQ(count("schema_migrations"), 0);
}

// A round of migrations whose effects count how often each was applied: every one after
// the first inserts a row, so a migration applied twice shows up as a surplus row.
std::vector<Migration> counting_round(const std::string& module, int inserts) {
  std::vector<Migration> out = {{module, 1, "log", "CREATE TABLE " + module + "_log (k INTEGER NOT NULL)"}};
  for (int k = 1; k <= inserts; ++k)
    out.push_back({module, k + 1, "step " + std::to_string(k),
                   "INSERT INTO " + module + "_log (k) VALUES (" + std::to_string(k) + ")"});
  return out;
}

// Starts two appliers at once and checks that together they applied each migration once.
void race(std::vector<Database*> nodes, const Clock& clock, const std::string& module) {
  constexpr int kInserts = 6;
  std::vector<Migration> round = counting_round(module, kInserts);
  std::atomic<int> ready{0};
  std::mutex mutex;
  std::vector<MigrationReport> reports;
  std::string failure;
  std::vector<std::thread> threads;
  for (Database* node : nodes) {
    threads.emplace_back([&, node] {
      ++ready;
      while (ready.load() < static_cast<int>(nodes.size())) std::this_thread::yield();
      try {
        MigrationReport r = apply_migrations(*node, round, clock);
        std::lock_guard lock(mutex);
        reports.push_back(r);
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        failure = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failure, "");
  int applied = 0;
  int already = 0;
  for (const auto& r : reports) {
    applied += r.applied;
    already += r.already;
  }
  EXPECT_EQ(applied, kInserts + 1);
  EXPECT_EQ(already, static_cast<int>(nodes.size() - 1) * (kInserts + 1));
  Database& db = *nodes.front();
  EXPECT_EQ(db.query("SELECT COUNT(*) AS c FROM " + module + "_log")[0].get<int>("c"), kInserts);
  EXPECT_EQ(db.query("SELECT COUNT(DISTINCT k) AS c FROM " + module + "_log")[0].get<int>("c"), kInserts);
  EXPECT_EQ(db.query("SELECT COUNT(*) AS c FROM schema_migrations WHERE module = ?", {module})[0].get<int>("c"),
            kInserts + 1);
}

TEST_P(MigrationTest, TwoThreadsOnOneDatabaseApplyEachOnce) {
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    race({&db(), &db()}, clock_, "shared" + std::to_string(round));
  }
}

TEST_P(MigrationTest, TwoNodesStartingAtOnceApplyEachOnce) {
  // Separate Database objects: separate pools (PostgreSQL) or separate connection sets
  // (SQLite), as two processes would have. The first round also races the creation of
  // schema_migrations itself.
  auto node1 = open_another();
  auto node2 = open_another();
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    race({node1.get(), node2.get()}, clock_, "node" + std::to_string(round));
  }
}

ZHENGWU_STORAGE_TEST_SUITE(MigrationTest);

}  // namespace
}  // namespace zhengwu::db
