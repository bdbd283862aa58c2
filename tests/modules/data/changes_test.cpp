// Change tracking of the record tables on both engines: a change number on every insert
// and every change (none for an identical write), one counter per resource, the feed
// paged by number without skipping or repeating, tables made before change tracking
// numbered in the order they were written, and numbers handed out in commit order when
// two writers of one resource overlap.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "kernel/db/migrations.hpp"
#include "modules/data/record_store.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::data {
namespace {

using V = std::vector<std::optional<std::string>>;

class ChangeFeedTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), record_store_migrations(), clock_);
    store_ = std::make_unique<RecordStore>(db(), clock_);
    fields_ = {
        {"id_number", "公民身份号码", FieldType::id_number, {}, true, true, Sensitivity::sensitive, {}, {}},
        {"name", "姓名", FieldType::string, 50, true, false, Sensitivity::personal, {}, {}},
        {"children", "子女数", FieldType::integer, {}, false, false, Sensitivity::personal, {}, {}},
    };
    auto tx = db().begin();
    store_->ensure_tables(tx, 7, fields_);
    tx.commit();
  }

  UpsertCounts write(const std::vector<V>& rows, std::int64_t resource = 7, db::Database* on = nullptr) {
    std::vector<RecordValues> records;
    for (const auto& r : rows) records.push_back({r});
    auto& database = on ? *on : db();
    RecordStore store(database, clock_);
    auto tx = database.begin();
    auto counts = store.upsert(tx, resource, fields_, records, "330100-GAJ", 1);
    tx.commit();
    return counts;
  }

  std::int64_t seq_of(const std::string& key) {
    auto r = store_->get(7, fields_, key);
    EXPECT_TRUE(r) << key;
    return r ? r->seq : -1;
  }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
  std::unique_ptr<RecordStore> store_;
  std::vector<FieldSpec> fields_;
};

TEST_P(ChangeFeedTest, NumbersInsertsAndChangesButNotIdenticalWrites) {
  EXPECT_EQ(store_->last_seq(7), 0);
  write({{"11010519491231002X", "张三", "2"}, {"330106198805121237", "李四", std::nullopt}});
  EXPECT_EQ(seq_of("11010519491231002X"), 1);
  EXPECT_EQ(seq_of("330106198805121237"), 2);
  EXPECT_EQ(store_->last_seq(7), 2);

  // 张三 changes, 李四 is written again as it is: one call reserves a number per key.
  auto counts = write({{"11010519491231002X", "张三", "3"}, {"330106198805121237", "李四", std::nullopt}});
  EXPECT_EQ(counts.updated, 1u);
  EXPECT_EQ(counts.unchanged, 1u);
  EXPECT_EQ(seq_of("11010519491231002X"), 3) << "a change takes a new number";
  EXPECT_EQ(seq_of("330106198805121237"), 2) << "an identical write keeps the old one";
  EXPECT_EQ(store_->last_seq(7), 4) << "the unused number is a gap, never handed out again";

  auto all = store_->changes(7, fields_, 0, 100);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key, "330106198805121237") << "change order, each record once";
  EXPECT_EQ(all[1].key, "11010519491231002X");
  EXPECT_EQ(all[1].values[2], "3") << "with its current values";
  EXPECT_EQ(all[1].revision, 2);
  auto after = store_->changes(7, fields_, 2, 100);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].key, "11010519491231002X");
  EXPECT_TRUE(store_->changes(7, fields_, 3, 100).empty());
  EXPECT_EQ(store_->count_changes(7, 0), 2);
  EXPECT_EQ(store_->count_changes(7, 2), 1);

  // Another resource counts on its own.
  auto tx = db().begin();
  store_->ensure_tables(tx, 8, fields_);
  tx.commit();
  write({{"11010519491231002X", "张三", "2"}}, 8);
  EXPECT_EQ(store_->last_seq(8), 1);
  EXPECT_EQ(store_->last_seq(7), 4);
}

TEST_P(ChangeFeedTest, PagesCoverEveryChangeOnceInOrder) {
  std::vector<V> rows;
  for (int i = 0; i < 250; ++i) rows.push_back({"key-" + std::to_string(1000 + i), "n", std::to_string(i)});
  write(rows);
  // Some change again in a later write: they move to the end of the feed.
  write({{"key-1000", "n", "999"}, {"key-1100", "n", "999"}});
  std::set<std::string> seen;
  std::int64_t cursor = 0;
  int pages = 0;
  for (;;) {
    auto page = store_->changes(7, fields_, cursor, 100);
    if (page.empty()) break;
    ++pages;
    for (const auto& r : page) {
      EXPECT_GT(r.seq, cursor) << "numbers only grow along the feed";
      cursor = r.seq;
      EXPECT_TRUE(seen.insert(r.key).second) << r.key << " twice";
    }
  }
  EXPECT_EQ(seen.size(), 250u);
  EXPECT_EQ(pages, 3);
  auto last = store_->changes(7, fields_, 250, 100);
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0].key, "key-1000");
  EXPECT_EQ(last[1].key, "key-1100");
}

TEST_P(ChangeFeedTest, ATableFromBeforeChangeTrackingIsNumberedInTheOrderItWasWritten) {
  // The shape of rs_<id> before zw_seq, with three rows written at different times.
  const bool pg = is_postgres();
  db().execute("CREATE TABLE rs_4242 (zw_key TEXT PRIMARY KEY, \"id_number\" TEXT, \"name\" TEXT, \"children\" BIGINT, "
               "zw_source_org TEXT NOT NULL, zw_batch BIGINT, zw_updated_at BIGINT NOT NULL, zw_revision INTEGER NOT NULL)");
  db().execute("CREATE TABLE rs_4242_history (zw_key TEXT NOT NULL, zw_revision INTEGER NOT NULL, zw_values TEXT NOT "
               "NULL, zw_source_org TEXT NOT NULL, zw_batch BIGINT, zw_updated_at BIGINT NOT NULL, zw_replaced_at "
               "BIGINT NOT NULL, zw_replaced_by_batch BIGINT, PRIMARY KEY (zw_key, zw_revision))");
  for (auto [key, at] : {std::pair{"c", 300}, std::pair{"a", 200}, std::pair{"b", 100}})
    db().execute("INSERT INTO rs_4242 VALUES (?, ?, 'n', NULL, '330100-GAJ', NULL, ?, 1)",
                 {key, key, static_cast<std::int64_t>(at)});
  (void)pg;
  // The first write of a store brings it up to date (as the CLI's import would).
  write({{"d", "n", std::nullopt}}, 4242);
  auto feed = store_->changes(4242, fields_, 0, 10);
  ASSERT_EQ(feed.size(), 4u);
  EXPECT_EQ(feed[0].key, "b");
  EXPECT_EQ(feed[1].key, "a");
  EXPECT_EQ(feed[2].key, "c");
  EXPECT_EQ(feed[3].key, "d");
  EXPECT_EQ(feed[3].seq, 4) << "the sequence goes on after the numbered rows";
  EXPECT_EQ(store_->last_seq(4242), 4);
  // ensure_tables again changes nothing.
  auto tx = db().begin();
  store_->ensure_tables(tx, 4242, fields_);
  tx.commit();
  EXPECT_EQ(store_->changes(4242, fields_, 0, 10).size(), 4u);
}

TEST_P(ChangeFeedTest, AWriterThatCommitsLaterGetsLaterNumbers) {
  // Writer A takes its numbers and holds its transaction open; writer B (another
  // connection, as another request or node) must wait for A, so B's numbers come after
  // A's commit: a reader that has seen B's change has seen A's too.
  auto other = open_another();
  auto reader_db = open_another();
  RecordStore reader(*reader_db, clock_);
  RecordStore a_store(db(), clock_);
  auto a = db().begin();
  a_store.upsert(a, 7, fields_, {{V{"a", "n", std::nullopt}}}, "330100-GAJ", 1);
  std::atomic<bool> b_done{false};
  std::thread b([&] {
    write({{"b", "n", std::nullopt}}, 7, other.get());
    b_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(b_done) << "the second writer of the resource waits for the first";
  EXPECT_TRUE(reader.changes(7, fields_, 0, 10).empty()) << "nothing is visible before the commit";
  a.commit();
  b.join();
  auto feed = store_->changes(7, fields_, 0, 10);
  ASSERT_EQ(feed.size(), 2u);
  EXPECT_EQ(feed[0].key, "a");
  EXPECT_EQ(feed[1].key, "b");
  EXPECT_LT(feed[0].seq, feed[1].seq);
}

ZHENGWU_STORAGE_TEST_SUITE(ChangeFeedTest);

}  // namespace
}  // namespace zhengwu::data
