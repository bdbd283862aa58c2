// The calendar tables and snapshot, on SQLite and on PostgreSQL: shipped years load
// once and never over an operator's version, a year is replaced as a whole, readers keep
// the snapshot they took, and another node sees a change after reload().
#include "kernel/calendar/calendar_store.hpp"

#include <gtest/gtest.h>

#include <exception>
#include <functional>
#include <thread>

#include "calendar_test_support.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/migrations.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::calendar {
namespace {

using namespace std::chrono;
using testing::d;

// 2025-11-05 10:00 in Shanghai.
const TimePoint kNow = sys_days{year{2025} / November / day{5}} + hours{2};

CalendarYear year_2027() {
  auto year = parse_calendar_toml(R"(
year = 2027
[[holiday]]
name = "元旦"
dates = ["2027-01-01"]
[[holiday]]
name = "春节"
from = "2027-02-05"
to = "2027-02-11"
[[workday]]
name = "春节调休"
dates = ["2027-02-14", "2027-02-20"]
)");
  EXPECT_TRUE(year.ok());
  return year.ok() ? *year : CalendarYear{};
}

class CalendarStoreTest : public zhengwu::test::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), calendar_migrations(), clock_);
  }

  CalendarStore make_store(db::Database& database) {
    auto zone = TimeZone::load("Asia/Shanghai");
    EXPECT_TRUE(zone.ok());
    return CalendarStore(database, clock_, WorkingHours::standard(), *zone);
  }

  ManualClock clock_{kNow};
};

TEST(CalendarMigrationsTest, OneMigrationOfTheKernelCalendarModule) {
  auto migrations = calendar_migrations();
  ASSERT_EQ(migrations.size(), 1u);
  EXPECT_EQ(migrations[0].module, "kernel.calendar");
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_NE(migrations[0].sql.find("calendar_days"), std::string::npos);
  EXPECT_NE(migrations[0].sql.find("calendar_years"), std::string::npos);
}

TEST_P(CalendarStoreTest, LoadBringsTheShippedYears) {
  CalendarStore store = make_store(db());
  store.load();
  auto years = store.years();
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].year, 2025);
  EXPECT_EQ(years[0].source, "shipped: 国办发明电〔2024〕12号");
  EXPECT_EQ(years[0].loaded_at, "2025-11-05T10:00:00+08:00");
  EXPECT_EQ(years[0].holidays, 28);
  EXPECT_EQ(years[0].workdays, 5);
  EXPECT_EQ(years[1].year, 2026);
  EXPECT_EQ(years[1].holidays, 33);
  EXPECT_EQ(years[1].workdays, 6);

  auto answer = store.calendar()->add_working_days(d("2025-01-27"), 1);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(format_date(answer->value), "2025-02-05");
  EXPECT_FALSE(answer->provisional);
}

TEST_P(CalendarStoreTest, LoadingTwiceChangesNothing) {
  CalendarStore store = make_store(db());
  store.load();
  clock_.advance(hours{24});
  store.load();
  auto years = store.years();
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].loaded_at, "2025-11-05T10:00:00+08:00");  // not reloaded
  EXPECT_EQ(years[0].holidays, 28);
}

TEST_P(CalendarStoreTest, ShippedYearNeverReplacesTheOperatorsVersion) {
  CalendarStore store = make_store(db());
  // The operator corrected 2025 (an imaginary extra holiday) before this release ran.
  CalendarYear corrected = testing::shipped_calendar_years().at(0);
  corrected.days.push_back({d("2025-12-31"), DayKind::holiday, "测试"});
  ASSERT_TRUE(store.replace_year(corrected, "file: 2025.toml").ok());

  store.load();
  auto stored = store.year(2025);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->record.source, "file: 2025.toml");
  EXPECT_EQ(stored->record.holidays, 29);
  auto info = store.calendar()->day(d("2025-12-31"));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->kind, DayKind::holiday);
  EXPECT_EQ(store.years().size(), 2u);  // 2026 still came from the release
}

TEST_P(CalendarStoreTest, ReplaceYearSwapsTheWholeYear) {
  CalendarStore store = make_store(db());
  store.load();
  EXPECT_TRUE(store.calendar()->add_working_days(d("2027-02-04"), 1)->provisional);

  auto stored = store.replace_year(year_2027(), "api");
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->record.year, 2027);
  EXPECT_EQ(stored->record.source, "api");
  EXPECT_EQ(stored->record.holidays, 8);
  EXPECT_EQ(stored->record.workdays, 2);

  auto answer = store.calendar()->add_working_days(d("2027-02-04"), 1);  // Thursday
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(format_date(answer->value), "2027-02-12");  // over 5-11 Feb to Friday
  EXPECT_FALSE(answer->provisional);
  EXPECT_EQ(format_date(store.calendar()->add_working_days(d("2027-02-12"), 1)->value), "2027-02-14");  // Sunday

  // Again, with only New Year's Day: the Spring Festival days are gone.
  CalendarYear smaller{2027, {{d("2027-01-01"), DayKind::holiday, "元旦"}}};
  ASSERT_TRUE(store.replace_year(smaller, "api").ok());
  auto back = store.year(2027);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->calendar, smaller);
  EXPECT_EQ(format_date(store.calendar()->add_working_days(d("2027-02-04"), 1)->value), "2027-02-05");
}

TEST_P(CalendarStoreTest, YearReadsBackWhatWasStored) {
  CalendarStore store = make_store(db());
  store.load();
  auto stored = store.year(2025);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->calendar, testing::shipped_calendar_years().at(0));
  EXPECT_EQ(stored->record.loaded_at, "2025-11-05T10:00:00+08:00");

  auto missing = store.year(2027);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

TEST_P(CalendarStoreTest, InvalidYearIsRefusedAndChangesNothing) {
  CalendarStore store = make_store(db());
  store.load();
  auto before = store.calendar();
  CalendarYear bad{2027, {{d("2027-02-03"), DayKind::workday, "调休"}}};  // a Wednesday
  auto result = store.replace_year(bad, "api");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::invalid);
  EXPECT_EQ(result.error().fields.at(0).field, "days[0].date");
  EXPECT_EQ(store.calendar(), before);
  EXPECT_EQ(store.years().size(), 2u);
}

TEST_P(CalendarStoreTest, ReadersKeepTheirSnapshot) {
  CalendarStore store = make_store(db());
  store.load();
  std::shared_ptr<const WorkingCalendar> old = store.calendar();
  ASSERT_TRUE(store.replace_year(year_2027(), "api").ok());
  EXPECT_FALSE(old->is_loaded(2027));
  EXPECT_TRUE(store.calendar()->is_loaded(2027));
  EXPECT_NE(store.calendar(), old);
}

TEST_P(CalendarStoreTest, AnotherNodeSeesTheChangeAfterReload) {
  CalendarStore here = make_store(db());
  here.load();
  auto other_db = open_another();
  {
    CalendarStore there = make_store(*other_db);
    there.load();
    ASSERT_TRUE(here.replace_year(year_2027(), "api").ok());
    EXPECT_FALSE(there.calendar()->is_loaded(2027));
    there.reload();
    EXPECT_TRUE(there.calendar()->is_loaded(2027));
  }
  other_db.reset();
}

TEST_P(CalendarStoreTest, NodesStartingTogetherLoadEachYearOnce) {
  auto other_db = open_another();
  {
    CalendarStore a = make_store(db());
    CalendarStore b = make_store(*other_db);
    std::exception_ptr failed_a, failed_b;
    auto start = [](CalendarStore& store, std::exception_ptr& failed) {
      try {
        store.load();
      } catch (...) {
        failed = std::current_exception();
      }
    };
    std::thread ta(start, std::ref(a), std::ref(failed_a));
    std::thread tb(start, std::ref(b), std::ref(failed_b));
    ta.join();
    tb.join();
    ASSERT_FALSE(failed_a) << "node a failed to load";
    ASSERT_FALSE(failed_b) << "node b failed to load";
    auto years = a.years();
    ASSERT_EQ(years.size(), 2u);
    EXPECT_EQ(years[0].holidays, 28);
    EXPECT_EQ(years[1].holidays, 33);
    EXPECT_TRUE(b.calendar()->is_loaded(2026));
  }
  other_db.reset();
}

TEST_P(CalendarStoreTest, EmptyBeforeLoad) {
  CalendarStore store = make_store(db());
  ASSERT_NE(store.calendar(), nullptr);
  EXPECT_TRUE(store.calendar()->loaded_years().empty());
}

ZHENGWU_STORAGE_TEST_SUITE(CalendarStoreTest);

}  // namespace
}  // namespace zhengwu::calendar
