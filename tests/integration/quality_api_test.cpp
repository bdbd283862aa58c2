// Data quality over HTTP on both engines, against the demo: the seeded reports, a
// resource's report and trend, recomputing (its provider's editors and the big-data
// centre only, audited), the overview sorted and paged with a cursor and filtered by
// provider, the report a finished import schedules, and every refusal naming its field.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>
#include <thread>

#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kAuditPass = "Zhengwu#Audit2026";

class QualityApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    run_ok({"user", "add", "--username", "quality.auditor", "--password", kAuditPass, "--org", "330100", "--role",
            "audit_admin"},
           env_);
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    officer_ = bearer(sign_in(port(), "sjzyj.officer", "Demo#Data2026"));
    clerk_ = bearer(sign_in(port(), "gaj.clerk", "Demo#Clerk2026"));
    other_ = bearer(sign_in(port(), "mzj.clerk", "Demo#Clerk2026"));
    citizen_ = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  }
  int port() const { return server_->port(); }

  HttpResponse call(const std::string& method, const std::string& target, const std::map<std::string, std::string>& who,
                    const std::string& body = {}, const std::string& type = "application/json") {
    auto headers = who;
    if (!body.empty()) headers["Content-Type"] = type;
    return http_request(port(), method, target, body, headers);
  }
  json::value get_json(const std::string& target, const std::map<std::string, std::string>& who) {
    auto r = call("GET", target, who);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return json::parse(r.body);
  }
  static std::string field_of(const HttpResponse& r) {
    return std::string(json::parse(r.body).at("errors").at(0).at("field").as_string());
  }

  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> officer_, clerk_, other_, citizen_;
};

TEST_P(QualityApiTest, ReportOfAResourceAndRecompute) {
  const std::string target = "/api/catalog/resources/gaj.population/quality";
  auto seeded = get_json(target, clerk_);
  EXPECT_EQ(seeded.at("resource").at("code").as_string(), "gaj.population");
  EXPECT_EQ(seeded.at("resource").at("cycle_days").as_int64(), 1) << "daily";
  EXPECT_DOUBLE_EQ(seeded.at("weights").at("completeness").as_double(), 0.3);
  const auto& latest = seeded.at("latest");
  ASSERT_TRUE(latest.is_object()) << "the demo assesses every published resource: " << seeded;
  EXPECT_EQ(latest.at("cause").as_string(), "demo");
  const double score = latest.at("score").as_double();
  EXPECT_GE(score, 0.0);
  EXPECT_LE(score, 100.0);
  EXPECT_TRUE(latest.at("uniqueness").is_null()) << "keyed by the ID number: no subject identifier to check";
  const auto& fields = latest.at("fields").as_array();
  ASSERT_EQ(fields.size(), 7u);
  EXPECT_EQ(fields[0].at("name").as_string(), "id_number");
  EXPECT_TRUE(fields[0].at("key").as_bool());
  const auto history_before = seeded.at("history").as_array().size();
  EXPECT_GE(history_before, 1u);

  // The provider's editor recomputes: a new report, by them, at the end of the trend.
  auto again = call("POST", target + "/recompute", clerk_);
  ASSERT_EQ(again.status, 200) << again.body;
  auto report = json::parse(again.body);
  EXPECT_EQ(report.at("cause").as_string(), "gaj.clerk");
  EXPECT_GT(report.at("id").as_int64(), latest.at("id").as_int64());
  EXPECT_EQ(report.at("records").as_int64(), latest.at("records").as_int64());
  auto after = get_json(target + "?history=365", officer_);
  EXPECT_EQ(after.at("history").as_array().size(), history_before + 1);
  EXPECT_EQ(after.at("history").as_array().back().at("id").as_int64(), report.at("id").as_int64()) << "oldest first";
  EXPECT_EQ(get_json(target + "?history=1", officer_).at("history").as_array().size(), 1u);

  // The big-data centre recomputes any resource; another department none of the 公安局's.
  EXPECT_EQ(call("POST", "/api/catalog/resources/rsj.social_insurance/quality/recompute", officer_).status, 200);
  EXPECT_EQ(call("POST", target + "/recompute", other_).status, 403);
  EXPECT_EQ(call("POST", target + "/recompute", citizen_).status, 403);
  EXPECT_EQ(call("POST", target + "/recompute", {}).status, 401);
  EXPECT_EQ(call("POST", "/api/catalog/resources/mzj.subsistence/quality/recompute", officer_).status, 409)
      << "under review: no records to assess";
  EXPECT_EQ(call("POST", "/api/catalog/resources/none.such/quality/recompute", officer_).status, 404);

  // Reading: drafts are their department's and the reviewers'.
  EXPECT_EQ(call("GET", "/api/catalog/resources/ybj.medical_insurance/quality", clerk_).status, 404);
  auto draft = get_json("/api/catalog/resources/ybj.medical_insurance/quality", officer_);
  EXPECT_TRUE(draft.at("latest").is_null());
  EXPECT_EQ(call("GET", target, citizen_).status, 403);
  EXPECT_EQ(call("GET", target, {}).status, 401);
  EXPECT_EQ(call("GET", "/api/catalog/resources/none.such/quality", clerk_).status, 404);
  for (const char* bad : {"0", "366", "x", "-1"}) {
    auto r = call("GET", target + "?history=" + bad, clerk_);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(field_of(r), "history");
  }

  // Every recompute is in the audit log, refused ones too.
  auto auditor = bearer(sign_in(port(), "quality.auditor", kAuditPass));
  auto audit = get_json("/api/audit/records?action=catalog.quality.recompute&limit=100", auditor);
  std::multiset<std::string> outcomes;
  for (const auto& r : audit.at("items").as_array()) outcomes.insert(std::string(r.at("outcome").as_string()));
  EXPECT_EQ(outcomes.count("success"), 2u) << audit;
  EXPECT_GE(outcomes.count("denied"), 2u) << audit;
}

TEST_P(QualityApiTest, OverviewSortsPagesAndFilters) {
  auto all = get_json("/api/quality?limit=100", officer_);
  const auto& items = all.at("items").as_array();
  ASSERT_EQ(items.size(), 4u) << "the demo's four published resources: " << all;
  EXPECT_TRUE(all.at("next_cursor").is_null());
  for (std::size_t i = 1; i < items.size(); ++i)
    EXPECT_LE(items[i - 1].at("score").as_double(), items[i].at("score").as_double()) << "worst first";
  std::set<std::string> codes;
  for (const auto& it : items) codes.insert(std::string(it.at("resource").as_string()));
  EXPECT_EQ(codes, (std::set<std::string>{"gaj.population", "gjj.deposit", "rsj.social_insurance", "scjgj.enterprise"}));
  EXPECT_TRUE(items[0].at("resource_name").is_string());
  EXPECT_TRUE(items[0].at("provider_name").is_string());

  // Page by page with the cursor: the same resources in the same order, none twice.
  for (const char* sort : {"score", "days_late", "code", "completeness"}) {
    std::vector<std::string> paged;
    std::string cursor;
    for (int guard = 0; guard < 10; ++guard) {
      auto page = get_json(std::string("/api/quality?limit=1&sort=") + sort + (cursor.empty() ? "" : "&cursor=" + cursor),
                           officer_);
      for (const auto& it : page.at("items").as_array()) paged.emplace_back(it.at("resource").as_string());
      if (page.at("next_cursor").is_null()) break;
      cursor = std::string(page.at("next_cursor").as_string());  // digits, '.', '-', '~' and a code: query-safe
    }
    std::vector<std::string> whole;
    const auto all_sorted = get_json(std::string("/api/quality?limit=100&sort=") + sort, officer_);
    for (const auto& it : all_sorted.at("items").as_array()) whole.emplace_back(it.at("resource").as_string());
    EXPECT_EQ(paged, whole) << sort;
  }
  auto by_code = get_json("/api/quality?sort=code&order=desc", clerk_);
  ASSERT_FALSE(by_code.at("items").as_array().empty());
  EXPECT_EQ(by_code.at("items").as_array()[0].at("resource").as_string(), "scjgj.enterprise");

  auto gaj = get_json("/api/quality?provider=330100-GAJ", clerk_);
  ASSERT_EQ(gaj.at("items").as_array().size(), 1u);
  EXPECT_EQ(gaj.at("items").as_array()[0].at("resource").as_string(), "gaj.population");
  EXPECT_EQ(get_json("/api/quality?provider=330100-GAJ,330100-RSJ", clerk_).at("items").as_array().size(), 2u);

  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"sort=best", "sort"}, {"order=up", "order"}, {"cursor=nonsense", "cursor"}, {"cursor=1~BAD", "cursor"},
           {"limit=0", "limit"}, {"limit=101", "limit"}}) {
    auto r = call("GET", "/api/quality?" + query, officer_);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(field_of(r), field) << query;
  }
  EXPECT_EQ(call("GET", "/api/quality", citizen_).status, 403);
  EXPECT_EQ(call("GET", "/api/quality", {}).status, 401);
}

TEST_P(QualityApiTest, AFinishedImportSchedulesANewReport) {
  const std::string csv =
      "公民身份号码,姓名,性别,出生日期\n"
      "11010519491231002X,张三,男,1949-12-31\n"
      "330106198805121233,王五,男,1988-05-12\n";
  auto started = call("POST", "/api/catalog/resources/gaj.population/imports?file_name=q.csv", clerk_, csv, "text/csv");
  ASSERT_EQ(started.status, 202) << started.body;
  // The import job runs, then the quality job it schedules; the new report counts the
  // refused row as an open reject.
  for (int i = 0; i < 200; ++i) {
    auto q = get_json("/api/catalog/resources/gaj.population/quality", clerk_);
    const auto& latest = q.at("latest");
    if (latest.is_object() && latest.at("cause").as_string() == "import") {
      EXPECT_GE(latest.at("open_rejects").as_int64(), 1);
      EXPECT_FALSE(latest.at("validity").is_null());
      EXPECT_LT(latest.at("validity").as_double(), 100.0);
      EXPECT_EQ(latest.at("days_late").as_double(), 0.0) << "just updated";
      return;
    }
    std::this_thread::sleep_for(100ms);
  }
  ADD_FAILURE() << "no report after the import";
}

ZHENGWU_ENGINE_TEST_SUITE(Quality, QualityApiTest);

}  // namespace
}  // namespace zhengwu::testing
