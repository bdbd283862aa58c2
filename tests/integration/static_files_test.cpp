// Serving the built web app: ETag/304, precompressed gzip, SPA fallback, no traversal.
#include <gtest/gtest.h>

#include <fstream>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto root = dir_.path() / "web";
    std::filesystem::create_directories(root / "assets");
    std::ofstream(root / "index.html") << "<!doctype html><title>zhengwu</title>";
    std::ofstream(root / "assets" / "app-1234.js") << "console.log('plain');";
    // A stand-in compressed sibling: the server must pick it by name, not compress itself.
    std::ofstream(root / "assets" / "app-1234.js.gz") << "GZIPPED-BYTES";
    std::ofstream(dir_.path() / "secret.txt") << "outside the root";
    server_ = std::make_unique<ServerProcess>(dir_.path() / "data", Env{{"ZHENGWU_WEB_ROOT", root.string()}});
  }
  int port() const { return server_->port(); }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(StaticFilesTest, ServesIndexAtRoot) {
  auto r = http_get(port(), "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "no-cache");
  EXPECT_EQ(r.body, "<!doctype html><title>zhengwu</title>");
}

TEST_F(StaticFilesTest, EtagGives304) {
  auto r = http_get(port(), "/assets/app-1234.js");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "console.log('plain');");
  EXPECT_EQ(r.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "public, max-age=31536000, immutable");
  auto etag = r.header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = http_get(port(), "/assets/app-1234.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  auto other = http_get(port(), "/assets/app-1234.js", {{"If-None-Match", "\"something-else\""}});
  EXPECT_EQ(other.status, 200);
}

TEST_F(StaticFilesTest, PrecompressedWhenGzipAccepted) {
  auto r = http_get(port(), "/assets/app-1234.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-encoding"), "gzip");
  EXPECT_EQ(r.header("vary"), "Accept-Encoding");
  EXPECT_EQ(r.body, "GZIPPED-BYTES");
  auto plain = http_get(port(), "/assets/app-1234.js", {{"Accept-Encoding", "identity"}});
  EXPECT_EQ(plain.header("content-encoding"), "");
  EXPECT_EQ(plain.body, "console.log('plain');");
  // The two variants have different validators.
  EXPECT_NE(r.header("etag"), plain.header("etag"));
}

TEST_F(StaticFilesTest, SpaFallbackForClientRoutesOnly) {
  auto r = http_get(port(), "/admin/status");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html><title>zhengwu</title>");
  // A missing file with an extension is a real 404, not the app.
  EXPECT_EQ(http_get(port(), "/assets/missing-9999.js").status, 404);
  // API paths never fall back to the app.
  auto api = http_get(port(), "/api/unknown");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.header("content-type"), "application/problem+json; charset=utf-8");
}

TEST_F(StaticFilesTest, NoPathTraversal) {
  for (const char* target : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                             "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/..%5c..%5csecret.txt",
                             "/%00index.html", "/.git/config"}) {
    HttpConnection c(port());
    c.send(std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto r = c.read_response();
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->body.find("outside the root"), std::string::npos) << target;
    EXPECT_TRUE(r->status == 404 || r->status == 400) << target << " -> " << r->status;
  }
  EXPECT_EQ(http_get(port(), "/healthz").status, 200);
}

TEST_F(StaticFilesTest, HeadOfAFile) {
  HttpConnection c(port());
  c.send("HEAD /assets/app-1234.js HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response(std::chrono::seconds(5), true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-length"), "21");
}

}  // namespace
}  // namespace zhengwu::testing
