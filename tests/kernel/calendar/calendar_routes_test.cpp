// The calendar API's handlers, called through the real Router on a store backed by each
// engine: response shapes (`{date}` of add-working-days is a contract), problems naming
// the parameter at fault, and the OpenAPI description of each route.
#include "kernel/calendar/calendar_routes.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "calendar_test_support.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/problem.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::calendar {
namespace {

namespace json = boost::json;
using namespace std::chrono;

class CalendarRoutesTest : public zhengwu::test::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), calendar_migrations(), clock_);
    store_ = std::make_unique<CalendarStore>(db(), clock_);
    store_->load();
    add_calendar_routes(router_, *store_);
  }
  void TearDown() override {
    store_.reset();
    StorageTest::TearDown();
  }

  // Routes one request the way the dispatcher does: match, then the handler, a thrown
  // Problem becoming its problem response.
  http::Response call(http::Method method, const std::string& target, std::string body = "") {
    http::Request req;
    req.method = method;
    req.target = target;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    req.query_text = q == std::string::npos ? "" : target.substr(q + 1);
    req.body = std::move(body);
    http::Match match = router_.match(method, req.path);
    if (!match.route) return http::Response::empty(404);
    req.path_params = match.params;
    try {
      return match.route->handler(req);
    } catch (const Problem& p) {
      return problem(p.error());
    }
  }
  http::Response get(const std::string& target) { return call(http::Method::get, target); }

  static json::object body(const http::Response& r) { return json::parse(r.body).as_object(); }
  // The field named by the first error of a problem response.
  static std::string problem_field(const http::Response& r) {
    auto o = body(r);
    if (!o.contains("errors")) return "(no errors: " + r.body + ")";
    return json::value_to<std::string>(o.at("errors").as_array().at(0).as_object().at("field"));
  }

  ManualClock clock_{sys_days{year{2025} / November / day{5}}};
  http::Router router_;
  std::unique_ptr<CalendarStore> store_;
};

TEST_P(CalendarRoutesTest, AddWorkingDays) {
  struct Row {
    std::string query;
    std::string date;
    bool provisional;
  };
  const std::vector<Row> rows = {
      {"from=2025-01-03&days=1", "2025-01-06", false},
      {"from=2025-01-27&days=1", "2025-02-05", false},
      {"from=2025-09-30&days=1", "2025-10-09", false},
      {"from=2025-01-02&days=20", "2025-02-06", false},
      {"from=2025-01-06&days=-1", "2025-01-03", false},
      {"from=2025-01-06&days=%2B1", "2025-01-07", false},  // "+1"
      {"from=2025-01-06&days=0", "2025-01-06", false},
      {"from=2026-12-31&days=1", "2027-01-01", true},
  };
  for (const auto& r : rows) {
    auto res = get("/api/calendar/add-working-days?" + r.query);
    ASSERT_EQ(res.status, 200) << r.query << ": " << res.body;
    auto o = body(res);
    EXPECT_EQ(json::value_to<std::string>(o.at("date")), r.date) << r.query;
    EXPECT_EQ(o.at("provisional").as_bool(), r.provisional) << r.query;
  }
}

TEST_P(CalendarRoutesTest, BadParametersAreNamed) {
  struct Row {
    std::string target;
    std::string field;
  };
  const std::vector<Row> rows = {
      {"/api/calendar/add-working-days?days=1", "from"},
      {"/api/calendar/add-working-days?from=&days=1", "from"},
      {"/api/calendar/add-working-days?from=2025-02-30&days=1", "from"},
      {"/api/calendar/add-working-days?from=2025-1-3&days=1", "from"},
      {"/api/calendar/add-working-days?from=1800-01-01&days=1", "from"},
      {"/api/calendar/add-working-days?from=2025-01-03", "days"},
      {"/api/calendar/add-working-days?from=2025-01-03&days=abc", "days"},
      {"/api/calendar/add-working-days?from=2025-01-03&days=1.5", "days"},
      {"/api/calendar/add-working-days?from=2025-01-03&days=10001", "days"},
      {"/api/calendar/add-working-days?from=2025-01-03&days=-10001", "days"},
      {"/api/calendar/add-working-days?from=2025-01-03&days=99999999999999999999", "days"},
      {"/api/calendar/add-working-days?from=2200-12-30&days=10", "days"},
      {"/api/calendar/working-days?to=2025-01-06", "from"},
      {"/api/calendar/working-days?from=2025-01-06", "to"},
      {"/api/calendar/working-days?from=2025-01-06&to=tomorrow", "to"},
      {"/api/calendar/working-days?from=2025-01-06&to=2201-01-01", "to"},
      {"/api/calendar/days/2025-13-01", "date"},
      {"/api/calendar/days/1899-12-31", "date"},
      {"/api/calendar/years/abc", "year"},
      {"/api/calendar/years/1800", "year"},
  };
  for (const auto& r : rows) {
    auto res = get(r.target);
    EXPECT_EQ(res.status, 400) << r.target << ": " << res.body;
    EXPECT_EQ(problem_field(res), r.field) << r.target << ": " << res.body;
  }
  auto res = get("/api/calendar/add-working-days?from=2025-01-03&days=10001");
  EXPECT_NE(res.body.find("must be an integer between -10000 and 10000"), std::string::npos) << res.body;
}

TEST_P(CalendarRoutesTest, WorkingDays) {
  auto res = get("/api/calendar/working-days?from=2025-01-02&to=2025-02-06");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body(res).at("days").as_int64(), 20);
  EXPECT_FALSE(body(res).at("provisional").as_bool());
  res = get("/api/calendar/working-days?from=2025-02-06&to=2025-01-02");
  EXPECT_EQ(body(res).at("days").as_int64(), -20);
  res = get("/api/calendar/working-days?from=2026-12-25&to=2027-01-05");
  EXPECT_EQ(body(res).at("days").as_int64(), 7);
  EXPECT_TRUE(body(res).at("provisional").as_bool());
}

TEST_P(CalendarRoutesTest, Day) {
  auto res = get("/api/calendar/days/2025-01-26");
  ASSERT_EQ(res.status, 200) << res.body;
  auto o = body(res);
  EXPECT_EQ(json::value_to<std::string>(o.at("date")), "2025-01-26");
  EXPECT_TRUE(o.at("working").as_bool());
  EXPECT_EQ(json::value_to<std::string>(o.at("kind")), "workday");
  EXPECT_EQ(json::value_to<std::string>(o.at("name")), "春节调休");

  o = body(get("/api/calendar/days/2025-10-01"));
  EXPECT_FALSE(o.at("working").as_bool());
  EXPECT_EQ(json::value_to<std::string>(o.at("kind")), "holiday");

  o = body(get("/api/calendar/days/2025-01-04"));
  EXPECT_EQ(json::value_to<std::string>(o.at("kind")), "weekend");
  EXPECT_FALSE(o.contains("name"));

  o = body(get("/api/calendar/days/2027-01-01"));
  EXPECT_EQ(json::value_to<std::string>(o.at("kind")), "weekday");
  EXPECT_TRUE(o.at("provisional").as_bool());
}

TEST_P(CalendarRoutesTest, Years) {
  auto res = get("/api/calendar/years");
  ASSERT_EQ(res.status, 200) << res.body;
  auto items = body(res).at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("year").as_int64(), 2025);
  EXPECT_EQ(items[0].at("holidays").as_int64(), 28);
  EXPECT_EQ(items[0].at("workdays").as_int64(), 5);
  EXPECT_EQ(json::value_to<std::string>(items[0].at("loaded_at")), "2025-11-05T00:00:00+00:00");
  EXPECT_EQ(items[1].at("year").as_int64(), 2026);

  res = get("/api/calendar/years/2025");
  ASSERT_EQ(res.status, 200) << res.body;
  auto year = body(res);
  EXPECT_EQ(year.at("year").as_int64(), 2025);
  auto holidays = year.at("holidays").as_array();
  ASSERT_EQ(holidays.size(), 6u);
  EXPECT_EQ(json::value_to<std::string>(holidays[1].at("name")), "春节");
  EXPECT_EQ(holidays[1].at("dates").as_array().size(), 8u);
  EXPECT_EQ(year.at("workdays").as_array().size(), 3u);

  res = get("/api/calendar/years/2027");
  EXPECT_EQ(res.status, 404) << res.body;
}

TEST_P(CalendarRoutesTest, PutYear) {
  const std::string body_2027 = R"({"year":2027,
    "holidays":[{"name":"元旦","dates":["2027-01-01"]},{"name":"春节","from":"2027-02-05","to":"2027-02-11"}],
    "workdays":[{"name":"春节调休","dates":["2027-02-14","2027-02-20"]}]})";
  auto res = call(http::Method::put, "/api/calendar/years/2027", body_2027);
  ASSERT_EQ(res.status, 200) << res.body;
  auto o = body(res);
  EXPECT_EQ(o.at("year").as_int64(), 2027);
  EXPECT_EQ(json::value_to<std::string>(o.at("source")), "api");
  EXPECT_EQ(o.at("holidays").as_array().size(), 2u);

  auto answer = body(get("/api/calendar/add-working-days?from=2027-02-12&days=1"));
  EXPECT_EQ(json::value_to<std::string>(answer.at("date")), "2027-02-14");
  EXPECT_FALSE(answer.at("provisional").as_bool());

  // What GET returns can be sent back unchanged.
  auto fetched = get("/api/calendar/years/2027");
  res = call(http::Method::put, "/api/calendar/years/2027", fetched.body);
  EXPECT_EQ(res.status, 200) << res.body;

  res = call(http::Method::put, "/api/calendar/years/2028", body_2027);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(problem_field(res), "year");

  res = call(http::Method::put, "/api/calendar/years/2027",
             R"({"year":2027,"holidays":[{"name":"x","dates":["2027-02-30"]}]})");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(problem_field(res), "holidays[0].dates[0]");

  res = call(http::Method::put, "/api/calendar/years/2027", "not json");
  EXPECT_EQ(res.status, 400);
}

TEST_P(CalendarRoutesTest, RoutesAreDocumented) {
  int count = 0;
  for (const auto& route : router_.routes()) {
    if (route.path.rfind("/api/calendar/", 0) != 0) continue;
    ++count;
    EXPECT_EQ(route.tag, "calendar") << route.path;
    EXPECT_FALSE(route.summary.empty()) << route.path;
    ASSERT_FALSE(route.response_schema.empty()) << route.path;
    json::error_code ec;
    json::parse(route.response_schema, ec);
    EXPECT_FALSE(ec) << route.path << ": response schema is not JSON";
    if (!route.request_schema.empty()) {
      json::parse(route.request_schema, ec);
      EXPECT_FALSE(ec) << route.path << ": request schema is not JSON";
    }
    if (route.method == http::Method::put) {
      EXPECT_EQ(route.permission, "calendar.manage");
      EXPECT_FALSE(route.request_schema.empty());
    } else {
      EXPECT_TRUE(route.permission.empty()) << route.path;
    }
    if (route.path == "/api/calendar/add-working-days") {
      ASSERT_EQ(route.query.size(), 2u);
      EXPECT_EQ(route.query[0].name, "from");
      EXPECT_EQ(route.query[1].name, "days");
      EXPECT_EQ(route.query[1].type, "integer");
      EXPECT_TRUE(route.query[1].required);
    }
  }
  EXPECT_EQ(count, 6);
}

ZHENGWU_STORAGE_TEST_SUITE(CalendarRoutesTest);

}  // namespace
}  // namespace zhengwu::calendar
