// The calendar tables and the in-memory snapshot (see calendar_store.hpp).
//
// Reads that must agree with each other (a year and its days) are single statements, so
// they see one consistent state on both engines; PostgreSQL's default READ COMMITTED
// would otherwise let a replace_year() on another node slip in between two of them.
#include "kernel/calendar/calendar_store.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "kernel/calendar/shipped_years.hpp"

namespace zhengwu::calendar {

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE calendar_years (
  year INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  loaded_at TEXT NOT NULL
);
CREATE TABLE calendar_days (
  day TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL,
  year INTEGER NOT NULL REFERENCES calendar_years (year)
);
CREATE INDEX calendar_days_by_year ON calendar_days (year)
)sql";

SpecialDay day_from_row(const db::Row& row) {
  std::string text = row.get<std::string>("day");
  auto date = parse_date(text);
  if (!date.ok()) throw std::runtime_error("calendar_days: '" + text + "' is not a date");
  std::string kind_text = row.get<std::string>("kind");
  auto kind = day_kind_from_string(kind_text);
  if (!kind || (*kind != DayKind::holiday && *kind != DayKind::workday)) {
    throw std::runtime_error("calendar_days " + text + ": unknown kind '" + kind_text + "'");
  }
  return SpecialDay{*date, *kind, row.get<std::string>("name")};
}

// Writes `data` as the whole of its year: the year row is inserted or updated, its old
// days are deleted and the new ones inserted. The caller commits.
void write_year(db::Transaction& tx, const CalendarYear& data, const std::string& source, const std::string& loaded_at) {
  tx.execute(
      "INSERT INTO calendar_years (year, source, loaded_at) VALUES (?, ?, ?) "
      "ON CONFLICT (year) DO UPDATE SET source = excluded.source, loaded_at = excluded.loaded_at",
      {data.year, source, loaded_at});
  tx.execute("DELETE FROM calendar_days WHERE year = ?", {data.year});
  for (const auto& d : data.days) {
    tx.execute("INSERT INTO calendar_days (day, kind, name, year) VALUES (?, ?, ?, ?)",
               {format_date(d.date), std::string(to_string(d.kind)), d.name, data.year});
  }
}

YearRecord record_of(const CalendarYear& data, std::string source, std::string loaded_at) {
  return YearRecord{data.year, std::move(source), std::move(loaded_at), data.count(DayKind::holiday),
                    data.count(DayKind::workday)};
}

}  // namespace

std::vector<db::Migration> calendar_migrations() {
  return {db::Migration{"kernel.calendar", 1, "working-day calendar: years and special days", std::string(kSchema)}};
}

CalendarStore::CalendarStore(db::Database& db, const Clock& clock, WorkingHours hours, TimeZone zone)
    : db_(db),
      clock_(clock),
      hours_(std::move(hours)),
      zone_(std::move(zone)),
      snapshot_(std::make_shared<const WorkingCalendar>(
          WorkingCalendar::create({}, {}, hours_).value())) {}

std::string CalendarStore::now_text() const { return format_iso8601(clock_.now(), zone_); }

void CalendarStore::load() {
  for (const ShippedYear& shipped : shipped_years()) {
    auto data = parse_calendar_toml(shipped.toml);
    if (!data.ok()) {
      // The shipped data is part of the program; a unit test keeps it valid.
      throw std::logic_error("shipped calendar " + std::to_string(shipped.year) + ": " + data.error().message);
    }
    const std::string source(shipped.source), loaded_at = now_text();
    auto tx = db_.begin(db::TxMode::write);
    // DO NOTHING when the year exists: whoever loaded it first (an operator, or another
    // node starting at the same moment) keeps their version.
    std::int64_t inserted = tx.execute(
        "INSERT INTO calendar_years (year, source, loaded_at) VALUES (?, ?, ?) ON CONFLICT (year) DO NOTHING",
        {shipped.year, source, loaded_at});
    if (inserted == 1) write_year(tx, *data, source, loaded_at);
    tx.commit();
  }
  reload();
}

void CalendarStore::reload() {
  std::lock_guard reload_lock(reload_mutex_);
  // One statement, one consistent view of both tables.
  db::Rows rows = db_.query(
      "SELECT y.year AS year, d.day AS day, d.kind AS kind, d.name AS name "
      "FROM calendar_years y LEFT JOIN calendar_days d ON d.year = y.year ORDER BY y.year, d.day");
  std::set<int> years;
  std::vector<SpecialDay> days;
  for (const db::Row& row : rows) {
    years.insert(row.get<int>("year"));
    if (!row.is_null("day")) days.push_back(day_from_row(row));
  }
  auto calendar = WorkingCalendar::create(std::move(days), std::move(years), hours_);
  if (!calendar.ok()) throw std::runtime_error("the stored calendar is inconsistent: " + calendar.error().message);
  auto snapshot = std::make_shared<const WorkingCalendar>(std::move(calendar).value());
  std::lock_guard snapshot_lock(snapshot_mutex_);
  snapshot_ = std::move(snapshot);
}

std::shared_ptr<const WorkingCalendar> CalendarStore::calendar() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

std::vector<YearRecord> CalendarStore::years() const {
  db::Rows rows = db_.query(
      "SELECT y.year AS year, y.source AS source, y.loaded_at AS loaded_at, "
      "COALESCE(SUM(CASE WHEN d.kind = 'holiday' THEN 1 ELSE 0 END), 0) AS holidays, "
      "COALESCE(SUM(CASE WHEN d.kind = 'workday' THEN 1 ELSE 0 END), 0) AS workdays "
      "FROM calendar_years y LEFT JOIN calendar_days d ON d.year = y.year "
      "GROUP BY y.year, y.source, y.loaded_at ORDER BY y.year");
  std::vector<YearRecord> out;
  out.reserve(rows.size());
  for (const db::Row& row : rows) {
    out.push_back({row.get<int>("year"), row.get<std::string>("source"), row.get<std::string>("loaded_at"),
                   row.get<int>("holidays"), row.get<int>("workdays")});
  }
  return out;
}

Result<StoredYear> CalendarStore::year(int year) const {
  db::Rows rows = db_.query(
      "SELECT y.source AS source, y.loaded_at AS loaded_at, d.day AS day, d.kind AS kind, d.name AS name "
      "FROM calendar_years y LEFT JOIN calendar_days d ON d.year = y.year WHERE y.year = ? ORDER BY d.day",
      {year});
  if (rows.empty()) return Error::not_found("the calendar of " + std::to_string(year) + " is not loaded");
  StoredYear out;
  out.calendar.year = year;
  for (const db::Row& row : rows) {
    if (!row.is_null("day")) out.calendar.days.push_back(day_from_row(row));
  }
  out.record = record_of(out.calendar, rows[0].get<std::string>("source"), rows[0].get<std::string>("loaded_at"));
  return out;
}

Result<StoredYear> CalendarStore::replace_year(const CalendarYear& data, const std::string& source) {
  if (auto valid = validate_calendar_year(data); !valid) return valid.error();
  StoredYear stored;
  stored.calendar = data;
  std::sort(stored.calendar.days.begin(), stored.calendar.days.end(), [](const SpecialDay& a, const SpecialDay& b) {
    return std::chrono::sys_days{a.date} < std::chrono::sys_days{b.date};
  });
  stored.record = record_of(stored.calendar, source, now_text());

  auto tx = db_.begin(db::TxMode::write);
  write_year(tx, stored.calendar, stored.record.source, stored.record.loaded_at);
  tx.commit();
  reload();
  return stored;
}

}  // namespace zhengwu::calendar
