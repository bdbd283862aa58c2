// Enterprise accounts through a real socket, on both databases: an enterprise fills in its
// profile and authorises a citizen, the citizen sees the enterprise, an administrator
// reads it masked; other enterprises, staff, citizens and anonymous callers are refused;
// malformed and oversized input is a 400 naming the field; every change is audited.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
constexpr const char* kPass = "Zhengwu#2026";
constexpr const char* kRepId = "330106197506142519";
using Headers = std::map<std::string, std::string>;

class EnterpriseApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"org", "add", "--code", "330100", "--name", "杭州市", "--kind", "city"}, env_);
    for (auto [user, role] : std::vector<std::pair<const char*, const char*>>{
             {"sysadmin", "sys_admin"}, {"secadmin", "sec_admin"}, {"auditadmin", "audit_admin"}})
      run_ok({"user", "add", "--username", user, "--password", kPass, "--org", "330100", "--role", role}, env_);
    run_ok({"user", "add", "--username", "zhangsan", "--password", kPass, "--role", "citizen", "--id-number",
            "11010519491231002X", "--display-name", "张三"},
           env_);
    run_ok({"user", "add", "--username", "lisi", "--password", kPass, "--role", "citizen", "--id-number",
            "330106198805121237", "--display-name", "李四"},
           env_);
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    sys_ = bearer(sign_in(port(), "sysadmin", kPass));
    audit_ = bearer(sign_in(port(), "auditadmin", kPass));
    // The command line makes staff and citizens; enterprises come through the API.
    corp_a_id_ = enterprise("corp.a", "杭州甲公司", "91350100M000100Y43");
    corp_b_id_ = enterprise("corp.b", "杭州乙公司", "91330106MA2H7K3T56");
    corp_a_ = bearer(sign_in(port(), "corp.a", kPass));
    corp_b_ = bearer(sign_in(port(), "corp.b", kPass));
    zhang_ = bearer(sign_in(port(), "zhangsan", kPass));
    li_ = bearer(sign_in(port(), "lisi", kPass));
  }

  int port() const { return server_->port(); }
  HttpResponse call(const std::string& method, const std::string& target, const Headers& who,
                    const std::string& body = {}) {
    return http_request(port(), method, target, body, who);
  }
  static json::value body_of(const HttpResponse& r) { return json::parse(r.body); }
  static std::string first_field(const HttpResponse& r) {
    auto b = body_of(r);
    if (!b.is_object() || !b.as_object().contains("errors")) return "(no errors in " + r.body + ")";
    return std::string(b.at("errors").at(0).at("field").as_string());
  }
  std::int64_t enterprise(const std::string& username, const std::string& name, const std::string& uscc) {
    auto r = call("POST", "/api/users", sys_,
                  json::serialize(json::object{{"username", username},
                                               {"display_name", name},
                                               {"kind", "enterprise"},
                                               {"uscc", uscc},
                                               {"password", kPass},
                                               {"must_change_password", false}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? body_of(r).at("id").as_int64() : 0;
  }
  static std::string profile_body(const std::string& id_number, const std::string& name = "杭州甲公司") {
    return json::serialize(json::object{{"name", name},
                                        {"legal_representative", "王建华"},
                                        {"legal_representative_id_number", id_number},
                                        {"division_code", "330106"}});
  }
  json::array audit_records(const std::string& action) {
    auto r = call("GET", "/api/audit/records?action=" + action, audit_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? body_of(r).at("items").as_array() : json::array{};
  }

  std::unique_ptr<ServerProcess> server_;
  Headers sys_, audit_, corp_a_, corp_b_, zhang_, li_;
  std::int64_t corp_a_id_ = 0, corp_b_id_ = 0;
};

TEST_P(EnterpriseApiTest, EnterpriseAuthorisesACitizenWhoSeesIt) {
  auto empty = call("GET", "/api/me/enterprise", corp_a_);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(body_of(empty).at("uscc").as_string(), "91350100M000100Y43");
  EXPECT_TRUE(body_of(empty).at("profile").is_null()) << "nothing filled in yet";

  auto put = call("PUT", "/api/me/enterprise", corp_a_, profile_body("330106750614251"));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(body_of(put).at("legal_representative_id_number").as_string(), kRepId) << "15 digits converted";
  EXPECT_TRUE(body_of(put).at("id_number_converted").as_bool());
  auto mine = body_of(call("GET", "/api/me/enterprise", corp_a_)).at("profile");
  EXPECT_EQ(mine.at("legal_representative_id_number").as_string(), kRepId) << "the enterprise sees it whole";
  EXPECT_FALSE(mine.at("id_number_masked").as_bool());
  EXPECT_EQ(mine.at("division_code").as_string(), "330106");

  auto granted = call("POST", "/api/me/enterprise/agents", corp_a_,
                      R"({"agent":"zhangsan","scope":"代办企业登记","valid_until":"2099-12-31"})");
  ASSERT_EQ(granted.status, 201) << granted.body;
  auto g = body_of(granted);
  EXPECT_EQ(g.at("state").as_string(), "live");
  EXPECT_EQ(g.at("agent").at("username").as_string(), "zhangsan");
  EXPECT_EQ(g.at("agent").at("display_name").as_string(), "张三");
  EXPECT_EQ(g.at("valid_until").as_string(), "2099-12-31T23:59:59+08:00") << "through the end of that day";
  auto id = std::to_string(g.at("id").as_int64());

  auto list = body_of(call("GET", "/api/me/enterprise/agents", corp_a_));
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_TRUE(list.at("next_cursor").is_null());

  auto represented = call("GET", "/api/me/represented-enterprises", zhang_);
  ASSERT_EQ(represented.status, 200) << represented.body;
  auto items = body_of(represented).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("enterprise").at("name").as_string(), "杭州甲公司");
  EXPECT_EQ(items[0].at("enterprise").at("uscc").as_string(), "91350100M000100Y43");
  EXPECT_EQ(items[0].at("scope").as_string(), "代办企业登记");
  EXPECT_EQ(represented.body.find(kRepId), std::string::npos) << "nothing of the representative's ID number";
  EXPECT_TRUE(body_of(call("GET", "/api/me/represented-enterprises", li_)).at("items").as_array().empty());

  // The system administrator (user.read) reads it, the ID number masked.
  auto admin = call("GET", "/api/enterprises/" + std::to_string(corp_a_id_), sys_);
  ASSERT_EQ(admin.status, 200) << admin.body;
  auto a = body_of(admin);
  EXPECT_EQ(a.at("profile").at("legal_representative_id_number").as_string(), "330106********2519");
  EXPECT_TRUE(a.at("profile").at("id_number_masked").as_bool());
  EXPECT_EQ(admin.body.find(kRepId), std::string::npos);
  ASSERT_EQ(a.at("agents").at("items").as_array().size(), 1u);

  // Revoked with a reason: the citizen no longer sees it; the enterprise still lists it.
  auto revoked = call("DELETE", "/api/me/enterprise/agents/" + id, corp_a_, R"({"reason":"经办人已离职"})");
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(body_of(revoked).at("state").as_string(), "revoked");
  EXPECT_EQ(body_of(revoked).at("revoked_reason").as_string(), "经办人已离职");
  EXPECT_TRUE(body_of(call("GET", "/api/me/represented-enterprises", zhang_)).at("items").as_array().empty());
  auto after = body_of(call("GET", "/api/me/enterprise/agents", corp_a_)).at("items").as_array();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].at("state").as_string(), "revoked");
  EXPECT_EQ(call("DELETE", "/api/me/enterprise/agents/" + id, corp_a_, R"({"reason":"again"})").status, 409);

  // Each change is in the audit trail, by the enterprise, on its object.
  auto updates = audit_records("enterprise.profile.update");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].at("actor_name").as_string(), "corp.a");
  EXPECT_EQ(updates[0].at("object_id").as_string(), std::to_string(corp_a_id_));
  auto grants = audit_records("enterprise.agent.grant");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].at("object_id").as_string(), id);
  auto revokes = audit_records("enterprise.agent.revoke");
  ASSERT_EQ(revokes.size(), 2u);
  EXPECT_EQ(revokes[0].at("outcome").as_string(), "failure") << "the second revocation (newest first)";
  EXPECT_EQ(revokes[1].at("outcome").as_string(), "success");
  EXPECT_EQ(audit_records("enterprise.read").size(), 1u);
}

TEST_P(EnterpriseApiTest, OthersAreRefused) {
  ASSERT_EQ(call("PUT", "/api/me/enterprise", corp_a_, profile_body(kRepId)).status, 200);
  auto granted = call("POST", "/api/me/enterprise/agents", corp_a_,
                      R"({"agent":"zhangsan","scope":"代办","valid_until":"2099-12-31"})");
  ASSERT_EQ(granted.status, 201) << granted.body;
  auto grant_id = std::to_string(body_of(granted).at("id").as_int64());
  const std::string a_path = "/api/enterprises/" + std::to_string(corp_a_id_);

  // Another enterprise sees only its own, and cannot reach corp.a's.
  auto b_me = body_of(call("GET", "/api/me/enterprise", corp_b_));
  EXPECT_EQ(b_me.at("id").as_int64(), corp_b_id_);
  EXPECT_TRUE(b_me.at("profile").is_null());
  EXPECT_TRUE(body_of(call("GET", "/api/me/enterprise/agents", corp_b_)).at("items").as_array().empty());
  EXPECT_EQ(call("DELETE", "/api/me/enterprise/agents/" + grant_id, corp_b_, R"({"reason":"x"})").status, 404);
  EXPECT_EQ(call("GET", a_path, corp_b_).status, 403);
  EXPECT_EQ(call("GET", "/api/me/represented-enterprises", corp_b_).status, 403) << "an enterprise is no agent";

  // Staff, citizens and the audit administrator have no enterprise of their own.
  struct Caller {
    const char* name;
    Headers headers;
  };
  for (const auto& c : std::vector<Caller>{{"staff", sys_}, {"citizen", zhang_}, {"audit administrator", audit_}}) {
    SCOPED_TRACE(c.name);
    auto r = call("GET", "/api/me/enterprise", c.headers);
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(body_of(r).at("detail").as_string().find("only an enterprise account"), std::string::npos) << r.body;
    EXPECT_EQ(call("PUT", "/api/me/enterprise", c.headers, profile_body(kRepId)).status, 403);
    EXPECT_EQ(call("GET", "/api/me/enterprise/agents", c.headers).status, 403);
    EXPECT_EQ(call("POST", "/api/me/enterprise/agents", c.headers,
                   R"({"agent":"lisi","scope":"x","valid_until":"2099-12-31"})")
                  .status,
              403);
    EXPECT_EQ(call("DELETE", "/api/me/enterprise/agents/" + grant_id, c.headers, R"({"reason":"x"})").status, 403);
  }
  EXPECT_EQ(call("GET", "/api/me/represented-enterprises", sys_).status, 403);
  EXPECT_EQ(call("GET", a_path, zhang_).status, 403) << "no user.read";
  EXPECT_EQ(call("GET", a_path, audit_).status, 403) << "no user.read";
  EXPECT_EQ(call("GET", a_path, corp_a_).status, 403) << "not even itself: it has /api/me/enterprise";

  // Nobody signed in: 401 everywhere.
  for (auto [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/me/enterprise"},
                                                        {"PUT", "/api/me/enterprise"},
                                                        {"GET", "/api/me/enterprise/agents"},
                                                        {"POST", "/api/me/enterprise/agents"},
                                                        {"DELETE", "/api/me/enterprise/agents/" + grant_id},
                                                        {"GET", "/api/me/represented-enterprises"},
                                                        {"GET", a_path}})
    EXPECT_EQ(call(method, path, {{"Content-Type", "application/json"}}, "{}").status, 401) << method << " " << path;

  // Nothing changed on corp.a's side.
  auto list = body_of(call("GET", "/api/me/enterprise/agents", corp_a_)).at("items").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("state").as_string(), "live");
  EXPECT_EQ(body_of(call("GET", "/api/me/enterprise", corp_a_)).at("profile").at("name").as_string(), "杭州甲公司");
  // Administrators: only enterprise accounts are found.
  EXPECT_EQ(call("GET", "/api/enterprises/1", sys_).status, 404) << "the system administrator's own account";
  EXPECT_EQ(call("GET", "/api/enterprises/abc", sys_).status, 400);
}

TEST_P(EnterpriseApiTest, BadInputIsA400NamingTheField) {
  struct Row {
    const char* what;
    std::string method, path, body;
    const char* field;
  };
  const std::string long_name(101, 'x');
  const std::vector<Row> rows{
      {"not JSON", "PUT", "/api/me/enterprise", "{", "body"},
      {"wrong check character", "PUT", "/api/me/enterprise", profile_body("330106197506142518"),
       "legal_representative_id_number"},
      {"ID number of 19 characters", "PUT", "/api/me/enterprise", profile_body("3301061975061425190"),
       "legal_representative_id_number"},
      {"ID number as a number", "PUT", "/api/me/enterprise",
       R"({"name":"甲","legal_representative":"王","legal_representative_id_number":330106197506142519,"division_code":"330106"})",
       "legal_representative_id_number"},
      {"name of 101 characters", "PUT", "/api/me/enterprise", profile_body(kRepId, long_name), "name"},
      {"no representative", "PUT", "/api/me/enterprise",
       R"({"name":"甲","legal_representative_id_number":"330106197506142519","division_code":"330106"})",
       "legal_representative"},
      {"representative of 51 characters", "PUT", "/api/me/enterprise",
       json::serialize(json::object{{"name", "甲"},
                                    {"legal_representative", std::string(51, 'w')},
                                    {"legal_representative_id_number", kRepId},
                                    {"division_code", "330106"}}),
       "legal_representative"},
      {"bad division", "PUT", "/api/me/enterprise",
       R"({"name":"甲","legal_representative":"王","legal_representative_id_number":"330106197506142519","division_code":"99"})",
       "division_code"},
      {"division of 13 characters", "PUT", "/api/me/enterprise",
       R"({"name":"甲","legal_representative":"王","legal_representative_id_number":"330106197506142519","division_code":"3301060010011"})",
       "division_code"},
      {"no valid_until", "POST", "/api/me/enterprise/agents", R"({"agent":"zhangsan","scope":"x"})", "valid_until"},
      {"valid_until not a date", "POST", "/api/me/enterprise/agents",
       R"({"agent":"zhangsan","scope":"x","valid_until":"next year"})", "valid_until"},
      {"valid_until in the past", "POST", "/api/me/enterprise/agents",
       R"({"agent":"zhangsan","scope":"x","valid_until":"2020-01-01"})", "valid_until"},
      {"valid_until before valid_from", "POST", "/api/me/enterprise/agents",
       R"({"agent":"zhangsan","scope":"x","valid_from":"2099-06-01","valid_until":"2099-01-01"})", "valid_until"},
      {"no scope", "POST", "/api/me/enterprise/agents", R"({"agent":"zhangsan","valid_until":"2099-12-31"})", "scope"},
      {"scope of 201 characters", "POST", "/api/me/enterprise/agents",
       json::serialize(
           json::object{{"agent", "zhangsan"}, {"scope", std::string(201, 's')}, {"valid_until", "2099-12-31"}}),
       "scope"},
      {"agent of 41 characters", "POST", "/api/me/enterprise/agents",
       json::serialize(json::object{{"agent", std::string(41, 'a')}, {"scope", "x"}, {"valid_until", "2099-12-31"}}),
       "agent"},
      {"agent_id not an integer", "POST", "/api/me/enterprise/agents",
       R"({"agent_id":"zhangsan","scope":"x","valid_until":"2099-12-31"})", "agent_id"},
      {"a staff account as agent", "POST", "/api/me/enterprise/agents",
       R"({"agent":"sysadmin","scope":"x","valid_until":"2099-12-31"})", "agent"},
      {"itself as agent", "POST", "/api/me/enterprise/agents",
       R"({"agent":"corp.a","scope":"x","valid_until":"2099-12-31"})", "agent"},
      {"no agent", "POST", "/api/me/enterprise/agents", R"({"scope":"x","valid_until":"2099-12-31"})", "agent"},
      {"revoke without a reason", "DELETE", "/api/me/enterprise/agents/1", "{}", "reason"},
      {"revoke with no body", "DELETE", "/api/me/enterprise/agents/1", "", "body"},
      {"revoke with a reason of 201 characters", "DELETE", "/api/me/enterprise/agents/1",
       json::serialize(json::object{{"reason", std::string(201, 'r')}}), "reason"},
      {"bad id", "DELETE", "/api/me/enterprise/agents/x", R"({"reason":"x"})", "id"},
      {"bad limit", "GET", "/api/me/enterprise/agents?limit=0", "", "limit"},
      {"bad cursor", "GET", "/api/me/enterprise/agents?cursor=abc", "", "cursor"},
  };
  for (const auto& r : rows) {
    auto res = call(r.method, r.path, corp_a_, r.body);
    EXPECT_EQ(res.status, 400) << r.what << ": " << res.body;
    EXPECT_EQ(first_field(res), r.field) << r.what;
  }
  EXPECT_TRUE(body_of(call("GET", "/api/me/enterprise", corp_a_)).at("profile").is_null()) << "nothing stored";
  EXPECT_TRUE(body_of(call("GET", "/api/me/enterprise/agents", corp_a_)).at("items").as_array().empty());

  // A second live authorisation of the same citizen is a conflict on the field.
  const std::string grant = R"({"agent":"zhangsan","scope":"x","valid_until":"2099-12-31"})";
  ASSERT_EQ(call("POST", "/api/me/enterprise/agents", corp_a_, grant).status, 201);
  auto twice = call("POST", "/api/me/enterprise/agents", corp_a_, grant);
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(first_field(twice), "agent");
}

TEST_P(EnterpriseApiTest, AgentsArePaged) {
  // Grant and revoke the same citizen three times: three authorisations, newest first.
  for (int i = 0; i < 3; ++i) {
    auto g = call(
        "POST", "/api/me/enterprise/agents", corp_a_,
        R"({"agent":"lisi","scope":"第)" + std::to_string(i + 1) + R"(次","valid_until":"2099-12-31T18:00:00+08:00"})");
    ASSERT_EQ(g.status, 201) << g.body;
    if (i < 2) {
      ASSERT_EQ(call("DELETE", "/api/me/enterprise/agents/" + std::to_string(body_of(g).at("id").as_int64()), corp_a_,
                     R"({"reason":"换人"})")
                    .status,
                200);
    }
  }
  auto first = body_of(call("GET", "/api/me/enterprise/agents?limit=2", corp_a_));
  ASSERT_EQ(first.at("items").as_array().size(), 2u);
  EXPECT_EQ(first.at("items").at(0).at("scope").as_string(), "第3次");
  EXPECT_EQ(first.at("items").at(0).at("valid_until").as_string(), "2099-12-31T18:00:00+08:00");
  ASSERT_TRUE(first.at("next_cursor").is_string());
  auto second = body_of(call(
      "GET", "/api/me/enterprise/agents?limit=2&cursor=" + std::string(first.at("next_cursor").as_string()), corp_a_));
  ASSERT_EQ(second.at("items").as_array().size(), 1u);
  EXPECT_EQ(second.at("items").at(0).at("scope").as_string(), "第1次");
  EXPECT_TRUE(second.at("next_cursor").is_null());
  auto admin = body_of(call("GET", "/api/enterprises/" + std::to_string(corp_a_id_) + "?limit=1", sys_));
  EXPECT_TRUE(admin.at("profile").is_null());
  EXPECT_EQ(admin.at("agents").at("items").as_array().size(), 1u);
  EXPECT_TRUE(admin.at("agents").at("next_cursor").is_string());
}

ZHENGWU_ENGINE_TEST_SUITE(Enterprise, EnterpriseApiTest);

}  // namespace
}  // namespace zhengwu::testing
