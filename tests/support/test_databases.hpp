// Databases for storage tests: every test that touches storage runs on SQLite and on
// PostgreSQL, each time on a fresh, empty database.
//
// How to write one:
//
//   #include "support/test_databases.hpp"
//
//   class OutboxTest : public zhengwu::test::StorageTest {};
//
//   TEST_P(OutboxTest, DeliversEachMessageOnce) {
//     db().execute("CREATE TABLE ...");        // db(): an open Database, empty
//     if (is_postgres()) { ... }               // engine-specific checks, when needed
//     auto node2 = open_another();             // a second Database on the same data
//   }
//
//   ZHENGWU_STORAGE_TEST_SUITE(OutboxTest);   // instantiates ".../sqlite" and ".../postgres"
//
// A fixture that needs other Options (a small pool, a short busy timeout) overrides
// `database_options()`. A fixture that overrides SetUp/TearDown calls StorageTest's first
// (SetUp) or last (TearDown), and returns early from its SetUp when
// `IsSkipped() || HasFatalFailure()`.
//
// Environment:
//   ZHENGWU_TEST_PG_URL      a superuser URL to a throwaway cluster's `postgres` database,
//                            e.g. from `tests/support/pg-cluster.sh start DIR`. Each test
//                            gets its own database `zt_<random>`, dropped (WITH FORCE)
//                            after the test. Unset: the postgres cases are skipped...
//   ZHENGWU_TEST_REQUIRE_PG  ...unless this is 1: then they fail, so that a CI run that
//                            lost its PostgreSQL cannot pass by skipping.
// SQLite cases use a fresh file in a new directory under the system temp directory,
// removed after the test.
//
// Thread-safety: fixtures are used by the test's thread; db() and open_another() return
// Databases that any number of threads may use (see kernel/db/database.hpp).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/db/database.hpp"

namespace zhengwu::test {

// The PostgreSQL server the tests may use, from the environment.
struct PostgresForTests {
  std::optional<std::string> admin_url;  // ZHENGWU_TEST_PG_URL, when set and non-empty
  bool required = false;                 // ZHENGWU_TEST_REQUIRE_PG=1
};
PostgresForTests postgres_for_tests();

// A fresh, empty database of one engine ("sqlite" or "postgres") for one test; removed
// on destruction (the directory of the SQLite file, or the PostgreSQL database). Throws
// std::runtime_error when it cannot be made (no ZHENGWU_TEST_PG_URL for "postgres", or
// the server refuses). Databases opened on url() must be destroyed first.
class ScratchDatabase {
 public:
  explicit ScratchDatabase(std::string_view engine);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }
  db::Kind kind() const { return kind_; }

 private:
  db::Kind kind_;
  std::string url_;
  std::filesystem::path directory_;  // SQLite
  std::string admin_url_;            // PostgreSQL
  std::string name_;                 // PostgreSQL database name
};

// The fixture base of every storage test; parameterised by engine name.
class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The Options db() is opened with; override for a small pool or a short timeout.
  virtual db::Options database_options() const { return {}; }

  // The test's database, open on a fresh, empty database of the engine under test.
  db::Database& db() { return *db_; }
  // The URL of that database, to open more Database objects on it (another "node").
  const std::string& url() const { return scratch_->url(); }
  // Another Database on the same data; the caller destroys it before the test ends.
  std::unique_ptr<db::Database> open_another(const db::Options& options = {}) const;
  db::Kind kind() const { return scratch_->kind(); }
  bool is_postgres() const { return kind() == db::Kind::postgres; }

 private:
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<db::Database> db_;
};

// Test-name suffix: "sqlite" / "postgres".
std::string storage_engine_name(const ::testing::TestParamInfo<std::string>& info);

}  // namespace zhengwu::test

// Instantiates every TEST_P of `fixture` (a StorageTest) on both engines, named
// Storage/<fixture>.<test>/sqlite and Storage/<fixture>.<test>/postgres.
#define ZHENGWU_STORAGE_TEST_SUITE(fixture)                                                             \
  INSTANTIATE_TEST_SUITE_P(Storage, fixture, ::testing::Values(std::string("sqlite"), std::string("postgres")), \
                           ::zhengwu::test::storage_engine_name)
