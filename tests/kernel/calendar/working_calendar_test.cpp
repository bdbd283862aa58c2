// Working-day arithmetic (行政许可法 Art. 82) against the published 2025 and 2026
// calendars. Every expected date below was worked out by hand from the month calendars
// (`cal 1 2025`, ...) and the State Council notices, not from this code:
//
//   January 2025            September 2025          October 2025
//   Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su
//          1  2  3  4  5     1  2  3  4  5  6  7           1  2  3  4  5
//    6  7  8  9 10 11 12     8  9 10 11 12 13 14     6  7  8  9 10 11 12
//   13 14 15 16 17 18 19    15 16 17 18 19 20 21    13 14 15 16 17 18 19
//   20 21 22 23 24 25 26    22 23 24 25 26 27 28    20 21 22 23 24 25 26
//   27 28 29 30 31          29 30                   27 28 29 30 31
//
// 2025: holidays 1 Jan; 28 Jan-4 Feb (make-up Sun 26 Jan, Sat 8 Feb); 4-6 Apr; 1-5 May
// (make-up Sun 27 Apr); 31 May-2 Jun; 1-8 Oct (make-up Sun 28 Sep, Sat 11 Oct).
// 2026: 1-3 Jan (make-up Sun 4 Jan); 15-23 Feb (make-up Sat 14 Feb, Sat 28 Feb); ...
#include "kernel/calendar/working_calendar.hpp"

#include <gtest/gtest.h>

#include "calendar_test_support.hpp"

namespace zhengwu::calendar {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::d;
using testing::shipped_calendar;
using testing::text;

struct AddRow {
  const char* from;
  int n;
  const char* expected;
  bool provisional = false;
};

TEST(WorkingCalendarTest, AddWorkingDays) {
  const WorkingCalendar cal = shipped_calendar();
  const std::vector<AddRow> rows = {
      // ordinary weeks
      {"2025-01-03", 1, "2025-01-06"},   // Friday -> Monday (DOMAIN.md's example)
      {"2025-01-06", 1, "2025-01-07"},
      {"2025-01-06", 5, "2025-01-13"},
      {"2025-01-04", 1, "2025-01-06"},   // from a Saturday
      {"2025-01-05", 1, "2025-01-06"},   // from a Sunday
      {"2025-03-14", 1, "2025-03-17"},
      // New Year's Day 2025 (Wednesday)
      {"2024-12-31", 1, "2025-01-02"},   // the start day's year is not examined
      // Spring Festival 2025
      {"2025-01-24", 1, "2025-01-26"},   // Friday -> the Sunday make-up day
      {"2025-01-25", 1, "2025-01-26"},
      {"2025-01-26", 1, "2025-01-27"},   // from a make-up day
      {"2025-01-27", 1, "2025-02-05"},   // over 28 Jan - 4 Feb
      {"2025-01-27", 2, "2025-02-06"},
      {"2025-02-07", 1, "2025-02-08"},   // Friday -> the Saturday make-up day
      {"2025-02-08", 1, "2025-02-10"},   // from a make-up day
      // Qingming, Labour Day, Dragon Boat 2025
      {"2025-04-03", 1, "2025-04-07"},
      {"2025-04-25", 1, "2025-04-27"},   // Sunday make-up day
      {"2025-04-30", 1, "2025-05-06"},
      {"2025-05-30", 1, "2025-06-03"},
      // National Day and Mid-Autumn 2025
      {"2025-09-26", 1, "2025-09-28"},   // Friday -> the Sunday make-up day
      {"2025-09-28", 1, "2025-09-29"},
      {"2025-09-30", 1, "2025-10-09"},   // over 1-8 Oct
      {"2025-10-10", 1, "2025-10-11"},   // Friday -> the Saturday make-up day
      {"2025-10-11", 1, "2025-10-13"},
      // 20 working days (the statutory decision limit) from several dates
      {"2025-01-02", 20, "2025-02-06"},
      {"2025-04-21", 20, "2025-05-21"},
      {"2025-09-15", 20, "2025-10-17"},
      {"2025-12-22", 20, "2026-01-20"},  // across New Year 2026 and its make-up Sunday
      {"2025-06-03", 20, "2025-07-01"},
      // 2026
      {"2025-12-31", 1, "2026-01-04"},   // 1-3 Jan off, Sunday 4 Jan works
      {"2026-02-13", 1, "2026-02-14"},
      {"2026-02-14", 1, "2026-02-24"},   // over 15-23 Feb
      {"2026-02-27", 1, "2026-02-28"},
      {"2026-09-30", 1, "2026-10-08"},
      {"2026-10-09", 1, "2026-10-10"},
      // zero: the date itself, even a holiday
      {"2025-01-01", 0, "2025-01-01"},
      {"2025-01-06", 0, "2025-01-06"},
      // backwards: the n-th working day before
      {"2025-01-06", -1, "2025-01-03"},
      {"2025-02-05", -1, "2025-01-27"},
      {"2025-01-27", -1, "2025-01-26"},
      {"2025-10-09", -1, "2025-09-30"},
      {"2025-09-29", -1, "2025-09-28"},
      {"2025-02-06", -20, "2025-01-02"},
      {"2025-10-17", -20, "2025-09-15"},
      {"2026-01-20", -20, "2025-12-22"},
      // years without a loaded calendar: Monday to Friday only, provisional
      {"2025-01-02", -1, "2024-12-31", true},
      {"2026-12-31", 1, "2027-01-01", true},  // 2027-01-01 is a Friday
      {"2027-03-01", 5, "2027-03-08", true},
      {"2026-12-30", 1, "2026-12-31", false},
  };
  for (const auto& r : rows) {
    auto answer = cal.add_working_days(d(r.from), r.n);
    ASSERT_TRUE(answer.ok()) << r.from << " + " << r.n << ": " << answer.error().message;
    EXPECT_EQ(format_date(answer->value), r.expected) << r.from << " + " << r.n;
    EXPECT_EQ(answer->provisional, r.provisional) << r.from << " + " << r.n;
  }
}

struct BetweenRow {
  const char* from;
  const char* to;
  int expected;
  bool provisional = false;
};

TEST(WorkingCalendarTest, WorkingDaysBetween) {
  const WorkingCalendar cal = shipped_calendar();
  const std::vector<BetweenRow> rows = {
      {"2025-01-03", "2025-01-06", 1},
      {"2025-01-06", "2025-01-06", 0},
      {"2025-01-04", "2025-01-05", 0},   // a weekend
      {"2025-01-24", "2025-01-26", 1},   // the Sunday make-up day counts
      {"2025-01-27", "2025-02-05", 1},
      {"2025-09-30", "2025-10-08", 0},   // the whole holiday
      {"2025-01-02", "2025-02-06", 20},
      {"2025-09-15", "2025-10-17", 20},
      // 261 weekdays - 18 weekday holidays + 5 make-up days
      {"2024-12-31", "2025-12-31", 248},
      // 2026: 261 weekdays - 19 weekday holidays + 6 make-up days
      {"2025-12-31", "2026-12-31", 248},
      // mirrored
      {"2025-01-06", "2025-01-03", -1},
      {"2025-02-06", "2025-01-02", -20},
      {"2025-12-31", "2024-12-31", -248},
      // provisional years
      {"2026-12-25", "2027-01-05", 7, true},  // 28-31 Dec 2026, 1, 4, 5 Jan 2027
      {"2024-12-30", "2025-01-02", 2, true},  // 31 Dec 2024 and 2 Jan 2025
      {"2025-01-01", "2025-01-01", 0, false},
  };
  for (const auto& r : rows) {
    auto answer = cal.working_days_between(d(r.from), d(r.to));
    ASSERT_TRUE(answer.ok()) << r.from << ".." << r.to << ": " << answer.error().message;
    EXPECT_EQ(answer->value, r.expected) << r.from << ".." << r.to;
    EXPECT_EQ(answer->provisional, r.provisional) << r.from << ".." << r.to;
  }
}

TEST(WorkingCalendarTest, BetweenAndAddAgree) {
  // Forwards, add_working_days(from, n) is the first date whose count from `from` is n.
  const WorkingCalendar cal = shipped_calendar();
  for (const char* from : {"2025-01-02", "2025-01-26", "2025-09-26", "2025-12-22", "2026-02-13", "2025-01-04", "2025-10-01"}) {
    for (int n : {1, 2, 5, 10, 20, 45, -1, -5, -20}) {
      auto target = cal.add_working_days(d(from), n);
      ASSERT_TRUE(target.ok());
      auto count = cal.working_days_between(d(from), target->value);
      ASSERT_TRUE(count.ok());
      // Backwards, (target, from] holds the |n| - 1 working days strictly between
      // them and `from` itself when that is a working day.
      bool from_works = cal.day(d(from))->working;
      int expected = n > 0 ? n : n + (from_works ? 0 : 1);
      EXPECT_EQ(count->value, expected) << from << " + " << n;
    }
  }
}

TEST(WorkingCalendarTest, DescribesDays) {
  const WorkingCalendar cal = shipped_calendar();
  struct Row {
    const char* date;
    DayKind kind;
    bool working;
    const char* name;
    bool provisional = false;
  };
  const std::vector<Row> rows = {
      {"2025-01-06", DayKind::weekday, true, ""},
      {"2025-01-04", DayKind::weekend, false, ""},
      {"2025-01-01", DayKind::holiday, false, "元旦"},
      {"2025-01-28", DayKind::holiday, false, "春节"},
      {"2025-02-01", DayKind::holiday, false, "春节"},  // a Saturday inside the holiday
      {"2025-01-26", DayKind::workday, true, "春节调休"},
      {"2025-10-11", DayKind::workday, true, "国庆节、中秋节调休"},
      {"2026-02-28", DayKind::workday, true, "春节调休"},
      {"2026-09-25", DayKind::holiday, false, "中秋节"},
      {"2027-01-01", DayKind::weekday, true, "", true},
      {"2027-01-02", DayKind::weekend, false, "", true},
  };
  for (const auto& r : rows) {
    auto info = cal.day(d(r.date));
    ASSERT_TRUE(info.ok()) << r.date;
    EXPECT_EQ(format_date(info->date), r.date);
    EXPECT_EQ(info->kind, r.kind) << r.date;
    EXPECT_EQ(info->working, r.working) << r.date;
    EXPECT_EQ(info->name, r.name) << r.date;
    EXPECT_EQ(info->provisional, r.provisional) << r.date;
  }
}

TEST(WorkingCalendarTest, EmptyCalendarIsProvisionalEverywhere) {
  const WorkingCalendar cal;
  auto answer = cal.add_working_days(d("2025-01-27"), 1);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(format_date(answer->value), "2025-01-28");  // the holiday is unknown here
  EXPECT_TRUE(answer->provisional);
  EXPECT_TRUE(cal.loaded_years().empty());
}

TEST(WorkingCalendarTest, RefusesAbsurdInputs) {
  const WorkingCalendar cal = shipped_calendar();
  struct Row {
    const char* what;
    Result<Answer<Date>> result;
    const char* field;
  };
  const std::vector<Row> rows = {
      {"n too large", cal.add_working_days(d("2025-01-06"), 10001), "days"},
      {"n too small", cal.add_working_days(d("2025-01-06"), -10001), "days"},
      {"from before 1900", cal.add_working_days(Date{std::chrono::year{1899} / 12 / 31}, 1), "from"},
      {"from after 2200", cal.add_working_days(Date{std::chrono::year{2201} / 1 / 1}, 1), "from"},
      {"not a date", cal.add_working_days(Date{std::chrono::year{2025} / 2 / 30}, 1), "from"},
      {"result after 2200", cal.add_working_days(d("2200-12-30"), 10), "days"},
      {"result before 1900", cal.add_working_days(d("1900-01-02"), -10), "days"},
  };
  for (const auto& r : rows) {
    ASSERT_FALSE(r.result.ok()) << r.what;
    EXPECT_EQ(r.result.error().code, ErrorCode::invalid) << r.what;
    ASSERT_EQ(r.result.error().fields.size(), 1u) << r.what;
    EXPECT_EQ(r.result.error().fields[0].field, r.field) << r.what << ": " << r.result.error().message;
  }
  auto between = cal.working_days_between(d("2025-01-01"), Date{std::chrono::year{2300} / 1 / 1});
  ASSERT_FALSE(between.ok());
  EXPECT_EQ(between.error().fields[0].field, "to");
  EXPECT_FALSE(cal.day(Date{std::chrono::year{1800} / 1 / 1}).ok());
}

TEST(WorkingCalendarTest, LargestInputsFinish) {
  const WorkingCalendar cal = shipped_calendar();
  auto forward = cal.add_working_days(d("2025-01-01"), 10000);
  ASSERT_TRUE(forward.ok());
  EXPECT_TRUE(forward->provisional);
  auto back = cal.working_days_between(d("1900-01-01"), d("2200-12-31"));
  ASSERT_TRUE(back.ok());
  EXPECT_GT(back->value, 75000);
  EXPECT_TRUE(back->provisional);
}

TEST(WorkingCalendarTest, CreateRefusesInconsistentDays) {
  struct Row {
    const char* what;
    std::vector<SpecialDay> days;
    std::set<int> years;
  };
  const std::vector<Row> rows = {
      {"year not loaded", {{d("2027-01-01"), DayKind::holiday, "元旦"}}, {2025}},
      {"listed twice",
       {{d("2025-01-01"), DayKind::holiday, "元旦"}, {d("2025-01-01"), DayKind::workday, "x"}},
       {2025}},
      {"not a special kind", {{d("2025-01-01"), DayKind::weekday, "x"}}, {2025}},
      {"year out of range", {}, {1800}},
  };
  for (const auto& r : rows) {
    auto cal = WorkingCalendar::create(r.days, r.years);
    ASSERT_FALSE(cal.ok()) << r.what;
    EXPECT_EQ(cal.error().code, ErrorCode::invalid) << r.what;
  }
}

TEST(WorkingCalendarTest, SpecialDaysOfAYear) {
  const WorkingCalendar cal = shipped_calendar();
  auto days = cal.special_days(2025);
  EXPECT_EQ(days.size(), 28u + 5u);  // 28 days off, 5 make-up days
  EXPECT_EQ(format_date(days.front().date), "2025-01-01");
  EXPECT_EQ(format_date(days.back().date), "2025-10-11");
  EXPECT_TRUE(cal.special_days(2027).empty());
  EXPECT_TRUE(cal.is_loaded(2026));
  EXPECT_FALSE(cal.is_loaded(2027));
}

// ---- working hours ----

struct HoursRow {
  LocalTime from;
  int minutes;
  LocalTime expected;
  bool provisional = false;
};

TEST(WorkingCalendarTest, AddWorkingHours) {
  const WorkingCalendar cal = shipped_calendar();  // 09:00-12:00, 13:00-17:00
  const std::vector<HoursRow> rows = {
      {at("2025-01-06", 9, 0), 60, at("2025-01-06", 10, 0)},
      {at("2025-01-06", 11, 30), 60, at("2025-01-06", 13, 30)},   // across lunch
      {at("2025-01-06", 12, 30), 30, at("2025-01-06", 13, 30)},   // starts in the lunch break
      {at("2025-01-06", 9, 0), 180, at("2025-01-06", 12, 0)},     // ends exactly at lunch
      {at("2025-01-06", 9, 0), 420, at("2025-01-06", 17, 0)},     // one full day ends at 17:00
      {at("2025-01-06", 9, 0), 421, at("2025-01-07", 9, 1)},
      {at("2025-01-06", 16, 30), 60, at("2025-01-07", 9, 30)},    // across the night
      {at("2025-01-06", 17, 0), 1, at("2025-01-07", 9, 1)},
      {at("2025-01-06", 7, 0), 1, at("2025-01-06", 9, 1)},        // before office hours
      {at("2025-01-06", 23, 59), 5, at("2025-01-07", 9, 5)},
      {at("2025-01-06", 9, 0), 840, at("2025-01-07", 17, 0)},     // two days
      {at("2025-01-06", 9, 0, 30), 1, at("2025-01-06", 9, 1, 30)},  // seconds are kept
      {at("2025-01-03", 16, 0), 120, at("2025-01-06", 10, 0)},    // across a weekend
      {at("2025-01-05", 10, 0), 30, at("2025-01-06", 9, 30)},     // from a Sunday
      {at("2025-01-27", 16, 0), 120, at("2025-02-05", 10, 0)},    // across Spring Festival
      {at("2025-01-24", 17, 0), 60, at("2025-01-26", 10, 0)},     // onto the Sunday make-up day
      {at("2025-09-30", 16, 30), 30, at("2025-09-30", 17, 0)},
      {at("2025-09-30", 16, 30), 31, at("2025-10-09", 9, 1)},     // across National Day
      {at("2025-01-06", 8, 0), 0, at("2025-01-06", 8, 0)},        // nothing to add
      {at("2026-12-31", 16, 0), 120, at("2027-01-01", 10, 0), true},
  };
  for (const auto& r : rows) {
    auto answer = cal.add_working_hours(r.from, std::chrono::minutes{r.minutes});
    ASSERT_TRUE(answer.ok()) << text(r.from) << " + " << r.minutes << "min: " << answer.error().message;
    EXPECT_EQ(text(answer->value), text(r.expected)) << text(r.from) << " + " << r.minutes << "min";
    EXPECT_EQ(answer->provisional, r.provisional) << text(r.from);
  }
}

struct SpanRow {
  LocalTime a, b;
  int expected;
  bool provisional = false;
};

TEST(WorkingCalendarTest, WorkingTimeBetween) {
  const WorkingCalendar cal = shipped_calendar();
  const std::vector<SpanRow> rows = {
      {at("2025-01-06", 9, 0), at("2025-01-06", 17, 0), 420},
      {at("2025-01-06", 0, 0), at("2025-01-07", 0, 0), 420},
      {at("2025-01-06", 11, 0), at("2025-01-06", 14, 0), 120},   // across lunch
      {at("2025-01-06", 12, 10), at("2025-01-06", 12, 50), 0},   // inside lunch
      {at("2025-01-06", 16, 0), at("2025-01-07", 10, 0), 120},   // across the night
      {at("2025-01-03", 16, 0), at("2025-01-06", 10, 0), 120},   // across a weekend
      {at("2025-01-27", 16, 0), at("2025-02-05", 10, 0), 120},   // across Spring Festival
      {at("2025-01-25", 0, 0), at("2025-01-27", 0, 0), 420},     // the Sunday make-up day
      {at("2025-01-06", 9, 0), at("2025-01-06", 9, 0, 59), 0},   // seconds are cut
      {at("2025-01-06", 9, 0), at("2025-01-06", 9, 1, 59), 1},
      {at("2025-01-06", 10, 0), at("2025-01-06", 9, 0), -60},    // mirrored
      {at("2025-01-06", 14, 0), at("2025-01-06", 11, 0), -120},
      {at("2025-01-06", 9, 0), at("2025-01-06", 9, 0), 0},
      {at("2026-12-31", 16, 0), at("2027-01-01", 10, 0), 120, true},
  };
  for (const auto& r : rows) {
    auto answer = cal.working_time_between(r.a, r.b);
    ASSERT_TRUE(answer.ok()) << text(r.a) << ".." << text(r.b) << ": " << answer.error().message;
    EXPECT_EQ(answer->value.count(), r.expected) << text(r.a) << ".." << text(r.b);
    EXPECT_EQ(answer->provisional, r.provisional) << text(r.a) << ".." << text(r.b);
  }
}

TEST(WorkingCalendarTest, AddWorkingHoursAndTimeBetweenAgree) {
  const WorkingCalendar cal = shipped_calendar();
  for (LocalTime from : {at("2025-01-06", 8, 0), at("2025-01-24", 16, 45), at("2025-09-30", 12, 30)}) {
    for (int m : {1, 59, 180, 420, 1000, 5000}) {
      auto end = cal.add_working_hours(from, std::chrono::minutes{m});
      ASSERT_TRUE(end.ok());
      auto span = cal.working_time_between(from, end->value);
      ASSERT_TRUE(span.ok());
      EXPECT_EQ(span->value.count(), m) << text(from) << " + " << m;
    }
  }
}

TEST(WorkingCalendarTest, WorkingHoursAreConfigurable) {
  auto hours = WorkingHours::parse("08:30-12:00, 14:30-18:00");
  ASSERT_TRUE(hours.ok()) << hours.error().message;
  const WorkingCalendar cal = shipped_calendar(*hours);
  auto answer = cal.add_working_hours(at("2025-01-06", 11, 0), std::chrono::minutes{90});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(text(answer->value), text(at("2025-01-06", 15, 0)));
  auto span = cal.working_time_between(at("2025-01-06", 0, 0), at("2025-01-07", 0, 0));
  ASSERT_TRUE(span.ok());
  EXPECT_EQ(span->value.count(), 420);
}

TEST(WorkingCalendarTest, WorkingHoursRefuseAbsurdInputs) {
  const WorkingCalendar cal = shipped_calendar();
  auto negative = cal.add_working_hours(at("2025-01-06", 9, 0), std::chrono::minutes{-1});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().fields[0].field, "minutes");
  auto huge = cal.add_working_hours(at("2025-01-06", 9, 0), std::chrono::minutes{420 * 10000 + 1});
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().fields[0].field, "minutes");
  auto largest = cal.add_working_hours(at("2025-01-06", 9, 0), std::chrono::minutes{420 * 10000});
  EXPECT_TRUE(largest.ok());
  auto late = cal.add_working_hours(at("2201-01-01", 9, 0), std::chrono::minutes{1});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().fields[0].field, "from");
  auto past_end = cal.add_working_hours(at("2200-12-31", 16, 0), std::chrono::minutes{120});
  ASSERT_FALSE(past_end.ok());
  EXPECT_EQ(past_end.error().fields[0].field, "minutes");
  auto span = cal.working_time_between(at("2025-01-06", 9, 0), at("1899-12-31", 9, 0));
  ASSERT_FALSE(span.ok());
  EXPECT_EQ(span.error().fields[0].field, "to");
}

TEST(CalendarWorkingHoursTest, StandardHours) {
  WorkingHours h = WorkingHours::standard();
  EXPECT_EQ(h.per_day(), 420min);
  EXPECT_EQ(h.to_string(), "09:00-12:00,13:00-17:00");
  auto parsed = parse_working_hours({"09:00-12:00", "13:00-17:00"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->periods(), h.periods());
}

TEST(CalendarWorkingHoursTest, RefusesBadPeriods) {
  struct Row {
    std::vector<std::string> periods;
    const char* field;
    const char* message_part;
  };
  const std::vector<Row> rows = {
      {{}, "working_hours", "at least one"},
      {{"9-12"}, "working_hours[0]", "HH:MM-HH:MM"},
      {{"09:00-12:00", "13:00"}, "working_hours[1]", "HH:MM-HH:MM"},
      {{"09:00-24:30"}, "working_hours[0]", "HH:MM-HH:MM"},
      {{"09:60-12:00"}, "working_hours[0]", "HH:MM-HH:MM"},
      {{"12:00-09:00"}, "working_hours[0]", "must end after it starts"},
      {{"09:00-09:00"}, "working_hours[0]", "must end after it starts"},
      {{"09:00-12:00", "11:00-17:00"}, "working_hours[1]", "must not overlap"},
      {{"13:00-17:00", "09:00-12:00"}, "working_hours[1]", "must be in order"},
  };
  for (const auto& r : rows) {
    auto h = WorkingHours::parse(r.periods);
    ASSERT_FALSE(h.ok()) << ::testing::PrintToString(r.periods);
    ASSERT_EQ(h.error().fields.size(), 1u);
    EXPECT_EQ(h.error().fields[0].field, r.field);
    EXPECT_NE(h.error().message.find(r.message_part), std::string::npos) << h.error().message;
  }
  // Touching periods and a period ending at midnight are fine.
  EXPECT_TRUE(WorkingHours::parse(std::vector<std::string>{"09:00-12:00", "12:00-24:00"}).ok());
}

}  // namespace
}  // namespace zhengwu::calendar
