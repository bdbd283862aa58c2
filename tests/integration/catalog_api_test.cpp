// The catalog over HTTP on both engines, against the seeded Hangzhou demo: search with
// facets, who sees drafts, the provider's editor, and the big-data centre's review.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;

class CatalogApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    clerk_ = bearer(sign_in(port(), "gaj.clerk", "Demo#Clerk2026"));
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
  static json::value body_of(const HttpResponse& r) { return json::parse(r.body); }
  static std::string first_field(const HttpResponse& r) {
    return std::string(json::parse(r.body).at("errors").at(0).at("field").as_string());
  }

  static std::string movers(const std::string& provider = "330100-GAJ", const std::string& extra = "") {
    return R"({"code": "gaj.movers", "name": "流动人口登记信息", "provider": ")" + provider + R"(",
      "category": "departmental", "summary": "暂住登记", "share_type": "conditional", "open_type": "closed",
      "update_cycle": "weekly", "fields": [
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
        {"name": "registered_on", "label": "登记日期", "type": "date", "sensitivity": "personal"})" +
           extra + "]}";
  }

  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> clerk_, officer_, citizen_;
};

TEST_P(CatalogApiTest, SearchFindsTwoCharacterWordsWithFacets) {
  auto r = call("GET", "/api/catalog/resources?q=%E7%A4%BE%E4%BF%9D", clerk_);  // 社保
  ASSERT_EQ(r.status, 200) << r.body;
  auto b = body_of(r);
  ASSERT_EQ(b.at("total").as_int64(), 1);
  EXPECT_EQ(b.at("items").at(0).at("code").as_string(), "rsj.social_insurance");
  auto all = body_of(call("GET", "/api/catalog/resources", clerk_));
  EXPECT_EQ(all.at("total").as_int64(), 4) << "the published catalog: no drafts, nothing under review";
  EXPECT_EQ(all.at("facets").at("share_type").at("conditional").as_int64(), 3);
  auto filtered = body_of(call("GET", "/api/catalog/resources?share_type=unconditional&open_type=open", clerk_));
  ASSERT_EQ(filtered.at("total").as_int64(), 1);
  EXPECT_EQ(filtered.at("items").at(0).at("code").as_string(), "scjgj.enterprise");
  auto paged = body_of(call("GET", "/api/catalog/resources?limit=3", clerk_));
  EXPECT_EQ(paged.at("items").as_array().size(), 3u);
  EXPECT_EQ(paged.at("next_offset").as_int64(), 3);
  EXPECT_EQ(call("GET", "/api/catalog/resources?offset=x", clerk_).status, 400);
  EXPECT_EQ(call("GET", "/api/catalog/resources?q=" + std::string(300, 'a'), clerk_).status, 400);
  auto one = body_of(call("GET", "/api/catalog/resources/gaj.population", clerk_));
  EXPECT_EQ(one.at("fields").as_array().size(), 7u);
  EXPECT_EQ(one.at("fields").at(0).at("sensitivity").as_string(), "sensitive");
  EXPECT_EQ(call("GET", "/api/catalog/resources/none.such", clerk_).status, 404);
  auto codes = body_of(call("GET", "/api/catalog/code-tables/gb2261.1", clerk_));
  EXPECT_EQ(codes.at("items").as_array().size(), 4u);
}

TEST_P(CatalogApiTest, DraftsBelongToTheirProviderAndTheReviewers) {
  // 医保's draft: not for the police's clerk, yes for the big-data centre.
  EXPECT_EQ(call("GET", "/api/catalog/resources/ybj.medical_insurance", clerk_).status, 404);
  EXPECT_EQ(call("GET", "/api/catalog/resources/ybj.medical_insurance", officer_).status, 200);
  EXPECT_EQ(first_field(call("GET", "/api/catalog/resources?state=draft", clerk_)), "provider");
  EXPECT_EQ(call("GET", "/api/catalog/resources?state=draft&provider=330100-YBJ", clerk_).status, 403);
  EXPECT_EQ(body_of(call("GET", "/api/catalog/resources?state=draft,submitted", officer_)).at("total").as_int64(), 2);
  // Citizens and strangers have no catalog here (open data is another page).
  EXPECT_EQ(call("GET", "/api/catalog/resources", citizen_).status, 403);
  EXPECT_EQ(call("GET", "/api/catalog/resources", {}).status, 401);
}

TEST_P(CatalogApiTest, TheProviderDescribesSubmitsAndTheCentreReviews) {
  // Bad descriptions name the field; another department's resource is refused.
  auto bad = call("POST", "/api/catalog/resources", clerk_,
                  movers("330100-GAJ", R"(, {"name": "x", "label": "X", "type": "text", "sensitivity": "public"})"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(first_field(bad), "fields[2].type");
  EXPECT_EQ(call("POST", "/api/catalog/resources", clerk_, movers("330100-RSJ")).status, 403);
  EXPECT_EQ(call("POST", "/api/catalog/resources", citizen_, movers()).status, 403);

  auto created = call("POST", "/api/catalog/resources", clerk_, movers());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(body_of(created).at("state").as_string(), "draft");
  EXPECT_EQ(call("POST", "/api/catalog/resources", clerk_, movers()).status, 409);

  // A draft changes freely; the code in the body must be the one edited.
  auto edited = call("PUT", "/api/catalog/resources/gaj.movers", clerk_,
                     movers("330100-GAJ", R"(, {"name": "address", "label": "暂住地址", "type": "string", "sensitivity": "personal"})"));
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(body_of(edited).at("version").as_int64(), 2);
  EXPECT_EQ(first_field(call("PUT", "/api/catalog/resources/gaj.population", clerk_, movers())), "code");

  ASSERT_EQ(call("POST", "/api/catalog/resources/gaj.movers/submit", clerk_).status, 200);
  EXPECT_EQ(call("PUT", "/api/catalog/resources/gaj.movers", clerk_, movers()).status, 409) << "under review";
  EXPECT_EQ(call("POST", "/api/catalog/resources/gaj.movers/review", clerk_, R"({"decision":"approve"})").status, 403)
      << "providers do not review themselves";

  // Rejecting needs a reason, which the provider then reads.
  auto no_reason = call("POST", "/api/catalog/resources/gaj.movers/review", officer_, R"({"decision":"reject"})");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(first_field(no_reason), "note");
  EXPECT_EQ(first_field(call("POST", "/api/catalog/resources/gaj.movers/review", officer_, R"({"decision":"maybe"})")),
            "decision");
  auto rejected = call("POST", "/api/catalog/resources/gaj.movers/review", officer_,
                       R"({"decision":"reject","note":"请补充更新周期说明"})");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(body_of(rejected).at("state").as_string(), "draft");
  EXPECT_EQ(body_of(call("GET", "/api/catalog/resources/gaj.movers", clerk_)).at("review_note").as_string(),
            "请补充更新周期说明");

  ASSERT_EQ(call("POST", "/api/catalog/resources/gaj.movers/submit", clerk_).status, 200);
  auto approved = call("POST", "/api/catalog/resources/gaj.movers/review", officer_, R"({"decision":"approve"})");
  ASSERT_EQ(approved.status, 200) << approved.body;
  auto done = body_of(approved);
  EXPECT_EQ(done.at("state").as_string(), "published");
  EXPECT_EQ(done.at("events").as_array().size(), 5u);  // created, submitted, rejected, submitted, published
  EXPECT_EQ(call("POST", "/api/catalog/resources/gaj.movers/review", officer_, R"({"decision":"approve"})").status, 409)
      << "decided already";

  // Published: an additive edit is a new version; a breaking one is refused with the reason.
  auto breaking = call("PUT", "/api/catalog/resources/gaj.movers", clerk_, movers());
  EXPECT_EQ(breaking.status, 409);
  EXPECT_NE(body_of(breaking).at("detail").as_string().find("address would be removed"), std::string::npos);
  auto versions = body_of(call("GET", "/api/catalog/resources/gaj.movers/versions", clerk_));
  EXPECT_EQ(versions.at("items").as_array().size(), 2u);

  // Retiring needs a reason and the centre.
  EXPECT_EQ(call("POST", "/api/catalog/resources/gaj.movers/retire", clerk_, R"({"note":"x"})").status, 403);
  EXPECT_EQ(first_field(call("POST", "/api/catalog/resources/gaj.movers/retire", officer_, "{}")), "note");
  EXPECT_EQ(call("POST", "/api/catalog/resources/gaj.movers/retire", officer_, R"({"note":"并入户籍人口"})").status, 200);
  EXPECT_EQ(body_of(call("GET", "/api/catalog/resources?state=retired", clerk_)).at("total").as_int64(), 1);
}

ZHENGWU_ENGINE_TEST_SUITE(Catalog, CatalogApiTest);

}  // namespace
}  // namespace zhengwu::testing
