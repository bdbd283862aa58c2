// Handlers of the calendar API (see calendar_routes.hpp for the endpoints).
//
// Each handler reads and checks its parameters, asks the store's in-memory snapshot or
// tables, and writes JSON. Bad input ends the request with a Problem whose field is the
// parameter's own name, so a client can tell which control to mark.
#include "kernel/calendar/calendar_routes.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "kernel/problem.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::calendar {

namespace json = boost::json;

namespace {

// ---- parameters ----

std::string required_query(const http::Request& req, const char* name, std::string_view what) {
  auto value = req.query(name);
  if (!value || value->empty()) throw Problem(Error::invalid(name, "is required (" + std::string(what) + ")"));
  return *value;
}

Date date_value(std::string_view text, const char* name) {
  auto date = parse_date(text);
  if (!date.ok()) throw Problem(Error::invalid(name, date.error().message));
  return *date;
}

// A whole number with an optional sign and nothing else.
std::optional<long long> integer_value(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

int days_value(std::string_view text) {
  auto n = integer_value(text);
  if (!n || *n < -kMaxWorkingDays || *n > kMaxWorkingDays) {
    throw Problem(Error::invalid("days", "must be an integer between -" + std::to_string(kMaxWorkingDays) + " and " +
                                             std::to_string(kMaxWorkingDays)));
  }
  return static_cast<int>(*n);
}

int year_value(std::string_view text) {
  auto n = integer_value(text);
  if (!n || *n < kFirstYear || *n > kLastYear) {
    throw Problem(Error::invalid("year", "must be a year between " + std::to_string(kFirstYear) + " and " +
                                             std::to_string(kLastYear)));
  }
  return static_cast<int>(*n);
}

// ---- bodies ----

json::array entries_json(const CalendarYear& year, DayKind kind) {
  json::array out;
  for (const auto& entry : group_entries(year, kind)) {
    json::array dates;
    for (const auto& d : entry.dates) dates.emplace_back(format_date(d));
    out.emplace_back(json::object{{"name", entry.name}, {"dates", std::move(dates)}});
  }
  return out;
}

// The year in the calendar file's JSON form, plus its read-only record fields.
http::Response year_response(const StoredYear& stored) {
  json::object body{{"year", stored.calendar.year},
                    {"source", stored.record.source},
                    {"loaded_at", stored.record.loaded_at},
                    {"holidays", entries_json(stored.calendar, DayKind::holiday)},
                    {"workdays", entries_json(stored.calendar, DayKind::workday)}};
  return http::Response::json(json::serialize(body));
}

// ---- schemas (JSON Schema text for the OpenAPI document) ----

constexpr const char* kAddWorkingDaysSchema = R"json({"type":"object","required":["date","provisional"],"properties":{
"date":{"type":"string","format":"date","description":"The N-th working day after (before, for negative N) from"},
"provisional":{"type":"boolean","description":"True when a year without a loaded calendar was touched; only Monday-Friday was applied there"}}})json";

constexpr const char* kWorkingDaysSchema = R"json({"type":"object","required":["days","provisional"],"properties":{
"days":{"type":"integer","description":"Working days in (from, to]; negative when to is before from"},
"provisional":{"type":"boolean"}}})json";

constexpr const char* kDaySchema = R"json({"type":"object","required":["date","working","kind","provisional"],"properties":{
"date":{"type":"string","format":"date"},
"working":{"type":"boolean"},
"kind":{"type":"string","enum":["weekday","weekend","holiday","workday"],"description":"workday: a make-up working day, 调休"},
"name":{"type":"string","description":"The holiday's or make-up day's name"},
"provisional":{"type":"boolean"}}})json";

constexpr const char* kYearsSchema = R"json({"type":"object","required":["items"],"properties":{"items":{"type":"array","items":{
"type":"object","required":["year","source","loaded_at","holidays","workdays"],"properties":{
"year":{"type":"integer"},"source":{"type":"string"},"loaded_at":{"type":"string","format":"date-time"},
"holidays":{"type":"integer","description":"Number of holiday dates"},
"workdays":{"type":"integer","description":"Number of make-up working days"}}}}}})json";

// A list of calendar entries, as in calendar_file.hpp: name plus dates, or from and to.
constexpr std::string_view kEntriesSchema =
    R"json({"type":"array","items":{"type":"object","required":["name"],"properties":{)json"
    R"json("name":{"type":"string","minLength":1},)json"
    R"json("dates":{"type":"array","minItems":1,"items":{"type":"string","format":"date"}},)json"
    R"json("from":{"type":"string","format":"date"},"to":{"type":"string","format":"date"}}}})json";

std::string year_body_schema() {
  return std::string(R"json({"type":"object","required":["year"],"properties":{)json"
                     R"json("year":{"type":"integer","minimum":1900,"maximum":2200},"holidays":)json") +
         std::string(kEntriesSchema) + R"json(,"workdays":)json" + std::string(kEntriesSchema) + "}}";
}

std::string year_schema() {
  return std::string(R"json({"type":"object","required":["year","source","loaded_at","holidays","workdays"],)json"
                     R"json("properties":{"year":{"type":"integer"},"source":{"type":"string"},)json"
                     R"json("loaded_at":{"type":"string","format":"date-time"},"holidays":)json") +
         std::string(kEntriesSchema) + R"json(,"workdays":)json" + std::string(kEntriesSchema) + "}}";
}

}  // namespace

void add_calendar_routes(http::Router& router, CalendarStore& store) {
  router.add({
      .method = http::Method::get,
      .path = "/api/calendar/add-working-days",
      .handler =
          [&store](http::Request& req) {
            Date from = date_value(required_query(req, "from", "a date YYYY-MM-DD"), "from");
            int days = days_value(required_query(req, "days", "an integer between -10000 and 10000"));
            auto answer = take(store.calendar()->add_working_days(from, days));
            json::object body{{"date", format_date(answer.value)}, {"provisional", answer.provisional}};
            return http::Response::json(json::serialize(body));
          },
      .summary = "The N-th working day after a date (行政许可法 Art. 82; the start day is not counted)",
      .tag = "calendar",
      .query = {{"from", "string", true, "Start date YYYY-MM-DD (not counted)"},
                {"days", "integer", true, "Working days to add, -10000..10000; negative counts backwards"}},
      .response_schema = kAddWorkingDaysSchema,
  });

  router.add({
      .method = http::Method::get,
      .path = "/api/calendar/working-days",
      .handler =
          [&store](http::Request& req) {
            Date from = date_value(required_query(req, "from", "a date YYYY-MM-DD"), "from");
            Date to = date_value(required_query(req, "to", "a date YYYY-MM-DD"), "to");
            auto answer = take(store.calendar()->working_days_between(from, to));
            json::object body{{"days", answer.value}, {"provisional", answer.provisional}};
            return http::Response::json(json::serialize(body));
          },
      .summary = "The number of working days after one date up to and including another",
      .tag = "calendar",
      .query = {{"from", "string", true, "Date YYYY-MM-DD (not counted)"},
                {"to", "string", true, "Date YYYY-MM-DD (counted)"}},
      .response_schema = kWorkingDaysSchema,
  });

  router.add({
      .method = http::Method::get,
      .path = "/api/calendar/days/{date}",
      .handler =
          [&store](http::Request& req) {
            Date date = date_value(req.param("date"), "date");
            DayInfo info = take(store.calendar()->day(date));
            json::object body{{"date", format_date(info.date)},
                              {"working", info.working},
                              {"kind", to_string(info.kind)},
                              {"provisional", info.provisional}};
            if (!info.name.empty()) body["name"] = info.name;
            return http::Response::json(json::serialize(body));
          },
      .summary = "Whether a date is a working day, and why",
      .tag = "calendar",
      .response_schema = kDaySchema,
  });

  router.add({
      .method = http::Method::get,
      .path = "/api/calendar/years",
      .handler =
          [&store](http::Request&) {
            json::array items;
            for (const YearRecord& y : store.years()) {
              items.emplace_back(json::object{{"year", y.year},
                                              {"source", y.source},
                                              {"loaded_at", y.loaded_at},
                                              {"holidays", y.holidays},
                                              {"workdays", y.workdays}});
            }
            json::object body{{"items", std::move(items)}};
            return http::Response::json(json::serialize(body));
          },
      .summary = "The calendar years loaded; other years are computed provisionally (Monday-Friday only)",
      .tag = "calendar",
      .response_schema = kYearsSchema,
  });

  router.add({
      .method = http::Method::get,
      .path = "/api/calendar/years/{year}",
      .handler = [&store](http::Request& req) { return year_response(take(store.year(year_value(req.param("year"))))); },
      .summary = "One loaded year's holidays and make-up working days",
      .tag = "calendar",
      .response_schema = year_schema(),
  });

  router.add({
      .method = http::Method::put,
      .path = "/api/calendar/years/{year}",
      .handler =
          [&store](http::Request& req) {
            int year = year_value(req.param("year"));
            CalendarYear data = take(parse_calendar_json(req.body));
            if (data.year != year) {
              throw Problem(Error::invalid("year", "the body is for " + std::to_string(data.year) +
                                                       " but the path names " + std::to_string(year)));
            }
            return year_response(take(store.replace_year(data, "api")));
          },
      .summary = "Replace one year's holidays and make-up working days (from the State Council's notice)",
      .tag = "calendar",
      .request_schema = year_body_schema(),
      .response_schema = year_schema(),
      .permission = "calendar.manage",
      .audit = "calendar.replace_year",
  });
}

}  // namespace zhengwu::calendar
