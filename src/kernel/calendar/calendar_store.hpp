// Where the working-day calendar is kept: two tables, and a snapshot in memory.
//
//   calendar_years(year PK, source, loaded_at)   one row per loaded year
//   calendar_days(day PK, kind, name, year)      its holidays and make-up working days
//
// A year is present or absent as a whole: replace_year() swaps all of its rows in one
// transaction, so a deadline is never computed against half a year. Computations never
// touch the database: the store holds an immutable WorkingCalendar built from the tables
// and replaces it (under a mutex, by swapping a shared_ptr) after each change, so a
// reader keeps the snapshot it took for as long as it needs it.
//
// Several nodes may share one database. A change made through this store is visible
// here at once; a change made by another node becomes visible after reload() (the node
// that imports a year should be the one the operator asks; a restart also reloads).
//
// Ownership: the store borrows the Database and the Clock; both must outlive it.
// Thread-safety: every member function may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kernel/calendar/calendar_file.hpp"
#include "kernel/calendar/working_calendar.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/result.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::calendar {

// The schema of the tables above, module "kernel.calendar".
std::vector<db::Migration> calendar_migrations();

// What is known about one loaded year.
struct YearRecord {
  int year = 0;
  std::string source;     // "shipped: 国办发明电〔2024〕12号", "file: 2027.toml", "api"
  std::string loaded_at;  // ISO 8601 with offset, in the platform zone
  int holidays = 0;       // number of holiday dates
  int workdays = 0;       // number of make-up working days
};

// A loaded year with its days.
struct StoredYear {
  YearRecord record;
  CalendarYear calendar;
};

class CalendarStore {
 public:
  // `hours` are the working periods of every working day; `zone` (the platform zone)
  // prints loaded_at.
  CalendarStore(db::Database& db, const Clock& clock, WorkingHours hours = WorkingHours::standard(),
                TimeZone zone = TimeZone::fixed("UTC", std::chrono::seconds{0}));

  // Loads each shipped year that the database lacks (never replacing a version of that
  // year already there, which may be the operator's), then reads the calendar into
  // memory. Call once at start-up, after the migrations. Throws db::Error when the
  // database fails, std::runtime_error when its calendar rows are inconsistent.
  void load();

  // Re-reads the tables into a new snapshot. Throws as load().
  void reload();

  // The current snapshot; never null (empty before load()).
  std::shared_ptr<const WorkingCalendar> calendar() const;

  // Every loaded year, in year order. Throws db::Error.
  std::vector<YearRecord> years() const;

  // One loaded year; ErrorCode::not_found when that year is not loaded. Throws db::Error.
  Result<StoredYear> year(int year) const;

  // Replaces `data.year` with `data` in one transaction and refreshes the snapshot.
  // `source` says where the data came from ("file: 2027.toml", "api"). Fails with
  // ErrorCode::invalid (fields as validate_calendar_year) when the data breaks the
  // calendar's rules. Throws db::Error when the database fails.
  Result<StoredYear> replace_year(const CalendarYear& data, const std::string& source);

 private:
  std::string now_text() const;

  db::Database& db_;
  const Clock& clock_;
  WorkingHours hours_;
  TimeZone zone_;

  // Serialises reloads, so the snapshot installed last was read last.
  std::mutex reload_mutex_;
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const WorkingCalendar> snapshot_;  // guarded by snapshot_mutex_
};

}  // namespace zhengwu::calendar
