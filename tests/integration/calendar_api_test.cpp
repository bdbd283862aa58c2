// Every calendar endpoint through a real socket, on both databases: reading days and
// years, replacing a year with PUT, and what bad input gets.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;

class CalendarApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto pg = test::postgres_for_tests();
    if (GetParam() == "postgres" && !pg.admin_url) {
      if (pg.required) FAIL() << "ZHENGWU_TEST_PG_URL is not set but PostgreSQL tests are required";
      GTEST_SKIP() << "no PostgreSQL (ZHENGWU_TEST_PG_URL)";
    }
    scratch_ = std::make_unique<test::ScratchDatabase>(GetParam());
    Env env{{"ZHENGWU_DB_URL", scratch_->url()},
            {"ZHENGWU_DATA_DIR", (dir_.path() / "data").string()},
            {"ZHENGWU_ADMIN_SECOND_FACTOR", "optional"}};
    // Loading a year is configuration: the system administrator's.
    run_ok({"org", "add", "--code", "330100", "--name", "杭州市", "--kind", "city"}, env);
    run_ok({"user", "add", "--username", "sysadmin", "--password", "Sys#Admin2026", "--org", "330100", "--role",
            "sys_admin"},
           env);
    server_ = std::make_unique<ServerProcess>(dir_.path() / "data", env);
    admin_ = bearer(sign_in(server_->port(), "sysadmin", "Sys#Admin2026"));
  }
  void TearDown() override { server_.reset(); }
  json::value get_json(const std::string& target, int expected_status = 200) {
    auto r = http_get(server_->port(), target);
    EXPECT_EQ(r.status, expected_status) << target << ": " << r.body;
    return json::parse(r.body);
  }
  static std::string first_field(const json::value& problem) {
    return std::string(problem.at("errors").at(0).at("field").as_string());
  }

  TempDir dir_;
  std::unique_ptr<test::ScratchDatabase> scratch_;
  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> admin_;
};

TEST_P(CalendarApiTest, WorkingDaysBetween) {
  auto r = get_json("/api/calendar/working-days?from=2025-09-30&to=2025-10-31");
  EXPECT_EQ(r.at("days").as_int64(), 18);  // 9, 10, 11 (make-up), then three full weeks
  EXPECT_FALSE(r.at("provisional").as_bool());
  auto back = get_json("/api/calendar/working-days?from=2025-10-31&to=2025-09-30");
  EXPECT_EQ(back.at("days").as_int64(), -18);
  EXPECT_EQ(first_field(get_json("/api/calendar/working-days?from=2025-09-30", 400)), "to");
}

TEST_P(CalendarApiTest, OneDay) {
  struct Case {
    const char* date;
    bool working;
    const char* kind;
  };
  for (const auto& c : std::vector<Case>{{"2025-10-01", false, "holiday"},
                                          {"2025-10-11", true, "workday"},
                                          {"2025-10-13", true, "weekday"},
                                          {"2025-10-12", false, "weekend"}}) {
    auto d = get_json(std::string("/api/calendar/days/") + c.date);
    EXPECT_EQ(d.at("working").as_bool(), c.working) << c.date;
    EXPECT_EQ(d.at("kind").as_string(), c.kind) << c.date;
  }
  EXPECT_EQ(get_json("/api/calendar/days/2025-10-01").at("name").as_string(), "国庆节、中秋节");
  EXPECT_EQ(first_field(get_json("/api/calendar/days/yesterday", 400)), "date");
}

TEST_P(CalendarApiTest, ReplaceAYearAndUseIt) {
  // Before 2027 is loaded, answers reaching into it are provisional.
  auto before = get_json("/api/calendar/add-working-days?from=2027-02-05&days=1");
  EXPECT_TRUE(before.at("provisional").as_bool());
  EXPECT_EQ(before.at("date").as_string(), "2027-02-08");

  std::string body = R"({"year":2027,
    "holidays":[{"name":"春节","from":"2027-02-06","to":"2027-02-12"}],
    "workdays":[{"name":"春节调休","dates":["2027-02-13"]}]})";
  EXPECT_EQ(http_request(server_->port(), "PUT", "/api/calendar/years/2027", body,
                         {{"Content-Type", "application/json"}})
                .status,
            401)
      << "without a session";
  auto put = http_request(server_->port(), "PUT", "/api/calendar/years/2027", body, admin_);
  ASSERT_EQ(put.status, 200) << put.body;

  auto after = get_json("/api/calendar/add-working-days?from=2027-02-05&days=1");
  EXPECT_FALSE(after.at("provisional").as_bool());
  EXPECT_EQ(after.at("date").as_string(), "2027-02-13");

  auto years = get_json("/api/calendar/years").at("items").as_array();
  std::vector<std::int64_t> loaded;
  for (const auto& y : years) loaded.push_back(y.at("year").as_int64());
  EXPECT_EQ(loaded, (std::vector<std::int64_t>{2025, 2026, 2027}));
  auto year = get_json("/api/calendar/years/2027");
  EXPECT_EQ(year.at("year").as_int64(), 2027);
  EXPECT_EQ(year.at("source").as_string(), "api");

  get_json("/api/calendar/years/2031", 404);
}

TEST_P(CalendarApiTest, BadYearBodiesAreRefusedByField) {
  struct Case {
    std::string target;
    std::string body;
    std::string field;
  };
  const std::vector<Case> cases{
      {"/api/calendar/years/2027", R"({"year":2028,"holidays":[],"workdays":[]})", "year"},
      {"/api/calendar/years/2027", R"({"year":2027,"holidays":[{"name":"x","dates":["2027-02-30"]}],"workdays":[]})",
       "holidays[0].dates[0]"},
      {"/api/calendar/years/2027", R"({"year":2027,"holidays":[],"workdays":[{"name":"x","dates":["2027-02-10"]}]})",
       "workdays[0].dates[0]"},
      {"/api/calendar/years/2027", R"({"year":2027,"holidays":[{"name":"","dates":["2027-01-01"]}],"workdays":[]})",
       "holidays[0].name"},
  };
  for (const auto& c : cases) {
    auto r = http_request(server_->port(), "PUT", c.target, c.body, admin_);
    EXPECT_EQ(r.status, 400) << c.body;
    auto p = json::parse(r.body);
    bool named = false;
    for (const auto& e : p.at("errors").as_array())
      if (e.at("field").as_string() == c.field) named = true;
    EXPECT_TRUE(named) << c.field << " not named in " << r.body;
  }
  auto malformed = http_request(server_->port(), "PUT", "/api/calendar/years/2027", "{not json", admin_);
  EXPECT_EQ(malformed.status, 400);
  // Nothing of the refused bodies was stored.
  get_json("/api/calendar/years/2027", 404);
  EXPECT_EQ(http_get(server_->port(), "/healthz").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Calendar, CalendarApiTest, ::testing::Values(std::string("sqlite"), std::string("postgres")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace zhengwu::testing
