// Typed record tables on both engines: creation, additive columns, upserts that keep the
// previous version with its provenance, composite keys and keyword field names.
#include "modules/data/record_store.hpp"

#include <gtest/gtest.h>

#include "kernel/db/migrations.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::data {
namespace {

using V = std::vector<std::optional<std::string>>;

class RecordStoreTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), record_store_migrations(), clock_);
    store_ = std::make_unique<RecordStore>(db(), clock_);
    fields_ = {
        {"id_number", "公民身份号码", FieldType::id_number, {}, true, true, Sensitivity::sensitive, {}, {}},
        {"name", "姓名", FieldType::string, 50, true, false, Sensitivity::personal, {}, {}},
        {"born", "出生日期", FieldType::date, {}, false, false, Sensitivity::personal, {}, {}},
        {"children", "子女数", FieldType::integer, {}, false, false, Sensitivity::personal, {}, {}},
        {"allowance", "补贴", FieldType::decimal, {}, false, false, Sensitivity::sensitive, {}, {}},
        {"insured", "参保", FieldType::boolean, {}, false, false, Sensitivity::personal, {}, {}},
        {"order", "顺序（关键字作字段名）", FieldType::string, {}, false, false, Sensitivity::internal, {}, {}},
    };
    auto tx = db().begin();
    store_->ensure_tables(tx, 7, fields_);
    tx.commit();
  }

  UpsertCounts write(const std::vector<V>& rows, const std::string& org, std::int64_t batch) {
    std::vector<RecordValues> records;
    for (const auto& r : rows) records.push_back({r});
    auto tx = db().begin();
    auto counts = store_->upsert(tx, 7, fields_, records, org, batch);
    tx.commit();
    return counts;
  }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
  std::unique_ptr<RecordStore> store_;
  std::vector<FieldSpec> fields_;
};

TEST_P(RecordStoreTest, WritesTypedRowsAndKeepsEveryPreviousVersion) {
  auto first = write({{"11010519491231002X", "张三", "1949-12-31", "2", "1200.50", "true", "a"},
                      {"330106198805121237", "李四", std::nullopt, std::nullopt, std::nullopt, "false", std::nullopt}},
                     "330100-GAJ", 1);
  EXPECT_EQ(first.inserted, 2u);
  EXPECT_EQ(store_->count(7), 2);

  auto got = store_->get(7, fields_, "11010519491231002X");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->values, (V{"11010519491231002X", "张三", "1949-12-31", "2", "1200.50", "true", "a"}))
      << "read back exactly as written, whatever the engine's column types";
  EXPECT_EQ(got->source_org, "330100-GAJ");
  EXPECT_EQ(got->batch, 1);
  EXPECT_EQ(got->revision, 1);

  clock_.advance(std::chrono::hours(1));
  auto second = write({{"11010519491231002X", "张三", "1949-12-31", "3", "1200.50", "true", "a"},
                       {"330106198805121237", "李四", std::nullopt, std::nullopt, std::nullopt, "false", std::nullopt}},
                      "330100-MZJ", 2);
  EXPECT_EQ(second.updated, 1u);
  EXPECT_EQ(second.unchanged, 1u) << "the same values again are not a new version";
  got = store_->get(7, fields_, "11010519491231002X");
  EXPECT_EQ(got->values[3], "3");
  EXPECT_EQ(got->revision, 2);
  EXPECT_EQ(got->source_org, "330100-MZJ");
  auto history = store_->history(7, fields_, "11010519491231002X");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].values[3], "2") << "the previous version, with its own provenance";
  EXPECT_EQ(history[0].source_org, "330100-GAJ");
  EXPECT_EQ(history[0].batch, 1);
  EXPECT_EQ(history[0].revision, 1);
  EXPECT_TRUE(store_->history(7, fields_, "330106198805121237").empty());
  EXPECT_FALSE(store_->get(7, fields_, "none"));
}

TEST_P(RecordStoreTest, TheLastOfRepeatedKeysInOneCallWins) {
  auto counts = write({{"11010519491231002X", "张三", std::nullopt, "1", std::nullopt, std::nullopt, std::nullopt},
                       {"11010519491231002X", "张三丰", std::nullopt, "1", std::nullopt, std::nullopt, std::nullopt}},
                      "330100-GAJ", 1);
  EXPECT_EQ(counts.inserted, 1u);
  EXPECT_EQ(store_->get(7, fields_, "11010519491231002X")->values[1], "张三丰");
}

TEST_P(RecordStoreTest, AnAdditiveVersionAddsItsColumnsToTheLiveTable) {
  write({{"11010519491231002X", "张三", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}}, "GA", 1);
  fields_.push_back({"phone", "电话", FieldType::phone, {}, false, false, Sensitivity::personal, {}, {}});
  {
    auto tx = db().begin();
    store_->ensure_tables(tx, 7, fields_);
    store_->ensure_tables(tx, 7, fields_);  // idempotent
    tx.commit();
  }
  auto old = store_->get(7, fields_, "11010519491231002X");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->values.back(), std::nullopt) << "old rows have no value for the new field";
  write({{"11010519491231002X", "张三", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
          "13900000000"}},
        "GA", 2);
  EXPECT_EQ(store_->get(7, fields_, "11010519491231002X")->values.back(), "13900000000");
}

TEST_P(RecordStoreTest, CompositeKeysJoinTheirParts) {
  EXPECT_EQ(record_key({"a", "b"}), "a\x1f" "b");
  EXPECT_NE(record_key({"a\x1f" "b"}), record_key({"a", "b"})) << "unless a value holds the separator";
  std::vector<FieldSpec> fields{
      {"uscc", "统一社会信用代码", FieldType::uscc, {}, true, true, Sensitivity::public_, {}, {}},
      {"year", "年度", FieldType::integer, {}, true, true, Sensitivity::public_, {}, {}},
      {"revenue", "营收", FieldType::decimal, {}, false, false, Sensitivity::internal, {}, {}},
  };
  auto tx = db().begin();
  store_->ensure_tables(tx, 8, fields);
  auto counts = store_->upsert(tx, 8, fields,
                               {{{"91330106MA2H7K3T56", "2025", "10.5"}}, {{"91330106MA2H7K3T56", "2026", "12"}}},
                               "SC", std::nullopt);
  tx.commit();
  EXPECT_EQ(counts.inserted, 2u);
  auto got = store_->get(8, fields, record_key({"91330106MA2H7K3T56", "2026"}));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->values[2], "12");
  EXPECT_FALSE(got->batch.has_value());
}

TEST_P(RecordStoreTest, AFailedChunkLeavesNothing) {
  {
    auto tx = db().begin();
    store_->upsert(tx, 7, fields_, {{V{"11010519491231002X", "张三", std::nullopt, "1", std::nullopt, std::nullopt, std::nullopt}}},
                   "GA", 1);
    // Not committed: the chunk is rolled back with its transaction.
  }
  EXPECT_EQ(store_->count(7), 0);
  EXPECT_THROW(write({{"only one value"}}, "GA", 1), std::invalid_argument);
}

ZHENGWU_STORAGE_TEST_SUITE(RecordStoreTest);

}  // namespace
}  // namespace zhengwu::data
