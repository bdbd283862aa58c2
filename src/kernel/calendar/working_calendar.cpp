// Working-day and working-hour arithmetic over the loaded calendar (行政许可法 Art. 82).
//
// Every operation walks one day at a time. That is simple enough to check by eye, and
// with the bounds of working_calendar.hpp (1900..2200, 10000 working days) the longest
// walk is about 110,000 days, well under a millisecond: no cleverness with whole weeks
// is needed, and there is none to get wrong around holidays.
#include "kernel/calendar/working_calendar.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "kernel/time_zone.hpp"

namespace zhengwu::calendar {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::local_days;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

namespace {

constexpr sys_days kFirstDay{std::chrono::year{kFirstYear} / std::chrono::January / 1};
constexpr sys_days kLastDay{std::chrono::year{kLastYear} / std::chrono::December / 31};
constexpr minutes kDayLength{24 * 60};

std::int32_t key(sys_days d) { return static_cast<std::int32_t>(d.time_since_epoch().count()); }
int year_of(sys_days d) { return static_cast<int>(Date{d}.year()); }
bool in_range(sys_days d) { return d >= kFirstDay && d <= kLastDay; }

std::string range_text() { return format_date(Date{kFirstDay}) + ".." + format_date(Date{kLastDay}); }

Status check_date(Date date, const char* field) {
  if (!date.ok()) return Error::invalid(field, "is not a valid date");
  if (!in_range(sys_days{date})) {
    return Error::invalid(field, format_date(date) + " is outside the calendar's range " + range_text());
  }
  return Status::success();
}

// The civil day of a local time, as a day count comparable with sys_days.
sys_days day_of(LocalTime t) { return sys_days{floor<days>(t).time_since_epoch()}; }

Status check_local_time(LocalTime t, const char* field) {
  sys_days d = day_of(t);
  if (!in_range(d)) {
    return Error::invalid(field, "falls on " + format_date(Date{d}) + ", outside the calendar's range " + range_text());
  }
  return Status::success();
}

std::string clock_text(minutes m) {
  auto h = m.count() / 60, mm = m.count() % 60;
  std::string out;
  out.push_back(static_cast<char>('0' + h / 10));
  out.push_back(static_cast<char>('0' + h % 10));
  out.push_back(':');
  out.push_back(static_cast<char>('0' + mm / 10));
  out.push_back(static_cast<char>('0' + mm % 10));
  return out;
}

// "HH:MM" with 00:00..24:00.
std::optional<minutes> parse_clock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  int h = 0, m = 0;
  auto rh = std::from_chars(text.data(), text.data() + 2, h);
  auto rm = std::from_chars(text.data() + 3, text.data() + 5, m);
  if (rh.ec != std::errc{} || rh.ptr != text.data() + 2 || rm.ec != std::errc{} || rm.ptr != text.data() + 5) {
    return std::nullopt;
  }
  if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return minutes{h * 60 + m};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view to_string(DayKind kind) {
  switch (kind) {
    case DayKind::weekday: return "weekday";
    case DayKind::weekend: return "weekend";
    case DayKind::holiday: return "holiday";
    case DayKind::workday: return "workday";
  }
  return "weekday";
}

std::optional<DayKind> day_kind_from_string(std::string_view text) {
  for (DayKind k : {DayKind::weekday, DayKind::weekend, DayKind::holiday, DayKind::workday}) {
    if (to_string(k) == text) return k;
  }
  return std::nullopt;
}

// ---- WorkingHours ----

WorkingHours WorkingHours::standard() {
  using std::chrono::hours;
  return WorkingHours({{hours{9}, hours{12}}, {hours{13}, hours{17}}});
}

Result<WorkingHours> WorkingHours::create(std::vector<WorkingPeriod> periods) {
  if (periods.empty()) return Error::invalid("working_hours", "must list at least one working period");
  for (std::size_t i = 0; i < periods.size(); ++i) {
    std::string field = "working_hours[" + std::to_string(i) + "]";
    const auto& p = periods[i];
    if (p.start < minutes{0} || p.end > kDayLength) return Error::invalid(field, "must lie within 00:00-24:00");
    if (p.start >= p.end) return Error::invalid(field, "must end after it starts");
    if (i > 0 && p.start < periods[i - 1].end) {
      return Error::invalid(field, "starts at " + clock_text(p.start) + ", before the previous period ends at " +
                                       clock_text(periods[i - 1].end) + "; periods must be in order and must not overlap");
    }
  }
  return WorkingHours(std::move(periods));
}

Result<WorkingHours> WorkingHours::parse(const std::vector<std::string>& texts) {
  std::vector<WorkingPeriod> periods;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::string_view item = trim(texts[i]);
    auto dash = item.find('-');
    std::optional<minutes> start, end;
    if (dash != std::string_view::npos) {
      start = parse_clock(trim(item.substr(0, dash)));
      end = parse_clock(trim(item.substr(dash + 1)));
    }
    if (!start || !end) {
      return Error::invalid("working_hours[" + std::to_string(i) + "]",
                            "'" + std::string(item) + "' is not a period HH:MM-HH:MM");
    }
    periods.push_back({*start, *end});
  }
  return create(std::move(periods));
}

Result<WorkingHours> WorkingHours::parse(std::string_view spec) {
  std::vector<std::string> texts;
  while (true) {
    auto comma = spec.find(',');
    texts.emplace_back(spec.substr(0, comma));
    if (comma == std::string_view::npos) break;
    spec.remove_prefix(comma + 1);
  }
  return parse(texts);
}

minutes WorkingHours::per_day() const {
  minutes total{0};
  for (const auto& p : periods_) total += p.end - p.start;
  return total;
}

std::string WorkingHours::to_string() const {
  std::string out;
  for (const auto& p : periods_) {
    if (!out.empty()) out.push_back(',');
    out += clock_text(p.start) + "-" + clock_text(p.end);
  }
  return out;
}

// ---- WorkingCalendar ----

WorkingCalendar::WorkingCalendar() : hours_(WorkingHours::standard()) {}

Result<WorkingCalendar> WorkingCalendar::create(std::vector<SpecialDay> days, std::set<int> loaded_years,
                                                WorkingHours hours) {
  for (int y : loaded_years) {
    if (y < kFirstYear || y > kLastYear) {
      return Error::invalid("year", std::to_string(y) + " is outside " + std::to_string(kFirstYear) + ".." +
                                        std::to_string(kLastYear));
    }
  }
  std::map<std::int32_t, SpecialDay> by_day;
  for (std::size_t i = 0; i < days.size(); ++i) {
    std::string field = "days[" + std::to_string(i) + "]";
    auto& d = days[i];
    if (!d.date.ok()) return Error::invalid(field, "is not a valid date");
    if (d.kind != DayKind::holiday && d.kind != DayKind::workday) {
      return Error::invalid(field, "a special day must be a holiday or a make-up working day");
    }
    if (!loaded_years.contains(static_cast<int>(d.date.year()))) {
      return Error::invalid(field, format_date(d.date) + " lies in a year that is not loaded");
    }
    auto [it, inserted] = by_day.emplace(key(sys_days{d.date}), std::move(d));
    if (!inserted) return Error::invalid(field, format_date(it->second.date) + " is listed twice");
  }
  return WorkingCalendar(std::move(by_day), std::move(loaded_years), std::move(hours));
}

DayInfo WorkingCalendar::classify(sys_days day) const {
  DayInfo info;
  info.date = Date{day};
  std::chrono::weekday wd{day};
  bool weekend = wd == std::chrono::Saturday || wd == std::chrono::Sunday;
  info.kind = weekend ? DayKind::weekend : DayKind::weekday;
  info.working = !weekend;
  if (!loaded_years_.contains(year_of(day))) {
    info.provisional = true;
    return info;
  }
  if (auto it = days_.find(key(day)); it != days_.end()) {
    info.kind = it->second.kind;
    info.working = it->second.kind == DayKind::workday;
    info.name = it->second.name;
  }
  return info;
}

Result<DayInfo> WorkingCalendar::day(Date date) const {
  if (auto s = check_date(date, "date"); !s) return s.error();
  return classify(sys_days{date});
}

Result<Answer<Date>> WorkingCalendar::add_working_days(Date from, int n) const {
  if (auto s = check_date(from, "from"); !s) return s.error();
  if (n < -kMaxWorkingDays || n > kMaxWorkingDays) {
    return Error::invalid("days", "must be an integer between -" + std::to_string(kMaxWorkingDays) + " and " +
                                      std::to_string(kMaxWorkingDays));
  }
  Answer<Date> answer{from, false};
  const days step{n > 0 ? 1 : -1};
  sys_days d{from};
  // The start day is not counted: the first day examined is the one after (or before).
  for (int left = std::abs(n); left > 0;) {
    d += step;
    if (!in_range(d)) return Error::invalid("days", "the result would fall outside the calendar's range " + range_text());
    DayInfo info = classify(d);
    answer.provisional = answer.provisional || info.provisional;
    if (info.working) --left;
  }
  answer.value = Date{d};
  return answer;
}

Result<Answer<int>> WorkingCalendar::working_days_between(Date from, Date to) const {
  if (auto s = check_date(from, "from"); !s) return s.error();
  if (auto s = check_date(to, "to"); !s) return s.error();
  sys_days lo{from}, hi{to};
  int sign = 1;
  if (hi < lo) {
    std::swap(lo, hi);
    sign = -1;
  }
  Answer<int> answer{0, false};
  for (sys_days d = lo + days{1}; d <= hi; d += days{1}) {
    DayInfo info = classify(d);
    answer.provisional = answer.provisional || info.provisional;
    if (info.working) ++answer.value;
  }
  answer.value *= sign;
  return answer;
}

Result<Answer<LocalTime>> WorkingCalendar::add_working_hours(LocalTime from, minutes amount) const {
  if (auto s = check_local_time(from, "from"); !s) return s.error();
  const minutes limit = hours_.per_day() * kMaxWorkingDays;
  if (amount < minutes{0} || amount > limit) {
    return Error::invalid("minutes", "must be between 0 and " + std::to_string(limit.count()) + " (" +
                                         std::to_string(kMaxWorkingDays) + " working days)");
  }
  Answer<LocalTime> answer{from, false};
  if (amount == minutes{0}) return answer;

  seconds left = amount;
  sys_days d = day_of(from);
  seconds time_of_day = from - LocalTime{d.time_since_epoch()};
  while (true) {
    if (!in_range(d)) {
      return Error::invalid("minutes", "the result would fall outside the calendar's range " + range_text());
    }
    DayInfo info = classify(d);
    answer.provisional = answer.provisional || info.provisional;
    if (info.working) {
      for (const auto& p : hours_.periods()) {
        if (time_of_day >= p.end) continue;
        seconds start = std::max<seconds>(time_of_day, p.start);
        seconds available = seconds{p.end} - start;
        if (left <= available) {
          answer.value = LocalTime{d.time_since_epoch() + start + left};
          return answer;
        }
        left -= available;
      }
    }
    d += days{1};
    time_of_day = seconds{0};
  }
}

Result<Answer<minutes>> WorkingCalendar::working_time_between(LocalTime a, LocalTime b) const {
  if (auto s = check_local_time(a, "from"); !s) return s.error();
  if (auto s = check_local_time(b, "to"); !s) return s.error();
  int sign = 1;
  if (b < a) {
    std::swap(a, b);
    sign = -1;
  }
  Answer<minutes> answer{minutes{0}, false};
  if (a == b) return answer;
  seconds total{0};
  // Every day that [a, b) reaches into, the last being the day of the last second.
  const sys_days last = day_of(b - seconds{1});
  for (sys_days d = day_of(a); d <= last; d += days{1}) {
    DayInfo info = classify(d);
    answer.provisional = answer.provisional || info.provisional;
    if (!info.working) continue;
    const LocalTime midnight{d.time_since_epoch()};
    for (const auto& p : hours_.periods()) {
      LocalTime lo = std::max(a, midnight + p.start);
      LocalTime hi = std::min(b, midnight + p.end);
      if (hi > lo) total += hi - lo;
    }
  }
  answer.value = std::chrono::duration_cast<minutes>(total) * sign;
  return answer;
}

std::vector<SpecialDay> WorkingCalendar::special_days(int year) const {
  std::vector<SpecialDay> out;
  if (year < kFirstYear || year > kLastYear) return out;
  sys_days first{std::chrono::year{year} / std::chrono::January / 1};
  sys_days last{std::chrono::year{year} / std::chrono::December / 31};
  for (auto it = days_.lower_bound(key(first)); it != days_.end() && it->first <= key(last); ++it) {
    out.push_back(it->second);
  }
  return out;
}

}  // namespace zhengwu::calendar
