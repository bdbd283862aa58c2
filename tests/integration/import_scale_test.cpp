// The data issue's import promises, end to end through `zhengwu import` on both engines:
//   - 10,000 rows with 37 bad ones of different kinds → 9,963 stored and the 37 reported
//     by line and reason; the corrected file → 10,000; the same file in GB18030 → the same;
//   - `kill -9` in the middle of an import: running the command again resumes after the
//     last committed chunk, with no duplicate and no half-applied chunk, and the audit
//     chain still verifies.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>

#include "kernel/db/database.hpp"
#include "support/accounts.hpp"
#include "support/encodings.hpp"
#include "support/engine_fixture.hpp"
#include "support/server_process.hpp"

extern char** environ;

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// A valid GB 11643 number for the i-th person: born 1950-01-01 + i/900 days, sequence i%900.
std::string id_number(int i) {
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char check[] = "10X98765432";
  const std::chrono::sys_days born = std::chrono::sys_days(std::chrono::year(1950) / 1 / 1) + std::chrono::days(i / 900);
  const std::chrono::year_month_day ymd(born);
  char base[32];  // 17 digits; room for what the compiler cannot rule out
  std::snprintf(base, sizeof base, "330106%04d%02u%02u%03d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), 100 + i % 900);
  int sum = 0;
  for (int k = 0; k < 17; ++k) sum += (base[k] - '0') * w[k];
  return std::string(base) + check[sum % 11];
}

struct Bad {
  int row;            // 0-based data row
  const char* field;  // the field named in the report
};

// 37 bad rows of seven kinds, spread through the file.
std::vector<Bad> bad_rows() {
  std::vector<Bad> out;
  const char* kinds[] = {"id_number", "birth_date", "gender", "name", "name", "phone", "household_division"};
  for (int k = 0; k < 37; ++k) out.push_back({137 + k * 263, kinds[k % 7]});
  return out;
}

std::string people(int rows, bool with_errors) {
  std::map<int, std::string> bad;
  if (with_errors)
    for (const auto& b : bad_rows()) bad[b.row] = b.field;
  std::string csv = "公民身份号码,姓名,性别,出生日期,户籍所在地,住址,联系电话\n";
  for (int i = 0; i < rows; ++i) {
    std::string id = id_number(i), name = "市民" + std::to_string(i), gender = i % 2 ? "男" : "女",
                birth = id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2), division = "330106",
                phone = "139" + std::to_string(10000000 + i);
    if (auto it = bad.find(i); it != bad.end()) {
      const std::string& f = it->second;
      const int kind = static_cast<int>(std::distance(bad.begin(), it)) % 7;
      if (f == "id_number") id[17] = id[17] == '0' ? '1' : '0';
      if (f == "birth_date") birth = "1990-02-30";
      if (f == "gender") gender = "未知代码";
      if (f == "name") name = kind == 3 ? "" : std::string(60 * 3, 'x');
      if (f == "phone") phone = "12345";
      if (f == "household_division") division = "999999";
    }
    csv += id + "," + name + "," + gender + "," + birth + "," + division + ",杭州市西湖区北山街道," + phone + "\n";
  }
  return csv;
}

json::value last_json_line(const std::string& out) {
  auto end = out.find_last_not_of('\n');
  auto start = out.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return json::parse(out.substr(start, end - start + 1));
}

class ImportScaleTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    db_ = db::Database::open(scratch_->url());
    table_ = "rs_" + std::to_string(db_->query("SELECT id FROM data_resources WHERE code = 'gaj.population'")[0]
                                        .get<std::int64_t>(0));
    // The demo imports its own records first; this test counts what its batches stored.
    demo_batches_ = db_->query("SELECT COALESCE(max(id), 0) FROM data_import_batches")[0].get<std::int64_t>(0);
  }
  std::string write(const std::string& name, const std::string& bytes) {
    auto p = (dir_.path() / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  std::int64_t stored() {
    return db_->query("SELECT count(*) FROM " + table_ + " WHERE zw_batch > ?", {demo_batches_})[0].get<std::int64_t>(0);
  }

  std::unique_ptr<db::Database> db_;
  std::string table_;
  std::int64_t demo_batches_ = 0;
};

TEST_P(ImportScaleTest, TenThousandRowsWithThirtySevenBadOnes) {
  auto first = run_zhengwu({"import", "gaj.population", write("people.csv", people(10'000, true))}, env_, 300s);
  ASSERT_EQ(first.exit_code, 0) << first.err.substr(0, 2000);
  auto summary = last_json_line(first.out);
  EXPECT_EQ(summary.at("accepted").as_int64(), 9'963);
  EXPECT_EQ(summary.at("rejected").as_int64(), 37);
  EXPECT_EQ(stored(), 9'963);
  // Every bad row is reported by its line (data row + 2: the header is line 1) and field.
  auto rejects = db_->query("SELECT line, errors FROM data_import_rejects WHERE batch_id = ? ORDER BY line",
                            {summary.at("batch").as_int64()});
  ASSERT_EQ(rejects.size(), 37u);
  const auto bad = bad_rows();
  for (std::size_t k = 0; k < bad.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(rejects[k].get<std::int64_t>(0), bad[k].row + 2);
    EXPECT_NE(rejects[k].get<std::string>(1).find(std::string("\"field\":\"") + bad[k].field + "\""), std::string::npos)
        << rejects[k].get<std::string>(1);
  }

  // The same file in GB18030: the same 37 refused, nothing new stored.
  auto gb = run_zhengwu({"import", "gaj.population", write("people-gb.csv", to_gb18030(people(10'000, true)))}, env_, 300s);
  ASSERT_EQ(gb.exit_code, 0) << gb.err.substr(0, 2000);
  EXPECT_EQ(last_json_line(gb.out).at("accepted").as_int64(), 9'963);
  EXPECT_EQ(last_json_line(gb.out).at("rejected").as_int64(), 37);
  EXPECT_EQ(stored(), 9'963);

  // Corrected and resubmitted: 10,000.
  auto fixed = run_zhengwu({"import", "gaj.population", write("people-fixed.csv", people(10'000, false))}, env_, 300s);
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err.substr(0, 2000);
  EXPECT_EQ(last_json_line(fixed.out).at("accepted").as_int64(), 10'000);
  EXPECT_EQ(last_json_line(fixed.out).at("rejected").as_int64(), 0);
  EXPECT_EQ(stored(), 10'000);
}

// The must-show at its size: 1,000,000 rows, killed with SIGKILL once at least
// 100,000 are in (20 chunks), then the same command again.
TEST_P(ImportScaleTest, KillNineMidwayThenResume) {
  constexpr int kRows = 1'000'000;
  constexpr std::int64_t kKillAfter = 100'000;
  const auto file = write("many.csv", people(kRows, false));
  // Start the import as its own process and kill it once some chunks are committed.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (const auto& [k, v] : env_) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string bin = ZHENGWU_BINARY, cmd = "import", res = "gaj.population", path = file;
  char* argv[] = {bin.data(), cmd.data(), res.data(), path.data(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv, envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  std::int64_t committed = 0;
  for (int i = 0; i < 12000 && committed < kKillAfter; ++i) {
    std::this_thread::sleep_for(5ms);
    auto rows = db_->query("SELECT last_line FROM data_import_batches WHERE id > ? ORDER BY id DESC LIMIT 1",
                           {demo_batches_});
    if (!rows.empty()) committed = rows[0].get<std::int64_t>(0);
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_GE(committed, kKillAfter) << "fewer rows than expected were committed before the kill";
  auto interrupted = db_->query(
      "SELECT state, last_line, accepted FROM data_import_batches WHERE id > ? ORDER BY id DESC LIMIT 1", {demo_batches_});
  ASSERT_EQ(interrupted.size(), 1u);
  if (interrupted[0].get<std::string>(0) == "done") GTEST_SKIP() << "the import finished before the kill";
  // Whole chunks only: what is stored is exactly what the batch says it applied.
  EXPECT_EQ(stored(), interrupted[0].get<std::int64_t>(2));
  EXPECT_EQ(interrupted[0].get<std::int64_t>(1) - 1, interrupted[0].get<std::int64_t>(2)) << "no rejects in this file";

  auto resumed = run_zhengwu({"import", "gaj.population", file}, env_, 300s);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err.substr(0, 2000);
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err.substr(0, 500);
  EXPECT_EQ(last_json_line(resumed.out).at("accepted").as_int64(), kRows);
  EXPECT_EQ(stored(), kRows) << "no duplicates, nothing missing";
  EXPECT_EQ(db_->query("SELECT count(*) FROM data_import_batches WHERE id > ?", {demo_batches_})[0].get<std::int64_t>(0), 1)
      << "the same batch";
  auto verify = run_zhengwu({"audit", "verify"}, env_);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

ZHENGWU_ENGINE_TEST_SUITE(ImportScale, ImportScaleTest);

}  // namespace
}  // namespace zhengwu::testing
