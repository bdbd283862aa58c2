// The `zhengwu calendar ...` command functions: output, warnings and exit codes.
#include "kernel/calendar/calendar_commands.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "calendar_test_support.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/migrations.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::calendar {
namespace {

using namespace std::chrono;

class CalendarCommandsTest : public zhengwu::test::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), calendar_migrations(), clock_);
    store_ = std::make_unique<CalendarStore>(db(), clock_);
    store_->load();
    std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : test_name) c = c == '/' ? '-' : c;  // "ImportToml/sqlite"
    dir_ = std::filesystem::temp_directory_path() /
           ("zhengwu-calendar-cmd-" + std::to_string(::getpid()) + "-" + test_name);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    StorageTest::TearDown();
  }

  std::string write(const std::string& name, const std::string& text) {
    auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  ManualClock clock_{sys_days{year{2025} / November / day{5}}};
  std::unique_ptr<CalendarStore> store_;
  std::filesystem::path dir_;
  std::ostringstream out_, err_;
};

TEST_P(CalendarCommandsTest, AddWorkingDays) {
  struct Row {
    std::string date, n;
    int code;
    std::string out;
    std::string err_part;
  };
  const std::vector<Row> rows = {
      {"2025-01-03", "1", 0, "2025-01-06\n", ""},
      {"2025-09-30", "1", 0, "2025-10-09\n", ""},
      {"2025-01-06", "-1", 0, "2025-01-03\n", ""},
      {"2026-12-31", "1", 0, "2027-01-01\n", "warning: provisional"},
      {"2025-02-30", "1", 2, "", "DATE: '2025-02-30' is not a date"},
      {"2025-01-03", "x", 2, "", "N: 'x' is not an integer between -10000 and 10000"},
      {"2025-01-03", "10001", 2, "", "N:"},
      {"2200-12-31", "5", 2, "", "days: the result would fall outside"},
  };
  for (const auto& r : rows) {
    std::ostringstream out, err;
    EXPECT_EQ(run_add_working_days(*store_, r.date, r.n, out, err), r.code) << r.date << " " << r.n;
    EXPECT_EQ(out.str(), r.out) << r.date << " " << r.n;
    if (r.err_part.empty()) {
      EXPECT_EQ(err.str(), "") << r.date << " " << r.n;
    } else {
      EXPECT_NE(err.str().find(r.err_part), std::string::npos) << err.str();
    }
  }
}

TEST_P(CalendarCommandsTest, WorkingDays) {
  EXPECT_EQ(run_working_days(*store_, "2025-01-02", "2025-02-06", out_, err_), 0);
  EXPECT_EQ(out_.str(), "20\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_working_days(*store_, "2025-01-02", "soon", out, err), 2);
  EXPECT_NE(err.str().find("TO:"), std::string::npos) << err.str();
}

TEST_P(CalendarCommandsTest, ImportToml) {
  std::string path = write("2027.toml", R"(
year = 2027
[[holiday]]
name = "元旦"
dates = ["2027-01-01"]
[[workday]]
name = "调休"
dates = ["2027-01-02"]
)");
  EXPECT_EQ(run_calendar_import(*store_, path, out_, err_), 0) << err_.str();
  EXPECT_NE(out_.str().find("calendar 2027 loaded"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("1 holidays, 1 make-up working days"), std::string::npos) << out_.str();
  auto stored = store_->year(2027);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->record.source, "file: 2027.toml");
  EXPECT_TRUE(store_->calendar()->is_loaded(2027));
}

TEST_P(CalendarCommandsTest, ImportJson) {
  std::string path = write("2027.json", R"({"year":2027,"holidays":[{"name":"元旦","dates":["2027-01-01"]}]})");
  EXPECT_EQ(run_calendar_import(*store_, path, out_, err_), 0) << err_.str();
  EXPECT_TRUE(store_->calendar()->is_loaded(2027));
}

TEST_P(CalendarCommandsTest, ImportRefusesBadFiles) {
  struct Row {
    std::string name, text;
    std::string err_part;
  };
  const std::vector<Row> rows = {
      {"2027.txt", "year = 2027\n", "must end in .toml or .json"},
      {"bad.toml", "year = 2027\n[[workday]]\nname = \"x\"\ndates = [\"2027-02-03\"]\n",
       "workday[0].dates[0]: 2027-02-03 is a Wednesday"},
      {"two.json", R"({"year":2027,"holidays":[{"name":"","dates":["2027-13-01"]}]})",
       "the calendar has 2 problems:\n  holidays[0].dates[0]"},
      {"syntax.toml", "year = = 1", "not valid TOML"},
  };
  for (const auto& r : rows) {
    std::ostringstream out, err;
    EXPECT_EQ(run_calendar_import(*store_, write(r.name, r.text), out, err), 2) << r.name;
    EXPECT_NE(err.str().find(r.err_part), std::string::npos) << r.name << ": " << err.str();
    EXPECT_EQ(out.str(), "");
  }
  std::ostringstream out, err;
  EXPECT_EQ(run_calendar_import(*store_, (dir_ / "missing.toml").string(), out, err), 2);
  EXPECT_NE(err.str().find("no such file"), std::string::npos);
  EXPECT_FALSE(store_->calendar()->is_loaded(2027));
}

TEST_P(CalendarCommandsTest, YearsAndExport) {
  EXPECT_EQ(run_calendar_years(*store_, out_, err_), 0);
  EXPECT_NE(out_.str().find("2025  28 holidays, 5 make-up working days"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("2026  33 holidays, 6 make-up working days"), std::string::npos) << out_.str();

  std::ostringstream exported, err;
  EXPECT_EQ(run_calendar_export(*store_, "2025", exported, err), 0) << err.str();
  auto back = parse_calendar_toml(exported.str());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, testing::shipped_calendar_years().at(0));

  std::ostringstream out2, err2;
  EXPECT_EQ(run_calendar_export(*store_, "2027", out2, err2), 2);
  EXPECT_NE(err2.str().find("not loaded"), std::string::npos);
  EXPECT_EQ(run_calendar_export(*store_, "next", out2, err2), 2);
}

ZHENGWU_STORAGE_TEST_SUITE(CalendarCommandsTest);

}  // namespace
}  // namespace zhengwu::calendar
