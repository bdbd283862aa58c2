// The `zhengwu calendar ...` commands, as plain functions the CLI calls.
//
// Each writes its answer to `out` and diagnostics to `err` and returns the process exit
// code: 0 success, 1 the database or the file system failed, 2 bad input (a malformed
// argument, a calendar file that breaks a rule; the message says which and why). The
// store must have been loaded (CalendarStore::load) before any of them runs.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "kernel/calendar/calendar_store.hpp"

namespace zhengwu::calendar {

// `calendar add-working-days DATE N`: prints the N-th working day after DATE as
// YYYY-MM-DD; warns on `err` when the answer is provisional.
int run_add_working_days(CalendarStore& store, std::string_view date, std::string_view n, std::ostream& out,
                         std::ostream& err);

// `calendar working-days FROM TO`: prints the number of working days in (FROM, TO].
int run_working_days(CalendarStore& store, std::string_view from, std::string_view to, std::ostream& out,
                     std::ostream& err);

// `calendar import FILE`: reads a year (TOML for *.toml, JSON for *.json) and replaces
// that year in the store; prints what was loaded.
int run_calendar_import(CalendarStore& store, const std::string& path, std::ostream& out, std::ostream& err);

// `calendar years`: one line per loaded year: year, holidays, make-up days, source.
int run_calendar_years(CalendarStore& store, std::ostream& out, std::ostream& err);

// `calendar export YEAR`: prints the loaded year in the TOML file format, ready to edit
// and import again.
int run_calendar_export(CalendarStore& store, std::string_view year, std::ostream& out, std::ostream& err);

}  // namespace zhengwu::calendar
