// The calendar years that ship inside the binary.
//
// A fresh installation must count working days correctly from its first start, before
// any operator has imported anything, so the years already published by the State
// Council when this release was built travel with it as data (calendar_file.hpp TOML).
// CalendarStore loads a shipped year only when the database has no version of that year,
// so an operator's correction is never overwritten by an upgrade.
#pragma once

#include <span>
#include <string_view>

namespace zhengwu::calendar {

struct ShippedYear {
  int year = 0;
  std::string_view source;  // recorded in calendar_years.source: "shipped: <notice>"
  std::string_view toml;    // the year in the calendar file format
};

// In year order; the data is static and lives as long as the program.
std::span<const ShippedYear> shipped_years();

}  // namespace zhengwu::calendar
