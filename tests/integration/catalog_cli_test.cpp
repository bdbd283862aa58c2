// `zhengwu catalog apply FILE` as DESIGN.md fixes it, on both engines: {code, version}
// JSON lines, idempotent, a new version for a changed schema, and clear refusals.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>

#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;

class CatalogCliTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"org", "add", "--code", "330100", "--name", "杭州市", "--kind", "city"}, env_);
    run_ok({"org", "add", "--code", "330100-GA", "--name", "杭州市公安局", "--kind", "government_department",
            "--parent", "330100"},
           env_);
  }

  std::string write(const std::string& name, const std::string& text) {
    auto path = (dir_.path() / name).string();
    std::ofstream(path) << text;
    return path;
  }

  static std::string resource(const std::string& code, const std::string& extra_field = "") {
    return R"({"code": ")" + code + R"(", "name": "户籍人口基本信息", "provider": "330100-GA", "category": "base",
      "summary": "全市户籍人口", "share_type": "conditional", "open_type": "closed", "update_cycle": "daily",
      "fields": [
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
        {"name": "name", "label": "姓名", "type": "string", "length": 50, "sensitivity": "personal"})" +
           extra_field + "]}";
  }

  static std::vector<json::value> lines(const std::string& out) {
    std::vector<json::value> v;
    std::size_t at = 0;
    while (at < out.size()) {
      auto nl = out.find('\n', at);
      if (nl == std::string::npos) nl = out.size();
      if (nl > at) v.push_back(json::parse(out.substr(at, nl - at)));
      at = nl + 1;
    }
    return v;
  }
};

TEST_P(CatalogCliTest, AppliesListsIdempotentlyAndVersionsSchemaChanges) {
  auto file = write("catalog.json", "[" + resource("ga.population") + "," + resource("ga.movers") + "]");
  auto first = run_zhengwu({"catalog", "apply", file}, env_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto out = lines(first.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], json::parse(R"({"code":"ga.population","version":1})"));
  EXPECT_EQ(out[1], json::parse(R"({"code":"ga.movers","version":1})"));

  auto again = run_zhengwu({"catalog", "apply", file}, env_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(lines(again.out), out) << "applying the same file twice changes nothing";
  EXPECT_NE(again.err.find("unchanged"), std::string::npos);

  auto changed = write("changed.json", resource("ga.population", R"(,
        {"name": "phone", "label": "联系电话", "type": "phone", "sensitivity": "personal"})"));
  auto v2 = run_zhengwu({"catalog", "apply", changed}, env_);
  ASSERT_EQ(v2.exit_code, 0) << v2.err;
  EXPECT_EQ(lines(v2.out), (std::vector<json::value>{json::parse(R"({"code":"ga.population","version":2})")}));
}

TEST_P(CatalogCliTest, RefusesBadFilesNamingTheProblem) {
  struct Case {
    const char* name;
    std::string text;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases{
      {"not_json", "{oops", 2, "not JSON"},
      {"empty_list", "[]", 1, "empty"},
      {"bad_field_type", resource("ga.population", R"(, {"name": "x", "label": "X", "type": "text", "sensitivity": "public"})"),
       1, "fields[2].type"},
      {"unknown_provider", [] {
         auto r = resource("ga.population");
         return r.replace(r.find("330100-GA"), 9, "330100-ZZ");
       }(),
       1, "provider"},
      // The second resource is bad: the first is not applied either (checked first).
      {"second_of_two_bad", "[" + resource("ga.first") + ", {\"code\": \"X\"}]", 1, "[1]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = run_zhengwu({"catalog", "apply", write(std::string(c.name) + ".json", c.text)}, env_);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  auto missing = run_zhengwu({"catalog", "apply", (dir_.path() / "none.json").string()}, env_);
  EXPECT_EQ(missing.exit_code, 2);
  // Nothing of the refused files was stored: applying a good file creates version 1.
  auto good = run_zhengwu({"catalog", "apply", write("good.json", resource("ga.first"))}, env_);
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.err.find("created"), std::string::npos) << good.err;
}

ZHENGWU_ENGINE_TEST_SUITE(Catalog, CatalogCliTest);

}  // namespace
}  // namespace zhengwu::testing
