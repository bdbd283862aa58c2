// Route matching: literals over parameters, decoded parameters, 405 method lists, template checks, body limits.
#include "kernel/http/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace zhengwu::http {
namespace {

using Params = std::map<std::string, std::string, std::less<>>;

Route route(Method method, std::string path, std::optional<std::size_t> body_limit = std::nullopt) {
  Route r;
  r.method = method;
  r.path = std::move(path);
  r.handler = [](Request&) { return Response::empty(204); };
  r.body_limit = body_limit;
  return r;
}

std::vector<Method> sorted(std::vector<Method> methods) {
  std::sort(methods.begin(), methods.end());
  return methods;
}

std::string names(const std::vector<Method>& methods) {
  std::string out;
  for (auto m : methods) out += std::string(to_string(m)) + " ";
  return out;
}

constexpr std::size_t kUploadLimit = 100u << 20;

// The organisation routes of the platform, in the order a module would add them.
Router org_router() {
  Router r;
  r.add(route(Method::get, "/"));
  r.add(route(Method::get, "/healthz"));
  r.add(route(Method::get, "/api/orgs"));
  r.add(route(Method::post, "/api/orgs"));
  r.add(route(Method::get, "/api/orgs/tree"));
  r.add(route(Method::get, "/api/orgs/{id}"));
  r.add(route(Method::put, "/api/orgs/{id}"));
  r.add(route(Method::delete_, "/api/orgs/{id}"));
  r.add(route(Method::get, "/api/orgs/{id}/members/{user}"));
  auto upload = route(Method::post, "/api/files", kUploadLimit);
  upload.spool_body = true;
  r.add(std::move(upload));
  return r;
}

TEST(RouterTest, MatchesTemplatesAndDecodesParameters) {
  struct Row {
    Method method;
    std::string path;
    std::optional<std::string> template_;  // nullopt: no route for this method
    Params params;
  };
  const std::vector<Row> rows = {
      {Method::get, "/", "/", {}},
      {Method::get, "/healthz", "/healthz", {}},
      {Method::get, "/api/orgs", "/api/orgs", {}},
      {Method::post, "/api/orgs", "/api/orgs", {}},
      {Method::get, "/api/orgs/tree", "/api/orgs/tree", {}},
      {Method::get, "/api/orgs/42", "/api/orgs/{id}", {{"id", "42"}}},
      {Method::put, "/api/orgs/42", "/api/orgs/{id}", {{"id", "42"}}},
      {Method::put, "/api/orgs/tree", "/api/orgs/{id}", {{"id", "tree"}}},  // no literal PUT route
      {Method::get, "/api/orgs/%E6%9D%AD%E5%B7%9E", "/api/orgs/{id}", {{"id", "杭州"}}},
      {Method::get, "/api/orgs/%e6%9d%ad", "/api/orgs/{id}", {{"id", "杭"}}},
      {Method::get, "/api/orgs/a%2Fb", "/api/orgs/{id}", {{"id", "a/b"}}},  // an encoded slash stays in the segment
      {Method::get, "/api/orgs/a+b", "/api/orgs/{id}", {{"id", "a+b"}}},    // '+' is not a space in a path
      {Method::get, "/api/orgs/a%20b", "/api/orgs/{id}", {{"id", "a b"}}},
      {Method::get, "/api/orgs/7/members/u%401", "/api/orgs/{id}/members/{user}", {{"id", "7"}, {"user", "u@1"}}},
      {Method::get, "/api/orgs/%74ree", "/api/orgs/{id}", {{"id", "tree"}}},  // literals compare undecoded
      // Nothing matches:
      {Method::get, "/api/orgs/%zz", std::nullopt, {}},          // malformed escape
      {Method::get, "/api/orgs/abc%", std::nullopt, {}},         // truncated escape
      {Method::get, "/api/orgs/abc%4", std::nullopt, {}},        // truncated escape
      {Method::get, "/api/orgs/", std::nullopt, {}},             // trailing slash: an empty parameter
      {Method::get, "/healthz/", std::nullopt, {}},              // trailing slash after a literal
      {Method::get, "/api//orgs", std::nullopt, {}},             // empty segment
      {Method::get, "/api/orgs//members/u1", std::nullopt, {}},  // empty parameter in the middle
      {Method::get, "/api/orgs/7/members/", std::nullopt, {}},
      {Method::get, "/API/orgs", std::nullopt, {}},  // literals are case-sensitive
      {Method::get, "/api/orgs/7/extra", std::nullopt, {}},
      {Method::get, "/api", std::nullopt, {}},
      {Method::get, "", std::nullopt, {}},
      {Method::get, "api/orgs", std::nullopt, {}},  // not an origin-form path
      {Method::get, "/api/files", std::nullopt, {}},
  };
  Router router = org_router();
  for (const auto& row : rows) {
    auto m = router.match(row.method, row.path);
    SCOPED_TRACE(std::string(to_string(row.method)) + " " + row.path);
    if (!row.template_) {
      EXPECT_EQ(m.route, nullptr) << "matched " << m.route->path;
      continue;
    }
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->path, *row.template_);
    EXPECT_EQ(m.route->method, row.method);
    EXPECT_EQ(m.params, row.params);
  }
}

TEST(RouterTest, LiteralSegmentWinsWhateverTheRegistrationOrder) {
  struct Row {
    std::vector<std::string> templates;  // in the order added
    std::string path;
    std::string expected;
  };
  const std::vector<Row> rows = {
      {{"/api/orgs/tree", "/api/orgs/{id}"}, "/api/orgs/tree", "/api/orgs/tree"},
      {{"/api/orgs/{id}", "/api/orgs/tree"}, "/api/orgs/tree", "/api/orgs/tree"},
      {{"/api/orgs/{id}", "/api/orgs/tree"}, "/api/orgs/trees", "/api/orgs/{id}"},
      {{"/a/{x}/{y}", "/a/{x}/c", "/a/b/c"}, "/a/b/c", "/a/b/c"},
      {{"/a/b/c", "/a/{x}/c", "/a/{x}/{y}"}, "/a/z/c", "/a/{x}/c"},
      {{"/a/{x}/{y}", "/a/{x}/c"}, "/a/z/d", "/a/{x}/{y}"},
  };
  for (const auto& row : rows) {
    Router router;
    for (const auto& t : row.templates) router.add(route(Method::get, t));
    auto m = router.match(Method::get, row.path);
    ASSERT_NE(m.route, nullptr) << row.path;
    EXPECT_EQ(m.route->path, row.expected) << row.path << " with " << row.templates.front() << " added first";
  }
}

TEST(RouterTest, AllowedListsTheMethodsOfEveryTemplateThatFitsThePath) {
  struct Row {
    Method method;
    std::string path;
    bool routed;
    std::vector<Method> allowed;
  };
  const std::vector<Row> rows = {
      // 405 cases: the path fits, the method does not.
      {Method::post, "/api/orgs/42", false, {Method::get, Method::put, Method::delete_}},
      {Method::patch, "/api/orgs", false, {Method::get, Method::post}},
      {Method::delete_, "/healthz", false, {Method::get}},
      {Method::get, "/api/files", false, {Method::post}},
      {Method::post, "/api/orgs/7/members/u1", false, {Method::get}},
      // Routed: the method itself is included, for OPTIONS answers.
      {Method::post, "/api/orgs", true, {Method::get, Method::post}},
      {Method::get, "/healthz", true, {Method::get}},
      {Method::put, "/api/orgs/tree", true, {Method::get, Method::put, Method::delete_}},
      // 404 cases: no template fits, so nothing is allowed.
      {Method::get, "/nowhere", false, {}},
      {Method::post, "/api/orgs/%zz", false, {}},
      {Method::delete_, "/healthz/", false, {}},
  };
  Router router = org_router();
  for (const auto& row : rows) {
    auto m = router.match(row.method, row.path);
    SCOPED_TRACE(std::string(to_string(row.method)) + " " + row.path);
    EXPECT_EQ(m.route != nullptr, row.routed);
    EXPECT_EQ(sorted(m.allowed), sorted(row.allowed)) << "got " << names(m.allowed);
    // No method is listed twice.
    auto s = sorted(m.allowed);
    EXPECT_EQ(std::adjacent_find(s.begin(), s.end()), s.end()) << "got " << names(m.allowed);
  }
}

TEST(RouterTest, MalformedTemplatesAreRefused) {
  struct Row {
    std::string path;
    std::string message_part;
  };
  const std::vector<Row> rows = {
      {"", "must start with '/'"},
      {"api/orgs", "must start with '/'"},
      {"{id}", "must start with '/'"},
      {"/api/{id", "malformed parameter segment in /api/{id"},
      {"/api/{}", "malformed parameter segment"},
      {"/api/{id}x", "malformed parameter segment"},
      {"/api/x{id}", "malformed parameter segment"},
      {"/api/{id}/{", "malformed parameter segment"},
  };
  for (const auto& row : rows) {
    Router router;
    try {
      router.add(route(Method::get, row.path));
      ADD_FAILURE() << "accepted '" << row.path << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(row.message_part), std::string::npos)
          << "'" << row.path << "': " << e.what();
    }
    EXPECT_TRUE(router.routes().empty()) << row.path;
  }
}

TEST(RouterTest, RouteWithoutHandlerIsRefused) {
  Router router;
  Route r;
  r.path = "/api/x";
  EXPECT_THROW(router.add(std::move(r)), std::invalid_argument);
  EXPECT_TRUE(router.routes().empty());
}

TEST(RouterTest, DuplicatesAreRefusedAndNearMissesAccepted) {
  struct Row {
    Route second;
    bool duplicate;
  };
  // Each row is added after GET /api/orgs/{id}.
  const std::vector<Row> rows = {
      {route(Method::get, "/api/orgs/{id}"), true},
      {route(Method::get, "/api/orgs/{org}"), true},  // same shape, other parameter name
      {route(Method::put, "/api/orgs/{id}"), false},
      {route(Method::get, "/api/orgs/tree"), false},
      {route(Method::get, "/api/orgs"), false},
      {route(Method::get, "/api/orgs/{id}/members"), false},
      {route(Method::get, "/api/units/{id}"), false},
  };
  for (const auto& row : rows) {
    Router router;
    router.add(route(Method::get, "/api/orgs/{id}"));
    std::string label = std::string(to_string(row.second.method)) + " " + row.second.path;
    if (row.duplicate) {
      try {
        router.add(row.second);
        ADD_FAILURE() << "accepted duplicate " << label;
      } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("duplicate route " + label), std::string::npos) << e.what();
      }
      EXPECT_EQ(router.routes().size(), 1u) << label;
    } else {
      EXPECT_NO_THROW(router.add(row.second)) << label;
      EXPECT_EQ(router.routes().size(), 2u) << label;
    }
  }
}

TEST(RouterTest, BodyLimitComesFromTheMatchedRoute) {
  struct Row {
    Method method;
    std::string path;
    std::optional<std::size_t> expected;
  };
  const std::vector<Row> rows = {
      {Method::post, "/api/files", kUploadLimit},
      {Method::post, "/api/orgs", std::nullopt},    // a route without its own limit
      {Method::get, "/api/files", std::nullopt},    // no route for the method
      {Method::post, "/api/files/", std::nullopt},  // no route for the path
      {Method::post, "/nowhere", std::nullopt},
  };
  Router router = org_router();
  for (const auto& row : rows) {
    EXPECT_EQ(router.body_limit(row.method, row.path), row.expected) << to_string(row.method) << " " << row.path;
    // The upload route also spools its body to disk; no other does.
    EXPECT_EQ(router.spools_body(row.method, row.path), row.expected.has_value())
        << to_string(row.method) << " " << row.path;
  }
}

}  // namespace
}  // namespace zhengwu::http
