// Imports over HTTP on both engines, against the demo: a clerk uploads a file, a job runs
// it, every rejected record is listed with its raw values and reasons, one is fixed in
// place (checked like an import), another dismissed with a reason; other departments and
// citizens see nothing of it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
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

// An upload is written to disk as it arrives (the route spools its body): 256 MiB pass
// through a server whose peak memory grows far less than that, and no spooled file stays
// behind — neither of the upload, moved to the imports, nor of one cut off half way.
TEST_P(ImportApiTest, ALargeUploadIsSpooledNotHeldInMemory) {
  const auto peak_kib = [&] {
    std::ifstream status("/proc/" + std::to_string(server_->pid()) + "/status");
    std::string line;
    while (std::getline(status, line))
      if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
    ADD_FAILURE() << "no VmHWM for the server";
    return 0LL;
  };
  const auto spooled = [&] {
    std::error_code ec;
    std::size_t n = 0;
    for (auto it = std::filesystem::directory_iterator(data_dir() / "spool", ec); !ec && it != std::filesystem::directory_iterator(); ++it) ++n;
    return n;
  };
  const std::string target = "/api/catalog/resources/gaj.population/imports?file_name=big.csv";
  auto head = [&](std::size_t length) {
    std::string h = "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: " +
                    std::to_string(length) + "\r\n";
    for (const auto& [k, v] : clerk_) h += k + ": " + v + "\r\n";
    return h + "\r\n";
  };
  const long long before = peak_kib();
  const std::size_t size = std::size_t{256} << 20;
  {
    HttpConnection c(port());
    ASSERT_TRUE(c.send(head(size)));
    // A header that names no key column, then lines up to the size: the batch fails at
    // the header, so the job reads little of it.
    std::string body = "姓名\n";
    std::string piece;
    while (piece.size() < (std::size_t{1} << 20)) piece += "张三\n";
    std::size_t sent = 0;
    ASSERT_TRUE(c.send(body));
    sent += body.size();
    while (sent < size) {
      const std::size_t n = std::min(piece.size(), size - sent);
      ASSERT_TRUE(c.send(piece.substr(0, n)));
      sent += n;
    }
    auto r = c.read_response(120s);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    EXPECT_EQ(finished(json::parse(r->body).at("id").as_int64()).at("state").as_string(), "failed");
  }
  const long long grown_mib = (peak_kib() - before) / 1024;
  EXPECT_LT(grown_mib, 64) << "the server's peak memory grew by " << grown_mib << " MiB for a 256 MiB upload";
  EXPECT_EQ(spooled(), 0u);

  // Cut off after 1 of 8 MiB: the server drops the part it has.
  {
    HttpConnection c(port());
    ASSERT_TRUE(c.send(head(std::size_t{8} << 20)));
    ASSERT_TRUE(c.send(std::string(std::size_t{1} << 20, 'x')));
  }
  for (int i = 0; i < 100 && spooled() > 0; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(spooled(), 0u);
  EXPECT_EQ(http_get(port(), "/healthz").status, 200);
}

ZHENGWU_ENGINE_TEST_SUITE(Import, ImportApiTest);

}  // namespace
}  // namespace zhengwu::testing
