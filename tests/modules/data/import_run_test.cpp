// Running imports on both engines: rows stored with provenance, every rejected record kept
// with its line, raw values and reasons, the same result from a GB18030 file, and an
// interrupted run resumed without duplicates or half-applied chunks.
#include "modules/data/import_run.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>

#include "data_fixture.hpp"
#include "modules/data/record_store.hpp"
#include "support/encodings.hpp"
#include "support/server_process.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::data {
namespace {

namespace json = boost::json;

using zhengwu::testing::to_gb18030;

class ImportRunTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    test_support::prepare_data_tables(db(), clock_);
    if (HasFatalFailure()) return;
    catalog_ = std::make_unique<CatalogStore>(db(), clock_);
    ASSERT_TRUE(catalog_->put_code_table("gb2261.1", "人的性别代码", "GB/T 2261.1-2003",
                                         {{"1", "男性", {"男"}}, {"2", "女性", {"女"}}})
                    .ok());
    auto spec = parse_resource_spec(json::parse(R"({
      "code": "gaj.population", "name": "户籍人口", "provider": "330100-GAJ", "category": "base",
      "share_type": "conditional", "open_type": "closed", "update_cycle": "daily", "publish": true,
      "fields": [
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
        {"name": "name", "label": "姓名", "type": "string", "length": 20, "required": true, "sensitivity": "personal"},
        {"name": "gender", "label": "性别", "type": "code", "code_table": "gb2261.1", "sensitivity": "personal"},
        {"name": "born", "label": "出生日期", "type": "date", "sensitivity": "personal"}
      ]})"));
    ASSERT_TRUE(spec.ok());
    ASSERT_TRUE(catalog_->apply(*spec, "test").ok());
    runner_ = std::make_unique<ImportRunner>(db(), clock_, zone_, *catalog_, nullptr);
  }

  std::string write(const std::string& name, const std::string& bytes) {
    auto p = (dir_.path() / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  // Ten people: line 4 has a wrong check character, line 7 an impossible date.
  static std::string people() {
    return "公民身份号码,姓名,性别,出生日期\n"
           "11010519491231002X,张三,男,1949-12-31\n"
           "330106198805121237,李四,1,1988/5/12\n"
           "330106198805121233,王五,男,1988-05-12\n"
           "330102199003082343,赵六,女,1990年3月8日\n"
           "110105194912310046,钱七,2,1949-12-31\n"
           "330106200001010013,孙八,男,2000-02-30\n"
           "330106200001010021,周九,女,20000101\n"
           "330106199512120016,吴十,男,1995.12.12\n"
           "330106198001010013,郑一,男,1980-01-01\n";
  }

  std::int64_t resource_id() { return catalog_->get("gaj.population")->id; }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
  TimeZone zone_ = TimeZone::fixed("UTC+8", std::chrono::hours(8));
  zhengwu::testing::TempDir dir_;
  std::unique_ptr<CatalogStore> catalog_;
  std::unique_ptr<ImportRunner> runner_;
};

TEST_P(ImportRunTest, StoresGoodRowsAndKeepsEveryRejectedOne) {
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"people.csv", people()}, {"people-gb18030.csv", to_gb18030(people())}}) {
    SCOPED_TRACE(name);
    auto batch = runner_->run({"gaj.population", write(name, bytes), "", "", Encoding::detect, "", "gaj.clerk"});
    ASSERT_TRUE(batch.ok()) << batch.error().message;
    EXPECT_EQ(batch->state, BatchState::done) << batch->message;
    EXPECT_EQ(batch->records, 9);
    EXPECT_EQ(batch->accepted, 7);
    EXPECT_EQ(batch->rejected, 2);
    ImportBatches batches(db(), clock_);
    auto rejects = batches.rejects(batch->id, 0, 10, true);
    ASSERT_EQ(rejects.size(), 2u);
    EXPECT_EQ(rejects[0].line, 4);
    EXPECT_NE(rejects[0].errors.find("check character"), std::string::npos) << rejects[0].errors;
    EXPECT_NE(rejects[0].raw.find("王五"), std::string::npos) << "the raw values are kept for correction";
    EXPECT_EQ(rejects[1].line, 7);
    EXPECT_NE(rejects[1].errors.find("born"), std::string::npos) << rejects[1].errors;
  }
  RecordStore records(db(), clock_);
  EXPECT_EQ(records.count(resource_id()), 7) << "the second file changed nothing: same values";
  const auto fields = catalog_->get("gaj.population")->spec.fields;  // a copy: the Result is a temporary
  auto li = records.get(resource_id(), fields, "330106198805121237");
  ASSERT_TRUE(li);
  EXPECT_EQ(li->values[2], "1");
  EXPECT_EQ(li->values[3], "1988-05-12") << "standardised";
  EXPECT_EQ(li->source_org, "330100-GAJ");
}

TEST_P(ImportRunTest, AnInterruptedRunResumesWithoutDuplicates) {
  runner_->set_chunk_rows(3);
  const auto path = write("people.csv", people());
  int chunks = 0;
  auto stopped = runner_->run({"gaj.population", path, "", "", Encoding::utf8, "", "gaj.clerk"},
                              [&](const ImportBatch&, std::uint64_t) {
                                if (++chunks == 2) throw std::runtime_error("the process was killed");
                              });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, ErrorCode::busy);
  ImportBatches batches(db(), clock_);
  auto unfinished = batches.unfinished();
  ASSERT_EQ(unfinished.size(), 1u);
  EXPECT_EQ(unfinished[0].last_line, 7) << "two whole chunks of three records: lines 2-7";
  EXPECT_EQ(unfinished[0].records, 6);
  RecordStore records(db(), clock_);
  EXPECT_EQ(records.count(resource_id()), 4) << "lines 2, 3, 5, 6 (4 and 7 were rejected)";

  auto resumed = runner_->resume(unfinished[0].id);
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  EXPECT_EQ(resumed->state, BatchState::done);
  EXPECT_EQ(resumed->records, 9);
  EXPECT_EQ(resumed->accepted, 7);
  EXPECT_EQ(resumed->rejected, 2) << "no rejected record twice";
  EXPECT_EQ(records.count(resource_id()), 7);
  EXPECT_EQ(runner_->resume(unfinished[0].id).error().code, ErrorCode::conflict) << "done already";
}

TEST_P(ImportRunTest, RefusesWhatCannotStart) {
  EXPECT_EQ(runner_->run({"none", write("a.csv", people()), "", "", Encoding::detect, "", "x"}).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(runner_->run({"gaj.population", (dir_.path() / "missing.csv").string(), "", "", Encoding::detect, "", "x"})
                .error()
                .fields[0]
                .field,
            "file");
  EXPECT_EQ(runner_->run({"gaj.population", write("a.csv", people()), "", "xml", Encoding::detect, "", "x"})
                .error()
                .fields[0]
                .field,
            "format");
  EXPECT_EQ(runner_->run({"gaj.population", write("a.csv", people()), "", "", Encoding::detect, "330100-XX", "x"})
                .error()
                .fields[0]
                .field,
            "org");
  // An unusable header ends the batch as failed, saying why.
  auto bad = runner_->run({"gaj.population", write("b.csv", "姓名\n张三\n"), "", "", Encoding::detect, "", "x"});
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->state, BatchState::failed);
  EXPECT_NE(bad->message.find("id_number"), std::string::npos) << bad->message;
}

ZHENGWU_STORAGE_TEST_SUITE(ImportRunTest);

}  // namespace
}  // namespace zhengwu::data
