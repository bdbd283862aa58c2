// The change feed through a real socket on both engines, under the demo's grant of 人社 on
// 户籍人口: the whole register from the start, page by page, each record once, only
// granted fields, masked unless granted in clear, with provenance; a write by 公安 (the
// record API) shows up after the cursor; polling with a cursor that has nothing after it
// answers the same cursor; every way a feed read is refused; the reads are audited and
// reach the data-use record of the people they were about.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <ctime>
#include <set>

#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/signed_client.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;

constexpr const char* kZhangsan = "330106198805121237";
constexpr const char* kRsjPurpose = "社会保险参保登记身份核验";
const std::string kFeed = "/api/exchange/resources/gaj.population/changes";

class ChangesApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    rsj_ = add_client(env_, "330100-RSJ", "社保经办系统");
    scjgj_ = add_client(env_, "330100-SCJGJ", "企业登记系统");
    gaj_ = add_client(env_, "330100-GAJ", "人口管理系统");
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
  }

  HttpResponse read(const SignedClient& c, const std::string& target, const std::optional<std::string>& purpose) {
    return signed_get(port(), c, target, purpose);
  }

  json::object feed(const std::string& since, int limit = 500) {
    auto r = read(rsj_, kFeed + "?since=" + since + "&limit=" + std::to_string(limit), kRsjPurpose);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).as_object();
  }

  // Reads the feed to its end; returns the cursor to poll with.
  std::string drain(std::string since = "0") {
    for (int i = 0; i < 20; ++i) {
      auto page = feed(since);
      since = std::string(page.at("next_cursor").as_string());
      if (page.at("items").as_array().empty()) break;
    }
    return since;
  }

  int port() const { return server_->port(); }

  SignedClient rsj_, scjgj_, gaj_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_P(ChangesApiTest, FromTheStartEveryRecordOnceGrantedAndMasked) {
  std::set<std::string> seen;
  std::string since;  // absent: from the start
  std::int64_t last_seq = 0;
  int pages = 0;
  for (;;) {
    auto r = read(rsj_, kFeed + "?limit=120" + (since.empty() ? "" : "&since=" + since), kRsjPurpose);
    ASSERT_EQ(r.status, 200) << r.body;
    auto doc = json::parse(r.body).as_object();
    const auto& items = doc.at("items").as_array();
    const std::string next(doc.at("next_cursor").as_string());
    if (items.empty()) {
      EXPECT_EQ(next, since) << "nothing new: the same cursor, to poll with";
      break;
    }
    ++pages;
    for (const auto& i : items) {
      const auto seq = i.at("seq").as_int64();
      EXPECT_GT(seq, last_seq) << "change order";
      last_seq = seq;
      EXPECT_TRUE(seen.insert(std::string(i.at("key").as_string())).second);
      const auto& record = i.at("record").as_object();
      EXPECT_EQ(record.size(), 4u) << "granted fields only: " << json::serialize(record);
      EXPECT_FALSE(record.contains("phone"));
      EXPECT_EQ(record.at("gender").as_string(), "***") << "granted masked";
      EXPECT_EQ(i.at("provenance").at("source_org").as_string(), "330100-GAJ");
      EXPECT_TRUE(i.at("revision").is_int64());
    }
    EXPECT_EQ(next, std::to_string(last_seq)) << "the last seq returned";
    EXPECT_EQ(doc.at("grant").at("purpose").as_string(), kRsjPurpose);
    since = next;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(seen.size(), 300u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(feed("0", 1).at("items").as_array().size(), 1u) << "since=0 is the start too";

  // The provider reads its own feed, every field in clear.
  auto own = read(gaj_, kFeed + "?limit=1", "户籍业务办理");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_TRUE(json::parse(own.body).at("items").at(0).at("record").as_object().contains("phone"));
}

TEST_P(ChangesApiTest, AWriteByTheProviderComesAfterTheCursor) {
  const auto cursor = drain();
  EXPECT_TRUE(feed(cursor).at("items").as_array().empty());

  auto gaj = bearer(sign_in(port(), "gaj.clerk", "Demo#Clerk2026"));
  gaj["Content-Type"] = "application/json";
  gaj["Idempotency-Key"] = "feed-test-1";
  auto wrote = http_request(port(), "POST", "/api/catalog/resources/gaj.population/records",
                            R"({"records":[{"id_number":"330106198805121237","name":"张三","gender":"男",
                              "birth_date":"1988-05-12","phone":"13905719999"},
                              {"id_number":"330106200001010013","name":"孙八","gender":"男","birth_date":"2000-01-01"}]})",
                            gaj);
  ASSERT_EQ(wrote.status, 200) << wrote.body;
  ASSERT_EQ(json::parse(wrote.body).at("accepted").as_int64(), 2);

  auto page = feed(cursor);
  const auto& items = page.at("items").as_array();
  ASSERT_EQ(items.size(), 2u) << json::serialize(page);
  std::map<std::string, json::object> by_key;
  for (const auto& i : items) by_key[std::string(i.at("key").as_string())] = i.as_object();
  ASSERT_TRUE(by_key.contains(kZhangsan));
  ASSERT_TRUE(by_key.contains("330106200001010013"));
  const auto& zhangsan = by_key[kZhangsan];
  EXPECT_EQ(zhangsan.at("revision").as_int64(), 2) << "the phone changed: a new revision";
  EXPECT_EQ(zhangsan.at("record").at("name").as_string(), "张三") << "granted in clear";
  EXPECT_EQ(zhangsan.at("record").at("birth_date").as_string(), "1988-**-**") << "granted masked";
  EXPECT_FALSE(zhangsan.at("record").as_object().contains("phone")) << "a change outside the grant shows no value";
  EXPECT_EQ(std::string(page.at("next_cursor").as_string()), std::to_string(items.back().at("seq").as_int64()));
  EXPECT_GT(std::stoll(std::string(page.at("next_cursor").as_string())), std::stoll(cursor));

  // The same write again changes nothing: nothing new in the feed.
  gaj["Idempotency-Key"] = "feed-test-2";
  auto same = http_request(port(), "POST", "/api/catalog/resources/gaj.population/records",
                           R"({"records":[{"id_number":"330106200001010013","name":"孙八","gender":"男","birth_date":"2000-01-01"}]})",
                           gaj);
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_TRUE(feed(std::string(page.at("next_cursor").as_string())).at("items").as_array().empty());

  // Each feed read that returned zhangsan's record is in his data-use record.
  auto citizen = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  auto use = http_get(port(), "/api/me/data-use?org=330100-RSJ", citizen);
  ASSERT_EQ(use.status, 200) << use.body;
  const auto uses = json::parse(use.body).at("items").as_array();
  ASSERT_GE(uses.size(), 2u) << "the full read at the start and the read after the change";
  EXPECT_EQ(uses[0].at("purpose").as_string(), kRsjPurpose);
  EXPECT_EQ(uses[0].at("resource").as_string(), "gaj.population");
  EXPECT_EQ(uses[0].at("client").as_string(), "社保经办系统");
}

TEST_P(ChangesApiTest, EveryWayAFeedReadIsRefused) {
  auto citizen = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  struct Row {
    const char* name;
    HttpResponse response;
    int status;
    const char* says;
  };
  const std::vector<Row> rows{
      {"no grant", read(scjgj_, kFeed, "企业法定代表人核验"), 403, "no grant"},
      {"another purpose", read(rsj_, kFeed, "就业失业登记"), 403, "purpose"},
      {"no purpose", read(rsj_, kFeed, std::nullopt), 400, "X-Zw-Purpose"},
      {"a bad cursor", read(rsj_, kFeed + "?since=abc", kRsjPurpose), 400, "since"},
      {"a negative cursor", read(rsj_, kFeed + "?since=-1", kRsjPurpose), 400, "since"},
      {"a bad limit", read(rsj_, kFeed + "?limit=0", kRsjPurpose), 400, "limit"},
      {"not published", read(rsj_, "/api/exchange/resources/mzj.subsistence/changes", kRsjPurpose), 404,
       "no published resource"},
      {"a person, not a system", http_get(port(), kFeed, citizen), 403, "system clients"},
      {"unsigned", http_get(port(), kFeed), 401, ""},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(r.response.status, r.status) << r.name << ": " << r.response.body;
    EXPECT_EQ(r.response.header("content-type"), "application/problem+json; charset=utf-8") << r.name;
    EXPECT_NE(r.response.body.find(r.says), std::string::npos) << r.name << ": " << r.response.body;
    EXPECT_EQ(r.response.body.find("张三"), std::string::npos) << r.name << " leaked a value";
  }
  // The feed is in the OpenAPI document.
  auto spec = http_get(port(), "/api/openapi.json");
  ASSERT_EQ(spec.status, 200);
  auto doc = json::parse(spec.body);
  const auto& op = doc.at("paths").at("/api/exchange/resources/{code}/changes").at("get");
  EXPECT_EQ(op.at("tags").at(0).as_string(), "exchange");
  // Refusals and reads alike are audited, and the chain verifies.
  server_->stop();
  run_ok({"audit", "verify"}, env_);
}

ZHENGWU_ENGINE_TEST_SUITE(Changes, ChangesApiTest);

}  // namespace
}  // namespace zhengwu::testing
