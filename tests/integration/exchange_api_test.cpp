// The exchange through a real socket on both engines, against the demo's grants: a signed
// client of 人社 reads the population register under its grant — only granted fields,
// personal ones masked unless granted in clear, provenance with every record — and every
// way a read is refused (no grant, another purpose, a revoked or expired grant, a person
// instead of a system, an unknown key, an unpublished resource). Queries filter on
// granted fields only and page by key. Each read is audited with its keys and reaches the
// data-use record of the person it was about, and of no one else.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <ctime>
#include <set>

#include "kernel/http/message.hpp"
#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/signed_client.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;

constexpr const char* kZhangsan = "330106198805121237";
constexpr const char* kLisi = "330102199003082343";
// The demo grant of 人社 on 户籍人口 (an approved application: id_number and name in clear,
// gender and birth_date masked).
constexpr const char* kRsjPurpose = "社会保险参保登记身份核验";

class ExchangeApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    rsj_ = add_client(env_, "330100-RSJ", "社保经办系统");
    scjgj_ = add_client(env_, "330100-SCJGJ", "企业登记系统");
    gjj_ = add_client(env_, "330100-GJJZX", "公积金业务系统");
    gaj_ = add_client(env_, "330100-GAJ", "人口管理系统");
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
  }

  // A signed GET as a department's system sends it; `target` is path?query, encoded.
  HttpResponse read(const SignedClient& c, const std::string& target, const std::optional<std::string>& purpose,
                    std::int64_t clock_offset = 0) {
    return signed_get(port(), c, target, purpose, clock_offset);
  }

  static std::string record_path(const std::string& resource, const std::string& key) {
    return "/api/exchange/resources/" + resource + "/records/" + key;
  }

  json::array data_use(const std::string& user) {
    auto token = bearer(sign_in(port(), user, "Demo#Citizen2026"));
    auto r = http_get(port(), "/api/me/data-use", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).at("items").as_array();
  }

  int port() const { return server_->port(); }

  SignedClient rsj_, scjgj_, gjj_, gaj_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_P(ExchangeApiTest, GrantedFieldsOnlyMaskedUnlessInClearWithProvenance) {
  auto r = read(rsj_, record_path("gaj.population", kZhangsan), kRsjPurpose);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  const auto& record = body.at("record").as_object();
  EXPECT_EQ(record.at("id_number").as_string(), kZhangsan) << "granted in clear";
  EXPECT_EQ(record.at("name").as_string(), "张三") << "granted in clear";
  EXPECT_EQ(record.at("gender").as_string(), "***") << "personal, granted masked";
  EXPECT_EQ(record.at("birth_date").as_string(), "1988-**-**");
  for (const char* outside : {"address", "phone", "household_division"})
    EXPECT_FALSE(record.contains(outside)) << outside << " is outside the grant: " << r.body;
  EXPECT_EQ(record.size(), 4u);
  const auto& provenance = body.at("provenance").as_object();
  EXPECT_EQ(provenance.at("resource").as_string(), "gaj.population");
  EXPECT_EQ(provenance.at("source_org").as_string(), "330100-GAJ");
  EXPECT_TRUE(provenance.at("batch").is_int64());
  EXPECT_EQ(provenance.at("revision").as_int64(), 1);
  EXPECT_TRUE(provenance.at("updated_at").as_string().ends_with("+08:00"));
  EXPECT_EQ(body.at("grant").at("purpose").as_string(), kRsjPurpose);

  // The provider reads its own resource without a grant, every field in clear.
  auto own = read(gaj_, record_path("gaj.population", kZhangsan), "户籍业务办理");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(json::parse(own.body).at("record").at("phone").as_string(), "13905710001");
  EXPECT_EQ(json::parse(own.body).at("grant").at("basis").as_string(), "provider");
}

TEST_P(ExchangeApiTest, EveryWayAReadIsRefused) {
  auto citizen = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  struct Row {
    const char* name;
    HttpResponse response;
    int status;
    const char* says;
  };
  const std::vector<Row> rows{
      {"no grant", read(scjgj_, record_path("gaj.population", kZhangsan), "企业法定代表人核验"), 403, "no grant"},
      {"another purpose", read(rsj_, record_path("gaj.population", kZhangsan), "就业失业登记"), 403, "purpose"},
      {"revoked grant", read(gjj_, record_path("rsj.social_insurance", kZhangsan), "缴存单位一致性核对"), 403,
       "no grant"},
      {"no purpose", read(rsj_, record_path("gaj.population", kZhangsan), std::nullopt), 400, "X-Zw-Purpose"},
      {"empty purpose", read(rsj_, record_path("gaj.population", kZhangsan), std::string()), 400, "X-Zw-Purpose"},
      {"a person, not a system", http_get(port(), record_path("gaj.population", kZhangsan), citizen), 403,
       "system clients"},
      {"unknown key", read(rsj_, record_path("gaj.population", "110101199001011237"), kRsjPurpose), 404, "no record"},
      {"not published (不予共享, submitted)", read(rsj_, record_path("mzj.subsistence", kZhangsan), kRsjPurpose), 404,
       "no published resource"},
      {"unsigned", http_get(port(), record_path("gaj.population", kZhangsan)), 401, ""},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(r.response.status, r.status) << r.name << ": " << r.response.body;
    EXPECT_EQ(r.response.header("content-type"), "application/problem+json; charset=utf-8") << r.name;
    EXPECT_NE(r.response.body.find(r.says), std::string::npos) << r.name << ": " << r.response.body;
    EXPECT_EQ(r.response.body.find("张三"), std::string::npos) << r.name << " leaked a value";
  }
}

TEST_P(ExchangeApiTest, QueriesFilterGrantedFieldsAndPageByKey) {
  const std::string base = "/api/exchange/resources/gaj.population/records";
  auto one = read(rsj_, base + "?id_number.in=" + std::string(kZhangsan) + "," + kLisi, kRsjPurpose);
  ASSERT_EQ(one.status, 200) << one.body;
  auto items = json::parse(one.body).at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("record").at("id_number").as_string(), kLisi) << "key order";
  EXPECT_EQ(items[1].at("record").at("name").as_string(), "张三");
  EXPECT_TRUE(items[0].at("provenance").is_object());

  auto by_name = read(rsj_, base + "?name.prefix=" + percent_encode("张") + "&limit=500", kRsjPurpose);
  ASSERT_EQ(by_name.status, 200) << by_name.body;
  const auto named = json::parse(by_name.body);
  EXPECT_FALSE(named.at("items").as_array().empty());
  for (const auto& i : named.at("items").as_array())
    EXPECT_TRUE(i.at("record").at("name").as_string().starts_with("张"));

  // Every record once, page by page.
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = read(rsj_, base + "?limit=120" + (cursor.empty() ? "" : "&cursor=" + cursor), kRsjPurpose);
    ASSERT_EQ(page.status, 200) << page.body;
    auto doc = json::parse(page.body);
    for (const auto& i : doc.at("items").as_array())
      EXPECT_TRUE(seen.insert(std::string(i.at("record").at("id_number").as_string())).second);
    cursor = doc.at("next_cursor").is_null() ? "" : std::string(doc.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 300u);
  EXPECT_EQ(pages, 3);

  struct Row {
    const char* query;
    int status;
    const char* names;
  };
  const std::vector<Row> refused{
      {"?address=x", 403, "address"},                    // outside the grant
      {"?birth_date.from=1980-01-01", 403, "birth_date"},  // masked: = and .in only
      {"?salary=1", 400, "salary"},
      {"?name.like=x", 400, "name.like"},
      {"?birth_date=not-a-date", 400, "birth_date"},
      {"?cursor=zz", 400, "cursor"},
      {"?limit=0", 400, "limit"},
  };
  for (const auto& r : refused) {
    auto res = read(rsj_, base + r.query, kRsjPurpose);
    EXPECT_EQ(res.status, r.status) << r.query << ": " << res.body;
    EXPECT_NE(res.body.find(r.names), std::string::npos) << r.query << ": " << res.body;
  }
}

TEST_P(ExchangeApiTest, EachReadReachesTheDataUseRecordOfWhomItWasAbout) {
  // The demo's systems read 张三's record three times (demo_exchange.cpp); 李四's nobody.
  const auto demo = data_use("zhangsan");
  ASSERT_EQ(demo.size(), 3u);
  EXPECT_EQ(demo[0].at("client").as_string(), "人社一体化经办平台");
  EXPECT_EQ(demo[0].at("records").as_int64(), 1) << "a query of two records: one of them his";
  EXPECT_EQ(demo[1].at("org").as_string(), "330100-GJJZX");
  EXPECT_TRUE(data_use("lisi").empty());
  ASSERT_EQ(read(rsj_, record_path("gaj.population", kZhangsan), kRsjPurpose).status, 200);
  // A refused read returned nothing: nobody's record was read.
  ASSERT_EQ(read(scjgj_, record_path("gaj.population", kZhangsan), "企业法定代表人核验").status, 403);

  auto items = data_use("zhangsan");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].at("org").as_string(), "330100-RSJ");
  EXPECT_EQ(items[0].at("org_name").as_string(), "杭州市人力资源和社会保障局");
  EXPECT_EQ(items[0].at("client").as_string(), "社保经办系统");
  EXPECT_EQ(items[0].at("resource").as_string(), "gaj.population");
  EXPECT_EQ(items[0].at("resource_name").as_string(), "户籍人口基本信息");
  EXPECT_EQ(items[0].at("purpose").as_string(), kRsjPurpose);
  EXPECT_TRUE(items[0].at("time").as_string().ends_with("+08:00"));
  EXPECT_TRUE(data_use("lisi").empty()) << "zhangsan's read is not lisi's";

  // A query that returned both of them is in both records.
  ASSERT_EQ(read(rsj_, "/api/exchange/resources/gaj.population/records?id_number.in=" + std::string(kZhangsan) + "," +
                           kLisi,
                 kRsjPurpose)
                .status,
            200);
  EXPECT_EQ(data_use("zhangsan").size(), 5u);
  ASSERT_EQ(data_use("lisi").size(), 1u);

  // Filters; staff and systems have no data-use record of their own.
  auto token = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  auto by_org = [&](const std::string& org) {
    auto res = http_get(port(), "/api/me/data-use?org=" + org, token);
    EXPECT_EQ(res.status, 200) << res.body;
    return json::parse(res.body).at("items").as_array().size();
  };
  EXPECT_EQ(by_org("330100-GJJZX"), 1u);
  EXPECT_EQ(by_org("330100-RSJ"), 4u);
  EXPECT_EQ(by_org("330100-MZJ"), 0u);
  EXPECT_EQ(http_get(port(), "/api/me/data-use?from=yesterday", token).status, 400);
  auto clerk = bearer(sign_in(port(), "gaj.clerk", "Demo#Clerk2026"));
  EXPECT_EQ(http_get(port(), "/api/me/data-use", clerk).status, 403);
  EXPECT_EQ(http_get(port(), "/api/me/data-use").status, 401);

  // The reads are in the audit chain, which still verifies.
  server_->stop();
  run_ok({"audit", "verify"}, env_);
}

// Time passes: a grant valid through tomorrow serves today and is refused three days later.
TEST_P(ExchangeApiTest, AnExpiredGrantServesNothing) {
  const auto tomorrow = std::time(nullptr) + 86400;
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&tomorrow));
  auto grant = json::parse(run_ok({"grant", "add", "--resource", "gaj.population", "--org", "330100-SCJGJ", "--fields",
                                   "id_number,name", "--purpose", "企业法定代表人核验", "--until", date},
                                  env_));
  EXPECT_EQ(grant.at("origin").as_string(), "operator");
  ASSERT_EQ(read(scjgj_, record_path("gaj.population", kZhangsan), "企业法定代表人核验").status, 200);

  server_->stop();
  const auto later = std::time(nullptr) + 3 * 86400;
  char start[32];
  std::strftime(start, sizeof start, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&later));
  auto env = env_;
  env["ZHENGWU_CLOCK_START"] = start;
  server_ = std::make_unique<ServerProcess>(data_dir(), env);
  auto r = read(scjgj_, record_path("gaj.population", kZhangsan), "企业法定代表人核验", 3 * 86400);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("expired"), std::string::npos) << r.body;
}

ZHENGWU_ENGINE_TEST_SUITE(Exchange, ExchangeApiTest);

}  // namespace
}  // namespace zhengwu::testing
