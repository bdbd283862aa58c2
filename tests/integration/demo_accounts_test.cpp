// docs/demo-accounts.md is true: a demo server seeded by `zhengwu demo` accepts every
// account in the table with its password (and a code from its TOTP secret), with the
// role and organisation the table gives, and without a forced password change.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "kernel/auth/totp.hpp"
#include "kernel/clock.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;

struct Row {
  std::string username, password, role, org, totp_secret;
};

std::vector<Row> read_table() {
  std::ifstream in(std::string(ZHENGWU_SOURCE_DIR) + "/docs/demo-accounts.md");
  std::vector<Row> rows;
  std::string line;
  bool header_seen = false;
  while (std::getline(in, line)) {
    if (line.rfind("|", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line.substr(1));
    std::string cell;
    while (std::getline(ss, cell, '|')) {
      auto a = cell.find_first_not_of(' ');
      auto b = cell.find_last_not_of(' ');
      cells.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
    }
    if (!header_seen) {
      EXPECT_EQ(cells, (std::vector<std::string>{"username", "password", "role", "org", "totp_secret"}));
      header_seen = true;
      continue;
    }
    if (cells.size() < 5 || cells[0].rfind("---", 0) == 0) continue;
    rows.push_back({cells[0], cells[1], cells[2], cells[3], cells[4]});
  }
  return rows;
}

TEST(DemoAccounts, EveryRowSignsInAsDocumented) {
  auto rows = read_table();
  ASSERT_GE(rows.size(), 10u);
  TempDir dir;
  Env env{{"ZHENGWU_DATA_DIR", (dir.path() / "data").string()}};
  ServerProcess server(dir.path() / "data", env, {"demo"});
  int administrators = 0;
  std::string admin_token;
  for (const auto& row : rows) {
    SCOPED_TRACE(row.username);
    json::object body{{"username", row.username}, {"password", row.password}};
    if (!row.totp_secret.empty()) {
      auto secret = auth::decode_base32(row.totp_secret);
      ASSERT_TRUE(secret.ok());
      // The next step's code: seeding has just used the current one (a code is good once).
      body["totp"] = auth::totp_code(*secret, SystemClock().now() + std::chrono::seconds(30));
      ++administrators;
      // Without the code the account is refused and told to give one.
      auto refused = http_request(server.port(), "POST", "/api/auth/login",
                                  json::serialize(json::object{{"username", row.username}, {"password", row.password}}));
      EXPECT_EQ(refused.status, 401);
    }
    auto r = http_request(server.port(), "POST", "/api/auth/login", json::serialize(body));
    ASSERT_EQ(r.status, 200) << r.body;
    auto token = std::string(json::parse(r.body).at("token").as_string());
    if (row.role == "sys_admin") admin_token = token;
    auto me = json::parse(http_get(server.port(), "/api/me", bearer(token)).body);
    EXPECT_FALSE(me.at("user").at("must_change_password").as_bool());
    if (row.role == "citizen" || row.role == "enterprise") {
      EXPECT_EQ(me.at("user").at("kind").as_string(), row.role);
      EXPECT_TRUE(me.at("grants").as_array().empty());
    } else {
      ASSERT_FALSE(me.at("grants").as_array().empty());
      EXPECT_EQ(me.at("grants").at(0).at("role").as_string(), row.role);
      EXPECT_EQ(me.at("grants").at(0).at("org").as_string(), row.org);
      EXPECT_EQ(me.at("user").at("org").as_string(), row.org);
    }
  }
  EXPECT_EQ(administrators, 3);
  // The organisation tree: the city, its departments, 13 districts and counties.
  ASSERT_FALSE(admin_token.empty());
  auto orgs = json::parse(http_get(server.port(), "/api/orgs", bearer(admin_token)).body).at("items").as_array();
  int districts = 0;
  for (const auto& o : orgs)
    if (o.at("kind").as_string() == "district_government") ++districts;
  EXPECT_EQ(districts, 13);
  EXPECT_GT(orgs.size(), 200u);
}

}  // namespace
}  // namespace zhengwu::testing
