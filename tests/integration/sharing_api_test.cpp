// Sharing through a real socket on both engines, against the demo: a consumer asks for an
// unconditional resource (granted at once) and a conditional one (an application due in
// 10 working days), the provider approves with fewer fields or refuses with a reason,
// grants are listed for both sides and revoked, the big-data centre decides what was
// escalated; each step only by whom it belongs to. And `zhengwu grant add`, the operator's
// path, per its contract.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
using Who = std::map<std::string, std::string>;

class SharingApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    scjgj_ = bearer(sign_in(port(), "scjgj.clerk", "Demo#Clerk2026"));
    gaj_clerk_ = bearer(sign_in(port(), "gaj.clerk", "Demo#Clerk2026"));
    gaj_head_ = bearer(sign_in(port(), "gaj.head", "Demo#Head2026"));
    mzj_ = bearer(sign_in(port(), "mzj.clerk", "Demo#Clerk2026"));
    centre_ = bearer(sign_in(port(), "sjzyj.officer", "Demo#Data2026"));
    citizen_ = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  }
  int port() const { return server_->port(); }

  HttpResponse post(const std::string& target, const Who& who, const json::value& body) {
    auto h = who;
    h["Content-Type"] = "application/json";
    return http_request(port(), "POST", target, json::serialize(body), h);
  }
  json::value get_ok(const std::string& target, const Who& who) {
    auto r = http_get(port(), target, who);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return json::parse(r.body);
  }

  std::unique_ptr<ServerProcess> server_;
  Who scjgj_, gaj_clerk_, gaj_head_, mzj_, centre_, citizen_;
};

TEST_P(SharingApiTest, ApplyApproveWithFewerFieldsAndRevoke) {
  // Unconditional: granted at once.
  auto at_once = post("/api/sharing/applications", mzj_,
                      {{"resource", "scjgj.enterprise"}, {"fields", {"uscc", "name"}}, {"purpose", "社会组织登记核验"}});
  ASSERT_EQ(at_once.status, 201) << at_once.body;
  EXPECT_EQ(json::parse(at_once.body).at("outcome").as_string(), "granted");

  // Conditional: an application due in 10 working days.
  auto applied = post("/api/sharing/applications", scjgj_,
                      {{"resource", "gaj.population"},
                       {"fields", {"id_number", "name", "birth_date", "address"}},
                       {"clear_fields", {"name"}},
                       {"purpose", "企业法定代表人身份核验"},
                       {"legal_basis", "《市场主体登记管理条例》第十八条"},
                       {"duration_days", 180}});
  ASSERT_EQ(applied.status, 201) << applied.body;
  auto app = json::parse(applied.body).at("application");
  EXPECT_EQ(app.at("state").as_string(), "pending");
  EXPECT_EQ(app.at("deadline").as_string(), "on_time");
  EXPECT_EQ(app.at("working_days_left").as_int64(), 10);
  EXPECT_EQ(app.at("provider_name").as_string(), "杭州市公安局");
  const auto id = std::to_string(app.at("id").as_int64());

  auto twice = post("/api/sharing/applications", scjgj_,
                    {{"resource", "gaj.population"}, {"fields", {"id_number"}}, {"purpose", "企业法定代表人身份核验"},
                     {"legal_basis", "同上"}});
  EXPECT_EQ(twice.status, 409) << twice.body;

  // Both sides see it; a third department does not.
  auto provider_side = get_ok("/api/sharing/applications?side=provider&state=pending", gaj_head_);
  bool listed = false;
  for (const auto& a : provider_side.at("items").as_array()) listed |= a.at("id").as_int64() == app.at("id").as_int64();
  EXPECT_TRUE(listed);
  EXPECT_EQ(http_get(port(), "/api/sharing/applications/" + id, mzj_).status, 404);

  // Only the provider's reviewer decides; the applicant may not.
  EXPECT_EQ(post("/api/sharing/applications/" + id + "/decide", gaj_clerk_, {{"decision", "approve"}}).status, 403);
  EXPECT_EQ(post("/api/sharing/applications/" + id + "/decide", scjgj_, {{"decision", "approve"}}).status, 403);
  EXPECT_EQ(post("/api/sharing/applications/" + id + "/decide", centre_, {{"decision", "approve"}}).status, 403)
      << "the centre decides only escalated applications";
  auto more = post("/api/sharing/applications/" + id + "/decide", gaj_head_,
                   {{"decision", "approve"}, {"fields", {"id_number", "phone"}}});
  EXPECT_EQ(more.status, 400) << more.body;

  auto approved = post("/api/sharing/applications/" + id + "/decide", gaj_head_,
                       {{"decision", "approve"}, {"fields", {"id_number", "name"}}, {"note", "住址与出生日期不予提供"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  auto decided = json::parse(approved.body);
  EXPECT_EQ(decided.at("state").as_string(), "approved");
  EXPECT_TRUE(decided.at("deadline").is_null());
  const auto grant_id = decided.at("grant_id").as_int64();

  // The grant, as the consumer sees it: fewer fields, name still in clear.
  auto mine = get_ok("/api/sharing/grants?side=consumer&active=true", scjgj_);
  const json::value* grant = nullptr;
  for (const auto& g : mine.at("items").as_array())
    if (g.at("id").as_int64() == grant_id) grant = &g;
  ASSERT_TRUE(grant) << json::serialize(mine);
  EXPECT_EQ(grant->at("fields"), json::parse(R"(["id_number","name"])"));
  EXPECT_EQ(grant->at("clear_fields"), json::parse(R"(["name"])"));
  EXPECT_EQ(grant->at("origin").as_string(), "application");

  // Revocation: not by the consumer; by the provider with a reason.
  EXPECT_EQ(post("/api/sharing/grants/" + std::to_string(grant_id) + "/revoke", scjgj_, {{"reason", "不再需要"}}).status,
            403);
  EXPECT_EQ(post("/api/sharing/grants/" + std::to_string(grant_id) + "/revoke", gaj_head_, json::object{}).status, 400);
  auto revoked = post("/api/sharing/grants/" + std::to_string(grant_id) + "/revoke", gaj_head_, {{"reason", "核验已完成"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_FALSE(json::parse(revoked.body).at("active").as_bool());
  auto inactive = get_ok("/api/sharing/grants?side=provider&active=false", gaj_head_);
  bool found = false;
  for (const auto& g : inactive.at("items").as_array()) found |= g.at("id").as_int64() == grant_id;
  EXPECT_TRUE(found);
}

TEST_P(SharingApiTest, RefusalsAndBadRequestsNameTheirReason) {
  struct Row {
    const char* name;
    json::value body;
    int status;
    const char* field;
  };
  const std::vector<Row> rows{
      {"not shared", {{"resource", "mzj.subsistence"}, {"fields", {"id_number"}}, {"purpose", "核对"}}, 400, "resource"},
      {"own resource", {{"resource", "gaj.population"}, {"fields", {"id_number"}}, {"purpose", "核对"}}, 400, "resource"},
      {"unknown field",
       {{"resource", "rsj.social_insurance"}, {"fields", {"id_number", "salary"}}, {"purpose", "核对"},
        {"legal_basis", "依据"}},
       400, "fields[1]"},
      {"no legal basis", {{"resource", "rsj.social_insurance"}, {"fields", {"id_number"}}, {"purpose", "核对"}}, 400,
       "legal_basis"},
      {"no purpose", {{"resource", "rsj.social_insurance"}, {"fields", {"id_number"}}}, 400, "purpose"},
      {"fields not a list", {{"resource", "rsj.social_insurance"}, {"fields", "id_number"}, {"purpose", "核对"}}, 400,
       "fields"},
      {"duration", {{"resource", "scjgj.enterprise"}, {"fields", {"uscc"}}, {"purpose", "核对"}, {"duration_days", 0}},
       400, "duration_days"},
      {"unknown resource", {{"resource", "nope.nothing"}, {"fields", {"a"}}, {"purpose", "核对"}}, 404, ""},
  };
  for (const auto& r : rows) {
    auto res = post("/api/sharing/applications", gaj_clerk_, r.body);
    EXPECT_EQ(res.status, r.status) << r.name << ": " << res.body;
    if (*r.field) {
      EXPECT_NE(res.body.find(std::string("\"field\":\"") + r.field + "\""), std::string::npos)
          << r.name << ": " << res.body;
    }
  }
  EXPECT_EQ(post("/api/sharing/applications", citizen_,
                 {{"resource", "scjgj.enterprise"}, {"fields", {"uscc"}}, {"purpose", "核对"}})
                .status,
            403);

  // Refusing needs a reason; then it is decided once.
  auto pending = get_ok("/api/sharing/applications?side=provider&state=pending", gaj_head_);
  ASSERT_FALSE(pending.at("items").as_array().empty());
  const auto id = std::to_string(pending.at("items").as_array()[0].at("id").as_int64());
  EXPECT_EQ(post("/api/sharing/applications/" + id + "/decide", gaj_head_, {{"decision", "refuse"}}).status, 400);
  EXPECT_EQ(post("/api/sharing/applications/" + id + "/decide", gaj_head_, {{"decision", "maybe"}}).status, 400);
  auto refused = post("/api/sharing/applications/" + id + "/decide", gaj_head_,
                      {{"decision", "refuse"}, {"note", "申请用途与所需信息项不符"}});
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_EQ(json::parse(refused.body).at("decision_note").as_string(), "申请用途与所需信息项不符");
  EXPECT_EQ(post("/api/sharing/applications/" + id + "/decide", gaj_head_, {{"decision", "refuse"}, {"note", "再次"}}).status,
            409);
}

TEST_P(SharingApiTest, TheCentreSeesEverythingAndDecidesWhatWasEscalated) {
  auto escalated = get_ok("/api/sharing/applications?side=escalated", centre_);
  const auto& items = escalated.at("items").as_array();
  ASSERT_EQ(items.size(), 1u) << "the demo's overdue application";
  EXPECT_EQ(items[0].at("deadline").as_string(), "overdue");
  EXPECT_TRUE(items[0].at("escalated").as_bool());
  EXPECT_LT(items[0].at("working_days_left").as_int64(), 0);
  EXPECT_EQ(http_get(port(), "/api/sharing/applications?side=escalated", gaj_head_).status, 403);
  EXPECT_EQ(http_get(port(), "/api/sharing/applications?side=sideways", gaj_head_).status, 400);

  const auto id = std::to_string(items[0].at("id").as_int64());
  auto decided = post("/api/sharing/applications/" + id + "/decide", centre_,
                      {{"decision", "approve"}, {"fields", {"id_number", "account_state"}}, {"note", "超期，由大数据中心决定"}});
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(json::parse(decided.body).at("decided_by").as_string(), "sjzyj.officer");

  auto all = get_ok("/api/sharing/grants?side=all&limit=2", centre_);
  EXPECT_EQ(all.at("items").as_array().size(), 2u);
  ASSERT_TRUE(all.at("next_cursor").is_string());
  auto next = get_ok("/api/sharing/grants?side=all&limit=50&cursor=" + std::string(all.at("next_cursor").as_string()), centre_);
  EXPECT_GE(next.at("items").as_array().size(), 3u);
  EXPECT_EQ(http_get(port(), "/api/sharing/grants?side=all", gaj_head_).status, 403);
}

TEST_P(SharingApiTest, GrantAddFollowsItsContract) {
  server_->stop();
  auto printed = json::parse(run_ok({"grant", "add", "--resource", "rsj.social_insurance", "--org", "330100-MZJ",
                                     "--fields", "id_number,insured,contribution_base", "--clear", "contribution_base",
                                     "--purpose", "低保家庭收入核对", "--until", "2099-12-31"},
                                    env_));
  EXPECT_EQ(printed.at("resource").as_string(), "rsj.social_insurance");
  EXPECT_EQ(printed.at("consumer_org").as_string(), "330100-MZJ");
  EXPECT_EQ(printed.at("fields"), json::parse(R"(["id_number","insured","contribution_base"])"));
  EXPECT_EQ(printed.at("clear_fields"), json::parse(R"(["contribution_base"])"));
  EXPECT_EQ(printed.at("purpose").as_string(), "低保家庭收入核对");
  EXPECT_EQ(printed.at("valid_until").as_string(), "2100-01-01T00:00:00+08:00") << "through the whole day";
  EXPECT_TRUE(printed.at("active").as_bool());

  struct Row {
    std::vector<std::string> args;
    int exit;
    const char* says;
  };
  const std::vector<Row> rows{
      {{"--resource", "rsj.social_insurance", "--org", "330100-MZJ", "--fields", "id_number,nope", "--purpose", "核对"},
       1, "--fields[1]"},
      {{"--resource", "rsj.social_insurance", "--org", "330100-MZJ", "--fields", "id_number", "--clear", "insured",
        "--purpose", "核对"},
       1, "--clear[0]"},
      {{"--resource", "mzj.subsistence", "--org", "330100-RSJ", "--fields", "id_number", "--purpose", "核对"}, 1,
       "--resource"},
      {{"--resource", "rsj.social_insurance", "--org", "NOPE", "--fields", "id_number", "--purpose", "核对"}, 2, "--org"},
      {{"--resource", "rsj.social_insurance", "--org", "330100-MZJ", "--fields", "id_number", "--purpose", "核对",
        "--until", "31/12/2099"},
       2, "--until"},
      {{"--resource", "rsj.social_insurance", "--org", "330100-MZJ", "--fields", "id_number", "--purpose", "核对",
        "--until", "2001-01-01"},
       1, "--until"},
      {{"--resource", "nope.none", "--org", "330100-MZJ", "--fields", "id_number", "--purpose", "核对"}, 1, "nope.none"},
  };
  for (const auto& r : rows) {
    std::vector<std::string> args{"grant", "add"};
    args.insert(args.end(), r.args.begin(), r.args.end());
    auto run = run_zhengwu(args, env_);
    EXPECT_EQ(run.exit_code, r.exit) << r.says << ": " << run.err;
    EXPECT_NE(run.err.find(r.says), std::string::npos) << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
  }
  run_ok({"audit", "verify"}, env_);
}

ZHENGWU_ENGINE_TEST_SUITE(Sharing, SharingApiTest);

}  // namespace
}  // namespace zhengwu::testing
