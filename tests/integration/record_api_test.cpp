// The record API over a real socket, on both engines, against the demo: batched upserts
// with an Idempotency-Key by a clerk and by a signed system client, retries replayed,
// a reused key with another body refused, rejected records kept for fixing in place, and
// a non-authority's values turned into discrepancies.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <ctime>

#include "kernel/crypto/request_signature.hpp"
#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
const std::string kRecords = "/api/catalog/resources/gaj.population/records";

class RecordApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    auto printed = json::parse(run_ok({"client", "add", "--org", "330100-MZJ", "--name", "低保系统"}, env_));
    client_id_ = std::string(printed.at("client_id").as_string());
    secret_ = std::string(printed.at("secret").as_string());
    server_ = std::make_unique<ServerProcess>(data_dir(), env_);
    gaj_ = bearer(sign_in(port(), "gaj.clerk", "Demo#Clerk2026"));
    citizen_ = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  }
  int port() const { return server_->port(); }

  HttpResponse post(const std::string& target, std::map<std::string, std::string> headers, const std::string& body,
                    const std::string& key) {
    headers["Content-Type"] = "application/json";
    if (!key.empty()) headers["Idempotency-Key"] = key;
    return http_request(port(), "POST", target, body, headers);
  }
  std::map<std::string, std::string> signed_by_client(const std::string& path, const std::string& body,
                                                      const std::string& nonce) {
    const auto ts = std::to_string(std::time(nullptr));
    auto canonical = crypto::canonical_request("POST", path, "", ts, nonce, body);
    return {{"X-Zw-Client", client_id_},
            {"X-Zw-Timestamp", ts},
            {"X-Zw-Nonce", nonce},
            {"X-Zw-Signature", crypto::sign_request(secret_, canonical)}};
  }
  static std::string field_of(const HttpResponse& r) {
    return std::string(json::parse(r.body).at("errors").at(0).at("field").as_string());
  }

  std::unique_ptr<ServerProcess> server_;
  std::string client_id_, secret_;
  std::map<std::string, std::string> gaj_, citizen_;
};

TEST_P(RecordApiTest, BatchedUpsertsAreIdempotent) {
  const std::string body = R"({"records":[
    {"id_number":"330106200001010013","name":"孙八","gender":"男","birth_date":"2000-01-01","phone":"139 5710 0088"},
    {"id_number":"330106200001010010","name":"坏号"}
  ]})";
  auto first = post(kRecords, gaj_, body, "sync-2026-001");
  ASSERT_EQ(first.status, 200) << first.body;
  auto reply = json::parse(first.body);
  EXPECT_EQ(reply.at("accepted").as_int64(), 1);
  EXPECT_EQ(reply.at("rejected").as_int64(), 1);
  EXPECT_EQ(reply.at("rejects").at(0).at("index").as_int64(), 1);
  EXPECT_EQ(reply.at("rejects").at(0).at("errors").at(0).at("field").as_string(), "id_number");
  EXPECT_EQ(reply.at("discrepancies").as_int64(), 0);
  const auto batch = std::to_string(reply.at("batch").as_int64());

  auto again = post(kRecords, gaj_, body, "sync-2026-001");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body) << "the same reply, nothing written twice";
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  auto reused = post(kRecords, gaj_, R"({"records":[{"id_number":"330106200001010013"}]})", "sync-2026-001");
  EXPECT_EQ(reused.status, 422);
  EXPECT_EQ(field_of(reused), "Idempotency-Key");

  // The call is an import batch of format api; its rejected record waits to be fixed.
  auto b = json::parse(http_get(port(), "/api/imports/" + batch, gaj_).body);
  EXPECT_EQ(b.at("format").as_string(), "api");
  EXPECT_EQ(b.at("state").as_string(), "done");
  auto rejects = json::parse(http_get(port(), "/api/imports/" + batch + "/rejects", gaj_).body).at("items").as_array();
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].at("raw").at("name").as_string(), "坏号");
  auto fixed = post("/api/imports/rejects/" + std::to_string(rejects[0].at("id").as_int64()) + "/fix", gaj_,
                    R"({"values":{"id_number":"330106200001010021","name":"周九"}})", "");
  EXPECT_EQ(fixed.status, 200) << fixed.body;
}

TEST_P(RecordApiTest, RefusesWhatItCannotTake) {
  const std::string one = R"({"records":[{"id_number":"330106200001010013","name":"孙八"}]})";
  EXPECT_EQ(post(kRecords, {}, one, "k1").status, 401);
  EXPECT_EQ(post(kRecords, citizen_, one, "k1").status, 403);
  auto no_key = post(kRecords, gaj_, one, "");
  EXPECT_EQ(no_key.status, 400);
  EXPECT_EQ(field_of(no_key), "Idempotency-Key");
  EXPECT_EQ(field_of(post(kRecords, gaj_, one, std::string(201, 'k'))), "Idempotency-Key");
  EXPECT_EQ(field_of(post(kRecords, gaj_, "[1]", "k2")), "body");
  EXPECT_EQ(field_of(post(kRecords, gaj_, R"({"records":[]})", "k3")), "records");
  std::string many = R"({"records":[)";
  for (int i = 0; i < 1001; ++i) many += i ? R"(,{"name":"x"})" : R"({"name":"x"})";
  many += "]}";
  auto too_many = post(kRecords, gaj_, many, "k4");
  EXPECT_EQ(too_many.status, 413);
  EXPECT_EQ(field_of(too_many), "records");
  EXPECT_EQ(post("/api/catalog/resources/none.such/records", gaj_, one, "k5").status, 404);
  EXPECT_EQ(post("/api/catalog/resources/ybj.medical_insurance/records", gaj_, one, "k6").status, 409) << "a draft";
}

TEST_P(RecordApiTest, ASignedClientOfANonAuthorityProposes) {
  const std::string path = kRecords;
  const std::string body = R"({"records":[{"id_number":"330106198805121237","address":"杭州市西湖区古荡街道天目山路1号"}]})";
  auto r = post(path, signed_by_client(path, body, "nonce-rec-0001"), body, "mzj-sync-1");
  ASSERT_EQ(r.status, 200) << r.body;
  auto reply = json::parse(r.body);
  EXPECT_EQ(reply.at("accepted").as_int64(), 1) << "民政局 need not send 公安局's required name";
  EXPECT_EQ(reply.at("discrepancies").as_int64(), 1) << "the address is 公安局's";
  auto retry = post(path, signed_by_client(path, body, "nonce-rec-0002"), body, "mzj-sync-1");
  EXPECT_EQ(retry.status, 200);
  EXPECT_EQ(retry.body, r.body);
  auto list = json::parse(http_get(port(), "/api/discrepancies?state=open&org=330100-MZJ&side=proposer", gaj_).body);
  bool found = false;
  for (const auto& d : list.at("items").as_array())
    found = found || d.at("proposed_value").as_string() == "杭州市西湖区古荡街道天目山路1号";
  EXPECT_TRUE(found) << list;
}

ZHENGWU_ENGINE_TEST_SUITE(RecordApi, RecordApiTest);

}  // namespace
}  // namespace zhengwu::testing
