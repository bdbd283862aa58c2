// `zhengwu import RESOURCE FILE` as DESIGN.md fixes it, on both engines, against the demo
// catalog: the last stdout line is {"batch","accepted","rejected"}, exit 0 when the batch
// ran with rejected rows, GB18030 read like UTF-8, refusals with exit codes.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>

#include "support/accounts.hpp"
#include "support/encodings.hpp"
#include "support/engine_fixture.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;


json::value last_line(const std::string& out) {
  auto end = out.find_last_not_of('\n');
  auto start = out.rfind('\n', end);
  return json::parse(out.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1));
}

class ImportCliTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
  }
  std::string write(const std::string& name, const std::string& bytes) {
    auto p = (dir_.path() / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  // Four people, the third with a wrong check character and an unknown sex code.
  static std::string people() {
    return "公民身份号码,姓名,性别,出生日期,户籍所在地,住址,联系电话\n"
           "11010519491231002X,张三,男,1949-12-31,330106,杭州市西湖区北山街道,139 0000 0000\n"
           "330106198805121237,李四,女,1988/5/12,330106,西湖区北山街道,0571-87654321\n"
           "330106198805121233,王五,未知代码,1988-05-12,330106,,\n"
           "330102199003082343,赵六,2,1990年3月8日,330102,上城区清波街道,\n";
  }
};

TEST_P(ImportCliTest, ImportsAndReportsEveryRejectedRow) {
  auto r = run_zhengwu({"import", "gaj.population", write("people.csv", people())}, env_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = last_line(r.out);
  EXPECT_EQ(summary.at("accepted").as_int64(), 3);
  EXPECT_EQ(summary.at("rejected").as_int64(), 1);
  EXPECT_TRUE(summary.at("batch").is_int64());
  EXPECT_NE(r.err.find("line 4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("check character"), std::string::npos) << r.err;

  auto gb = run_zhengwu({"import", "gaj.population", write("people-gbk.csv", to_gb18030(people())), "--encoding",
                         "gb18030"},
                        env_);
  ASSERT_EQ(gb.exit_code, 0) << gb.err;
  EXPECT_EQ(last_line(gb.out).at("accepted").as_int64(), 3);
  EXPECT_EQ(last_line(gb.out).at("rejected").as_int64(), 1);
  auto detected = run_zhengwu({"import", "gaj.population", write("people-auto.csv", to_gb18030(people()))}, env_);
  ASSERT_EQ(detected.exit_code, 0) << detected.err;
  EXPECT_EQ(last_line(detected.out).at("accepted").as_int64(), 3) << "GB18030 recognised without being told";
}

TEST_P(ImportCliTest, RefusesWhatCannotRun) {
  const auto file = write("people.csv", people());
  auto bad_encoding = run_zhengwu({"import", "gaj.population", file, "--encoding", "latin1"}, env_);
  EXPECT_EQ(bad_encoding.exit_code, 2);
  EXPECT_NE(bad_encoding.err.find("--encoding"), std::string::npos);
  auto draft = run_zhengwu({"import", "ybj.medical_insurance", file}, env_);
  EXPECT_EQ(draft.exit_code, 1);
  EXPECT_NE(draft.err.find("published"), std::string::npos) << draft.err;
  auto unknown = run_zhengwu({"import", "none.such", file}, env_);
  EXPECT_EQ(unknown.exit_code, 1);
  auto bad_org = run_zhengwu({"import", "gaj.population", file, "--org", "330100-XX"}, env_);
  EXPECT_EQ(bad_org.exit_code, 2);
  auto missing = run_zhengwu({"import", "gaj.population", (dir_.path() / "none.csv").string()}, env_);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(missing.out.empty());
}

ZHENGWU_ENGINE_TEST_SUITE(Import, ImportCliTest);

}  // namespace
}  // namespace zhengwu::testing
