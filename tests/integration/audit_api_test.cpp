// The audit trail end to end, on both databases: security-relevant calls leave durable
// records that the audit administrator finds, exports and verifies; editing, deleting or
// inserting a record directly in the database makes `zhengwu audit verify` exit non-zero
// and name the first bad record.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "kernel/db/database.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/engine_fixture.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
constexpr const char* kPass = "Zhengwu#2026";

class AuditApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"org", "add", "--code", "330100", "--name", "杭州市", "--kind", "city"}, env_);
    for (auto [user, role] : std::vector<std::pair<const char*, const char*>>{
             {"sysadmin", "sys_admin"}, {"secadmin", "sec_admin"}, {"auditadmin", "audit_admin"}})
      run_ok({"user", "add", "--username", user, "--password", kPass, "--org", "330100", "--role", role}, env_);
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    sys_ = bearer(sign_in(port(), "sysadmin", kPass));
    sec_ = bearer(sign_in(port(), "secadmin", kPass));
    audit_ = bearer(sign_in(port(), "auditadmin", kPass));
  }
  int port() const { return server_->port(); }
  json::array records(const std::string& query) {
    auto r = http_request(port(), "GET", "/api/audit/records?" + query, {}, audit_);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).at("items").as_array();
  }
  CommandResult verify() { return run_zhengwu({"audit", "verify"}, env_); }

  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> sys_, sec_, audit_;
};

TEST_P(AuditApiTest, AdministratorsActionsAreFoundByTheAuditAdministrator) {
  auto created = http_request(port(), "POST", "/api/users",
                              R"({"username":"wang.wu","display_name":"王五","org":"330100","password":"Zhengwu#2026"})", sys_);
  ASSERT_EQ(created.status, 201) << created.body;
  auto id = std::to_string(json::parse(created.body).at("id").as_int64());
  ASSERT_EQ(http_request(port(), "POST", "/api/users/" + id + "/grants", R"({"role":"sys_admin","org":"330100"})", sec_).status,
            201);
  ASSERT_EQ(http_request(port(), "POST", "/api/users/" + id + "/grants", R"({"role":"audit_admin","org":"330100"})", sec_).status,
            409);
  http_request(port(), "POST", "/api/auth/login", R"({"username":"wang.wu","password":"Wrong#Pass1"})");

  auto made = records("action=user.create");
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].at("actor_name").as_string(), "sysadmin");
  EXPECT_EQ(made[0].at("outcome").as_string(), "success");
  EXPECT_EQ(made[0].at("source").as_string(), "127.0.0.1");
  EXPECT_FALSE(made[0].at("request_id").as_string().empty());
  auto grants = records("action=grant.create");
  ASSERT_EQ(grants.size(), 2u);
  EXPECT_EQ(grants[0].at("outcome").as_string(), "failure") << "the refused second administrator role (newest first)";
  EXPECT_EQ(grants[1].at("outcome").as_string(), "success");
  EXPECT_EQ(grants[1].at("actor_name").as_string(), "secadmin");
  EXPECT_EQ(grants[1].at("object_id").as_string(), id);
  auto failed = records("action=auth.login&outcome=denied");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].at("object_id").as_string(), "wang.wu");

  // Others cannot read the audit log; the audit administrator can read nothing else.
  EXPECT_EQ(http_request(port(), "GET", "/api/audit/records", {}, sys_).status, 403);
  EXPECT_EQ(http_request(port(), "GET", "/api/users", {}, audit_).status, 403);

  auto csv = http_request(port(), "GET", "/api/audit/export?format=csv&action=user.", {}, audit_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF") << "a BOM, for spreadsheet programs";
  EXPECT_NE(csv.body.find("user.create"), std::string::npos);
  auto jsonl = http_request(port(), "GET", "/api/audit/export?format=jsonl", {}, audit_);
  ASSERT_EQ(jsonl.status, 200);
  EXPECT_GT(std::count(jsonl.body.begin(), jsonl.body.end(), '\n'), 5);
  EXPECT_EQ(http_request(port(), "GET", "/api/audit/export?format=xml", {}, audit_).status, 400);

  auto status = json::parse(http_request(port(), "GET", "/api/audit/verify", {}, audit_).body);
  EXPECT_TRUE(status.at("ok").as_bool());
  // Reading the audit log is audited too.
  EXPECT_FALSE(records("action=audit.").empty());
}

TEST_P(AuditApiTest, TamperingIsFoundAndNamed) {
  for (int i = 0; i < 3; ++i)
    http_request(port(), "POST", "/api/orgs",
                 R"({"code":"C)" + std::to_string(i) + R"(","name":"x","kind":"community","parent_code":"330100"})", sys_);
  EXPECT_EQ(server_->stop(), 0);
  auto ok = verify();
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;

  auto db = db::Database::open(scratch_->url());
  auto last = db->query("SELECT max(seq) FROM audit_records")[0].get<std::int64_t>(0);
  ASSERT_GE(last, 5);

  // Edit a field of record 3.
  auto original = db->query("SELECT actor_name FROM audit_records WHERE seq = 3")[0].get<std::string>(0);
  db->execute("UPDATE audit_records SET actor_name = 'someone else' WHERE seq = 3");
  auto edited = verify();
  EXPECT_NE(edited.exit_code, 0);
  EXPECT_NE((edited.out + edited.err).find("record 3"), std::string::npos) << edited.out << edited.err;
  db->execute("UPDATE audit_records SET actor_name = ? WHERE seq = 3", {original});
  ASSERT_EQ(verify().exit_code, 0);

  // Delete record 4.
  auto row = db->query("SELECT * FROM audit_records WHERE seq = 4")[0];
  db->execute("DELETE FROM audit_records WHERE seq = 4");
  auto deleted = verify();
  EXPECT_NE(deleted.exit_code, 0);
  EXPECT_NE((deleted.out + deleted.err).find("4"), std::string::npos) << deleted.out << deleted.err;

  // Insert a forged record after the last one.
  db->execute("INSERT INTO audit_records (seq, time_ms, actor_kind, actor_id, actor_name, actor_org, action, "
              "object_type, object_id, outcome, source, request_id, purpose, details, prev_hash, hash) "
              "SELECT seq + 100, time_ms, actor_kind, actor_id, actor_name, actor_org, action, object_type, object_id, "
              "outcome, source, request_id, purpose, details, prev_hash, hash FROM audit_records WHERE seq = 2");
  auto forged = verify();
  EXPECT_NE(forged.exit_code, 0);
}

ZHENGWU_ENGINE_TEST_SUITE(Audit, AuditApiTest);

}  // namespace
}  // namespace zhengwu::testing
