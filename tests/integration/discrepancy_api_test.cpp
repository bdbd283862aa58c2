// The one-data-one-source governance list over a real socket, on both engines, against
// the demo: 民政局 proposed other contact details for people of 公安局's register;
// 公安局's clerk sees them to resolve, 民政局's clerk to follow, the big-data centre all;
// the authority accepts one (the record takes the value) and rejects one with a reason.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;

class DiscrepancyApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    gaj_ = bearer(sign_in(port(), "gaj.clerk", "Demo#Clerk2026"));
    mzj_ = bearer(sign_in(port(), "mzj.clerk", "Demo#Clerk2026"));
    rsj_ = bearer(sign_in(port(), "rsj.clerk", "Demo#Clerk2026"));
    officer_ = bearer(sign_in(port(), "sjzyj.officer", "Demo#Data2026"));
    citizen_ = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  }
  int port() const { return server_->port(); }

  HttpResponse call(const std::string& method, const std::string& target, const std::map<std::string, std::string>& who,
                    const std::string& body = {}) {
    auto headers = who;
    if (!body.empty()) headers["Content-Type"] = "application/json";
    return http_request(port(), method, target, body, headers);
  }
  json::array items(const std::string& target, const std::map<std::string, std::string>& who) {
    auto r = call("GET", target, who);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).at("items").as_array();
  }
  static std::string field_of(const HttpResponse& r) {
    return std::string(json::parse(r.body).at("errors").at(0).at("field").as_string());
  }

  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> gaj_, mzj_, rsj_, officer_, citizen_;
};

TEST_P(DiscrepancyApiTest, TheAuthorityResolvesTheProposerFollows) {
  auto mine = items("/api/discrepancies?state=open", gaj_);
  ASSERT_EQ(mine.size(), 3u) << "the demo's three proposals of 民政局";
  const auto& first = mine[0].as_object();
  EXPECT_EQ(first.at("resource").at("code").as_string(), "gaj.population");
  EXPECT_EQ(first.at("resource").at("name").as_string(), "户籍人口基本信息");
  EXPECT_EQ(first.at("proposer").at("code").as_string(), "330100-MZJ");
  EXPECT_FALSE(first.at("proposer").at("name").as_string().empty());
  EXPECT_EQ(first.at("authority").at("code").as_string(), "330100-GAJ");
  EXPECT_FALSE(first.at("field").at("label").as_string().empty());
  EXPECT_TRUE(first.contains("batch")) << "null: the demo proposed without a batch";
  EXPECT_EQ(first.at("state").as_string(), "open");
  EXPECT_TRUE(first.at("resolution").is_null());
  EXPECT_TRUE(first.at("can_resolve").as_bool());

  auto followed = items("/api/discrepancies", mzj_);
  EXPECT_EQ(followed.size(), 3u) << "the proposer follows its own";
  EXPECT_FALSE(followed[0].at("can_resolve").as_bool());
  EXPECT_TRUE(items("/api/discrepancies?org=330100-MZJ&side=authority", mzj_).empty());
  EXPECT_TRUE(items("/api/discrepancies", rsj_).empty()) << "人社局 is neither";
  EXPECT_EQ(items("/api/discrepancies?resource=gaj.population", officer_).size(), 3u) << "the big-data centre sees all";
  EXPECT_EQ(call("GET", "/api/discrepancies", citizen_).status, 403);
  EXPECT_EQ(call("GET", "/api/discrepancies", {}).status, 401);
  auto bad = call("GET", "/api/discrepancies?state=closed", gaj_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(field_of(bad), "state");
  EXPECT_EQ(field_of(call("GET", "/api/discrepancies?resource=none.such", gaj_)), "resource");

  auto page = json::parse(call("GET", "/api/discrepancies?limit=2", gaj_).body);
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  ASSERT_TRUE(page.at("next_cursor").is_string());
  auto rest = items("/api/discrepancies?limit=2&cursor=" + std::string(page.at("next_cursor").as_string()), gaj_);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_LT(rest[0].at("id").as_int64(), page.at("items").at(1).at("id").as_int64());

  const auto id = std::to_string(first.at("id").as_int64());
  const auto accept = "/api/discrepancies/" + id + "/accept";
  EXPECT_EQ(call("POST", accept, mzj_, "{}").status, 403) << "the proposer does not resolve";
  EXPECT_EQ(call("POST", accept, rsj_, "{}").status, 404) << "not theirs to see";
  EXPECT_EQ(call("POST", accept, officer_, "{}").status, 403) << "the big-data centre does not edit records";
  auto accepted = call("POST", accept, gaj_, R"({"reason":"已电话核实"})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  auto item = json::parse(accepted.body);
  EXPECT_EQ(item.at("state").as_string(), "accepted");
  EXPECT_EQ(item.at("current_value"), item.at("proposed_value")) << "the record holds the accepted value";
  EXPECT_EQ(item.at("resolution").at("by").as_string(), "gaj.clerk");
  EXPECT_EQ(item.at("resolution").at("reason").as_string(), "已电话核实");
  EXPECT_EQ(call("POST", accept, gaj_, "{}").status, 409) << "not open any more";
  EXPECT_EQ(call("POST", "/api/discrepancies/999999/accept", gaj_, "{}").status, 404);

  const auto reject = "/api/discrepancies/" + std::to_string(mine[1].at("id").as_int64()) + "/reject";
  auto no_reason = call("POST", reject, gaj_, R"({"reason":"  "})");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(field_of(no_reason), "reason");
  EXPECT_EQ(field_of(call("POST", reject, gaj_, "{}")), "reason");
  auto rejected = call("POST", reject, gaj_, R"({"reason":"户籍登记信息为准"})");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(json::parse(rejected.body).at("state").as_string(), "rejected");
  EXPECT_EQ(json::parse(rejected.body).at("current_value"), mine[1].at("authoritative_value")) << "unchanged";
  EXPECT_EQ(call("POST", reject, gaj_, R"({"reason":"again"})").status, 409);

  EXPECT_EQ(items("/api/discrepancies?state=open", gaj_).size(), 1u);
  EXPECT_EQ(items("/api/discrepancies?state=accepted", mzj_).size(), 1u) << "the proposer sees the outcome";
}

ZHENGWU_ENGINE_TEST_SUITE(Discrepancy, DiscrepancyApiTest);

}  // namespace
}  // namespace zhengwu::testing
