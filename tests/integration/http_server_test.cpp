// The HTTP server through a real socket: routing, 404/405, limits, malformed requests,
// keep-alive, metrics, OpenAPI and graceful shutdown. Each test starts the real binary on
// port 0 with its own data directory.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <fstream>
#include <thread>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = std::make_unique<ServerProcess>(dir_.path() / "data", env()); }
  virtual Env env() { return {}; }
  int port() const { return server_->port(); }
  void expect_healthy() {
    auto r = http_get(port(), "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
  }
  static json::object problem_of(const HttpResponse& r) {
    EXPECT_EQ(r.header("content-type"), "application/problem+json; charset=utf-8");
    return json::parse(r.body).as_object();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(HttpServerTest, HealthAndReadiness) {
  auto r = http_get(port(), "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.header("x-request-id").size(), 16u);
  auto ready = http_get(port(), "/readyz");
  EXPECT_EQ(ready.status, 200);
  auto body = json::parse(ready.body).as_object();
  EXPECT_EQ(body.at("status").as_string(), "ready");
  EXPECT_EQ(body.at("database").at("kind").as_string(), "sqlite");
}

TEST_F(HttpServerTest, EchoesAValidRequestIdAndReplacesABadOne) {
  EXPECT_EQ(http_get(port(), "/healthz", {{"X-Request-Id", "abc-123"}}).header("x-request-id"), "abc-123");
  auto replaced = http_get(port(), "/healthz", {{"X-Request-Id", "bad id with spaces"}}).header("x-request-id");
  EXPECT_NE(replaced, "bad id with spaces");
  EXPECT_EQ(replaced.size(), 16u);
}

TEST_F(HttpServerTest, UnknownPathIs404Problem) {
  auto r = http_get(port(), "/api/no/such/thing");
  EXPECT_EQ(r.status, 404);
  auto p = problem_of(r);
  EXPECT_EQ(p.at("status").as_int64(), 404);
  EXPECT_EQ(p.at("title").as_string(), "Not Found");
  EXPECT_EQ(p.at("type").as_string(), "about:blank");
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllow) {
  auto r = http_request(port(), "POST", "/healthz", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(problem_of(r).at("status").as_int64(), 405);
  auto d = http_request(port(), "DELETE", "/api/system/info");
  EXPECT_EQ(d.status, 405);
}

TEST_F(HttpServerTest, OptionsListsAllowedMethods) {
  auto r = http_request(port(), "OPTIONS", "/api/system/info");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("allow"), "GET, HEAD, OPTIONS");
}

TEST_F(HttpServerTest, HeadAnswersHeadersOnly) {
  HttpConnection c(port());
  c.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response(5s, true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-length"), "15");
  EXPECT_TRUE(r->body.empty());
  // The connection is still in sync: the next response is a full one.
  auto next = c.request("GET", "/healthz");
  EXPECT_EQ(next.body, R"({"status":"ok"})");
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  HttpConnection c(port());
  for (int i = 0; i < 50; ++i) {
    auto r = c.request("GET", "/healthz");
    ASSERT_EQ(r.status, 200) << i;
  }
  // Pipelined: two requests in one write, two answers in order.
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/nope HTTP/1.1\r\nHost: x\r\n\r\n");
  auto a = c.read_response();
  auto b = c.read_response();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(b->status, 404);
}

TEST_F(HttpServerTest, HundredMebibyteBodyIs413AndServerStaysUp) {
  HttpConnection c(port());
  const std::size_t declared = 100u << 20;
  c.send("POST /api/system/info HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(declared) + "\r\n\r\n");
  // Start sending the body as a real client would; the server answers before reading it.
  c.send(std::string(1u << 20, 'x'));
  auto r = c.read_response(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(problem_of(*r).at("status").as_int64(), 413);
  expect_healthy();
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitIs413) {
  HttpConnection c(port());
  c.send("POST /api/system/info HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string chunk(1u << 20, 'y');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  bool open = true;
  for (int i = 0; i < 20 && open; ++i) open = c.send(size_line + chunk + "\r\n");
  auto r = c.read_response(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  expect_healthy();
}

TEST_F(HttpServerTest, OneMebibyteHeaderIs431AndServerStaysUp) {
  HttpConnection c(port());
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1u << 20, 'a') + "\r\n\r\n");
  auto r = c.read_response(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  expect_healthy();
}

TEST_F(HttpServerTest, GarbageBytesAre400AndServerStaysUp) {
  for (std::string garbage : {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n", 24),
                              std::string("NOT HTTP AT ALL\r\n\r\n"), std::string("GET /healthz HTTP/9.9\r\n\r\n"),
                              std::string("GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n")}) {
    HttpConnection c(port());
    c.send(garbage);
    auto r = c.read_response(5s);
    ASSERT_TRUE(r) << "no answer to garbage";
    EXPECT_EQ(r->status, 400);
    EXPECT_TRUE(c.wait_closed(3s));
  }
  expect_healthy();
}

TEST_F(HttpServerTest, UnknownMethodIs400) {
  HttpConnection c(port());
  c.send("BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response(5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(problem_of(*r).at("detail").as_string().find("method"), std::string::npos);
  expect_healthy();
}

TEST_F(HttpServerTest, RelativeTargetIs400) {
  HttpConnection c(port());
  c.send("GET healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response(5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(HttpServerTest, MetricsCountRequestsByRouteAndStatus) {
  http_get(port(), "/healthz");
  http_get(port(), "/api/system/info");
  http_get(port(), "/api/nope");
  auto r = http_get(port(), "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  for (const char* expected :
       {"zhengwu_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1",
        "zhengwu_http_requests_total{route=\"/api/system/info\",method=\"GET\",status=\"200\"} 1",
        "zhengwu_http_requests_total{route=\"(unmatched)\",method=\"GET\",status=\"404\"} 1",
        "zhengwu_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1",
        "zhengwu_http_requests_in_flight 1", "zhengwu_db_connections{state=\"open\"}", "zhengwu_build_info{version=",
        "database=\"sqlite\"} 1", "zhengwu_scheduler_owner"})
    EXPECT_NE(r.body.find(expected), std::string::npos) << expected << "\n" << r.body;
}

TEST_F(HttpServerTest, OpenApiDocumentsEveryRoute) {
  auto r = http_get(port(), "/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = json::parse(r.body).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  for (const char* p : {"/healthz", "/readyz", "/metrics", "/api/openapi.json", "/api/system/info",
                        "/api/calendar/add-working-days", "/api/calendar/years/{year}"})
    EXPECT_TRUE(paths.contains(p)) << p;
  const auto& add = paths.at("/api/calendar/add-working-days").at("get").as_object();
  EXPECT_FALSE(add.at("summary").as_string().empty());
  bool has_days = false;
  for (const auto& p : add.at("parameters").as_array())
    if (p.at("name").as_string() == "days") has_days = true;
  EXPECT_TRUE(has_days);
  const auto& put = paths.at("/api/calendar/years/{year}").at("put").as_object();
  EXPECT_TRUE(put.contains("requestBody"));
}

TEST_F(HttpServerTest, SystemInfoTellsVersionDatabaseAndZone) {
  auto r = http_get(port(), "/api/system/info");
  ASSERT_EQ(r.status, 200);
  auto info = json::parse(r.body).as_object();
  EXPECT_EQ(info.at("name").as_string(), "Zhengwu");
  EXPECT_FALSE(info.at("version").as_string().empty());
  EXPECT_EQ(info.at("database").at("kind").as_string(), "sqlite");
  EXPECT_EQ(info.at("time_zone").as_string(), "Asia/Shanghai");
  std::string time(info.at("time").as_string());
  EXPECT_EQ(time.substr(time.size() - 6), "+08:00") << time;
  EXPECT_EQ(info.at("modules").as_array().at(0).as_string(), "system");
}

TEST_F(HttpServerTest, SigtermWithIdleConnectionsExitsZeroQuickly) {
  HttpConnection idle(port());
  ASSERT_EQ(idle.request("GET", "/healthz").status, 200);
  auto started = std::chrono::steady_clock::now();
  int code = server_->stop(SIGTERM, 10s);
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(code, 0);
  EXPECT_LT(took, 5s);
  EXPECT_TRUE(idle.wait_closed(1s));
  EXPECT_NE(server_->log().find("stopped"), std::string::npos);
}

TEST_F(HttpServerTest, SigtermFinishesTheRequestInFlight) {
  HttpConnection c(port());
  // Half a request: its header and part of its body are in; then the stop begins.
  c.send("POST /api/system/info HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345");
  std::this_thread::sleep_for(200ms);
  ::kill(server_->pid(), SIGTERM);
  std::this_thread::sleep_for(300ms);
  c.send("67890");
  auto r = c.read_response(5s);
  ASSERT_TRUE(r) << "the in-flight request got no answer";
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_EQ(server_->stop(SIGTERM, 10s), 0);
}

TEST_F(HttpServerTest, SigintAlsoStopsCleanly) { EXPECT_EQ(server_->stop(SIGINT, 10s), 0); }

// A server with short timeouts, for the slow-client tests.
class HttpTimeoutTest : public HttpServerTest {
 protected:
  Env env() override {
    auto file = dir_.path() / "zhengwu.toml";
    std::ofstream(file) << "[http]\nheader_timeout_ms = 500\nidle_timeout_ms = 800\nbody_timeout_ms = 500\n";
    return {{"ZHENGWU_CONFIG", file.string()}};
  }
};

TEST_F(HttpTimeoutTest, HalfAHeaderIsClosedAtTheHeaderTimeout) {
  HttpConnection c(port());
  auto started = std::chrono::steady_clock::now();
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  EXPECT_TRUE(c.wait_closed(5s));
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, 400ms);
  EXPECT_LT(took, 3s);
  expect_healthy();
}

TEST_F(HttpTimeoutTest, HalfABodyIsClosedAtTheBodyTimeout) {
  HttpConnection c(port());
  auto started = std::chrono::steady_clock::now();
  c.send("POST /api/system/info HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
  EXPECT_TRUE(c.wait_closed(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 400ms);
  expect_healthy();
  // Both slow clients are counted.
  auto metrics = http_get(port(), "/metrics").body;
  EXPECT_NE(metrics.find(R"x(route="(protocol)",method="-",status="408"} 1)x"), std::string::npos) << metrics;
}

TEST_F(HttpTimeoutTest, IdleKeepAliveConnectionIsClosed) {
  HttpConnection c(port());
  ASSERT_EQ(c.request("GET", "/healthz").status, 200);
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.wait_closed(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 600ms);
}

TEST_F(HttpTimeoutTest, SilentConnectionIsClosedAtTheIdleTimeout) {
  HttpConnection c(port());
  EXPECT_TRUE(c.wait_closed(5s));
  expect_healthy();
}

class HttpLimitsTest : public HttpServerTest {
 protected:
  Env env() override {
    auto file = dir_.path() / "zhengwu.toml";
    std::ofstream(file) << "[http]\nmax_connections = 3\nrate_limit_per_second = 1\nrate_limit_burst = 5\n"
                           "cors_origins = [\"http://127.0.0.1:5173\"]\n";
    return {{"ZHENGWU_CONFIG", file.string()}};
  }
};

TEST_F(HttpLimitsTest, ConnectionsOverTheCapGet503) {
  std::vector<std::unique_ptr<HttpConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<HttpConnection>(port()));
    ASSERT_EQ(held.back()->request("GET", "/healthz").status, 200);
  }
  HttpConnection extra(port());
  auto r = extra.read_response(5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  held.clear();
  std::this_thread::sleep_for(200ms);
  expect_healthy();
}

TEST_F(HttpLimitsTest, RateLimitAnswers429ButNeverOnHealth) {
  int limited = 0;
  for (int i = 0; i < 12; ++i)
    if (http_get(port(), "/api/system/info").status == 429) ++limited;
  EXPECT_GE(limited, 5);
  for (int i = 0; i < 10; ++i) expect_healthy();
  auto r = http_get(port(), "/api/system/info");
  if (r.status == 429) {
    EXPECT_EQ(r.header("retry-after"), "1");
    EXPECT_EQ(problem_of(r).at("status").as_int64(), 429);
  }
}

TEST_F(HttpLimitsTest, CorsForAnAllowedOriginOnly) {
  auto pre = http_request(port(), "OPTIONS", "/api/system/info", {},
                          {{"Origin", "http://127.0.0.1:5173"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(pre.header("access-control-allow-origin"), "http://127.0.0.1:5173");
  EXPECT_NE(pre.header("access-control-allow-methods").find("GET"), std::string::npos);
  auto other = http_get(port(), "/healthz", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(other.header("access-control-allow-origin"), "");
  auto ok = http_get(port(), "/healthz", {{"Origin", "http://127.0.0.1:5173"}});
  EXPECT_EQ(ok.header("access-control-allow-origin"), "http://127.0.0.1:5173");
}

}  // namespace
}  // namespace zhengwu::testing
