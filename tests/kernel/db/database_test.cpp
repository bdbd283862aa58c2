// The storage interface on both engines: values, transactions, errors, concurrency,
// statement caches, pools and connections; plus the engine-free parts (value
// conversions, URL parsing, `?` → `$n` rewriting) as table-driven unit tests.
#include "kernel/db/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "kernel/db/database_url.hpp"
#include "kernel/db/postgres/placeholders.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::db {
namespace {

using namespace std::chrono_literals;

// Runs `body(i)` on `n` threads at once and reports the first exception any of them threw.
template <class Body>
void run_threads(int n, Body body) {
  std::atomic<bool> go{false};
  std::mutex mutex;
  std::string first_error;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      try {
        body(i);
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        if (first_error.empty()) first_error = e.what();
      }
    });
  }
  go.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(first_error, "");
}

Error::Kind error_kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no db::Error was thrown";
  return Error::Kind::other;
}

// ---------------------------------------------------------------------------------------
// On both engines.

class DatabaseTest : public test::StorageTest {
 protected:
  void make_items_table() {
    db().execute(db().expand_dialect(
        "CREATE TABLE items (id {{pk}}, i BIGINT, d DOUBLE PRECISION, t TEXT, b {{blob}})"));
  }
  std::int64_t insert_item(const Params& values) {
    return db().query("INSERT INTO items (i, d, t, b) VALUES (?, ?, ?, ?) RETURNING id", values)[0].get<std::int64_t>("id");
  }
  Row item(std::int64_t id) {
    Rows rows = db().query("SELECT i, d, t, b FROM items WHERE id = ?", {id});
    EXPECT_EQ(rows.size(), 1u);
    return rows[0];
  }
  void make_counter() {
    db().execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
    db().execute("INSERT INTO counter (id, n) VALUES (1, 0)");
  }
  std::int64_t counter() { return db().query("SELECT n FROM counter WHERE id = 1")[0].get<std::int64_t>("n"); }
  std::int64_t count(std::string_view table) {
    return db().query("SELECT COUNT(*) AS c FROM " + std::string(table))[0].get<std::int64_t>("c");
  }
};

TEST_P(DatabaseTest, EveryValueTypeRoundTrips) {
  make_items_table();
  const Blob blob{0x00, 0x01, 0x7f, 0x80, 0xff};
  std::vector<Params> cases = {
      {std::int64_t{42}, 0.1, "plain", blob},
      {std::numeric_limits<std::int64_t>::max(), -1e300, "", Blob{}},
      {std::numeric_limits<std::int64_t>::min(), 5e-324, "x", Blob{0}},
      {nullptr, nullptr, nullptr, nullptr},
      {0, 0.0, std::string(1000, 'z'), Blob(3000, 0xab)},
  };
  for (const Params& in : cases) {
    Row row = item(insert_item(in));
    const char* columns[] = {"i", "d", "t", "b"};
    for (std::size_t c = 0; c < 4; ++c) {
      SCOPED_TRACE(columns[c]);
      const Value& got = row.at(columns[c]);
      EXPECT_EQ(got.raw(), in[c].raw());
    }
  }
  EXPECT_EQ(count("items"), static_cast<std::int64_t>(cases.size()));
  Row nulls = item(4);
  EXPECT_TRUE(nulls.is_null("t"));
  EXPECT_EQ(nulls.opt<std::string>("t"), std::nullopt);
  EXPECT_EQ(nulls.opt<std::int64_t>("i"), std::nullopt);
  Row first = item(1);
  EXPECT_EQ(first.get<int>("i"), 42);
  EXPECT_EQ(first.get<std::string>("t"), "plain");
  EXPECT_EQ(first.get<Blob>("b"), blob);
  EXPECT_EQ(first.opt<double>("d"), 0.1);
}

TEST_P(DatabaseTest, TextIsStoredVerbatim) {
  make_items_table();
  const std::vector<std::string> texts = {
      "杭州市数据资源管理局",
      "😀👍🏽🇨🇳 emoji, with a ZWJ: 👩‍💻",
      "Robert'); DROP TABLE items;--",
      "?", "??", "$1", "$$", "'", "''", "\"", "\\", "\\'", "%_", "\n\t\r", "a?b::text -- c /* d */",
      "\xef\xbb\xbf BOM-led", std::string(1, '\x01'),
  };
  for (const std::string& t : texts) {
    SCOPED_TRACE(t);
    std::int64_t id = insert_item({nullptr, nullptr, t, nullptr});
    EXPECT_EQ(item(id).get<std::string>("t"), t);
    Rows found = db().query("SELECT id FROM items WHERE t = ?", {t});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].get<std::int64_t>("id"), id);
  }
  EXPECT_EQ(count("items"), static_cast<std::int64_t>(texts.size()));
  // Question marks in literals, identifiers and comments are not placeholders.
  Rows rows = db().query("SELECT 'why?' AS \"q?\", t -- or not?\n FROM items /* ? */ WHERE t = ?", {"杭州市数据资源管理局"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].get<std::string>("q?"), "why?");
}

TEST_P(DatabaseTest, BlobsKeepEveryByte) {
  make_items_table();
  Blob all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<std::uint8_t>(i));
  Blob zeros(1024, 0);
  std::mt19937 random(7);
  Blob large(1 << 20);
  for (auto& b : large) b = static_cast<std::uint8_t>(random());
  for (const Blob& b : {all_bytes, zeros, large, Blob{}, Blob{0}}) {
    std::int64_t id = insert_item({nullptr, nullptr, nullptr, b});
    Row row = item(id);
    ASSERT_TRUE(row.at("b").is_blob());
    EXPECT_EQ(row.get<Blob>("b"), b);
    EXPECT_EQ(db().query("SELECT id FROM items WHERE b = ?", {b}).size(), 1u);
  }
}

TEST_P(DatabaseTest, ReturningAndUpsert) {
  db().execute("CREATE TABLE tally (name TEXT PRIMARY KEY, n BIGINT NOT NULL)");
  const std::string upsert =
      "INSERT INTO tally (name, n) VALUES (?, ?) "
      "ON CONFLICT (name) DO UPDATE SET n = tally.n + excluded.n RETURNING name, n";
  EXPECT_EQ(db().query(upsert, {"西湖区", 2})[0].get<std::int64_t>("n"), 2);
  EXPECT_EQ(db().query(upsert, {"西湖区", 3})[0].get<std::int64_t>("n"), 5);
  EXPECT_EQ(db().query(upsert, {"上城区", 1})[0].get<std::string>("name"), "上城区");
  EXPECT_TRUE(db().query("INSERT INTO tally (name, n) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING n",
                         {"西湖区", 100})
                  .empty());
  EXPECT_EQ(db().execute("UPDATE tally SET n = n * 10"), 2);
  Rows deleted = db().query("DELETE FROM tally WHERE n > ? RETURNING name", {20});
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].get<std::string>("name"), "西湖区");
}

TEST_P(DatabaseTest, ExecuteCountsChangedRows) {
  EXPECT_EQ(db().execute("CREATE TABLE t (x INTEGER)"), 0);
  EXPECT_EQ(db().execute("INSERT INTO t (x) VALUES (1), (2), (3)"), 3);
  EXPECT_EQ(db().execute("UPDATE t SET x = x + 1 WHERE x >= ?", {2}), 2);
  EXPECT_EQ(db().execute("CREATE INDEX t_x ON t (x)"), 0);
  EXPECT_EQ(db().execute("UPDATE t SET x = 0 WHERE x > 100"), 0);
  EXPECT_EQ(db().execute("DELETE FROM t"), 3);
}

TEST_P(DatabaseTest, RowAccessAndConversions) {
  Rows rows = db().query("SELECT 7 AS seven, 'text' AS word, NULL AS absent, (1 < 2) AS yes, (2 < 1) AS no, "
                         "CAST('2.5' AS NUMERIC) AS num");
  ASSERT_EQ(rows.size(), 1u);
  const Row& row = rows[0];
  EXPECT_EQ(row.size(), 6u);
  EXPECT_EQ(row.at(0).as_int(), 7);
  EXPECT_EQ(row.get<std::string>("seven"), "7");
  EXPECT_EQ(row.get<double>("seven"), 7.0);
  EXPECT_TRUE(row.get<bool>("yes"));
  EXPECT_FALSE(row.get<bool>("no"));
  EXPECT_EQ(row.get<double>("num"), 2.5);  // numeric reads as text on PostgreSQL
  EXPECT_TRUE(row.is_null("absent"));
  EXPECT_EQ(error_kind_of([&] { row.at("missing"); }), Error::Kind::other);
  EXPECT_EQ(error_kind_of([&] { row.at(6); }), Error::Kind::other);
  EXPECT_EQ(error_kind_of([&] { row.get<std::int64_t>("word"); }), Error::Kind::other);
  EXPECT_EQ(error_kind_of([&] { row.get<std::int64_t>("absent"); }), Error::Kind::other);
  EXPECT_EQ(rows.columns->at(1), "word");
}

TEST_P(DatabaseTest, CommittedTransactionIsVisibleToOtherConnections) {
  make_counter();
  {
    Transaction tx = db().begin();
    EXPECT_TRUE(tx.active());
    tx.execute("UPDATE counter SET n = ? WHERE id = 1", {5});
    tx.commit();
    EXPECT_FALSE(tx.active());
  }
  std::int64_t seen = -1;
  std::thread other([&] { seen = counter(); });  // another thread: another connection
  other.join();
  EXPECT_EQ(seen, 5);
}

TEST_P(DatabaseTest, UncommittedTransactionRollsBackOnDestruction) {
  make_counter();
  {
    Transaction tx = db().begin();
    tx.execute("UPDATE counter SET n = 99 WHERE id = 1");
    tx.execute("INSERT INTO counter (id, n) VALUES (2, 1)");
    EXPECT_EQ(tx.query("SELECT n FROM counter WHERE id = 1")[0].get<int>("n"), 99);
  }
  EXPECT_EQ(counter(), 0);
  EXPECT_EQ(count("counter"), 1);
  // The connection is usable again, outside any transaction.
  Transaction tx = db().begin();
  tx.execute("UPDATE counter SET n = 1 WHERE id = 1");
  tx.rollback();
  EXPECT_FALSE(tx.active());
  EXPECT_EQ(error_kind_of([&] { tx.execute("UPDATE counter SET n = 2"); }), Error::Kind::other);
  EXPECT_EQ(counter(), 0);
}

TEST_P(DatabaseTest, ExceptionInsideTransactionLeavesNothing) {
  make_counter();
  auto transfer = [&] {
    Transaction tx = db().begin();
    tx.execute("INSERT INTO counter (id, n) VALUES (2, 10)");
    tx.execute("UPDATE counter SET n = n + 10 WHERE id = 1");
    throw std::runtime_error("the caller changed its mind");
  };
  EXPECT_THROW(transfer(), std::runtime_error);
  EXPECT_EQ(counter(), 0);
  EXPECT_EQ(count("counter"), 1);
}

TEST_P(DatabaseTest, FailedStatementInTransactionLeavesNothing) {
  make_counter();
  {
    Transaction tx = db().begin();
    tx.execute("INSERT INTO counter (id, n) VALUES (2, 10)");
    EXPECT_EQ(error_kind_of([&] { tx.execute("INSERT INTO counter (id, n) VALUES (1, 0)"); }), Error::Kind::constraint);
  }
  EXPECT_EQ(count("counter"), 1);
  if (is_postgres()) {
    // PostgreSQL aborts the whole transaction; a COMMIT then must not pretend success.
    Transaction tx = db().begin();
    tx.execute("INSERT INTO counter (id, n) VALUES (3, 10)");
    EXPECT_THROW(tx.execute("INSERT INTO counter (id, n) VALUES (1, 0)"), Error);
    EXPECT_THROW(tx.commit(), Error);
  }
  EXPECT_EQ(count("counter"), 1);
}

// db::bulk_insert: a multi-row INSERT whose constraint failure ends the transaction. Each
// row of the table is a batch: the failure comes from the first row, a middle one or the
// last; nothing of the batch nor of the transaction's earlier writes stays, the connection
// serves the next transaction, and a clean batch commits whole.
TEST_P(DatabaseTest, BulkInsertFailsTheWholeTransaction) {
  make_counter();
  struct Row {
    std::string values;
    const char* why;
  };
  const std::vector<Row> rows{{"(1, 5), (7, 5), (8, 5)", "first row"},
                              {"(7, 5), (1, 5), (8, 5)", "middle row"},
                              {"(7, 5), (8, 5), (9, NULL)", "last row (NOT NULL)"}};
  const std::string verb(bulk_insert(db().kind()));
  // SQLite: the thread keeps its connection (a temporary table lives as long as it does);
  // the failed statement ended the transaction, so the ROLLBACK after it is no error.
  if (!is_postgres()) db().execute("CREATE TEMP TABLE same_connection (x INTEGER)");
  for (const auto& row : rows) {
    {
      Transaction tx = db().begin();
      tx.execute("UPDATE counter SET n = n + 1 WHERE id = 1");
      EXPECT_EQ(error_kind_of([&] { tx.execute(verb + " INTO counter (id, n) VALUES " + row.values); }),
                Error::Kind::constraint)
          << row.why;
    }
    EXPECT_EQ(count("counter"), 1) << row.why;
    EXPECT_EQ(counter(), 0) << row.why;
  }
  if (!is_postgres()) EXPECT_NO_THROW(db().query("SELECT count(*) FROM same_connection"));
  Transaction tx = db().begin();
  EXPECT_EQ(tx.execute(verb + " INTO counter (id, n) VALUES (2, 1), (3, 1), (4, 1)"), 3);
  tx.commit();
  EXPECT_EQ(count("counter"), 4);
}

TEST_P(DatabaseTest, ConstraintViolationsHaveKindConstraint) {
  db().execute("CREATE TABLE org (code TEXT PRIMARY KEY, name TEXT NOT NULL, level INTEGER CHECK (level BETWEEN 1 AND 5))");
  db().execute("CREATE TABLE person (id INTEGER PRIMARY KEY, org TEXT NOT NULL REFERENCES org (code))");
  db().execute("INSERT INTO org (code, name, level) VALUES ('330100', '杭州市', 2)");
  EXPECT_EQ(error_kind_of([&] { db().execute("INSERT INTO org (code, name, level) VALUES ('330100', 'again', 2)"); }),
            Error::Kind::constraint);
  EXPECT_EQ(error_kind_of([&] { db().execute("INSERT INTO org (code, name, level) VALUES (?, ?, ?)", {"1", nullptr, 1}); }),
            Error::Kind::constraint);
  EXPECT_EQ(error_kind_of([&] { db().execute("INSERT INTO org (code, name, level) VALUES ('2', 'x', 9)"); }),
            Error::Kind::constraint);
  // Foreign keys are enforced (SQLite: PRAGMA foreign_keys=ON on every connection).
  EXPECT_EQ(error_kind_of([&] { db().execute("INSERT INTO person (id, org) VALUES (1, 'nowhere')"); }),
            Error::Kind::constraint);
  EXPECT_EQ(error_kind_of([&] { db().execute("SELECT * FROM no_such_table"); }), Error::Kind::other);
  EXPECT_EQ(error_kind_of([&] { db().execute("SELEKT 1"); }), Error::Kind::other);
}

TEST_P(DatabaseTest, MisuseIsReported) {
  db().execute("CREATE TABLE t (x INTEGER)");
  EXPECT_EQ(error_kind_of([&] { db().execute("INSERT INTO t (x) VALUES (?)", {}); }), Error::Kind::other);
  EXPECT_EQ(error_kind_of([&] { db().execute("INSERT INTO t (x) VALUES (?)", {1, 2}); }), Error::Kind::other);
  EXPECT_EQ(error_kind_of([&] { db().query("SELECT 1; SELECT 2"); }), Error::Kind::other);
  EXPECT_EQ(count("t"), 0);
  // Several statements belong in a script.
  Lease lease = db().acquire();
  lease->execute_script("INSERT INTO t (x) VALUES (1); INSERT INTO t (x) VALUES (2);");
  EXPECT_EQ(count("t"), 2);
}

TEST_P(DatabaseTest, ConcurrentWritersCountExactly) {
  make_counter();
  constexpr int kThreads = 4;
  constexpr int kIncrements = 200;
  const bool pg = is_postgres();
  run_threads(kThreads, [&](int) {
    for (int i = 0; i < kIncrements; ++i) {
      Transaction tx = db().begin(TxMode::write);
      if (pg) {
        // Row locks serialise the updates under READ COMMITTED.
        tx.execute("UPDATE counter SET n = n + 1 WHERE id = 1");
      } else {
        // A read-modify-write: correct only because BEGIN IMMEDIATE serialises writers.
        std::int64_t n = tx.query("SELECT n FROM counter WHERE id = 1")[0].get<std::int64_t>("n");
        tx.execute("UPDATE counter SET n = ? WHERE id = 1", {n + 1});
      }
      tx.commit();
    }
  });
  EXPECT_EQ(counter(), kThreads * kIncrements);
}

TEST_P(DatabaseTest, ReadTransactionsRead) {
  make_counter();
  Transaction tx = db().begin(TxMode::read);
  EXPECT_EQ(tx.query("SELECT n FROM counter WHERE id = 1")[0].get<int>("n"), 0);
  if (is_postgres()) {
    EXPECT_THROW(tx.execute("UPDATE counter SET n = 1"), Error);
  }
  tx.rollback();
  EXPECT_EQ(counter(), 0);
}

// The number of prepared statements that the connection behind `lease` holds for `sql`,
// or all of them when `sql` is empty (the counting statement included).
std::int64_t prepared_statements(Lease& lease, Kind kind, std::string_view sql = {}) {
  if (kind == Kind::postgres) {
    std::string text = postgres::to_numbered_placeholders(sql).text;
    return sql.empty() ? lease->query("SELECT COUNT(*) AS c FROM pg_prepared_statements", {})[0].get<std::int64_t>("c")
                       : lease->query("SELECT COUNT(*) AS c FROM pg_prepared_statements WHERE statement = ?", {text})[0]
                             .get<std::int64_t>("c");
  }
  // Debian's SQLite is built with SQLITE_ENABLE_STMTVTAB.
  return sql.empty() ? lease->query("SELECT COUNT(*) AS c FROM sqlite_stmt", {})[0].get<std::int64_t>("c")
                     : lease->query("SELECT COUNT(*) AS c FROM sqlite_stmt WHERE sql = ?", {std::string(sql)})[0]
                           .get<std::int64_t>("c");
}

TEST_P(DatabaseTest, StatementCacheReusesStatements) {
  make_counter();
  const std::string sql = "SELECT n + ? AS m FROM counter WHERE id = ?";
  Lease lease = db().acquire();
  for (int i = 0; i < 500; ++i) ASSERT_EQ(lease->query(sql, {i, 1})[0].get<int>("m"), i);
  EXPECT_EQ(prepared_statements(lease, kind(), sql), 1);
}

TEST_P(DatabaseTest, StatementCacheStaysWithinItsCapacity) {
  make_counter();
  for (std::size_t capacity : {std::size_t{0}, std::size_t{4}}) {
    SCOPED_TRACE(capacity);
    auto small = open_another(Options{.statement_cache = capacity});
    Lease lease = small->acquire();
    for (int round = 0; round < 3; ++round)
      for (int k = 0; k < 20; ++k)
        ASSERT_EQ(lease->query("SELECT n + " + std::to_string(k) + " + ? AS m FROM counter", {round})[0].get<int>("m"),
                  k + round);
    std::int64_t held = prepared_statements(lease, kind());
    // With caching off nothing stays prepared (SQLite lists the counting statement itself).
    EXPECT_LE(held, static_cast<std::int64_t>(capacity == 0 ? (is_postgres() ? 0 : 1) : capacity));
  }
}

TEST_P(DatabaseTest, CachedStatementSurvivesSchemaChange) {
  db().execute("CREATE TABLE t (a INTEGER)");
  db().execute("INSERT INTO t (a) VALUES (1)");
  Lease lease = db().acquire();
  EXPECT_EQ(lease->query("SELECT * FROM t", {}).columns->size(), 1u);
  lease->execute("ALTER TABLE t ADD COLUMN b TEXT", {});
  Rows rows = lease->query("SELECT * FROM t", {});
  EXPECT_EQ(rows.columns->size(), 2u);
  EXPECT_TRUE(rows[0].is_null("b"));
}

TEST_P(DatabaseTest, PingAndDescribe) {
  EXPECT_TRUE(db().ping());
  EXPECT_EQ(db().kind(), kind());
  EXPECT_EQ(to_string(kind()), GetParam());
  if (!is_postgres()) {
    EXPECT_EQ(db().describe(), url());
    return;
  }
  // The test cluster trusts every connection, so any password opens it.
  const std::string plain = url();
  auto at = plain.find("://postgres@");
  if (at == std::string::npos) GTEST_SKIP() << "the test URL has another user; cannot add a password to it";
  std::string with_password = plain;
  with_password.replace(at, 12, "://postgres:s3cr3t-pw@");
  auto db2 = Database::open(with_password);
  EXPECT_TRUE(db2->ping());
  EXPECT_EQ(db2->describe().find("s3cr3t-pw"), std::string::npos);
  EXPECT_NE(db2->describe().find("postgres@"), std::string::npos);
}

TEST_P(DatabaseTest, PoolStatsCountLeases) {
  PoolStats before = db().pool_stats();
  EXPECT_EQ(before.in_use, 0u);
  {
    Lease a = db().acquire();
    Transaction tx = db().begin();
    EXPECT_EQ(db().pool_stats().in_use, 2u);
    tx.commit();
  }
  EXPECT_EQ(db().pool_stats().in_use, 0u);
  EXPECT_EQ(db().pool_stats().capacity, is_postgres() ? Options{}.pool_size : 0u);
}

TEST_P(DatabaseTest, PoolExhaustionWaitsUntilALeaseReturns) {
  if (!is_postgres()) GTEST_SKIP() << "SQLite gives every thread its own connection; there is no pool to exhaust";
  auto pool = open_another(Options{.busy_timeout = 10s, .pool_size = 2});
  auto first = std::make_unique<Lease>(pool->acquire());
  Lease second = pool->acquire();
  EXPECT_EQ(pool->pool_stats().in_use, 2u);
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    Lease third = pool->acquire();
    third->query("SELECT 1", {});
    got = true;
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(got.load());
  first.reset();  // returns a connection: the waiter takes it
  waiter.join();
  EXPECT_TRUE(got.load());
  PoolStats stats = pool->pool_stats();
  EXPECT_EQ(stats.capacity, 2u);
  EXPECT_EQ(stats.size, 2u);
  EXPECT_GE(stats.waits, 1u);
}

TEST_P(DatabaseTest, PoolExhaustionTimesOutAsBusy) {
  if (!is_postgres()) GTEST_SKIP() << "SQLite gives every thread its own connection; there is no pool to exhaust";
  auto pool = open_another(Options{.busy_timeout = 200ms, .pool_size = 1});
  Lease held = pool->acquire();
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_kind_of([&] { pool->acquire(); }), Error::Kind::busy);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
}

TEST_P(DatabaseTest, ConnectionLeftInTransactionIsRolledBackOnReturn) {
  make_counter();
  {
    Lease lease = db().acquire();
    lease->execute("BEGIN", {});
    lease->execute("UPDATE counter SET n = 42 WHERE id = 1", {});
  }
  EXPECT_EQ(counter(), 0);
  Lease again = db().acquire();
  EXPECT_EQ(again->query("SELECT n FROM counter WHERE id = 1", {})[0].get<int>("n"), 0);
  // Nothing is left holding a lock: another thread can write at once.
  std::thread([&] { EXPECT_EQ(db().execute("UPDATE counter SET n = 1 WHERE id = 1"), 1); }).join();
}

TEST_P(DatabaseTest, BrokenConnectionIsReplaced) {
  if (!is_postgres()) GTEST_SKIP() << "kills a server backend";
  auto pool = open_another(Options{.pool_size = 1});
  std::int64_t pid = pool->query("SELECT pg_backend_pid() AS pid")[0].get<std::int64_t>("pid");
  db().query("SELECT pg_terminate_backend(?::int)", {pid});
  // The first use of the dead connection fails as a connection error...
  bool dropped = false;
  for (int i = 0; i < 50 && !dropped; ++i) {
    try {
      pool->query("SELECT 1");
      std::this_thread::sleep_for(20ms);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), Error::Kind::connection);
      dropped = true;
    }
  }
  EXPECT_TRUE(dropped);
  // ...and the next acquisition gets a fresh one.
  EXPECT_NE(pool->query("SELECT pg_backend_pid() AS pid")[0].get<std::int64_t>("pid"), pid);
  EXPECT_EQ(pool->pool_stats().size, 1u);
}

TEST_P(DatabaseTest, EachThreadHasItsOwnConnection) {
  if (is_postgres()) GTEST_SKIP() << "PostgreSQL lends pooled connections to any thread";
  Lease mine = db().acquire();
  Lease nested = db().acquire();
  EXPECT_EQ(&*mine, &*nested);  // one connection per thread, shared by its leases
  Connection* theirs = nullptr;
  std::size_t open_while_running = 0;
  std::thread other([&] {
    Lease lease = db().acquire();
    theirs = &*lease;
    open_while_running = db().pool_stats().size;
  });
  other.join();
  EXPECT_NE(theirs, &*mine);
  EXPECT_EQ(open_while_running, 2u);
  EXPECT_EQ(db().pool_stats().size, 1u);  // the ended thread's connection was closed
}

TEST_P(DatabaseTest, ThreadsMayOutliveTheDatabase) {
  if (is_postgres()) GTEST_SKIP() << "concerns SQLite's per-thread connections";
  std::atomic<int> step{0};
  std::atomic<bool> ok{false};
  auto doomed = open_another();
  std::thread worker([&] {
    doomed->execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)");
    step = 1;
    while (step.load() != 2) std::this_thread::yield();
    // The database this thread used is gone; a new one must not be confused with it.
    auto fresh = open_another();
    ok = fresh->query("SELECT COUNT(*) AS c FROM t")[0].get<int>("c") == 0;
  });
  while (step.load() != 1) std::this_thread::yield();
  doomed.reset();  // closes the worker's connection too
  step = 2;
  worker.join();
  EXPECT_TRUE(ok.load());
}

ZHENGWU_STORAGE_TEST_SUITE(DatabaseTest);

// ---------------------------------------------------------------------------------------
// Engine-free.

TEST(DatabaseValue, Conversions) {
  EXPECT_EQ(Value("42").as_int(), 42);
  EXPECT_EQ(Value("-7").as_int(), -7);
  EXPECT_EQ(Value(3.0).as_int(), 3);
  EXPECT_EQ(Value("2.5").as_double(), 2.5);
  EXPECT_EQ(Value(2).as_double(), 2.0);
  EXPECT_TRUE(std::isinf(Value("Infinity").as_double()));
  EXPECT_EQ(Value(0.1).as_text(), "0.1");
  EXPECT_EQ(Value(-12).as_text(), "-12");
  EXPECT_EQ(Value(true).as_int(), 1);
  EXPECT_TRUE(Value(std::optional<int>()).is_null());
  EXPECT_EQ(Value(std::optional<int>(5)).as_int(), 5);
  EXPECT_EQ(Value(std::string_view("sv")).as_text(), "sv");
  EXPECT_EQ(Value(Blob{1, 2}).as_blob(), (Blob{1, 2}));
}

TEST(DatabaseValue, ImpossibleConversionsThrow) {
  const std::vector<std::function<void()>> impossible = {
      [] { Value().as_int(); },         [] { Value().as_double(); },       [] { Value().as_text(); },
      [] { Value().as_blob(); },        [] { Value("4x").as_int(); },      [] { Value("").as_int(); },
      [] { Value("1e3").as_int(); },    [] { Value(2.5).as_int(); },       [] { Value(1e300).as_int(); },
      [] { Value("abc").as_double(); }, [] { Value(Blob{1}).as_text(); }, [] { Value("x").as_blob(); },
      [] { Value(Blob{}).as_int(); },
  };
  for (std::size_t i = 0; i < impossible.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(error_kind_of(impossible[i]), Error::Kind::other);
  }
  try {
    Value("4x").as_int();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'4x'"), std::string::npos) << e.what();
  }
}

TEST(DatabaseDialect, ExpandsTokensPerEngine) {
  auto db = Database::open("sqlite::memory:");
  EXPECT_EQ(db->expand_dialect("CREATE TABLE t (id {{pk}}, b {{blob}}, c {{blob}})"),
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB, c BLOB)");
}

TEST(DatabaseUrl, ParsesTheAcceptedForms) {
  DatabaseUrl abs = parse_database_url("sqlite:///var/lib/zhengwu/main.db");
  EXPECT_EQ(abs.kind, Kind::sqlite);
  EXPECT_EQ(abs.sqlite_path, "/var/lib/zhengwu/main.db");
  EXPECT_EQ(parse_database_url("sqlite://data/zhengwu.db").sqlite_path, "data/zhengwu.db");
  EXPECT_EQ(parse_database_url("sqlite:///tmp/with%20space%3F.db").sqlite_path, "/tmp/with space?.db");
  EXPECT_TRUE(parse_database_url("sqlite::memory:").sqlite_memory);
  for (const char* ok : {"postgres://db.example", "postgresql://u:p@h1:5432,h2:5433/zw?sslmode=disable",
                         "postgresql://[::1]:5432/zw", "postgresql:///zw?host=/var/run/postgresql",
                         "POSTGRESQL://u@host/db"}) {
    SCOPED_TRACE(ok);
    EXPECT_EQ(parse_database_url(ok).kind, Kind::postgres);
  }
}

TEST(DatabaseUrl, RedactsPasswords) {
  EXPECT_EQ(redact_password("postgresql://zw:secret@db:5432/zw"), "postgresql://zw@db:5432/zw");
  EXPECT_EQ(redact_password("postgresql://zw:secret@db/zw?password=x&sslmode=require"),
            "postgresql://zw@db/zw?sslmode=require");
  EXPECT_EQ(redact_password("postgresql://db/zw?PASSWORD=x"), "postgresql://db/zw");
  EXPECT_EQ(redact_password("postgresql:zw:secret@db/zw"), "postgresql:***@db/zw");
  EXPECT_EQ(redact_password("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
}

TEST(DatabaseUrl, MalformedUrlsAreRefusedReadably) {
  struct Case {
    const char* url;
    const char* says;  // part of the message
  };
  const Case cases[] = {
      {"", "empty database URL"},
      {"zhengwu.db", "no scheme"},
      {"mysql://u:pw@h/db", "unsupported scheme 'mysql'"},
      {"sqlite:", "expected sqlite:///"},
      {"sqlite:zhengwu.db", "expected sqlite:///"},
      {"sqlite://", "no file path"},
      {"sqlite:///var/lib/", "directory"},
      {"sqlite:///a.db?mode=ro", "no query"},
      {"sqlite:///a%zz.db", "hexadecimal"},
      {"postgresql:/u:pw@h/db", "expected sqlite:///"},
      {"postgresql://u:pw@h:port/db", "port 'port'"},
      {"postgresql://u:pw@h:99999/db", "port '99999'"},
      {"postgresql://u:pw@h:0/db", "port '0'"},
      {"postgresql://u:pw@[::1/db", "IPv6"},
      {"postgresql://u:pw@h/db/more", "single database name"},
      {"postgresql://u:pw@h/db?sslmode", "name=value"},
      {"postgresql://u:pw@h/db#frag", "fragment"},
      {"postgresql://u:pw@h/my db", "spaces"},
      {"postgresql://u:pw@h/db?no_such_option=1", "no_such_option"},  // libpq's check
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    try {
      Database::open(c.url);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      std::string what = e.what();
      EXPECT_EQ(e.kind(), Error::Kind::other);
      EXPECT_NE(what.find(c.says), std::string::npos) << what;
      EXPECT_EQ(what.find("pw"), std::string::npos) << "the password leaked: " << what;
      if (*c.url) {
        EXPECT_NE(what.find(redact_password(c.url)), std::string::npos) << "the URL is not named: " << what;
      }
    }
  }
}

TEST(DatabaseUrl, UnreachableServerIsAConnectionError) {
  try {
    Database::open("postgresql://zw:hunter2@127.0.0.1:1/zw?connect_timeout=2");
    ADD_FAILURE() << "connected to port 1";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::connection);
    std::string what = e.what();
    EXPECT_NE(what.find("postgresql://zw@127.0.0.1:1/zw"), std::string::npos) << what;
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
  }
}

TEST(DatabaseUrl, SqliteCreatesTheParentDirectory) {
  auto dir = std::filesystem::temp_directory_path() / ("zhengwu-url-" + std::to_string(std::random_device()()));
  auto file = dir / "nested" / "deeper" / "zw.db";
  {
    auto db = Database::open("sqlite://" + file.string());
    db->execute("CREATE TABLE t (x INTEGER)");
    EXPECT_EQ(db->query("PRAGMA journal_mode")[0].get<std::string>("journal_mode"), "wal");
    EXPECT_EQ(db->query("PRAGMA foreign_keys")[0].get<int>("foreign_keys"), 1);
    EXPECT_EQ(db->query("PRAGMA synchronous")[0].get<int>("synchronous"), 1);  // NORMAL
  }
  EXPECT_TRUE(std::filesystem::exists(file));
  std::filesystem::remove_all(dir);
}

// A writer that finds the write lock taken waits for it (in short steps, see
// wait_for_lock) and writes as soon as it is free; it gives up as busy only after the
// busy timeout.
TEST(SqliteBusyWait, AWriterWaitsForTheLockUntilTheBusyTimeout) {
  auto dir = std::filesystem::temp_directory_path() / ("zhengwu-busy-" + std::to_string(std::random_device()()));
  const std::string url = "sqlite://" + (dir / "zw.db").string();
  auto holder = Database::open(url, Options{.busy_timeout = 300ms});
  holder->execute("CREATE TABLE t (x INTEGER)");
  auto waiter = Database::open(url, Options{.busy_timeout = 300ms});

  auto hold_lock_for = [&](std::chrono::milliseconds held, std::atomic<bool>& taken) {
    return std::thread([&, held] {
      auto tx = holder->begin();
      tx.execute("INSERT INTO t VALUES (1)");
      taken = true;
      std::this_thread::sleep_for(held);
      tx.commit();
    });
  };
  {
    std::atomic<bool> taken{false};
    auto t = hold_lock_for(100ms, taken);
    while (!taken) std::this_thread::yield();
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(waiter->execute("INSERT INTO t VALUES (2)"), 1) << "written once the lock was free";
    EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
    t.join();
  }
  {
    std::atomic<bool> taken{false};
    auto t = hold_lock_for(800ms, taken);
    while (!taken) std::this_thread::yield();
    auto start = std::chrono::steady_clock::now();
    try {
      waiter->execute("INSERT INTO t VALUES (3)");
      ADD_FAILURE() << "wrote while another held the lock";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), Error::Kind::busy) << e.what();
    }
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_GE(waited, 290ms);
    EXPECT_LT(waited, 750ms);
    t.join();
  }
  holder.reset();
  waiter.reset();
  std::filesystem::remove_all(dir);
}

TEST(DatabaseUrl, SqliteRefusesAFileThatIsNoDatabase) {
  auto dir = std::filesystem::temp_directory_path() / ("zhengwu-url-" + std::to_string(std::random_device()()));
  std::filesystem::create_directories(dir);
  auto file = dir / "notes.txt";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("These are not the pages you are looking for, but they are long enough to be read.\n", f);
    for (int i = 0; i < 100; ++i) std::fputs("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", f);
    std::fclose(f);
  }
  try {
    Database::open("sqlite://" + file.string());
    ADD_FAILURE() << "opened a text file as a database";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::connection);
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(DatabaseUrl, SqliteMemoryIsSharedByThreadsAndPrivateToItsObject) {
  auto db = Database::open("sqlite::memory:");
  db->execute("CREATE TABLE t (x INTEGER)");
  db->execute("INSERT INTO t (x) VALUES (1)");
  int seen = 0;
  std::thread([&] { seen = db->query("SELECT COUNT(*) AS c FROM t")[0].get<int>("c"); }).join();
  EXPECT_EQ(seen, 1);
  auto other = Database::open("sqlite::memory:");
  EXPECT_THROW(other->query("SELECT * FROM t"), Error);
  db.reset();
  auto again = Database::open("sqlite::memory:");
  EXPECT_THROW(again->query("SELECT * FROM t"), Error);
}

TEST(StoragePlaceholderRewrite, NumbersOnlyRealPlaceholders) {
  struct Case {
    std::string sql;
    std::string expected;
    int parameters;
  };
  const std::vector<Case> cases = {
      {"SELECT ?", "SELECT $1", 1},
      {"INSERT INTO t VALUES (?, ?,?)", "INSERT INTO t VALUES ($1, $2,$3)", 3},
      {"SELECT x FROM t WHERE a=? AND b<>?", "SELECT x FROM t WHERE a=$1 AND b<>$2", 2},
      {"SELECT 'what?', ?", "SELECT 'what?', $1", 1},
      {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1},
      {"SELECT '', ?, ''", "SELECT '', $1, ''", 1},
      {R"(SELECT E'\' ?', ?)", R"(SELECT E'\' ?', $1)", 1},
      {R"(SELECT e'a\\', ?)", R"(SELECT e'a\\', $1)", 1},
      {R"(SELECT 'a\', ?)", R"(SELECT 'a\', $1)", 1},  // standard strings: no backslash escapes
      {R"(SELECT name'\', ?)", R"(SELECT name'\', $1)", 1},  // an identifier ending in e is no E''
      {R"(SELECT U&'d\0061t?', ?)", R"(SELECT U&'d\0061t?', $1)", 1},
      {R"(SELECT "id?" FROM t WHERE x = ?)", R"(SELECT "id?" FROM t WHERE x = $1)", 1},
      {R"(SELECT "a""?" , ?)", R"(SELECT "a""?" , $1)", 1},
      {"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2},
      {"SELECT 1 -- trailing ?", "SELECT 1 -- trailing ?", 0},
      {"SELECT /* ? /* nested ? */ still ? */ ?", "SELECT /* ? /* nested ? */ still ? */ $1", 1},
      {"SELECT ?::text, ?::int, CAST(? AS bigint)", "SELECT $1::text, $2::int, CAST($3 AS bigint)", 3},
      {"SELECT x::text FROM t WHERE y = ?", "SELECT x::text FROM t WHERE y = $1", 1},
      {"SELECT $$ ? $$, ?", "SELECT $$ ? $$, $1", 1},
      {"SELECT $tag$ it's ? $ $tag$, ?", "SELECT $tag$ it's ? $ $tag$, $1", 1},
      {"SELECT a$b, ?", "SELECT a$b, $1", 1},
      {"SELECT 'unterminated ?", "SELECT 'unterminated ?", 0},
      {"SELECT 1 /* unterminated ?", "SELECT 1 /* unterminated ?", 0},
      {"SELECT '杭州?', ? AS \"列?\"", "SELECT '杭州?', $1 AS \"列?\"", 1},
      {"", "", 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    postgres::NumberedSql got = postgres::to_numbered_placeholders(c.sql);
    EXPECT_EQ(got.text, c.expected);
    EXPECT_EQ(got.parameters, c.parameters);
  }
  std::string many;
  for (int i = 0; i < 12; ++i) many += i ? ",?" : "?";
  EXPECT_EQ(postgres::to_numbered_placeholders(many).text, "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12");
}

}  // namespace
}  // namespace zhengwu::db
