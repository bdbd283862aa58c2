// System clients through a real socket, on both databases: registration with the secret
// shown once, signed requests per DESIGN.md, and every way a signature can be refused:
// stale timestamp, replayed nonce, wrong signature, disabled client, rotation grace.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>

#include "kernel/crypto/request_signature.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/engine_fixture.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
constexpr const char* kPass = "Zhengwu#2026";

class ClientsApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"org", "add", "--code", "330100", "--name", "杭州市", "--kind", "city"}, env_);
    run_ok({"org", "add", "--code", "GA", "--name", "杭州市公安局", "--kind", "government_department", "--parent",
            "330100"},
           env_);
    run_ok({"user", "add", "--username", "secadmin", "--password", kPass, "--org", "330100", "--role", "sec_admin"},
           env_);
    // The process contract: `zhengwu client add` prints {"client_id", "secret"}.
    auto printed = json::parse(run_ok({"client", "add", "--org", "GA", "--name", "户籍系统"}, env_));
    client_id_ = std::string(printed.at("client_id").as_string());
    secret_ = std::string(printed.at("secret").as_string());
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    sec_ = bearer(sign_in(server_->port(), "secadmin", kPass));
  }

  // Signs like a department's system would.
  std::map<std::string, std::string> signed_headers(const std::string& method, const std::string& path,
                                                    const std::string& query, const std::string& nonce,
                                                    std::int64_t ts = std::time(nullptr), std::string secret = {},
                                                    const std::string& body = {}) {
    auto canonical = crypto::canonical_request(method, path, query, std::to_string(ts), nonce, body);
    return {{"X-Zw-Client", client_id_},
            {"X-Zw-Timestamp", std::to_string(ts)},
            {"X-Zw-Nonce", nonce},
            {"X-Zw-Signature", crypto::sign_request(secret.empty() ? secret_ : secret, canonical)}};
  }
  HttpResponse me(const std::map<std::string, std::string>& headers) {
    return http_request(server_->port(), "GET", "/api/me", {}, headers);
  }

  std::unique_ptr<ServerProcess> server_;
  std::string client_id_, secret_;
  std::map<std::string, std::string> sec_;
};

TEST_P(ClientsApiTest, SignedClientIsToldWhoItIs) {
  auto r = me(signed_headers("GET", "/api/me", "", "nonce-0001"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body.at("kind").as_string(), "client");
  EXPECT_EQ(body.at("client").at("client_id").as_string(), client_id_);
  EXPECT_EQ(body.at("client").at("org").as_string(), "GA");
  EXPECT_EQ(body.at("client").at("name").as_string(), "户籍系统");
}

TEST_P(ClientsApiTest, QueryAndBodyAreSigned) {
  auto h = signed_headers("GET", "/api/me", "b=2&a=%E6%9D%AD+1", "nonce-q001");
  EXPECT_EQ(http_request(server_->port(), "GET", "/api/me?b=2&a=%E6%9D%AD+1", {}, h).status, 200);
  auto tampered = signed_headers("GET", "/api/me", "a=1", "nonce-q002");
  EXPECT_EQ(http_request(server_->port(), "GET", "/api/me?a=2", {}, tampered).status, 401);
}

TEST_P(ClientsApiTest, RefusedSignatures) {
  auto now = std::time(nullptr);
  struct Row {
    const char* name;
    std::map<std::string, std::string> headers;
  };
  auto replay = signed_headers("GET", "/api/me", "", "nonce-r001");
  ASSERT_EQ(me(replay).status, 200);
  auto wrong = signed_headers("GET", "/api/me", "", "nonce-w001");
  wrong["X-Zw-Signature"][0] = wrong["X-Zw-Signature"][0] == 'a' ? 'b' : 'a';
  auto unknown = signed_headers("GET", "/api/me", "", "nonce-u001");
  unknown["X-Zw-Client"] = "zw_0000000000000000";
  auto missing = signed_headers("GET", "/api/me", "", "nonce-m001");
  missing.erase("X-Zw-Nonce");
  const std::vector<Row> rows{
      {"replayed nonce", replay},
      {"timestamp 301 s old", signed_headers("GET", "/api/me", "", "nonce-t001", now - 301)},
      {"timestamp 301 s ahead", signed_headers("GET", "/api/me", "", "nonce-t002", now + 301)},
      {"wrong signature", wrong},
      {"signed with another secret", signed_headers("GET", "/api/me", "", "nonce-s001", now, std::string(64, 'f'))},
      {"unknown client", unknown},
      {"missing nonce", missing},
      {"bad nonce", signed_headers("GET", "/api/me", "", "short", now)},
  };
  for (const auto& r : rows) {
    auto res = me(r.headers);
    EXPECT_EQ(res.status, 401) << r.name << ": " << res.body;
    EXPECT_EQ(res.header("content-type"), "application/problem+json; charset=utf-8") << r.name;
  }
  // Within the skew is fine.
  EXPECT_EQ(me(signed_headers("GET", "/api/me", "", "nonce-t003", now - 250)).status, 200);
}

TEST_P(ClientsApiTest, RegisterRotateDisable) {
  auto created = http_request(server_->port(), "POST", "/api/clients", R"({"org":"GA","name":"出入境系统"})", sec_);
  ASSERT_EQ(created.status, 201) << created.body;
  auto c = json::parse(created.body);
  EXPECT_EQ(c.at("secret").as_string().size(), 64u);
  auto list = json::parse(http_request(server_->port(), "GET", "/api/clients", {}, sec_).body).at("items").as_array();
  EXPECT_EQ(list.size(), 2u);
  for (const auto& item : list) EXPECT_FALSE(item.as_object().contains("secret")) << "shown once only";

  // Rotation: the old secret still works during the grace period, the new one at once.
  std::int64_t first_id = 0;
  for (const auto& item : list)
    if (item.at("client_id").as_string() == client_id_) first_id = item.at("id").as_int64();
  auto rotated = http_request(server_->port(), "POST", "/api/clients/" + std::to_string(first_id) + "/rotate", {}, sec_);
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  std::string new_secret(json::parse(rotated.body).at("secret").as_string());
  EXPECT_NE(new_secret, secret_);
  EXPECT_EQ(me(signed_headers("GET", "/api/me", "", "nonce-o001")).status, 200) << "old secret in its grace period";
  EXPECT_EQ(me(signed_headers("GET", "/api/me", "", "nonce-n001", std::time(nullptr), new_secret)).status, 200);

  EXPECT_EQ(http_request(server_->port(), "POST", "/api/clients/" + std::to_string(first_id) + "/disable", {}, sec_).status,
            204);
  auto refused = me(signed_headers("GET", "/api/me", "", "nonce-d001", std::time(nullptr), new_secret));
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body.find("disabled"), std::string::npos);

  auto bad = http_request(server_->port(), "POST", "/api/clients", R"({"org":"NOPE","name":"x"})", sec_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body).at("errors").at(0).at("field").as_string(), "org");
  // A client has no grants: administration is closed to it.
  EXPECT_EQ(http_request(server_->port(), "GET", "/api/clients", {},
                         signed_headers("GET", "/api/clients", "", "nonce-a001", std::time(nullptr), new_secret))
                .status,
            401)
      << "disabled by now";
}

ZHENGWU_ENGINE_TEST_SUITE(Clients, ClientsApiTest);

}  // namespace
}  // namespace zhengwu::testing
