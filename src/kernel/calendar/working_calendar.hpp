// The working-day calendar: which days count when a time limit is "N working days".
//
// 行政许可法 Art. 82 counts administrative time limits in working days, excluding
// statutory holidays. A working day is Monday to Friday, minus the statutory holidays,
// plus the make-up working days (调休: a Saturday or Sunday declared a working day). The
// State Council publishes each year's holidays in the autumn before, so the calendar is
// data: the operator loads it year by year (see calendar_file.hpp and calendar_store.hpp).
//
// Counting follows the rule for periods: the day a period starts is not counted, so
// "N working days from D" is the N-th working day after D (1 working day from Friday
// 2025-01-03 is Monday 2025-01-06).
//
// An answer that touched a year whose calendar has not been loaded is still given,
// using the Monday-to-Friday rule alone, and is marked provisional, so that a caller can
// show it with a warning instead of stopping work at the turn of a year.
//
// Inputs are bounded (years 1900..2200, at most 10000 working days): every operation
// walks day by day, and the bounds keep that walk short whatever a client sends.
//
// This file is plain logic with no I/O. Thread-safety: a WorkingCalendar is immutable
// after create() and may be shared between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.hpp"

namespace zhengwu::calendar {

using Date = std::chrono::year_month_day;
using LocalTime = std::chrono::local_seconds;

// The years the calendar can compute in.
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 2200;
// The largest number of working days one computation may step over.
inline constexpr int kMaxWorkingDays = 10000;

// What kind of day a date is. SpecialDay uses only `holiday` and `workday`.
enum class DayKind {
  weekday,  // Monday to Friday, a working day
  weekend,  // Saturday or Sunday, not a working day
  holiday,  // a statutory holiday (法定节假日), not a working day even on a weekday
  workday,  // a make-up working day (调休上班), a working day though a weekend day
};
std::string_view to_string(DayKind kind);
std::optional<DayKind> day_kind_from_string(std::string_view text);

// A date the published calendar names: a holiday or a make-up working day.
struct SpecialDay {
  Date date;
  DayKind kind = DayKind::holiday;
  std::string name;  // "春节", "春节调休"

  friend bool operator==(const SpecialDay&, const SpecialDay&) = default;
};

// A computed value and whether it is provisional: it touched a year whose calendar was
// not loaded, where only the Monday-to-Friday rule was applied.
template <class T>
struct Answer {
  T value{};
  bool provisional = false;
};

// What the calendar says about one date.
struct DayInfo {
  Date date;
  DayKind kind = DayKind::weekday;
  bool working = true;
  std::string name;  // the holiday or make-up day's name; empty for ordinary days
  bool provisional = false;
};

// One working period of a working day, as offsets from local midnight: [start, end).
struct WorkingPeriod {
  std::chrono::minutes start{0};
  std::chrono::minutes end{0};

  friend bool operator==(const WorkingPeriod&, const WorkingPeriod&) = default;
};

// The working periods of every working day (the same on each). Valid by construction:
// at least one period, each within the day and non-empty, in order, not overlapping.
class WorkingHours {
 public:
  // 09:00-12:00 and 13:00-17:00, the usual office hours of government service halls.
  static WorkingHours standard();
  // Fails with ErrorCode::invalid naming `working_hours[i]` when a period is empty,
  // outside 00:00-24:00, out of order or overlapping another.
  static Result<WorkingHours> create(std::vector<WorkingPeriod> periods);
  // Reads periods written "09:00-12:00" (the `[calendar] working_hours` configuration
  // list); errors as create(), and field `working_hours[i]` for an unreadable period.
  static Result<WorkingHours> parse(const std::vector<std::string>& periods);
  // The same from one comma-separated text, "09:00-12:00,13:00-17:00".
  static Result<WorkingHours> parse(std::string_view spec);

  const std::vector<WorkingPeriod>& periods() const { return periods_; }
  // Working time in one working day (420 minutes for the standard hours).
  std::chrono::minutes per_day() const;
  // The configuration form, "09:00-12:00,13:00-17:00".
  std::string to_string() const;

 private:
  explicit WorkingHours(std::vector<WorkingPeriod> periods) : periods_(std::move(periods)) {}
  std::vector<WorkingPeriod> periods_;
};

// WorkingHours::parse for the configuration list, by the name the platform uses.
inline Result<WorkingHours> parse_working_hours(const std::vector<std::string>& periods) {
  return WorkingHours::parse(periods);
}

class WorkingCalendar {
 public:
  // An empty calendar: no year loaded, standard hours; every answer is provisional.
  WorkingCalendar();

  // Builds a calendar from the special days of the loaded years. Fails with
  // ErrorCode::invalid when a special day is not a real date, has a kind other than
  // holiday/workday, is listed twice, or lies in a year that is not in `loaded_years`,
  // or when a loaded year is outside 1900..2200.
  static Result<WorkingCalendar> create(std::vector<SpecialDay> days, std::set<int> loaded_years,
                                        WorkingHours hours = WorkingHours::standard());

  // The kind of `date`. Fails (field "date") outside 1900..2200 or for an invalid date.
  Result<DayInfo> day(Date date) const;

  // The n-th working day after `from` (before it, for negative n); `from` itself for
  // n = 0. Fails with field "from" when `from` is invalid or outside 1900..2200, and with
  // field "days" when |n| > 10000 or the result would leave 1900..2200.
  Result<Answer<Date>> add_working_days(Date from, int n) const;

  // The number of working days in (from, to]; when to < from, the mirror: minus the
  // number in (to, from]. Fails with field "from"/"to" for invalid dates or dates outside
  // 1900..2200.
  Result<Answer<int>> working_days_between(Date from, Date to) const;

  // The local time at which `amount` of working time has elapsed after `from`. From a
  // moment outside working hours the count starts at the next working period; an amount
  // that ends exactly at the end of a period answers that end (17:00, not 09:00 of the
  // next day); amount 0 answers `from`. Fails with field "from" outside 1900..2200 and
  // with field "minutes" when amount is negative or longer than 10000 working days.
  Result<Answer<LocalTime>> add_working_hours(LocalTime from, std::chrono::minutes amount) const;

  // The working time between two local times, in whole minutes (seconds are cut);
  // negative when b < a. Fails with field "from"/"to" outside 1900..2200.
  Result<Answer<std::chrono::minutes>> working_time_between(LocalTime a, LocalTime b) const;

  bool is_loaded(int year) const { return loaded_years_.contains(year); }
  const std::set<int>& loaded_years() const { return loaded_years_; }
  // The special days of one year, in date order.
  std::vector<SpecialDay> special_days(int year) const;
  const WorkingHours& hours() const { return hours_; }

 private:
  WorkingCalendar(std::map<std::int32_t, SpecialDay> days, std::set<int> loaded_years, WorkingHours hours)
      : days_(std::move(days)), loaded_years_(std::move(loaded_years)), hours_(std::move(hours)) {}

  DayInfo classify(std::chrono::sys_days day) const;

  std::map<std::int32_t, SpecialDay> days_;  // keyed by days since 1970-01-01
  std::set<int> loaded_years_;
  WorkingHours hours_;
};

}  // namespace zhengwu::calendar
