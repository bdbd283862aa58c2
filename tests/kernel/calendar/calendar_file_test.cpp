// The calendar file format (TOML for import, JSON for the API): what it accepts, and
// the field named by each error. Also checks the shipped 2025 and 2026 data against the
// State Council notices, date by date.
#include "kernel/calendar/calendar_file.hpp"

#include <gtest/gtest.h>

#include <map>

#include "calendar_test_support.hpp"

namespace zhengwu::calendar {
namespace {

using testing::d;

// Every special day of a year as "YYYY-MM-DD" -> "holiday"/"workday".
std::map<std::string, std::string> by_date(const CalendarYear& year) {
  std::map<std::string, std::string> out;
  for (const auto& day : year.days) out[format_date(day.date)] = std::string(to_string(day.kind));
  return out;
}

void add_range(std::map<std::string, std::string>& out, const char* from, const char* to, const char* kind) {
  for (auto day = std::chrono::sys_days{d(from)}; day <= std::chrono::sys_days{d(to)}; day += std::chrono::days{1}) {
    out[format_date(Date{day})] = kind;
  }
}

TEST(CalendarFileTest, Shipped2025MatchesTheNotice) {
  // 国办发明电〔2024〕12号
  std::map<std::string, std::string> expected;
  add_range(expected, "2025-01-01", "2025-01-01", "holiday");
  add_range(expected, "2025-01-28", "2025-02-04", "holiday");
  add_range(expected, "2025-04-04", "2025-04-06", "holiday");
  add_range(expected, "2025-05-01", "2025-05-05", "holiday");
  add_range(expected, "2025-05-31", "2025-06-02", "holiday");
  add_range(expected, "2025-10-01", "2025-10-08", "holiday");
  for (const char* w : {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"}) expected[w] = "workday";

  auto years = testing::shipped_calendar_years();
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].year, 2025);
  EXPECT_EQ(by_date(years[0]), expected);
}

TEST(CalendarFileTest, Shipped2026MatchesTheNotice) {
  // 国办发明电〔2025〕7号
  std::map<std::string, std::string> expected;
  add_range(expected, "2026-01-01", "2026-01-03", "holiday");
  add_range(expected, "2026-02-15", "2026-02-23", "holiday");
  add_range(expected, "2026-04-04", "2026-04-06", "holiday");
  add_range(expected, "2026-05-01", "2026-05-05", "holiday");
  add_range(expected, "2026-06-19", "2026-06-21", "holiday");
  add_range(expected, "2026-09-25", "2026-09-27", "holiday");
  add_range(expected, "2026-10-01", "2026-10-07", "holiday");
  for (const char* w : {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}) {
    expected[w] = "workday";
  }
  auto years = testing::shipped_calendar_years();
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[1].year, 2026);
  EXPECT_EQ(by_date(years[1]), expected);
}

TEST(CalendarFileTest, ParsesToml) {
  auto year = parse_calendar_toml(R"(
# 2027, as an operator would type it
year = 2027

[[holiday]]
name = "元旦"
dates = ["2027-01-01"]

[[holiday]]
name = "春节"
from = "2027-02-05"
to = 2027-02-11            # a TOML date works too

[[workday]]
name = "春节调休"
dates = ["2027-02-14", 2027-02-20]
)");
  ASSERT_TRUE(year.ok()) << year.error().message;
  EXPECT_EQ(year->year, 2027);
  EXPECT_EQ(year->count(DayKind::holiday), 8);
  EXPECT_EQ(year->count(DayKind::workday), 2);
  EXPECT_EQ(format_date(year->days.front().date), "2027-01-01");
  EXPECT_EQ(year->days.front().name, "元旦");
  EXPECT_EQ(format_date(year->days.back().date), "2027-02-20");
  EXPECT_EQ(year->days.back().kind, DayKind::workday);
}

TEST(CalendarFileTest, ParsesJsonAsTheSameYear) {
  auto toml = parse_calendar_toml(R"(
year = 2027
[[holiday]]
name = "元旦"
dates = ["2027-01-01"]
[[holiday]]
name = "春节"
from = "2027-02-05"
to = "2027-02-11"
[[workday]]
name = "春节调休"
dates = ["2027-02-14", "2027-02-20"]
)");
  auto json = parse_calendar_json(R"({
    "year": 2027,
    "holidays": [{"name": "元旦", "dates": ["2027-01-01"]},
                 {"name": "春节", "from": "2027-02-05", "to": "2027-02-11"}],
    "workdays": [{"name": "春节调休", "dates": ["2027-02-20", "2027-02-14"]}],
    "source": "api", "loaded_at": "2026-11-05T10:00:00+08:00"
  })");
  ASSERT_TRUE(toml.ok()) << toml.error().message;
  ASSERT_TRUE(json.ok()) << json.error().message;
  EXPECT_EQ(*toml, *json);
}

TEST(CalendarFileTest, EmptyYearIsAllowed) {
  // A year with no holidays is odd but valid: it marks the year as reviewed.
  auto year = parse_calendar_json(R"({"year": 2027, "holidays": [], "workdays": []})");
  ASSERT_TRUE(year.ok()) << year.error().message;
  EXPECT_TRUE(year->days.empty());
  EXPECT_TRUE(parse_calendar_toml("year = 2027\nholiday = []\n").ok());
}

struct ErrorRow {
  const char* what;
  std::string document;
  std::string field;          // the first field named; empty: a syntax error without field
  std::string message_part;
};

TEST(CalendarFileTest, TomlErrorsNameTheField) {
  const std::vector<ErrorRow> rows = {
      {"not a date", "year = 2027\n[[holiday]]\nname = \"a\"\ndates = [\"2027-01-01\"]\n[[holiday]]\nname = \"b\"\n"
                     "dates = [\"2027-01-02\"]\n[[holiday]]\nname = \"c\"\ndates = [\"2027-02-30\"]\n",
       "holiday[2].dates[0]", "'2027-02-30' is not a date"},
      {"date in another year", "year = 2027\n[[holiday]]\nname = \"元旦\"\ndates = [\"2026-12-31\"]\n",
       "holiday[0].dates[0]", "2026-12-31 is not in 2027"},
      {"range leaves the year", "year = 2027\n[[holiday]]\nname = \"x\"\nfrom = \"2027-12-30\"\nto = \"2028-01-02\"\n",
       "holiday[0].to", "2028-01-02 is not in 2027"},
      {"range backwards", "year = 2027\n[[holiday]]\nname = \"x\"\nfrom = \"2027-02-11\"\nto = \"2027-02-05\"\n",
       "holiday[0].to", "is before from"},
      {"holiday is also a make-up day",
       "year = 2027\n[[holiday]]\nname = \"春节\"\nfrom = \"2027-02-05\"\nto = \"2027-02-11\"\n"
       "[[workday]]\nname = \"调休\"\ndates = [\"2027-02-06\"]\n",
       "workday[0].dates[0]", "a holiday must not be a make-up day too"},
      {"make-up day on a weekday", "year = 2027\n[[workday]]\nname = \"调休\"\ndates = [\"2027-02-03\"]\n",
       "workday[0].dates[0]", "2027-02-03 is a Wednesday"},
      {"listed twice",
       "year = 2027\n[[holiday]]\nname = \"a\"\ndates = [\"2027-01-01\"]\n[[holiday]]\nname = \"b\"\n"
       "dates = [\"2027-01-01\"]\n",
       "holiday[1].dates[0]", "listed twice (also at holiday[0].dates[0])"},
      {"empty name", "year = 2027\n[[holiday]]\nname = \"  \"\ndates = [\"2027-01-01\"]\n", "holiday[0].name",
       "must not be empty"},
      {"missing name", "year = 2027\n[[holiday]]\ndates = [\"2027-01-01\"]\n", "holiday[0].name", "is required"},
      {"name not a string", "year = 2027\n[[holiday]]\nname = 1\ndates = [\"2027-01-01\"]\n", "holiday[0].name",
       "must be a string"},
      {"no dates", "year = 2027\n[[holiday]]\nname = \"x\"\n", "holiday[0]", "needs dates, or from and to"},
      {"empty dates", "year = 2027\n[[holiday]]\nname = \"x\"\ndates = []\n", "holiday[0].dates",
       "at least one date"},
      {"dates and range", "year = 2027\n[[holiday]]\nname = \"x\"\ndates = [\"2027-01-01\"]\nfrom = \"2027-01-01\"\n"
                          "to = \"2027-01-02\"\n",
       "holiday[0]", "not both"},
      {"from without to", "year = 2027\n[[holiday]]\nname = \"x\"\nfrom = \"2027-01-01\"\n", "holiday[0].to",
       "is required together with from"},
      {"date of the wrong type", "year = 2027\n[[holiday]]\nname = \"x\"\ndates = [20270101]\n",
       "holiday[0].dates[0]", "must be a date"},
      {"dates not an array", "year = 2027\n[[holiday]]\nname = \"x\"\ndates = \"2027-01-01\"\n", "holiday[0].dates",
       "must be an array"},
      {"unknown key in an entry", "year = 2027\n[[holiday]]\nname = \"x\"\ndate = [\"2027-01-01\"]\n",
       "holiday[0].date", "unknown key"},
      {"unknown top-level key", "year = 2027\n[[holidays]]\nname = \"x\"\ndates = [\"2027-01-01\"]\n", "holidays",
       "unknown key"},
      {"holiday not an array of tables", "year = 2027\n[holiday]\nname = \"x\"\n", "holiday",
       "array of tables"},
      {"missing year", "[[holiday]]\nname = \"x\"\ndates = [\"2027-01-01\"]\n", "year", "is required"},
      {"year not an integer", "year = \"2027\"\n", "year", "must be an integer"},
      {"year out of range", "year = 1800\n", "year", "1800 is outside 1900..2200"},
      {"not TOML", "year = = 2027\n", "", "not valid TOML: line 1"},
  };
  for (const auto& r : rows) {
    auto year = parse_calendar_toml(r.document);
    ASSERT_FALSE(year.ok()) << r.what;
    const Error& e = year.error();
    EXPECT_EQ(e.code, ErrorCode::invalid) << r.what;
    if (r.field.empty()) {
      EXPECT_TRUE(e.fields.empty()) << r.what;
    } else {
      ASSERT_FALSE(e.fields.empty()) << r.what << ": " << e.message;
      EXPECT_EQ(e.fields[0].field, r.field) << r.what << ": " << e.message;
    }
    EXPECT_NE(e.message.find(r.message_part), std::string::npos) << r.what << ": " << e.message;
  }
}

TEST(CalendarFileTest, JsonErrorsNameTheField) {
  const std::vector<ErrorRow> rows = {
      {"not a date",
       R"({"year":2027,"holidays":[{"name":"a","dates":["2027-01-01"]},{"name":"b","dates":["2027-01-02"]},)"
       R"({"name":"c","dates":["2027-02-30"]}]})",
       "holidays[2].dates[0]", "'2027-02-30' is not a date"},
      {"make-up day on a weekday", R"({"year":2027,"workdays":[{"name":"调休","dates":["2027-02-03"]}]})",
       "workdays[0].dates[0]", "must be a Saturday or Sunday"},
      {"holiday is also a make-up day",
       R"({"year":2027,"holidays":[{"name":"x","dates":["2027-02-06"]}],"workdays":[{"name":"y","dates":["2027-02-06"]}]})",
       "workdays[0].dates[0]", "a holiday must not be a make-up day too"},
      {"entry not an object", R"({"year":2027,"holidays":["2027-01-01"]})", "holidays[0]", "must be an object"},
      {"holidays not an array", R"({"year":2027,"holidays":{"name":"x"}})", "holidays", "array of objects"},
      {"date not a string", R"({"year":2027,"holidays":[{"name":"x","dates":[20270101]}]})", "holidays[0].dates[0]",
       "must be a date string"},
      {"year not an integer", R"({"year":"2027"})", "year", "must be an integer"},
      {"year fractional", R"({"year":2027.5})", "year", "must be an integer"},
      {"year huge", R"({"year":18446744073709551615})", "year", "is outside 1900..2200"},
      {"unknown key", R"({"year":2027,"holiday":[]})", "holiday", "unknown key"},
      {"missing year", R"({"holidays":[]})", "year", "is required"},
      {"not an object", R"([2027])", "", "must be a JSON object"},
      {"not JSON", R"({"year":2027,)", "", "not valid JSON"},
  };
  for (const auto& r : rows) {
    auto year = parse_calendar_json(r.document);
    ASSERT_FALSE(year.ok()) << r.what;
    const Error& e = year.error();
    EXPECT_EQ(e.code, ErrorCode::invalid) << r.what;
    if (r.field.empty()) {
      EXPECT_TRUE(e.fields.empty()) << r.what;
    } else {
      ASSERT_FALSE(e.fields.empty()) << r.what << ": " << e.message;
      EXPECT_EQ(e.fields[0].field, r.field) << r.what << ": " << e.message;
    }
    EXPECT_NE(e.message.find(r.message_part), std::string::npos) << r.what << ": " << e.message;
  }
}

TEST(CalendarFileTest, ReportsEveryProblemAtOnce) {
  auto year = parse_calendar_json(R"({"year":2027,"holidays":[{"name":"","dates":["2027-13-01","2026-01-01"]}],
                                      "workdays":[{"name":"w","dates":["2027-01-04"]}]})");
  ASSERT_FALSE(year.ok());
  ASSERT_EQ(year.error().fields.size(), 4u) << year.error().message;
  EXPECT_EQ(year.error().fields[0].field, "holidays[0].dates[0]");
  EXPECT_EQ(year.error().fields[1].field, "holidays[0].name");
  EXPECT_EQ(year.error().fields[2].field, "holidays[0].dates[1]");
  EXPECT_EQ(year.error().fields[3].field, "workdays[0].dates[0]");
  EXPECT_NE(year.error().message.find("the calendar has 4 errors"), std::string::npos);
}

TEST(CalendarFileTest, ErrorListIsCapped) {
  std::string doc = R"({"year":2027,"holidays":[{"name":"x","dates":[)";
  for (int i = 0; i < 80; ++i) doc += std::string(i ? "," : "") + "\"bad\"";
  doc += "]}]}";
  auto year = parse_calendar_json(doc);
  ASSERT_FALSE(year.ok());
  EXPECT_EQ(year.error().fields.size(), 50u);
  EXPECT_NE(year.error().message.find("the calendar has 80 errors"), std::string::npos);
  EXPECT_NE(year.error().message.find("and 30 more"), std::string::npos);
}

TEST(CalendarFileTest, TomlRoundTrip) {
  for (const auto& year : testing::shipped_calendar_years()) {
    std::string text = to_toml(year);
    auto back = parse_calendar_toml(text);
    ASSERT_TRUE(back.ok()) << back.error().message << "\n" << text;
    EXPECT_EQ(*back, year);
  }
  CalendarYear odd{2027, {{d("2027-01-01"), DayKind::holiday, "a \"quoted\" \\ name\twith tab"}}};
  auto back = parse_calendar_toml(to_toml(odd));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, odd);
}

TEST(CalendarFileTest, GroupsEntriesByName) {
  auto years = testing::shipped_calendar_years();
  ASSERT_FALSE(years.empty());
  auto holidays = group_entries(years[0], DayKind::holiday);
  ASSERT_EQ(holidays.size(), 6u);
  EXPECT_EQ(holidays[1].name, "春节");
  EXPECT_EQ(holidays[1].dates.size(), 8u);
  auto workdays = group_entries(years[0], DayKind::workday);
  ASSERT_EQ(workdays.size(), 3u);
  EXPECT_EQ(workdays[0].name, "春节调休");
  EXPECT_EQ(workdays[0].dates.size(), 2u);
}

TEST(CalendarFileTest, ValidatesYearsBuiltInCode) {
  EXPECT_TRUE(validate_calendar_year({2027, {{d("2027-01-01"), DayKind::holiday, "元旦"}}}).ok());
  auto wrong_year = validate_calendar_year({2027, {{d("2026-01-01"), DayKind::holiday, "元旦"}}});
  ASSERT_FALSE(wrong_year.ok());
  EXPECT_EQ(wrong_year.error().fields[0].field, "days[0].date");
  auto weekday = validate_calendar_year({2027, {{d("2027-01-06"), DayKind::weekday, "x"}}});
  ASSERT_FALSE(weekday.ok());
  EXPECT_EQ(weekday.error().fields[0].field, "days[0].kind");
  auto nameless = validate_calendar_year({2027, {{d("2027-01-01"), DayKind::holiday, ""}}});
  ASSERT_FALSE(nameless.ok());
  EXPECT_EQ(nameless.error().fields[0].field, "days[0].name");
}

}  // namespace
}  // namespace zhengwu::calendar
