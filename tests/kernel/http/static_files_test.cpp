// Static files of the web app: types, index and SPA fallback, confinement to the root, ETags, gzip, cache refresh.
#include "kernel/http/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "support/server_process.hpp"

namespace zhengwu::http {
namespace {

namespace fs = std::filesystem;

constexpr char kIndex[] = "<html>root index</html>";
constexpr char kDocsIndex[] = "<html>docs index</html>";
constexpr char kAppJs[] = "console.log('app');";
constexpr char kSecret[] = "SECRET: outside the web root";
constexpr char kBigJsGz[] = "\x1f\x8b fake gzip bytes";
// A file with a precompressed sibling.
std::string big_js() {
  return std::string(400, 'x');
}

void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
}

Request request_for(std::string path, const std::vector<std::pair<std::string, std::string>>& headers = {},
                    Method method = Method::get) {
  Request req;
  req.method = method;
  req.path = path;
  req.target = std::move(path);
  for (const auto& [k, v] : headers) req.headers.add(k, v);
  return req;
}

std::optional<std::string> header(const Response& res, std::string_view name) {
  auto v = res.headers.get(name);
  return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
}

// A built web app under <tmp>/web, with secrets beside it in <tmp>/secret.txt and in
// <tmp>/web-private/, a directory whose name starts with the root's name.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write(root_ / "index.html", kIndex);
    write(root_ / "app.js", kAppJs);
    write(root_ / "docs" / "index.html", kDocsIndex);
    write(root_ / "assets" / "app-3f9a1c.js", kAppJs);
    write(root_ / "big.js", big_js());
    write(root_ / "big.js.gz", kBigJsGz);
    write(root_ / "杭州.txt", "hangzhou");
    write(root_ / "a b.txt", "spaced");
    write(root_ / ".env", kSecret);
    write(root_ / ".git" / "config", kSecret);
    write(root_ / "assets" / ".env", kSecret);
    fs::create_directories(root_ / "empty-dir");
    write(dir_.path() / "secret.txt", kSecret);
    write(dir_.path() / "web-private" / "secret.txt", kSecret);
    fs::create_symlink(dir_.path() / "secret.txt", root_ / "link-out");
    fs::create_symlink(root_ / "index.html", root_ / "link-in");
  }

  zhengwu::testing::TempDir dir_;
  fs::path root_ = dir_.path() / "web";
};

TEST(StaticFilesContentTypeTest, MapsExtensionsToMediaTypes) {
  struct Row {
    std::string file;
    std::string expected;
  };
  const std::vector<Row> rows = {
      {"index.html", "text/html; charset=utf-8"},
      {"app.js", "text/javascript; charset=utf-8"},
      {"worker.mjs", "text/javascript; charset=utf-8"},
      {"site.css", "text/css; charset=utf-8"},
      {"data.json", "application/json; charset=utf-8"},
      {"app.js.map", "application/json; charset=utf-8"},
      {"logo.svg", "image/svg+xml"},
      {"a.png", "image/png"},
      {"a.jpg", "image/jpeg"},
      {"a.jpeg", "image/jpeg"},
      {"a.gif", "image/gif"},
      {"a.webp", "image/webp"},
      {"favicon.ico", "image/x-icon"},
      {"f.woff", "font/woff"},
      {"f.woff2", "font/woff2"},
      {"f.ttf", "font/ttf"},
      {"robots.txt", "text/plain; charset=utf-8"},
      {"m.wasm", "application/wasm"},
      {"form.pdf", "application/pdf"},
      {"export.csv", "text/csv; charset=utf-8"},
      {"archive.tar.gz", "application/octet-stream"},
      {"README", "application/octet-stream"},
      {"dir/noext", "application/octet-stream"},
      {"app.exe", "application/octet-stream"},
  };
  for (const auto& row : rows) EXPECT_EQ(content_type_for(row.file), row.expected) << row.file;
}

TEST_F(StaticFilesTest, ServesFilesIndexesAndTheSpaFallback) {
  struct Row {
    std::string path;
    std::optional<std::string> body;  // nullopt: not answered
    std::string content_type;
  };
  const std::string html = "text/html; charset=utf-8";
  const std::string js = "text/javascript; charset=utf-8";
  const std::vector<Row> rows = {
      {"/", kIndex, html},
      {"", kIndex, html},
      {"/index.html", kIndex, html},
      {"/app.js", kAppJs, js},
      {"/assets/app-3f9a1c.js", kAppJs, js},
      {"/docs", kDocsIndex, html},  // a directory serves its index
      {"/docs/", kDocsIndex, html},
      {"/docs/index.html", kDocsIndex, html},
      {"/%E6%9D%AD%E5%B7%9E.txt", "hangzhou", "text/plain; charset=utf-8"},
      {"/a%20b.txt", "spaced", "text/plain; charset=utf-8"},
      {"/link-in", kIndex, html},  // a symlink that stays inside the root
      // Client-side routes (no extension) fall back to the app's index.
      {"/cases/42/edit", kIndex, html},
      {"/empty-dir", kIndex, html},  // a directory without an index
      {"/docs/missing", kIndex, html},
      {"/apix", kIndex, html},  // only /api itself and /api/... are reserved
      // A missing file with an extension is a real 404, not the app.
      {"/missing.js", std::nullopt, ""},
      {"/assets/app-000000.js", std::nullopt, ""},
      {"/docs/missing.css", std::nullopt, ""},
      // The API is never answered here.
      {"/api", std::nullopt, ""},
      {"/api/", std::nullopt, ""},
      {"/api/orgs", std::nullopt, ""},
      {"/%zz", std::nullopt, ""},  // a malformed escape
  };
  StaticFiles files(root_);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.path);
    auto res = files.serve(request_for(row.path));
    if (!row.body) {
      EXPECT_FALSE(res) << "answered with " << res->body;
      continue;
    }
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, *row.body);
    EXPECT_EQ(header(*res, "Content-Type"), row.content_type);
    EXPECT_EQ(header(*res, "X-Content-Type-Options"), "nosniff");
  }
}

// A browser navigating to an app address with a dot in its last segment (a catalog
// resource code) gets the app; a script or stylesheet asked for by that name does not,
// and hashed assets never do.
TEST_F(StaticFilesTest, NavigationsToDottedAppAddressesGetTheApp) {
  StaticFiles files(root_);
  const std::vector<std::pair<std::string, std::string>> browser{{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}};
  const std::vector<std::pair<std::string, std::string>> script{{"Accept", "*/*"}};
  auto page = files.serve(request_for("/workbench/catalog/gaj.population", browser));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body, kIndex);
  EXPECT_FALSE(files.serve(request_for("/workbench/catalog/gaj.population", script)));
  EXPECT_FALSE(files.serve(request_for("/missing.js", script)));
  EXPECT_FALSE(files.serve(request_for("/assets/app-000000.js", browser))) << "never the app for an asset";
  auto existing = files.serve(request_for("/app.js", browser));
  ASSERT_TRUE(existing);
  EXPECT_EQ(existing->body, kAppJs) << "a file that exists is served as itself";
}

TEST_F(StaticFilesTest, OnlyGetAndHeadAreAnswered) {
  struct Row {
    Method method;
    bool answered;
  };
  const std::vector<Row> rows = {
      {Method::get, true},      {Method::head, true},     {Method::post, false},  {Method::put, false},
      {Method::delete_, false}, {Method::options, false}, {Method::other, false},
  };
  StaticFiles files(root_);
  for (const auto& row : rows) {
    auto res = files.serve(request_for("/app.js", {}, row.method));
    EXPECT_EQ(res.has_value(), row.answered) << to_string(row.method);
  }
}

TEST_F(StaticFilesTest, NothingOutsideTheRootOrHiddenIsServed) {
  enum class Outcome { refused, app_index };
  struct Row {
    std::string path;
    Outcome outcome;
  };
  const std::vector<Row> rows = {
      {"/../secret.txt", Outcome::refused},
      {"/..", Outcome::refused},
      {"/assets/../../secret.txt", Outcome::refused},
      {"/assets/../index.html", Outcome::refused},  // ".." is refused even when it stays inside
      {"/%2e%2e/secret.txt", Outcome::refused},
      {"/%2E%2E/secret.txt", Outcome::refused},
      {"/..%2fsecret.txt", Outcome::refused},
      {"/%2e%2e%2fsecret.txt", Outcome::refused},
      {"/..%5csecret.txt", Outcome::refused},
      {"/assets\\..\\..\\secret.txt", Outcome::refused},
      {"/%5c..%5csecret.txt", Outcome::refused},
      {"/index.html%00.js", Outcome::refused},
      {"/%00", Outcome::refused},
      {"/./index.html", Outcome::refused},
      {"/.env", Outcome::refused},
      {"/%2eenv", Outcome::refused},
      {"/.git/config", Outcome::refused},
      {"/assets/.env", Outcome::refused},
      {"/...", Outcome::refused},
      {"/link-out", Outcome::refused},  // symlink to a file outside the root
      // Not traversal at all: a literal name that does not exist, so the app answers.
      {"/%252e%252e/secret", Outcome::app_index},
      {"//secret", Outcome::app_index},
      {"/web-private/secret", Outcome::app_index},
  };
  StaticFiles files(root_);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.path);
    auto res = files.serve(request_for(row.path));
    if (row.outcome == Outcome::refused) {
      EXPECT_FALSE(res) << "served " << res->body;
    } else {
      ASSERT_TRUE(res);
      EXPECT_EQ(res->body, kIndex);
    }
  }
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndTheRestRevalidated) {
  struct Row {
    std::string path;
    std::string cache_control;
  };
  const std::vector<Row> rows = {
      {"/assets/app-3f9a1c.js", "public, max-age=31536000, immutable"},
      {"/app.js", "no-cache"},
      {"/", "no-cache"},
      {"/cases/42", "no-cache"},  // the SPA fallback must never be cached for long
      {"/docs/", "no-cache"},
  };
  StaticFiles files(root_);
  for (const auto& row : rows) {
    auto res = files.serve(request_for(row.path));
    ASSERT_TRUE(res) << row.path;
    EXPECT_EQ(header(*res, "Cache-Control"), row.cache_control) << row.path;
  }
}

TEST_F(StaticFilesTest, IfNoneMatchAnswers304) {
  StaticFiles files(root_);
  auto first = files.serve(request_for("/app.js"));
  ASSERT_TRUE(first);
  auto etag_header = header(*first, "ETag");
  ASSERT_TRUE(etag_header);
  const std::string etag = *etag_header;
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  const std::string bare = etag.substr(1, etag.size() - 2);

  struct Row {
    std::string if_none_match;
    int status;
  };
  const std::vector<Row> rows = {
      {etag, 304},
      {"W/" + etag, 304},  // weak comparison (RFC 9110 §13.1.2)
      {"\"other\", " + etag, 304},
      {etag + ",\"other\"", 304},
      {"\"a\",\"b\" ,  " + etag + "  , \"c\"", 304},
      {" " + etag + " ", 304},
      {"*", 304},
      {"\"other\"", 200},
      {"W/\"other\"", 200},
      {bare, 200},  // an unquoted tag is not the same tag
      {"\"" + bare + "-gz\"", 200},
      {"", 200},
      {",", 200},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE("If-None-Match: " + row.if_none_match);
    auto res = files.serve(request_for("/app.js", {{"If-None-Match", row.if_none_match}}));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, row.status);
    EXPECT_EQ(header(*res, "ETag"), etag);
    EXPECT_EQ(res->body, row.status == 304 ? "" : kAppJs);
  }
}

TEST_F(StaticFilesTest, GzipSiblingIsChosenWhenAccepted) {
  struct Row {
    std::optional<std::string> accept_encoding;
    bool gzip;
  };
  const std::vector<Row> rows = {
      {std::nullopt, false}, {"gzip", true},          {"gzip, deflate, br", true}, {"br;q=1.0, gzip;q=0.8", true},
      {"gzip;q=0.5", true},  {"gzip;q=1", true},      {"gzip;q=0", false},  // an explicit refusal
      {"gzip; q=0", false},  {"br, gzip;q=0", false}, {"gzip;q=0, br", false},     {"deflate", false},
      {"br", false},         {"identity", false},
  };
  StaticFiles files(root_);
  auto plain = files.serve(request_for("/big.js"));
  ASSERT_TRUE(plain);
  const std::string plain_etag = *header(*plain, "ETag");
  for (const auto& row : rows) {
    SCOPED_TRACE("Accept-Encoding: " + row.accept_encoding.value_or("(none)"));
    std::vector<std::pair<std::string, std::string>> headers;
    if (row.accept_encoding) headers.emplace_back("Accept-Encoding", *row.accept_encoding);
    auto res = files.serve(request_for("/big.js", headers));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, row.gzip ? std::string(kBigJsGz) : big_js());
    EXPECT_EQ(header(*res, "Content-Encoding"), row.gzip ? std::optional<std::string>("gzip") : std::nullopt);
    // The media type is the original file's, whichever encoding is sent.
    EXPECT_EQ(header(*res, "Content-Type"), "text/javascript; charset=utf-8");
    // Caches must key on Accept-Encoding whenever a sibling exists.
    EXPECT_EQ(header(*res, "Vary"), "Accept-Encoding");
    auto etag = header(*res, "ETag");
    ASSERT_TRUE(etag);
    if (row.gzip) {
      EXPECT_NE(*etag, plain_etag);  // two representations, two tags
      EXPECT_TRUE(etag->ends_with("-gz\"")) << *etag;
    } else {
      EXPECT_EQ(*etag, plain_etag);
    }
  }
}

TEST_F(StaticFilesTest, GzipTagsValidateOnlyTheGzipRepresentation) {
  StaticFiles files(root_);
  auto gz = files.serve(request_for("/big.js", {{"Accept-Encoding", "gzip"}}));
  auto plain = files.serve(request_for("/big.js"));
  ASSERT_TRUE(gz && plain);
  struct Row {
    std::string accept_encoding;
    std::string if_none_match;
    int status;
  };
  const std::vector<Row> rows = {
      {"gzip", *header(*gz, "ETag"), 304},
      {"gzip", *header(*plain, "ETag"), 200},
      {"identity", *header(*plain, "ETag"), 304},
      {"identity", *header(*gz, "ETag"), 200},
  };
  for (const auto& row : rows) {
    auto res = files.serve(
        request_for("/big.js", {{"Accept-Encoding", row.accept_encoding}, {"If-None-Match", row.if_none_match}}));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, row.status) << row.accept_encoding << " / " << row.if_none_match;
  }
}

TEST_F(StaticFilesTest, NoSiblingMeansNoEncodingAndNoVary) {
  StaticFiles files(root_);
  auto res = files.serve(request_for("/app.js", {{"Accept-Encoding", "gzip"}}));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, kAppJs);
  EXPECT_FALSE(header(*res, "Content-Encoding"));
  EXPECT_FALSE(header(*res, "Vary"));
}

TEST_F(StaticFilesTest, ChangedFileIsReadAgain) {
  StaticFiles files(root_);
  auto before = files.serve(request_for("/app.js"));
  ASSERT_TRUE(before);
  ASSERT_EQ(before->body, kAppJs);
  const std::string old_etag = *header(*before, "ETag");

  const std::string rewritten = "console.log('a longer second version of the app');";
  ASSERT_NE(rewritten.size(), std::string_view(kAppJs).size());
  write(root_ / "app.js", rewritten);

  auto after = files.serve(request_for("/app.js"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, rewritten);
  EXPECT_NE(*header(*after, "ETag"), old_etag);
  // The old tag no longer validates.
  auto revalidated = files.serve(request_for("/app.js", {{"If-None-Match", old_etag}}));
  ASSERT_TRUE(revalidated);
  EXPECT_EQ(revalidated->status, 200);
  EXPECT_EQ(revalidated->body, rewritten);
}

TEST_F(StaticFilesTest, NewAndRemovedFilesAreNoticed) {
  StaticFiles files(root_);
  EXPECT_FALSE(files.serve(request_for("/late.js")));
  write(root_ / "late.js", "late");
  auto res = files.serve(request_for("/late.js"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "late");
  fs::remove(root_ / "late.js");
  EXPECT_FALSE(files.serve(request_for("/late.js")));
}

TEST(StaticFilesRootTest, MissingRootAnswersNothing) {
  zhengwu::testing::TempDir dir;
  StaticFiles files(dir.path() / "not-built-yet");
  for (std::string path : {"/", "/index.html", "/cases/1"}) EXPECT_FALSE(files.serve(request_for(path))) << path;
}

TEST(StaticFilesRootTest, RootIsCanonical) {
  zhengwu::testing::TempDir dir;
  write(dir.path() / "web" / "index.html", kIndex);
  StaticFiles files(dir.path() / "web" / "." / ".." / "web");
  EXPECT_EQ(files.root(), fs::canonical(dir.path() / "web"));
  auto res = files.serve(request_for("/"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, kIndex);
}

// Confinement compares path components: a symlink into a sibling directory whose name
// begins with the root's ("web" → "web-private") is not followed.
TEST_F(StaticFilesTest, SymlinkIntoSiblingWithRootPrefixIsRefused) {
  fs::create_symlink(dir_.path() / "web-private" / "secret.txt", root_ / "link-sibling");
  fs::create_symlink(dir_.path() / "web-private", root_ / "link-dir");
  StaticFiles files(root_);
  for (std::string path : {"/link-sibling", "/link-dir/secret.txt"}) {
    auto res = files.serve(request_for(path));
    EXPECT_FALSE(res && res->body == kSecret) << path << " served a file outside the root";
  }
}

// `q=0.0`, `q=0.00` refuse gzip like `q=0` (RFC 9110 §12.4.2).
TEST_F(StaticFilesTest, GzipQZeroWithDecimalsIsARefusal) {
  StaticFiles files(root_);
  for (std::string ae : {"gzip;q=0.0", "gzip;q=0.00", "gzip;q=0.000"}) {
    auto res = files.serve(request_for("/big.js", {{"Accept-Encoding", ae}}));
    ASSERT_TRUE(res) << ae;
    EXPECT_FALSE(header(*res, "Content-Encoding")) << ae;
    EXPECT_EQ(res->body, big_js()) << ae;
  }
}

}  // namespace
}  // namespace zhengwu::http
