// Reading and writing the calendar file (see calendar_file.hpp for the format).
//
// Two front ends, TOML (toml++) and JSON (Boost.JSON), check only the shape of the
// document: known keys, value types, date syntax. Each turns the document into the
// same neutral entries, and one YearAssembler applies the calendar's rules to them, so
// the two formats cannot drift apart in what they accept.
#include "kernel/calendar/calendar_file.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>

#include <boost/json.hpp>
#include <toml++/toml.h>

#include "kernel/time_zone.hpp"

namespace zhengwu::calendar {

namespace {

constexpr std::size_t kMaxReportedErrors = 50;

const char* weekday_name(std::chrono::weekday wd) {
  static constexpr const char* names[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};
  return names[wd.c_encoding()];
}

struct DateRef {
  std::string field;
  Date date;
};

// One [[holiday]] / [[workday]] table or JSON object, after its shape was checked.
struct EntryInput {
  DayKind kind = DayKind::holiday;
  std::string field;                // "holiday[2]"
  std::optional<std::string> name;  // set when `name` was a string
  bool has_dates = false;           // the `dates` key was present
  bool dates_complete = true;       // every element of `dates` was a readable date
  std::vector<DateRef> dates;
  bool has_from = false, has_to = false;
  std::optional<DateRef> from, to;  // set when readable
};

// Applies the calendar's rules to the entries of one document and collects every
// problem with its field path.
class YearAssembler {
 public:
  void error(std::string field, std::string message) {
    ++error_count_;
    if (errors_.size() < kMaxReportedErrors) errors_.push_back({std::move(field), std::move(message)});
  }
  bool has_errors() const { return error_count_ > 0; }

  void set_year(std::int64_t year) { year_ = year; }
  void mark_year_seen() { year_seen_ = true; }
  void add(EntryInput entry) { entries_.push_back(std::move(entry)); }

  Result<CalendarYear> finish() {
    if (!year_seen_) error("year", "is required (the year this calendar is for, such as 2027)");
    if (year_ && (*year_ < kFirstYear || *year_ > kLastYear)) {
      error("year", std::to_string(*year_) + " is outside " + std::to_string(kFirstYear) + ".." +
                        std::to_string(kLastYear));
      year_.reset();
    }
    struct Seen {
      DayKind kind;
      std::string field;
    };
    std::map<std::int32_t, Seen> seen;
    CalendarYear out;
    out.year = year_ ? static_cast<int>(*year_) : 0;

    for (const auto& e : entries_) {
      if (e.name) {
        std::string_view n = *e.name;
        if (n.find_first_not_of(" \t\r\n") == std::string_view::npos) error(e.field + ".name", "must not be empty");
      }
      std::vector<DateRef> dates;
      if (e.has_dates && (e.has_from || e.has_to)) {
        error(e.field, "use either dates or from and to, not both");
        continue;
      }
      if (e.has_dates) {
        if (e.dates.empty() && e.dates_complete) error(e.field + ".dates", "must list at least one date");
        for (const auto& d : e.dates) dates.push_back(d);
      } else if (e.has_from || e.has_to) {
        if (!e.has_from) error(e.field + ".from", "is required together with to");
        if (!e.has_to) error(e.field + ".to", "is required together with from");
        if (!e.from || !e.to) continue;
        bool from_ok = check_in_year(*e.from);  // both checked, so both are reported
        bool to_ok = check_in_year(*e.to);
        if (!from_ok || !to_ok) continue;
        std::chrono::sys_days first{e.from->date}, last{e.to->date};
        if (last < first) {
          error(e.to->field, format_date(e.to->date) + " is before from (" + format_date(e.from->date) + ")");
          continue;
        }
        for (auto d = first; d <= last; d += std::chrono::days{1}) dates.push_back({e.field, Date{d}});
      } else {
        error(e.field, "needs dates, or from and to");
        continue;
      }

      for (const auto& d : dates) {
        if (e.has_dates && !check_in_year(d)) continue;
        std::chrono::sys_days day{d.date};
        if (e.kind == DayKind::workday) {
          std::chrono::weekday wd{day};
          if (wd != std::chrono::Saturday && wd != std::chrono::Sunday) {
            error(d.field, format_date(d.date) + " is a " + weekday_name(wd) +
                               ", already a working day; a make-up working day must be a Saturday or Sunday");
            continue;
          }
        }
        auto key = static_cast<std::int32_t>(day.time_since_epoch().count());
        auto [it, inserted] = seen.emplace(key, Seen{e.kind, d.field});
        if (!inserted) {
          if (it->second.kind == e.kind) {
            error(d.field, format_date(d.date) + " is listed twice (also at " + it->second.field + ")");
          } else {
            error(d.field, format_date(d.date) + " is both a holiday and a make-up working day (also at " +
                               it->second.field + "); a holiday must not be a make-up day too");
          }
          continue;
        }
        out.days.push_back({d.date, e.kind, e.name.value_or("")});
      }
    }

    if (has_errors()) return report();
    std::sort(out.days.begin(), out.days.end(), [](const SpecialDay& a, const SpecialDay& b) {
      return std::chrono::sys_days{a.date} < std::chrono::sys_days{b.date};
    });
    return out;
  }

  Error report() const {
    std::string message;
    if (error_count_ == 1) {
      message = errors_[0].field + ": " + errors_[0].message;
    } else {
      message = "the calendar has " + std::to_string(error_count_) + " errors: ";
      for (std::size_t i = 0; i < errors_.size(); ++i) {
        if (i > 0) message += "; ";
        message += errors_[i].field + ": " + errors_[i].message;
      }
      if (error_count_ > errors_.size()) message += "; and " + std::to_string(error_count_ - errors_.size()) + " more";
    }
    return Error{ErrorCode::invalid, std::move(message), errors_};
  }

 private:
  bool check_in_year(const DateRef& d) {
    if (!year_) return true;  // the year itself is wrong or missing; reported already
    if (static_cast<int>(d.date.year()) != *year_) {
      error(d.field, format_date(d.date) + " is not in " + std::to_string(*year_));
      return false;
    }
    return true;
  }

  bool year_seen_ = false;
  std::optional<std::int64_t> year_;
  std::vector<EntryInput> entries_;
  std::vector<FieldError> errors_;
  std::size_t error_count_ = 0;
};

std::string indexed(std::string_view base, std::size_t i) { return std::string(base) + "[" + std::to_string(i) + "]"; }

// Reads a date given as text; reports the parser's reason under `field`.
std::optional<Date> read_date_text(std::string_view text, const std::string& field, YearAssembler& out) {
  auto date = parse_date(text);
  if (!date.ok()) {
    out.error(field, date.error().message);
    return std::nullopt;
  }
  return *date;
}

// ---- TOML ----

std::optional<Date> read_toml_date(const toml::node& node, const std::string& field, YearAssembler& out) {
  if (auto s = node.as_string()) return read_date_text(s->get(), field, out);
  if (auto d = node.as_date()) {
    const toml::date& td = d->get();
    Date date{std::chrono::year{td.year}, std::chrono::month{td.month}, std::chrono::day{td.day}};
    if (date.ok()) return date;
  }
  out.error(field, "must be a date such as \"2027-01-01\"");
  return std::nullopt;
}

void read_toml_entries(const toml::node& node, std::string_view key, DayKind kind, YearAssembler& out) {
  const toml::array* array = node.as_array();
  if (!array || (!array->empty() && !array->is_array_of_tables())) {
    out.error(std::string(key), "must be an array of tables: write [[" + std::string(key) + "]]");
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table& table = *(*array)[i].as_table();
    EntryInput entry;
    entry.kind = kind;
    entry.field = indexed(key, i);
    bool has_name = false;
    for (auto&& [k, v] : table) {
      std::string_view name = k.str();
      std::string field = entry.field + "." + std::string(name);
      if (name == "name") {
        has_name = true;
        if (auto s = v.as_string()) entry.name = s->get();
        else out.error(field, "must be a string");
      } else if (name == "dates") {
        entry.has_dates = true;
        const toml::array* dates = v.as_array();
        if (!dates) {
          out.error(field, "must be an array of dates, such as [\"2027-01-01\"]");
          entry.dates_complete = false;
          continue;
        }
        for (std::size_t j = 0; j < dates->size(); ++j) {
          std::string date_field = indexed(field, j);
          if (auto d = read_toml_date((*dates)[j], date_field, out)) entry.dates.push_back({date_field, *d});
          else entry.dates_complete = false;
        }
      } else if (name == "from" || name == "to") {
        bool is_from = name == "from";
        (is_from ? entry.has_from : entry.has_to) = true;
        if (auto d = read_toml_date(v, field, out)) (is_from ? entry.from : entry.to) = DateRef{field, *d};
      } else {
        out.error(field, "unknown key (expected name, dates, from, to)");
      }
    }
    if (!has_name) out.error(entry.field + ".name", "is required");
    out.add(std::move(entry));
  }
}

// ---- JSON ----

std::optional<Date> read_json_date(const boost::json::value& v, const std::string& field, YearAssembler& out) {
  if (auto s = v.if_string()) return read_date_text(std::string_view(s->data(), s->size()), field, out);
  out.error(field, "must be a date string such as \"2027-01-01\"");
  return std::nullopt;
}

void read_json_entries(const boost::json::value& node, std::string_view key, DayKind kind, YearAssembler& out) {
  const boost::json::array* array = node.if_array();
  if (!array) {
    out.error(std::string(key), "must be an array of objects");
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    EntryInput entry;
    entry.kind = kind;
    entry.field = indexed(key, i);
    const boost::json::object* object = (*array)[i].if_object();
    if (!object) {
      out.error(entry.field, "must be an object with name and dates (or from and to)");
      continue;
    }
    bool has_name = false;
    for (const auto& [k, v] : *object) {
      std::string_view name(k.data(), k.size());
      std::string field = entry.field + "." + std::string(name);
      if (name == "name") {
        has_name = true;
        if (auto s = v.if_string()) entry.name = std::string(s->data(), s->size());
        else out.error(field, "must be a string");
      } else if (name == "dates") {
        entry.has_dates = true;
        const boost::json::array* dates = v.if_array();
        if (!dates) {
          out.error(field, "must be an array of dates, such as [\"2027-01-01\"]");
          entry.dates_complete = false;
          continue;
        }
        for (std::size_t j = 0; j < dates->size(); ++j) {
          std::string date_field = indexed(field, j);
          if (auto d = read_json_date((*dates)[j], date_field, out)) entry.dates.push_back({date_field, *d});
          else entry.dates_complete = false;
        }
      } else if (name == "from" || name == "to") {
        bool is_from = name == "from";
        (is_from ? entry.has_from : entry.has_to) = true;
        if (auto d = read_json_date(v, field, out)) (is_from ? entry.from : entry.to) = DateRef{field, *d};
      } else {
        out.error(field, "unknown key (expected name, dates, from, to)");
      }
    }
    if (!has_name) out.error(entry.field + ".name", "is required");
    out.add(std::move(entry));
  }
}

// ---- TOML output ----

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u == 0x7f) {
      static constexpr char hex[] = "0123456789ABCDEF";
      out += "\\u00";
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

int CalendarYear::count(DayKind kind) const {
  return static_cast<int>(std::count_if(days.begin(), days.end(), [kind](const SpecialDay& d) { return d.kind == kind; }));
}

Result<CalendarYear> parse_calendar_toml(std::string_view text) {
  toml::table doc;
  try {
    doc = toml::parse(text);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return Error{ErrorCode::invalid,
                 "not valid TOML: line " + std::to_string(at.line) + ", column " + std::to_string(at.column) + ": " +
                     std::string(e.description()),
                 {}};
  }
  YearAssembler out;
  for (auto&& [k, v] : doc) {
    std::string_view key = k.str();
    if (key == "year") {
      out.mark_year_seen();
      if (auto i = v.as_integer()) out.set_year(i->get());
      else out.error("year", "must be an integer such as 2027");
    } else if (key == "holiday") {
      read_toml_entries(v, key, DayKind::holiday, out);
    } else if (key == "workday") {
      read_toml_entries(v, key, DayKind::workday, out);
    } else {
      out.error(std::string(key), "unknown key (expected year, [[holiday]] and [[workday]])");
    }
  }
  return out.finish();
}

Result<CalendarYear> parse_calendar_json(std::string_view text) {
  boost::json::error_code ec;
  boost::json::value doc = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec) return Error{ErrorCode::invalid, "not valid JSON: " + ec.message(), {}};
  const boost::json::object* object = doc.if_object();
  if (!object) return Error{ErrorCode::invalid, "the calendar must be a JSON object", {}};
  YearAssembler out;
  for (const auto& [k, v] : *object) {
    std::string_view key(k.data(), k.size());
    if (key == "year") {
      out.mark_year_seen();
      if (v.is_int64()) out.set_year(v.get_int64());
      else if (v.is_uint64()) out.set_year(static_cast<std::int64_t>(std::min<std::uint64_t>(v.get_uint64(), INT64_MAX)));
      else out.error("year", "must be an integer such as 2027");
    } else if (key == "holidays") {
      read_json_entries(v, key, DayKind::holiday, out);
    } else if (key == "workdays") {
      read_json_entries(v, key, DayKind::workday, out);
    } else if (key == "source" || key == "loaded_at") {
      // read-only fields of the GET response; see calendar_file.hpp
    } else {
      out.error(std::string(key), "unknown key (expected year, holidays, workdays)");
    }
  }
  return out.finish();
}

Status validate_calendar_year(const CalendarYear& year) {
  YearAssembler out;
  out.mark_year_seen();
  out.set_year(year.year);
  for (std::size_t i = 0; i < year.days.size(); ++i) {
    const SpecialDay& d = year.days[i];
    EntryInput entry;
    entry.field = indexed("days", i);
    if (d.kind != DayKind::holiday && d.kind != DayKind::workday) {
      out.error(entry.field + ".kind", "must be holiday or workday");
      continue;
    }
    if (!d.date.ok()) {
      out.error(entry.field + ".date", "is not a valid date");
      continue;
    }
    entry.kind = d.kind;
    entry.name = d.name;
    entry.has_dates = true;
    entry.dates.push_back({entry.field + ".date", d.date});
    out.add(std::move(entry));
  }
  auto result = out.finish();
  if (!result.ok()) return result.error();
  return Status::success();
}

std::vector<CalendarEntry> group_entries(const CalendarYear& year, DayKind kind) {
  std::vector<CalendarEntry> out;
  for (const auto& d : year.days) {
    if (d.kind != kind) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const CalendarEntry& e) { return e.name == d.name; });
    if (it == out.end()) it = out.insert(out.end(), CalendarEntry{d.name, {}});
    it->dates.push_back(d.date);
  }
  return out;
}

std::string to_toml(const CalendarYear& year) {
  std::ostringstream out;
  out << "# Working-day calendar for " << year.year << " (行政许可法 Art. 82): statutory holidays and\n"
      << "# make-up working days (调休). Import with `zhengwu calendar import FILE`.\n"
      << "year = " << year.year << "\n";
  for (DayKind kind : {DayKind::holiday, DayKind::workday}) {
    for (const auto& entry : group_entries(year, kind)) {
      out << "\n[[" << to_string(kind) << "]]\nname = " << toml_string(entry.name) << "\ndates = [";
      for (std::size_t i = 0; i < entry.dates.size(); ++i) {
        out << (i ? ", " : "") << '"' << format_date(entry.dates[i]) << '"';
      }
      out << "]\n";
    }
  }
  return out.str();
}

}  // namespace zhengwu::calendar
