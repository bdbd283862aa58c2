// The calendar file: one year's holidays and make-up working days as the operator
// types them from the State Council's notice (国务院办公厅关于某年部分节假日安排的通知).
//
// TOML, for `zhengwu calendar import FILE`:
//
//     year = 2027
//     [[holiday]]
//     name = "元旦"
//     dates = ["2027-01-01"]          # or: from = "2027-01-01", to = "2027-01-03"
//     [[workday]]
//     name = "春节调休"
//     dates = ["2027-02-06"]
//
// JSON, for `PUT /api/calendar/years/{year}`, with the same content:
//
//     {"year": 2027, "holidays": [{"name": "元旦", "dates": ["2027-01-01"]}],
//      "workdays": [{"name": "春节调休", "from": "2027-02-06", "to": "2027-02-06"}]}
//
// Both parsers check the same rules: `year` is 1900..2200; every date is a real date in
// that year; an entry has a non-empty name and either `dates` (at least one) or `from`
// and `to` (from <= to); no date is listed twice; a holiday is never also a make-up day;
// a make-up working day is a Saturday or Sunday (a weekday is a working day already, so
// listing one is a typing mistake). Unknown keys are refused, so a misspelt key is not
// silently ignored. Every error names its field as a path into the document, with
// 0-based indexes: `holiday[2].dates[0]` in TOML, `holidays[2].dates[0]` in JSON.
// In JSON, the read-only keys `source` and `loaded_at` of the GET response are accepted
// and ignored, so that a fetched year can be edited and sent back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernel/calendar/working_calendar.hpp"
#include "kernel/result.hpp"

namespace zhengwu::calendar {

// One year of the published calendar: its special days in date order.
struct CalendarYear {
  int year = 0;
  std::vector<SpecialDay> days;

  int count(DayKind kind) const;
  friend bool operator==(const CalendarYear&, const CalendarYear&) = default;
};

// A named group of special days as the notice lists them ("春节", 8 dates).
struct CalendarEntry {
  std::string name;
  std::vector<Date> dates;
};

// Parse and validate; on failure ErrorCode::invalid with one FieldError per problem
// (at most 50) and a message listing them. A syntax error of the document itself has
// no field; its message gives the line and column (TOML) or the parser's reason (JSON).
Result<CalendarYear> parse_calendar_toml(std::string_view text);
Result<CalendarYear> parse_calendar_json(std::string_view text);

// The same rules for a CalendarYear built in code (fields named `days[i]`).
Status validate_calendar_year(const CalendarYear& year);

// The days of one kind grouped by name, in the order of each name's first date.
std::vector<CalendarEntry> group_entries(const CalendarYear& year, DayKind kind);

// The TOML form above, with every date listed; parse_calendar_toml reads it back equal.
std::string to_toml(const CalendarYear& year);

}  // namespace zhengwu::calendar
