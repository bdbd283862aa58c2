// Imports over HTTP on both engines, against the demo: a clerk uploads a file, a job runs
// it, every rejected record is listed with its raw values and reasons, one is fixed in
// place (checked like an import), another dismissed with a reason; other departments and
// citizens see nothing of it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <thread>

#include "support/accounts.hpp"
#include "support/encodings.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class ImportApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    clerk_ = bearer(sign_in(port(), "gaj.clerk", "Demo#Clerk2026"));
    other_ = bearer(sign_in(port(), "mzj.clerk", "Demo#Clerk2026"));
    citizen_ = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  }
  int port() const { return server_->port(); }

  HttpResponse call(const std::string& method, const std::string& target, const std::map<std::string, std::string>& who,
                    const std::string& body = {}, const std::string& type = "application/json") {
    auto headers = who;
    if (!body.empty()) headers["Content-Type"] = type;
    return http_request(port(), method, target, body, headers);
  }

  // Waits for the job to finish the batch.
  json::value finished(std::int64_t id) {
    for (int i = 0; i < 200; ++i) {
      auto b = json::parse(call("GET", "/api/imports/" + std::to_string(id), clerk_).body);
      if (b.at("state").as_string() != "running") return b;
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "batch " << id << " did not finish";
    return {};
  }

  static std::string people() {
    return "公民身份号码,姓名,性别,出生日期,户籍所在地,住址,联系电话\n"
           "11010519491231002X,张三,男,1949-12-31,330106,杭州市西湖区北山街道,139 0000 0000\n"
           "330106198805121237,李四,女,1988/5/12,330106,西湖区北山街道,0571-87654321\n"
           "330106198805121233,王五,男,1988-05-12,330106,,\n"
           "330102199003082343,赵六,2,1990年3月8日,330102,上城区清波街道,\n"
           "330106200001010013,孙八,男,2000-02-30,330106,,\n";
  }

  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> clerk_, other_, citizen_;
};

TEST_P(ImportApiTest, UploadRunFixAndDismiss) {
  auto started = call("POST", "/api/catalog/resources/gaj.population/imports?file_name=people.csv", clerk_,
                      to_gb18030(people()), "text/csv");
  ASSERT_EQ(started.status, 202) << started.body;
  const auto id = json::parse(started.body).at("id").as_int64();
  auto batch = finished(id);
  EXPECT_EQ(batch.at("state").as_string(), "done") << batch;
  EXPECT_EQ(batch.at("accepted").as_int64(), 3);
  EXPECT_EQ(batch.at("rejected").as_int64(), 2);
  EXPECT_EQ(batch.at("source_org").as_string(), "330100-GAJ");

  auto rejects = json::parse(call("GET", "/api/imports/" + std::to_string(id) + "/rejects", clerk_).body);
  auto& items = rejects.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("line").as_int64(), 4);
  EXPECT_EQ(items[0].at("raw").at("姓名").as_string(), "王五") << "raw values kept, decoded from GB18030";
  EXPECT_EQ(items[0].at("errors").at(0).at("field").as_string(), "id_number");
  EXPECT_EQ(items[1].at("line").as_int64(), 6);

  // A correction is checked like an import: still wrong → 400 naming the field.
  const auto fix = "/api/imports/rejects/" + std::to_string(items[0].at("id").as_int64()) + "/fix";
  auto still_bad = call("POST", fix, clerk_, R"({"values":{"id_number":"330106198805121233","name":"王五"}})");
  EXPECT_EQ(still_bad.status, 400);
  EXPECT_EQ(json::parse(still_bad.body).at("errors").at(0).at("field").as_string(), "values.id_number");
  EXPECT_EQ(call("POST", fix, other_, R"({"values":{}})").status, 404) << "another department's batch";
  auto fixed = call("POST", fix, clerk_,
                    R"({"values":{"公民身份号码":"330106198805121237","姓名":"王五","性别":"男","出生日期":"1988-05-12"}})");
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_EQ(json::parse(fixed.body).at("state").as_string(), "fixed");
  EXPECT_EQ(call("POST", fix, clerk_, R"({"values":{"id_number":"330106198805121237"}})").status, 409) << "fixed already";

  const auto dismiss = "/api/imports/rejects/" + std::to_string(items[1].at("id").as_int64()) + "/dismiss";
  auto no_reason = call("POST", dismiss, clerk_, "{}");
  EXPECT_EQ(no_reason.status, 400);
  auto dismissed = call("POST", dismiss, clerk_, R"({"reason":"出生日期核实后另行补录"})");
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  EXPECT_EQ(json::parse(dismissed.body).at("note").as_string(), "出生日期核实后另行补录");

  auto after = json::parse(call("GET", "/api/imports/" + std::to_string(id), clerk_).body);
  EXPECT_EQ(after.at("fixed").as_int64(), 1);
  EXPECT_TRUE(json::parse(call("GET", "/api/imports/" + std::to_string(id) + "/rejects", clerk_).body)
                  .at("items")
                  .as_array()
                  .empty())
      << "nothing open";
  auto all = json::parse(call("GET", "/api/imports/" + std::to_string(id) + "/rejects?state=all", clerk_).body);
  EXPECT_EQ(all.at("items").as_array().size(), 2u) << "nothing deleted";
  auto list = json::parse(call("GET", "/api/catalog/resources/gaj.population/imports", clerk_).body);
  ASSERT_EQ(list.at("items").as_array().size(), 2u) << "the demo's own batch, and this one";
  EXPECT_EQ(list.at("items").as_array()[0].at("id").as_int64(), id) << "newest first";
  EXPECT_TRUE(json::parse(call("GET", "/api/catalog/resources/gaj.population/imports", other_).body)
                  .at("items")
                  .as_array()
                  .empty());
}

TEST_P(ImportApiTest, RefusesWhatCannotRun) {
  const std::string target = "/api/catalog/resources/gaj.population/imports";
  EXPECT_EQ(call("POST", target, {}, people(), "text/csv").status, 401);
  EXPECT_EQ(call("POST", target, citizen_, people(), "text/csv").status, 403);
  EXPECT_EQ(call("POST", target, clerk_, "", "text/csv").status, 400);
  auto bad_encoding = call("POST", target + "?encoding=latin1", clerk_, people(), "text/csv");
  EXPECT_EQ(bad_encoding.status, 400);
  EXPECT_EQ(json::parse(bad_encoding.body).at("errors").at(0).at("field").as_string(), "encoding");
  EXPECT_EQ(call("POST", "/api/catalog/resources/ybj.medical_insurance/imports", clerk_, people(), "text/csv").status, 409)
      << "a draft collects nothing";
  EXPECT_EQ(call("POST", "/api/catalog/resources/none.such/imports", clerk_, people(), "text/csv").status, 404);
  EXPECT_EQ(call("GET", "/api/imports/999999", clerk_).status, 404);
  EXPECT_EQ(call("GET", "/api/imports/x", clerk_).status, 400);
  // A header that names no key column: the batch fails and says why.
  auto bad_header = call("POST", target, clerk_, "姓名\n张三\n", "text/csv");
  ASSERT_EQ(bad_header.status, 202);
  auto b = finished(json::parse(bad_header.body).at("id").as_int64());
  EXPECT_EQ(b.at("state").as_string(), "failed");
  EXPECT_NE(b.at("message").as_string().find("id_number"), std::string::npos) << b;
}

ZHENGWU_ENGINE_TEST_SUITE(Import, ImportApiTest);

}  // namespace
}  // namespace zhengwu::testing
