// Record queries on both engines (the exchange's FIELD=, .in, .from, .to, .prefix):
// typed comparisons whatever the engine's column types, LIKE wildcards taken literally,
// and keyset pages that cover every record once.
#include "modules/data/record_store.hpp"

#include <gtest/gtest.h>

#include <set>

#include "kernel/db/migrations.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::data {
namespace {

using V = std::vector<std::optional<std::string>>;
using Op = RecordFilter::Op;

class RecordQueryTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), record_store_migrations(), clock_);
    store_ = std::make_unique<RecordStore>(db(), clock_);
    fields_ = {
        {"code", "代码", FieldType::string, {}, true, true, Sensitivity::public_, {}, {}},
        {"born", "日期", FieldType::date, {}, false, false, Sensitivity::personal, {}, {}},
        {"children", "子女数", FieldType::integer, {}, false, false, Sensitivity::personal, {}, {}},
        {"allowance", "补贴", FieldType::decimal, {}, false, false, Sensitivity::sensitive, {}, {}},
        {"insured", "参保", FieldType::boolean, {}, false, false, Sensitivity::personal, {}, {}},
    };
    std::vector<RecordValues> rows{
        {V{"a_1", "1988-05-12", "2", "1200.50", "true"}},  {V{"ab%", "1990-03-08", "10", "99.00", "false"}},
        {V{"abc", "2001-01-01", "0", "1000", "true"}},      {V{"b", std::nullopt, std::nullopt, std::nullopt, "false"}},
        {V{"张三", "1949-12-31", "3", "20.5", "true"}},
    };
    auto tx = db().begin();
    store_->ensure_tables(tx, 3, fields_);
    store_->upsert(tx, 3, fields_, rows, "330100-GAJ", 1);
    tx.commit();
  }

  std::vector<std::string> keys(const std::vector<RecordFilter>& filters) {
    std::vector<std::string> out;
    for (const auto& r : store_->query(3, fields_, filters, std::nullopt, 100)) out.push_back(r.key);
    return out;
  }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
  std::unique_ptr<RecordStore> store_;
  std::vector<FieldSpec> fields_;
};

TEST_P(RecordQueryTest, FiltersCompareByType) {
  struct Row {
    const char* name;
    std::vector<RecordFilter> filters;
    std::vector<std::string> keys;
  };
  const std::vector<Row> rows{
      {"none", {}, {"a_1", "ab%", "abc", "b", "张三"}},
      {"equals text", {{0, Op::equals, {"abc"}}}, {"abc"}},
      {"in", {{0, Op::in, {"b", "张三", "missing"}}}, {"b", "张三"}},
      {"integer range is numeric, not textual", {{2, Op::from, {"3"}}}, {"ab%", "张三"}},
      {"integer to", {{2, Op::to, {"2"}}}, {"a_1", "abc"}},
      {"date range", {{1, Op::from, {"1950-01-01"}}, {1, Op::to, {"1990-03-08"}}}, {"a_1", "ab%"}},
      {"decimal equals its value", {{3, Op::equals, {"1200.50"}}}, {"a_1"}},
      {"boolean", {{4, Op::equals, {"false"}}}, {"ab%", "b"}},
      {"prefix", {{0, Op::prefix, {"ab"}}}, {"ab%", "abc"}},
      {"prefix % is literal", {{0, Op::prefix, {"ab%"}}}, {"ab%"}},
      {"prefix _ is literal", {{0, Op::prefix, {"a_"}}}, {"a_1"}},
      {"prefix Chinese", {{0, Op::prefix, {"张"}}}, {"张三"}},
  };
  for (const auto& r : rows) EXPECT_EQ(keys(r.filters), r.keys) << r.name;
}

TEST_P(RecordQueryTest, KeysetPagesCoverEveryRecordOnce) {
  std::set<std::string> seen;
  std::optional<std::string> after;
  int pages = 0;
  for (;;) {
    auto page = store_->query(3, fields_, {}, after, 2);
    ++pages;
    for (const auto& r : page) EXPECT_TRUE(seen.insert(r.key).second) << r.key << " twice";
    if (page.size() < 2) break;
    after = page.back().key;
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  auto one = store_->query(3, fields_, {{0, Op::equals, {"a_1"}}}, std::nullopt, 10);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].values, (V{"a_1", "1988-05-12", "2", "1200.50", "true"}));
  EXPECT_EQ(one[0].source_org, "330100-GAJ");
}

ZHENGWU_STORAGE_TEST_SUITE(RecordQueryTest);

}  // namespace
}  // namespace zhengwu::data
