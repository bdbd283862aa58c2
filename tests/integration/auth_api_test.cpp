// Identity and access through a real socket, on both databases: sign-in, lockout,
// sessions, organisations and accounts by scope, grants with 三权分立, and an
// authorisation matrix over every endpoint of the OpenAPI document.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "kernel/auth/totp.hpp"
#include "kernel/clock.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/engine_fixture.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
constexpr const char* kPass = "Zhengwu#2026";

class AuthApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"org", "add", "--code", "330100", "--name", "杭州市", "--kind", "city"}, env_);
    run_ok({"org", "add", "--code", "GA", "--name", "杭州市公安局", "--kind", "government_department", "--parent",
            "330100"},
           env_);
    run_ok({"org", "add", "--code", "MZ", "--name", "杭州市民政局", "--kind", "government_department", "--parent",
            "330100"},
           env_);
    for (auto [user, role] : std::vector<std::pair<const char*, const char*>>{
             {"sysadmin", "sys_admin"}, {"secadmin", "sec_admin"}, {"auditadmin", "audit_admin"}})
      run_ok({"user", "add", "--username", user, "--password", kPass, "--org", "330100", "--role", role}, env_);
    run_ok({"user", "add", "--username", "zhangsan", "--password", kPass, "--role", "citizen", "--id-number",
            "11010519491231002X", "--display-name", "张三"},
           env_);
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    sys_ = bearer(sign_in(port(), "sysadmin", kPass));
    sec_ = bearer(sign_in(port(), "secadmin", kPass));
    audit_ = bearer(sign_in(port(), "auditadmin", kPass));
    citizen_ = bearer(sign_in(port(), "zhangsan", kPass));
  }
  int port() const { return server_->port(); }
  HttpResponse call(const std::string& method, const std::string& target, const std::map<std::string, std::string>& who,
                    const std::string& body = {}) {
    return http_request(port(), method, target, body, who);
  }
  json::value body_of(const HttpResponse& r) { return json::parse(r.body); }
  std::int64_t org_id(const std::string& code) {
    auto list = body_of(call("GET", "/api/orgs", sys_)).at("items").as_array();
    for (const auto& o : list)
      if (o.at("code").as_string() == code) return o.at("id").as_int64();
    return 0;
  }
  // A department administrator of `org`: a role with org and user management over it.
  std::map<std::string, std::string> department_admin(const std::string& username, const std::string& org) {
    auto created = call("POST", "/api/users", sys_,
                        json::serialize(json::object{{"username", username}, {"display_name", username},
                                                     {"org", org}, {"password", kPass},
                                                     {"must_change_password", false}}));
    EXPECT_EQ(created.status, 201) << created.body;
    auto id = body_of(created).at("id").as_int64();
    call("POST", "/api/roles", sec_,
         R"({"code":"dept_admin","name":"部门管理员","permissions":["org.read","org.manage","user.read","user.manage"]})");
    auto g = call("POST", "/api/users/" + std::to_string(id) + "/grants", sec_,
                  json::serialize(json::object{{"role", "dept_admin"}, {"org", org}}));
    EXPECT_EQ(g.status, 201) << g.body;
    return bearer(sign_in(port(), username, kPass));
  }

  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> sys_, sec_, audit_, citizen_;
};

TEST_P(AuthApiTest, SignInMeAndLogout) {
  auto me = call("GET", "/api/me", citizen_);
  ASSERT_EQ(me.status, 200) << me.body;
  auto m = body_of(me);
  EXPECT_EQ(m.at("user").at("display_name").as_string(), "张三");
  EXPECT_EQ(m.at("user").at("id_number").as_string(), "11010519491231002X") << "its owner sees it whole";
  EXPECT_TRUE(m.at("permissions").as_array().empty());
  auto sys_me = body_of(call("GET", "/api/me", sys_));
  EXPECT_EQ(sys_me.at("grants").at(0).at("role").as_string(), "sys_admin");

  EXPECT_EQ(call("POST", "/api/auth/logout", citizen_).status, 204);
  EXPECT_EQ(call("GET", "/api/me", citizen_).status, 401);
  EXPECT_EQ(call("GET", "/api/me", {{"Authorization", "Bearer nonsense"}}).status, 401);
  EXPECT_EQ(call("GET", "/api/me", {}).status, 401);
}

TEST_P(AuthApiTest, WrongPasswordsLockAndTheAdministratorUnlocks) {
  auto bad = json::serialize(json::object{{"username", "zhangsan"}, {"password", "Wrong#Pass1"}});
  for (int i = 0; i < 4; ++i) {
    auto r = call("POST", "/api/auth/login", {}, bad);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(body_of(r).at("detail").as_string(), "wrong user name or password");
  }
  auto fifth = call("POST", "/api/auth/login", {}, bad);
  EXPECT_EQ(fifth.status, 401);
  EXPECT_NE(body_of(fifth).at("detail").as_string().find("locked"), std::string::npos);
  EXPECT_THROW(sign_in(port(), "zhangsan", kPass), std::runtime_error) << "locked even with the right password";
  auto users = body_of(call("GET", "/api/users?q=zhangsan", sys_)).at("items").as_array();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_TRUE(users[0].at("locked").as_bool());
  EXPECT_EQ(users[0].at("id_number").as_string(), "110105********002X") << "masked for others";
  auto id = users[0].at("id").as_int64();
  EXPECT_EQ(call("POST", "/api/users/" + std::to_string(id) + "/unlock", sys_).status, 204);
  EXPECT_NO_THROW(sign_in(port(), "zhangsan", kPass));
  auto log = body_of(call("GET", "/api/auth/login-attempts?limit=3", sys_)).at("items").as_array();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].at("outcome").as_string(), "success");
  EXPECT_EQ(log[0].at("source").as_string(), "127.0.0.1");
  EXPECT_EQ(log[1].at("outcome").as_string(), "refused");
}

TEST_P(AuthApiTest, BadLoginBodiesName400) {
  struct Row {
    std::string body;
    std::string field;
  };
  for (const auto& r : std::vector<Row>{{"", "body"},
                                        {"[]", "body"},
                                        {R"({"password":"x"})", "username"},
                                        {R"({"username":"x"})", "password"},
                                        {R"({"username":5,"password":"x"})", "username"},
                                        {R"({"username":")" + std::string(200, 'a') + R"(","password":"x"})", "username"}}) {
    auto res = call("POST", "/api/auth/login", {}, r.body);
    EXPECT_EQ(res.status, 400) << r.body;
    EXPECT_EQ(body_of(res).at("errors").at(0).at("field").as_string(), r.field) << r.body;
  }
}

TEST_P(AuthApiTest, SessionsListAndRevoke) {
  auto second = bearer(sign_in(port(), "zhangsan", kPass));
  auto list = body_of(call("GET", "/api/me/sessions", citizen_)).at("items").as_array();
  ASSERT_EQ(list.size(), 2u);
  std::int64_t other = 0;
  for (const auto& s : list)
    if (!s.at("current").as_bool()) other = s.at("id").as_int64();
  EXPECT_EQ(call("DELETE", "/api/me/sessions/" + std::to_string(other), citizen_).status, 204);
  EXPECT_EQ(call("GET", "/api/me", second).status, 401);
  // The system administrator sees online users and can sign one out.
  auto online = body_of(call("GET", "/api/sessions", sys_)).at("items").as_array();
  std::int64_t citizen_session = 0;
  for (const auto& s : online)
    if (s.at("username").as_string() == "zhangsan") citizen_session = s.at("id").as_int64();
  ASSERT_NE(citizen_session, 0);
  EXPECT_EQ(call("DELETE", "/api/sessions/" + std::to_string(citizen_session), sys_).status, 204);
  EXPECT_EQ(call("GET", "/api/me", citizen_).status, 401);
}

TEST_P(AuthApiTest, SeparationOfTheAdministratorRoles) {
  auto created = call("POST", "/api/users", sys_,
                      R"({"username":"wang.wu","display_name":"王五","org":"GA","password":"Zhengwu#2026"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto id = std::to_string(body_of(created).at("id").as_int64());
  EXPECT_EQ(call("POST", "/api/users/" + id + "/grants", sys_, R"({"role":"sys_admin","org":"330100"})").status, 403)
      << "the system administrator does not grant roles";
  auto first = call("POST", "/api/users/" + id + "/grants", sec_, R"({"role":"sys_admin","org":"330100"})");
  EXPECT_EQ(first.status, 201) << first.body;
  auto second = call("POST", "/api/users/" + id + "/grants", sec_, R"({"role":"audit_admin","org":"330100"})");
  EXPECT_EQ(second.status, 409);
  EXPECT_NE(body_of(second).at("detail").as_string().find("三权分立"), std::string::npos);
  EXPECT_EQ(body_of(second).at("errors").at(0).at("field").as_string(), "role");
}

TEST_P(AuthApiTest, NewAccountsChangeTheirPasswordFirst) {
  auto created = call("POST", "/api/users", sys_,
                      R"({"username":"li.si","display_name":"李四","org":"MZ","password":"Zhengwu#2026"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(body_of(created).at("must_change_password").as_bool());
  auto li = bearer(sign_in(port(), "li.si", kPass));
  EXPECT_EQ(call("GET", "/api/me", li).status, 200);
  EXPECT_EQ(call("GET", "/api/me/sessions", li).status, 403);
  auto weak = call("POST", "/api/me/password", li, R"({"old_password":"Zhengwu#2026","new_password":"short"})");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(body_of(weak).at("errors").at(0).at("field").as_string(), "new_password");
  EXPECT_EQ(call("POST", "/api/me/password", li, R"({"old_password":"Zhengwu#2026","new_password":"Better#Pass2027"})")
                .status,
            204);
  EXPECT_EQ(call("GET", "/api/me/sessions", li).status, 200);
}

TEST_P(AuthApiTest, DepartmentStaffStayInTheirDepartment) {
  auto ga = department_admin("ga.admin", "GA");
  auto mz_id = std::to_string(org_id("MZ"));
  auto ga_id = std::to_string(org_id("GA"));
  EXPECT_EQ(call("GET", "/api/orgs/" + ga_id, ga).status, 200);
  EXPECT_EQ(call("GET", "/api/orgs/" + mz_id, ga).status, 403);
  EXPECT_EQ(call("PATCH", "/api/orgs/" + mz_id, ga, R"({"name":"x"})").status, 403);
  EXPECT_EQ(call("DELETE", "/api/orgs/" + mz_id, ga).status, 403);
  EXPECT_EQ(call("POST", "/api/orgs", ga, R"({"code":"MZ-1","name":"x","kind":"government_department","parent_code":"MZ"})")
                .status,
            403);
  auto own = call("POST", "/api/orgs", ga, R"({"code":"GA-HZ","name":"户政处","kind":"government_department","parent_code":"GA"})");
  EXPECT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(call("POST", "/api/users", ga, R"({"username":"mz.clerk","display_name":"x","org":"MZ","password":"Zhengwu#2026"})")
                .status,
            403);
  auto mz_user = call("POST", "/api/users", sys_, R"({"username":"mz.clerk","display_name":"x","org":"MZ","password":"Zhengwu#2026"})");
  auto mz_user_id = std::to_string(body_of(mz_user).at("id").as_int64());
  EXPECT_EQ(call("GET", "/api/users/" + mz_user_id, ga).status, 403);
  EXPECT_EQ(call("POST", "/api/users/" + mz_user_id + "/disable", ga).status, 403);
  auto listed = body_of(call("GET", "/api/users", ga)).at("items").as_array();
  for (const auto& u : listed) EXPECT_NE(u.at("username").as_string(), "mz.clerk");
  // The scope is applied before paging: the first page of one is the one account in scope.
  auto page = body_of(call("GET", "/api/users?limit=1", ga));
  ASSERT_EQ(page.at("items").as_array().size(), 1u);
  EXPECT_EQ(page.at("items").at(0).at("username").as_string(), "ga.admin");
}

TEST_P(AuthApiTest, VerbatimTextAndOversizedFields) {
  const std::string odd = "'); DROP TABLE orgs; -- 🏛 \\u202e 50%";
  auto r = call("POST", "/api/orgs", sys_,
                R"({"code":"ODD","name":")" + odd + R"(","kind":"community","parent_code":"330100"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto stored = body_of(call("GET", "/api/orgs/" + std::to_string(body_of(r).at("id").as_int64()), sys_));
  EXPECT_EQ(stored.at("name").as_string(), "'); DROP TABLE orgs; -- 🏛 \u202e 50%");
  auto big = call("POST", "/api/orgs", sys_,
                  R"({"code":"BIG","name":")" + std::string(101, 'x') + R"(","kind":"community","parent_code":"330100"})");
  EXPECT_EQ(big.status, 400);
  EXPECT_EQ(body_of(big).at("errors").at(0).at("field").as_string(), "name");
  auto bad_utf8 = call("POST", "/api/orgs", sys_, "{\"code\":\"U\",\"name\":\"\xff\xfe\",\"kind\":\"community\",\"parent_code\":\"330100\"}");
  EXPECT_EQ(bad_utf8.status, 400);
}

// Every endpoint, every kind of caller: nobody gets a 500; without a session a protected
// endpoint answers 401; a caller without the permission 403; the audit administrator
// reaches nothing but audit.
TEST_P(AuthApiTest, AuthorisationMatrixOverEveryEndpoint) {
  auto doc = body_of(http_get(port(), "/api/openapi.json"));
  auto ga = department_admin("ga.admin", "GA");
  struct Caller {
    const char* name;
    std::map<std::string, std::string> headers;
  };
  const std::vector<Caller> callers{{"anonymous", {{"Content-Type", "application/json"}}},
                                    {"citizen", citizen_},
                                    {"audit administrator", audit_},
                                    {"department staff", ga}};
  int checked = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op_value] : item.as_object()) {
      const auto& op = op_value.as_object();
      std::string target(path);
      // Path parameters: an id of the other department's organisation where one fits.
      for (std::string_view param : {"{id}", "{year}", "{date}"}) {
        auto pos = target.find(param);
        if (pos == std::string::npos) continue;
        target.replace(pos, param.size(), param == "{year}" ? "2025" : param == "{date}" ? "2025-10-01" : std::to_string(org_id("MZ")));
      }
      std::string m = method;
      for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (target == "/api/auth/logout" || target.starts_with("/api/sessions/") || target.starts_with("/api/me/sessions/"))
        continue;  // would end the callers' own sessions mid-matrix
      bool protected_route = op.contains("x-signed-in");
      std::string permission = op.contains("x-permission") ? std::string(op.at("x-permission").as_string()) : "";
      for (const auto& caller : callers) {
        auto r = call(m, target, caller.headers, m == "GET" || m == "DELETE" ? "" : "{}");
        SCOPED_TRACE(std::string(caller.name) + " " + m + " " + target + " -> " + std::to_string(r.status) + " " + r.body);
        EXPECT_LT(r.status, 500);
        ++checked;
        if (!protected_route) continue;
        const std::string who = caller.name;
        if (who == "anonymous") {
          EXPECT_EQ(r.status, 401);
        }
        if (permission.empty()) continue;
        if (who == "citizen") {
          EXPECT_EQ(r.status, 403);
        }
        if (who == "audit administrator" && !permission.starts_with("audit.")) {
          EXPECT_EQ(r.status, 403);
        }
        if (who == "department staff") {
          static const std::set<std::string> held{"org.read", "org.manage", "user.read", "user.manage"};
          if (!held.contains(permission)) {
            EXPECT_EQ(r.status, 403);
          } else if (path.find("{id}") != std::string::npos) {
            EXPECT_TRUE(r.status == 403 || r.status == 404 || r.status == 400) << "another department's object";
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 100);
}

TEST_P(AuthApiTest, AdministratorsMustEnrolASecondFactor) {
  // The default policy: a second server on the same database, without the test switch.
  Env strict_env = env_;
  strict_env.erase("ZHENGWU_ADMIN_SECOND_FACTOR");
  ServerProcess strict(data_dir(), strict_env);
  auto admin = bearer(sign_in(strict.port(), "sysadmin", kPass));
  auto me = json::parse(http_request(strict.port(), "GET", "/api/me", {}, admin).body);
  EXPECT_TRUE(me.at("needs_second_factor").as_bool());
  auto refused = http_request(strict.port(), "GET", "/api/users", {}, admin);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(json::parse(refused.body).at("detail").as_string().find("second factor"), std::string::npos);
  // A citizen has no administrator role: nothing is required of it.
  auto citizen = bearer(sign_in(strict.port(), "zhangsan", kPass));
  EXPECT_FALSE(json::parse(http_request(strict.port(), "GET", "/api/me", {}, citizen).body).at("needs_second_factor").as_bool());

  auto enrolment = json::parse(http_request(strict.port(), "POST", "/api/me/totp/secret", {}, admin).body);
  std::string secret(enrolment.at("secret").as_string());
  EXPECT_NE(enrolment.at("qr_svg").as_string().find("<svg"), std::string::npos);
  EXPECT_EQ(enrolment.at("otpauth_uri").as_string().rfind("otpauth://totp/", 0), 0u);
  auto bytes = auth::decode_base32(secret);
  ASSERT_TRUE(bytes.ok());
  auto code = auth::totp_code(*bytes, SystemClock().now());
  EXPECT_EQ(http_request(strict.port(), "POST", "/api/me/totp", json::serialize(json::object{{"secret", secret}, {"code", "000000"}}),
                         admin).status,
            400);
  auto enrolled = http_request(strict.port(), "POST", "/api/me/totp",
                               json::serialize(json::object{{"secret", secret}, {"code", code}}), admin);
  ASSERT_EQ(enrolled.status, 200) << enrolled.body;
  EXPECT_EQ(json::parse(enrolled.body).at("recovery_codes").as_array().size(), 10u);
  EXPECT_EQ(http_request(strict.port(), "GET", "/api/users", {}, admin).status, 200);
  // From now on the password alone is not enough.
  auto password_only = http_request(strict.port(), "POST", "/api/auth/login",
                                    json::serialize(json::object{{"username", "sysadmin"}, {"password", kPass}}));
  EXPECT_EQ(password_only.status, 401);
  EXPECT_EQ(json::parse(password_only.body).at("errors").at(0).at("field").as_string(), "totp");
  auto next = auth::totp_code(*bytes, SystemClock().now() + std::chrono::seconds(30));
  auto with_code = http_request(strict.port(), "POST", "/api/auth/login",
                                json::serialize(json::object{{"username", "sysadmin"}, {"password", kPass}, {"totp", next}}));
  EXPECT_EQ(with_code.status, 200) << with_code.body;
}

// Recovery codes over HTTP: shown once at enrolment, each good for one sign-in, renewed
// only with a current code; an administrator resets a lost second factor of another
// account (never their own), which ends that account's sessions.
TEST_P(AuthApiTest, RecoveryCodesAndSecondFactorReset) {
  auto enrolment = json::parse(http_request(port(), "POST", "/api/me/totp/secret", {}, sec_).body);
  auto secret = auth::decode_base32(std::string(enrolment.at("secret").as_string()));
  ASSERT_TRUE(secret.ok());
  auto enrolled = http_request(port(), "POST", "/api/me/totp",
                               json::serialize(json::object{{"secret", enrolment.at("secret")},
                                                            {"code", auth::totp_code(*secret, SystemClock().now())}}),
                               sec_);
  ASSERT_EQ(enrolled.status, 200) << enrolled.body;
  auto codes = json::parse(enrolled.body).at("recovery_codes").as_array();
  ASSERT_EQ(codes.size(), 10u);
  auto with_recovery = [&](const json::value& code) {
    return http_request(port(), "POST", "/api/auth/login",
                        json::serialize(json::object{{"username", "secadmin"}, {"password", kPass}, {"recovery_code", code}}));
  };
  auto first = with_recovery(codes[0]);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(json::parse(first.body).at("user").at("recovery_codes_left").as_int64(), 9);
  auto again = with_recovery(codes[0]);
  EXPECT_EQ(again.status, 401);
  EXPECT_EQ(json::parse(again.body).at("errors").at(0).at("field").as_string(), "recovery_code");
  auto oversized = with_recovery(json::value(std::string(100, 'a')));
  EXPECT_EQ(oversized.status, 400);
  EXPECT_EQ(json::parse(oversized.body).at("errors").at(0).at("field").as_string(), "recovery_code");

  auto renew_bad = http_request(port(), "POST", "/api/me/totp/recovery-codes", R"({"code":"000000"})", sec_);
  EXPECT_EQ(renew_bad.status, 400);
  EXPECT_EQ(json::parse(renew_bad.body).at("errors").at(0).at("field").as_string(), "code");
  EXPECT_EQ(http_request(port(), "POST", "/api/me/totp/recovery-codes", "{}", sec_).status, 400);

  auto sec_id = json::parse(http_request(port(), "GET", "/api/me", {}, sec_).body).at("user").at("id").as_int64();
  auto sys_id = json::parse(http_request(port(), "GET", "/api/me", {}, sys_).body).at("user").at("id").as_int64();
  auto reset_path = [](std::int64_t id) { return "/api/users/" + std::to_string(id) + "/second-factor/reset"; };
  EXPECT_EQ(http_request(port(), "POST", reset_path(sec_id), {}, citizen_).status, 403);
  EXPECT_EQ(http_request(port(), "POST", reset_path(sec_id), {}).status, 401);
  EXPECT_EQ(http_request(port(), "POST", reset_path(sys_id), {}, sys_).status, 422) << "not one's own";
  EXPECT_EQ(http_request(port(), "POST", reset_path(sec_id), {}, sys_).status, 204);
  EXPECT_EQ(http_request(port(), "GET", "/api/me", {}, sec_).status, 401) << "the reset ends its sessions";
  auto relogin = http_request(port(), "POST", "/api/auth/login",
                              json::serialize(json::object{{"username", "secadmin"}, {"password", kPass}}));
  ASSERT_EQ(relogin.status, 200) << relogin.body;
  EXPECT_FALSE(json::parse(relogin.body).at("user").at("totp_enrolled").as_bool());
  EXPECT_EQ(with_recovery(codes[1]).status, 200) << "without a second factor the codes are not asked for";
}

TEST_P(AuthApiTest, RealNameLevelIsSetByTheSystemAdministrator) {
  auto me = json::parse(http_request(port(), "GET", "/api/me", {}, citizen_).body).at("user");
  EXPECT_EQ(me.at("real_name_level").as_int64(), 1) << "declared when made by the CLI without a level";
  auto path = "/api/users/" + std::to_string(me.at("id").as_int64()) + "/real-name-level";
  EXPECT_EQ(http_request(port(), "POST", path, R"({"level":3})", citizen_).status, 403);
  EXPECT_EQ(http_request(port(), "POST", path, R"({"level":3})", audit_).status, 403);
  for (const char* bad : {R"({"level":4})", R"({"level":"3"})", R"({})", R"({"level":0})"}) {
    auto r = http_request(port(), "POST", path, bad, sys_);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(json::parse(r.body).at("errors").at(0).at("field").as_string(), "level") << bad;
  }
  EXPECT_EQ(http_request(port(), "POST", path, R"({"level":3})", sys_).status, 204);
  EXPECT_EQ(json::parse(http_request(port(), "GET", "/api/me", {}, citizen_).body).at("user").at("real_name_level").as_int64(), 3);
  auto sys_id = json::parse(http_request(port(), "GET", "/api/me", {}, sys_).body).at("user").at("id").as_int64();
  EXPECT_EQ(http_request(port(), "POST", "/api/users/" + std::to_string(sys_id) + "/real-name-level", R"({"level":2})", sys_).status,
            422)
      << "staff have no real-name level";
}

ZHENGWU_ENGINE_TEST_SUITE(Auth, AuthApiTest);

}  // namespace
}  // namespace zhengwu::testing
