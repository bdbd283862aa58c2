// The `zhengwu calendar ...` commands (see calendar_commands.hpp for the exit codes).
#include "kernel/calendar/calendar_commands.hpp"

#include <charconv>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kernel/time_zone.hpp"

namespace zhengwu::calendar {

namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBadInput = 2;

// A calendar file is a page of text; anything far larger is the wrong file.
constexpr std::uintmax_t kMaxFileSize = 1 << 20;

int bad_input(std::ostream& err, const Error& error) {
  if (error.fields.size() > 1) {
    err << "error: the calendar has " << error.fields.size() << " problems:\n";
    for (const auto& f : error.fields) err << "  " << f.field << ": " << f.message << "\n";
  } else {
    err << "error: " << error.message << "\n";
  }
  return kBadInput;
}

std::optional<long long> integer_arg(std::string_view text) {
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

Result<Date> date_arg(std::string_view text, const char* name) {
  auto date = parse_date(text);
  if (!date.ok()) return Error::invalid(name, date.error().message);
  return date;
}

void warn_provisional(std::ostream& err) {
  err << "warning: provisional: a year without a loaded calendar was involved, where only Monday-Friday "
         "counts as working days; import that year's calendar (zhengwu calendar import FILE)\n";
}

// Runs a command body, turning a database or file failure into exit code 1.
template <class Body>
int guarded(std::ostream& err, Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return kFailed;
  }
}

}  // namespace

int run_add_working_days(CalendarStore& store, std::string_view date, std::string_view n, std::ostream& out,
                         std::ostream& err) {
  auto from = date_arg(date, "DATE");
  if (!from.ok()) return bad_input(err, from.error());
  auto days = integer_arg(n);
  if (!days || *days < -kMaxWorkingDays || *days > kMaxWorkingDays) {
    return bad_input(err, Error::invalid("N", "'" + std::string(n) + "' is not an integer between -" +
                                                 std::to_string(kMaxWorkingDays) + " and " +
                                                 std::to_string(kMaxWorkingDays)));
  }
  auto answer = store.calendar()->add_working_days(*from, static_cast<int>(*days));
  if (!answer.ok()) return bad_input(err, answer.error());
  out << format_date(answer->value) << "\n";
  if (answer->provisional) warn_provisional(err);
  return kOk;
}

int run_working_days(CalendarStore& store, std::string_view from, std::string_view to, std::ostream& out,
                     std::ostream& err) {
  auto a = date_arg(from, "FROM");
  if (!a.ok()) return bad_input(err, a.error());
  auto b = date_arg(to, "TO");
  if (!b.ok()) return bad_input(err, b.error());
  auto answer = store.calendar()->working_days_between(*a, *b);
  if (!answer.ok()) return bad_input(err, answer.error());
  out << answer->value << "\n";
  if (answer->provisional) warn_provisional(err);
  return kOk;
}

int run_calendar_import(CalendarStore& store, const std::string& path, std::ostream& out, std::ostream& err) {
  namespace fs = std::filesystem;
  const fs::path file(path);
  const std::string extension = file.extension().string();
  if (extension != ".toml" && extension != ".json") {
    err << "error: " << path << ": the file name must end in .toml or .json\n";
    return kBadInput;
  }
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    err << "error: " << path << ": no such file\n";
    return kBadInput;
  }
  if (fs::file_size(file, ec) > kMaxFileSize) {
    err << "error: " << path << ": too large for a calendar file (at most 1 MiB)\n";
    return kBadInput;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    err << "error: " << path << ": cannot be read\n";
    return kFailed;
  }

  auto data = extension == ".toml" ? parse_calendar_toml(text.str()) : parse_calendar_json(text.str());
  if (!data.ok()) {
    err << path << ":\n";
    return bad_input(err, data.error());
  }
  return guarded(err, [&] {
    auto stored = store.replace_year(*data, "file: " + file.filename().string());
    if (!stored.ok()) return bad_input(err, stored.error());
    out << "calendar " << stored->record.year << " loaded from " << path << ": " << stored->record.holidays
        << " holidays, " << stored->record.workdays << " make-up working days\n";
    return kOk;
  });
}

int run_calendar_years(CalendarStore& store, std::ostream& out, std::ostream& err) {
  return guarded(err, [&] {
    for (const YearRecord& y : store.years()) {
      out << y.year << "  " << y.holidays << " holidays, " << y.workdays << " make-up working days  (" << y.source
          << ", " << y.loaded_at << ")\n";
    }
    return kOk;
  });
}

int run_calendar_export(CalendarStore& store, std::string_view year, std::ostream& out, std::ostream& err) {
  auto y = integer_arg(year);
  if (!y || *y < kFirstYear || *y > kLastYear) {
    return bad_input(err, Error::invalid("YEAR", "'" + std::string(year) + "' is not a year between " +
                                                     std::to_string(kFirstYear) + " and " + std::to_string(kLastYear)));
  }
  return guarded(err, [&] {
    auto stored = store.year(static_cast<int>(*y));
    if (!stored.ok()) {
      err << "error: " << stored.error().message << "\n";
      return kBadInput;
    }
    out << to_toml(stored->calendar);
    return kOk;
  });
}

}  // namespace zhengwu::calendar
