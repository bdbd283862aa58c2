// Helpers shared by the calendar tests: dates from text, and the calendar of the years
// that ship with the platform (2025 and 2026).
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/calendar/calendar_file.hpp"
#include "kernel/calendar/shipped_years.hpp"
#include "kernel/calendar/working_calendar.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::calendar::testing {

// "2025-01-06" as a Date; a malformed literal fails the test.
inline Date d(std::string_view text) {
  auto date = parse_date(text);
  EXPECT_TRUE(date.ok()) << text;
  return date.ok() ? *date : Date{};
}

// "2025-01-06 09:30" as a local time.
inline LocalTime at(std::string_view date, int hh, int mm, int ss = 0) {
  return LocalTime{std::chrono::local_days{d(date)}} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
         std::chrono::seconds{ss};
}

inline std::string text(LocalTime t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::hh_mm_ss<std::chrono::seconds> tod{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", format_date(Date{day}).c_str(),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()));
  return buf;
}

// The shipped years, parsed as the store would load them.
inline std::vector<CalendarYear> shipped_calendar_years() {
  std::vector<CalendarYear> out;
  for (const auto& shipped : shipped_years()) {
    auto year = parse_calendar_toml(shipped.toml);
    EXPECT_TRUE(year.ok()) << shipped.year << ": " << (year.ok() ? "" : year.error().message);
    if (year.ok()) out.push_back(*year);
  }
  return out;
}

// A calendar with 2025 and 2026 loaded.
inline WorkingCalendar shipped_calendar(WorkingHours hours = WorkingHours::standard()) {
  std::vector<SpecialDay> days;
  std::set<int> years;
  for (const auto& y : shipped_calendar_years()) {
    years.insert(y.year);
    days.insert(days.end(), y.days.begin(), y.days.end());
  }
  auto calendar = WorkingCalendar::create(days, years, std::move(hours));
  EXPECT_TRUE(calendar.ok());
  return calendar.ok() ? *calendar : WorkingCalendar{};
}

}  // namespace zhengwu::calendar::testing
