// The dispatcher without a server: request ids, 404/405/OPTIONS/HEAD, errors, guard, middleware, CORS, limits, metrics.
#include "kernel/http/dispatcher.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kernel/db/database.hpp"
#include "kernel/http/static_files.hpp"
#include "kernel/metrics.hpp"
#include "kernel/problem.hpp"
#include "support/server_process.hpp"

namespace zhengwu::http {
namespace {

namespace json = boost::json;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

Request make_request(Method method, const std::string& target, const HeaderList& headers = {},
                     std::string remote = "192.0.2.10") {
  Request req;
  req.method = method;
  req.target = target;
  auto q = target.find('?');
  req.path = target.substr(0, q);
  req.query_text = q == std::string::npos ? "" : target.substr(q + 1);
  for (const auto& [k, v] : headers) req.headers.add(k, v);
  req.remote_address = std::move(remote);
  return req;
}

std::optional<std::string> header(const Response& res, std::string_view name) {
  auto v = res.headers.get(name);
  return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
}

Route route(Method method, std::string path, Handler handler) {
  Route r;
  r.method = method;
  r.path = std::move(path);
  r.handler = std::move(handler);
  return r;
}

// A small API: an item resource, a collection that only takes POST, a health probe, and a
// route whose handler fails in the way its `{kind}` names.
Router demo_router() {
  Router router;
  router.add(route(Method::get, "/api/items/{id}",
                   [](Request& req) { return Response::text("item " + std::string(req.param("id"))); }));
  router.add(route(Method::post, "/api/items", [](Request&) { return Response::json(R"({"id":1})", 201); }));
  Route health = route(Method::get, "/healthz", [](Request&) { return Response::text("ok"); });
  health.infrastructure = true;
  router.add(std::move(health));
  Route metrics = route(Method::get, "/metrics", [](Request&) { return Response::text("metrics"); });
  metrics.infrastructure = true;
  router.add(std::move(metrics));
  router.add(route(Method::get, "/api/fail/{kind}", [](Request& req) -> Response {
    auto kind = req.param("kind");
    if (kind == "not-found") throw Problem(Error::not_found("no item 9"));
    if (kind == "invalid") throw Problem(Error::invalid("days", "must be positive"));
    if (kind == "conflict") throw Problem(Error::conflict("already submitted"));
    if (kind == "busy") throw db::Error(db::Error::Kind::busy, "database is locked");
    if (kind == "constraint") throw db::Error(db::Error::Kind::constraint, "UNIQUE failed: users.password_hash");
    if (kind == "runtime") throw std::runtime_error("secret connection string postgres://admin:hunter2@db");
    return Response::text("did not fail");
  }));
  return router;
}

DispatcherOptions quiet(std::vector<std::string> cors = {}) {
  DispatcherOptions o;
  o.cors_origins = std::move(cors);
  o.access_log = false;
  return o;
}

json::object problem_body(const Response& res) {
  return json::parse(res.body).as_object();
}

bool is_hex_id(const std::string& id) {
  return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

class DispatcherTest : public ::testing::Test {
 protected:
  Router router_ = demo_router();
  Metrics metrics_;
};

TEST_F(DispatcherTest, RequestIdIsEchoedWhenValidAndGeneratedOtherwise) {
  struct Row {
    std::optional<std::string> incoming;
    bool echoed;
  };
  const std::vector<Row> rows = {
      {std::nullopt, false},
      {"abc-123_x.y", true},
      {"0123456789abcdef", true},
      {std::string(128, 'a'), true},
      {std::string(129, 'a'), false},
      {"", false},
      {"has space", false},
      {"<script>", false},
      {"a/b", false},
      {"id\r\nX-Evil: 1", false},
      {"杭州", false},
  };
  Dispatcher d(router_, metrics_, quiet());
  for (const auto& row : rows) {
    HeaderList headers;
    if (row.incoming) headers.emplace_back("X-Request-Id", *row.incoming);
    auto req = make_request(Method::get, "/api/items/1", headers);
    auto res = d.handle(req);
    auto id = header(res, "X-Request-Id");
    ASSERT_TRUE(id) << row.incoming.value_or("(none)");
    EXPECT_EQ(*id, req.request_id);
    if (row.echoed) {
      EXPECT_EQ(*id, *row.incoming);
    } else {
      EXPECT_TRUE(is_hex_id(*id)) << "generated id '" << *id << "' for " << row.incoming.value_or("(none)");
    }
  }
}

TEST_F(DispatcherTest, GeneratedRequestIdsDiffer) {
  Dispatcher d(router_, metrics_, quiet());
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto req = make_request(Method::get, "/api/items/1");
    ids.insert(*header(d.handle(req), "X-Request-Id"));
  }
  EXPECT_EQ(ids.size(), 50u);
}

// Generated ids begin with the time in milliseconds (hex), so that ids made later sort
// later (the audit log's request-id index takes them at its end).
TEST_F(DispatcherTest, GeneratedRequestIdsGrowWithTime) {
  Dispatcher d(router_, metrics_, quiet());
  auto next_id = [&] {
    auto req = make_request(Method::get, "/api/items/1");
    return *header(d.handle(req), "X-Request-Id");
  };
  auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const auto before = now_ms();
  std::string previous = next_id();
  const auto after = now_ms();
  const auto stamped = std::stoll(previous.substr(0, 11), nullptr, 16);
  EXPECT_GE(stamped, before) << previous;
  EXPECT_LE(stamped, after) << previous;
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::string id = next_id();
    EXPECT_EQ(id.size(), 16u);
    EXPECT_LT(previous, id);
    previous = id;
  }
}

TEST_F(DispatcherTest, RoutesAndAnswers404405OptionsAndHead) {
  struct Row {
    Method method;
    std::string target;
    int status;
    std::optional<std::string> allow;
    std::string body_part;  // empty: the body must be empty
  };
  const std::vector<Row> rows = {
      {Method::get, "/api/items/7", 200, std::nullopt, "item 7"},
      {Method::get, "/api/items/%E6%9D%AD?x=1", 200, std::nullopt, "item 杭"},
      {Method::head, "/api/items/7", 200, std::nullopt, "item 7"},  // HEAD runs the GET handler
      {Method::post, "/api/items", 201, std::nullopt, R"({"id":1})"},
      {Method::delete_, "/api/items/7", 405, "GET, HEAD, OPTIONS", "DELETE is not allowed on /api/items/7"},
      {Method::put, "/api/items/7", 405, "GET, HEAD, OPTIONS", "PUT is not allowed"},
      {Method::get, "/api/items", 405, "POST, OPTIONS", "GET is not allowed on /api/items"},
      {Method::head, "/api/items", 405, "POST, OPTIONS", "HEAD is not allowed"},
      {Method::options, "/api/items/7", 204, "GET, HEAD, OPTIONS", ""},
      {Method::options, "/api/items", 204, "POST, OPTIONS", ""},
      {Method::options, "/nowhere", 404, std::nullopt, "no such resource: /nowhere"},
      {Method::get, "/nowhere", 404, std::nullopt, "no such resource: /nowhere"},
      {Method::post, "/nowhere", 404, std::nullopt, "no such resource"},
      {Method::get, "/api/items/%zz", 404, std::nullopt, "no such resource"},
      {Method::get, "/api/items/", 404, std::nullopt, "no such resource"},
  };
  Dispatcher d(router_, metrics_, quiet());
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(to_string(row.method)) + " " + row.target);
    auto req = make_request(row.method, row.target);
    auto res = d.handle(req);
    EXPECT_EQ(res.status, row.status);
    EXPECT_EQ(header(res, "Allow"), row.allow);
    if (row.body_part.empty()) {
      EXPECT_EQ(res.body, "");
    } else {
      EXPECT_NE(res.body.find(row.body_part), std::string::npos) << res.body;
    }
    if (row.status >= 400) {
      EXPECT_EQ(header(res, "Content-Type"), "application/problem+json; charset=utf-8");
      EXPECT_EQ(problem_body(res).at("status").as_int64(), row.status);
    }
    EXPECT_EQ(header(res, "X-Content-Type-Options"), "nosniff");
  }
}

TEST_F(DispatcherTest, HandlerFailuresBecomeProblems) {
  struct Row {
    std::string kind;
    int status;
    std::optional<std::string> retry_after;
    std::string detail_part;
    std::string must_not_contain;  // internal text that must never reach the client
    bool has_errors;
  };
  const std::vector<Row> rows = {
      {"not-found", 404, std::nullopt, "no item 9", "", false},
      {"invalid", 400, std::nullopt, "days: must be positive", "", true},
      {"conflict", 409, std::nullopt, "already submitted", "", false},
      {"busy", 503, "1", "the database is busy", "locked", false},
      {"constraint", 500, std::nullopt, "internal error (request ", "password_hash", false},
      {"runtime", 500, std::nullopt, "internal error (request ", "hunter2", false},
  };
  Dispatcher d(router_, metrics_, quiet());
  for (const auto& row : rows) {
    SCOPED_TRACE(row.kind);
    auto req = make_request(Method::get, "/api/fail/" + row.kind);
    auto res = d.handle(req);
    EXPECT_EQ(res.status, row.status);
    EXPECT_EQ(header(res, "Retry-After"), row.retry_after);
    EXPECT_EQ(header(res, "Content-Type"), "application/problem+json; charset=utf-8");
    EXPECT_TRUE(header(res, "X-Request-Id"));
    auto body = problem_body(res);
    EXPECT_EQ(body.at("status").as_int64(), row.status);
    std::string detail(body.at("detail").as_string());
    EXPECT_NE(detail.find(row.detail_part), std::string::npos) << detail;
    if (!row.must_not_contain.empty()) {
      EXPECT_EQ(res.body.find(row.must_not_contain), std::string::npos) << res.body;
    }
    if (row.status == 500) {
      // The reply names the request id so that an operator can find the log line.
      EXPECT_NE(detail.find(req.request_id), std::string::npos) << detail;
    }
    EXPECT_EQ(body.contains("errors"), row.has_errors);
  }
}

TEST_F(DispatcherTest, GuardRefusesNonInfrastructureRoutes) {
  struct Row {
    Method method;
    std::string target;
    bool signed_in;
    int status;
    bool guard_consulted;
  };
  const std::vector<Row> rows = {
      {Method::get, "/api/items/3", false, 401, true},      {Method::get, "/api/items/3", true, 200, true},
      {Method::head, "/api/items/3", false, 401, true},     {Method::post, "/api/items", false, 401, true},
      {Method::get, "/healthz", false, 200, false},  // infrastructure: never guarded
      {Method::get, "/nowhere", false, 404, false},  // no route: nothing to guard
      {Method::delete_, "/api/items/3", false, 405, false},
  };
  std::vector<std::string> consulted;
  Dispatcher d(router_, metrics_, quiet());
  d.set_guard([&](Request& req, const Route& r) -> std::optional<Response> {
    // The guard sees the matched route and its decoded parameters.
    consulted.push_back(r.path + " id=" + std::string(req.param("id")));
    if (req.header("Authorization")) return std::nullopt;
    return problem(Error{ErrorCode::unauthorized, "sign in first", {}});
  });
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(to_string(row.method)) + " " + row.target);
    consulted.clear();
    HeaderList headers;
    if (row.signed_in) headers.emplace_back("Authorization", "Bearer t");
    auto req = make_request(row.method, row.target, headers);
    auto res = d.handle(req);
    EXPECT_EQ(res.status, row.status);
    EXPECT_EQ(!consulted.empty(), row.guard_consulted);
    if (row.target == "/api/items/3" && row.guard_consulted) {
      ASSERT_EQ(consulted.size(), 1u);
      EXPECT_EQ(consulted[0], "/api/items/{id} id=3");
    }
  }
}

TEST_F(DispatcherTest, MiddlewareRunsInTheOrderAddedAroundTheHandler) {
  std::vector<std::string> trace;
  Router router;
  router.add(route(Method::get, "/api/x", [&](Request&) {
    trace.emplace_back("handler");
    return Response::text("x");
  }));
  Dispatcher d(router, metrics_, quiet());
  for (std::string name : {"first", "second", "third"}) {
    d.use([&trace, name](Request& req, const Next& next) {
      trace.push_back(name + " before");
      auto res = next(req);
      trace.push_back(name + " after");
      res.headers.add("X-Trace", name);
      return res;
    });
  }
  auto req = make_request(Method::get, "/api/x");
  auto res = d.handle(req);
  const std::vector<std::string> expected = {"first before", "second before", "third before", "handler",
                                             "third after",  "second after",  "first after"};
  EXPECT_EQ(trace, expected);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(header(res, "X-Trace"), "third");  // the innermost middleware added its header first
}

TEST_F(DispatcherTest, MiddlewareCanShortCircuit) {
  struct Row {
    std::size_t refusing;  // index of the middleware that answers without calling next
    std::vector<std::string> expected_trace;
  };
  const std::vector<Row> rows = {
      {0, {"m0"}}, {1, {"m0", "m1"}}, {2, {"m0", "m1", "m2"}}, {3, {"m0", "m1", "m2", "handler"}},  // nobody refuses
  };
  for (const auto& row : rows) {
    std::vector<std::string> trace;
    Router router;
    router.add(route(Method::get, "/api/x", [&](Request&) {
      trace.emplace_back("handler");
      return Response::text("x");
    }));
    Dispatcher d(router, metrics_, quiet({"https://app.gov.cn"}));
    for (std::size_t i = 0; i < 3; ++i) {
      d.use([&trace, i, refusing = row.refusing](Request& req, const Next& next) {
        trace.push_back("m" + std::to_string(i));
        if (i == refusing) return problem(403, "refused by m" + std::to_string(i));
        return next(req);
      });
    }
    auto req = make_request(Method::get, "/api/x", {{"Origin", "https://app.gov.cn"}});
    auto res = d.handle(req);
    EXPECT_EQ(trace, row.expected_trace) << "refusing " << row.refusing;
    EXPECT_EQ(res.status, row.refusing < 3 ? 403 : 200);
    // Short-circuited answers still pass through the kernel's outer stages.
    EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "https://app.gov.cn");
    EXPECT_TRUE(header(res, "X-Request-Id"));
  }
}

TEST_F(DispatcherTest, CorsPreflightsAndOrigins) {
  struct Row {
    std::string what;
    std::vector<std::string> configured;
    Method method;
    std::string target;
    HeaderList headers;
    int status;
    std::optional<std::string> allow_origin;
    std::optional<std::string> allow_headers;  // preflight only
    bool handler_runs;
  };
  const std::string app = "https://app.gov.cn";
  const std::vector<Row> rows = {
      {"preflight from an allowed origin",
       {app},
       Method::options,
       "/api/items/1",
       {{"Origin", app}, {"Access-Control-Request-Method", "DELETE"}},
       204,
       app,
       "Authorization, Content-Type",
       false},
      {"preflight echoes requested headers",
       {app},
       Method::options,
       "/api/items/1",
       {{"Origin", app}, {"Access-Control-Request-Method", "GET"}, {"Access-Control-Request-Headers", "X-Custom"}},
       204,
       app,
       "X-Custom",
       false},
      {"preflight to an unknown path is still answered",
       {app},
       Method::options,
       "/nowhere",
       {{"Origin", app}, {"Access-Control-Request-Method", "GET"}},
       204,
       app,
       "Authorization, Content-Type",
       false},
      {"preflight from another origin is plain OPTIONS",
       {app},
       Method::options,
       "/api/items/1",
       {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}},
       204,
       std::nullopt,
       std::nullopt,
       false},
      {"OPTIONS without request method is not a preflight",
       {app},
       Method::options,
       "/api/items/1",
       {{"Origin", app}},
       204,
       app,
       std::nullopt,
       false},
      {"simple GET from an allowed origin",
       {app},
       Method::get,
       "/api/items/1",
       {{"Origin", app}},
       200,
       app,
       std::nullopt,
       true},
      {"GET from another origin",
       {app},
       Method::get,
       "/api/items/1",
       {{"Origin", "https://evil.example"}},
       200,
       std::nullopt,
       std::nullopt,
       true},
      {"origin must match exactly",
       {app},
       Method::get,
       "/api/items/1",
       {{"Origin", app + ".evil.example"}},
       200,
       std::nullopt,
       std::nullopt,
       true},
      {"origin prefix is not enough",
       {app},
       Method::get,
       "/api/items/1",
       {{"Origin", "https://app.gov"}},
       200,
       std::nullopt,
       std::nullopt,
       true},
      {"GET without Origin", {app}, Method::get, "/api/items/1", {}, 200, std::nullopt, std::nullopt, true},
      {"no CORS configured", {}, Method::get, "/api/items/1", {{"Origin", app}}, 200, std::nullopt, std::nullopt, true},
      {"wildcard echoes the origin",
       {"*"},
       Method::get,
       "/api/items/1",
       {{"Origin", "https://any.example"}},
       200,
       "https://any.example",
       std::nullopt,
       true},
      {"second configured origin",
       {"https://a.gov.cn", app},
       Method::get,
       "/api/items/1",
       {{"Origin", app}},
       200,
       app,
       std::nullopt,
       true},
      {"404 from an allowed origin carries CORS headers",
       {app},
       Method::get,
       "/nowhere",
       {{"Origin", app}},
       404,
       app,
       std::nullopt,
       false},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    int handler_calls = 0;
    Router router;
    router.add(route(Method::get, "/api/items/{id}", [&](Request&) {
      ++handler_calls;
      return Response::text("item");
    }));
    Dispatcher d(router, metrics_, quiet(row.configured));
    int guard_calls = 0;
    d.set_guard([&](Request&, const Route&) -> std::optional<Response> {
      ++guard_calls;
      return std::nullopt;
    });
    auto req = make_request(row.method, row.target, row.headers);
    auto res = d.handle(req);
    EXPECT_EQ(res.status, row.status);
    EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), row.allow_origin);
    EXPECT_EQ(header(res, "Access-Control-Allow-Headers"), row.allow_headers);
    EXPECT_EQ(handler_calls, row.handler_runs ? 1 : 0);
    EXPECT_EQ(guard_calls, row.handler_runs ? 1 : 0);
    if (row.allow_headers) {
      EXPECT_EQ(header(res, "Access-Control-Allow-Methods"), "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      EXPECT_EQ(header(res, "Access-Control-Max-Age"), "600");
      EXPECT_EQ(header(res, "Vary"), "Origin");
    } else if (row.allow_origin) {
      EXPECT_EQ(header(res, "Access-Control-Expose-Headers"), "X-Request-Id, Retry-After");
      EXPECT_EQ(header(res, "Vary"), "Origin");
    } else {
      EXPECT_FALSE(header(res, "Access-Control-Expose-Headers"));
    }
  }
}

TEST_F(DispatcherTest, RateLimitRefusesPerAddressAndSparesProbes) {
  Dispatcher d(router_, metrics_, quiet({"https://app.gov.cn"}));
  // Two requests per address, refilled so slowly that the test never sees a new token.
  d.set_rate_limiter(make_token_bucket_limiter(0.001, 2));
  struct Row {
    std::string target;
    std::string address;
    HeaderList headers;
    int status;
  };
  const std::vector<Row> rows = {
      {"/api/items/1", "192.0.2.1", {}, 200},
      {"/api/items/2", "192.0.2.1", {}, 200},
      {"/api/items/3", "192.0.2.1", {}, 429},
      {"/nowhere", "192.0.2.1", {}, 429},      // limited before routing
      {"/api/items/1", "192.0.2.2", {}, 200},  // another client has its own bucket
      {"/healthz", "192.0.2.1", {}, 200},      // probes are exempt
      {"/readyz", "192.0.2.1", {}, 429},       // not exempt here: this router has no infrastructure route for it
      {"/metrics", "192.0.2.1", {}, 200},
      // A GET is not a preflight, whatever its headers say.
      {"/api/items/1", "192.0.2.1", {{"Origin", "https://app.gov.cn"}, {"Access-Control-Request-Method", "GET"}}, 429},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    SCOPED_TRACE(std::to_string(i) + ": " + row.address + " " + row.target);
    auto req = make_request(Method::get, row.target, row.headers, row.address);
    auto res = d.handle(req);
    EXPECT_EQ(res.status, row.status);
    if (row.status == 429) {
      EXPECT_EQ(header(res, "Retry-After"), "1");
      EXPECT_EQ(problem_body(res).at("status").as_int64(), 429);
    }
  }
  // A CORS preflight is answered before the limiter: browsers retry them eagerly.
  auto preflight =
      make_request(Method::options, "/api/items/1",
                   {{"Origin", "https://app.gov.cn"}, {"Access-Control-Request-Method", "GET"}}, "192.0.2.1");
  EXPECT_EQ(d.handle(preflight).status, 204);
}

TEST_F(DispatcherTest, RateLimitedRequestsSkipAddedMiddleware) {
  Dispatcher d(router_, metrics_, quiet());
  d.set_rate_limiter(make_token_bucket_limiter(0, 0));
  int middleware_calls = 0;
  d.use([&](Request& req, const Next& next) {
    ++middleware_calls;
    return next(req);
  });
  auto req = make_request(Method::get, "/api/items/1");
  EXPECT_EQ(d.handle(req).status, 429);
  EXPECT_EQ(middleware_calls, 0);
}

TEST_F(DispatcherTest, MetricsUseTheRouteTemplate) {
  Dispatcher d(router_, metrics_, quiet({"https://app.gov.cn"}));
  struct Row {
    Method method;
    std::string target;
    HeaderList headers;
    std::string expected_series;
  };
  const std::vector<Row> rows = {
      {Method::get,
       "/api/items/7",
       {},
       R"(zhengwu_http_requests_total{route="/api/items/{id}",method="GET",status="200"} 2)"},
      {Method::get,
       "/api/items/8",
       {},
       R"(zhengwu_http_requests_total{route="/api/items/{id}",method="GET",status="200"} 2)"},
      {Method::head,
       "/api/items/8",
       {},
       R"(zhengwu_http_requests_total{route="/api/items/{id}",method="HEAD",status="200"} 1)"},
      {Method::get,
       "/api/fail/runtime",
       {},
       R"(zhengwu_http_requests_total{route="/api/fail/{kind}",method="GET",status="500"} 1)"},
      {Method::get,
       "/nowhere",
       {},
       R"m(zhengwu_http_requests_total{route="(unmatched)",method="GET",status="404"} 1)m"},
      {Method::delete_,
       "/api/items/7",
       {},
       R"m(zhengwu_http_requests_total{route="(unmatched)",method="DELETE",status="405"} 1)m"},
      {Method::options,
       "/api/items/7",
       {},
       R"m(zhengwu_http_requests_total{route="(options)",method="OPTIONS",status="204"} 1)m"},
      {Method::options,
       "/api/items/7",
       {{"Origin", "https://app.gov.cn"}, {"Access-Control-Request-Method", "GET"}},
       R"m(zhengwu_http_requests_total{route="(preflight)",method="OPTIONS",status="204"} 1)m"},
  };
  for (const auto& row : rows) {
    auto req = make_request(row.method, row.target, row.headers);
    d.handle(req);
  }
  auto text = metrics_.render();
  for (const auto& row : rows)
    EXPECT_NE(text.find(row.expected_series + "\n"), std::string::npos) << row.expected_series << "\n" << text;
  // Raw paths never become label values: the number of series stays bounded.
  EXPECT_EQ(text.find("route=\"/api/items/7\""), std::string::npos);
  EXPECT_EQ(text.find("route=\"/nowhere\""), std::string::npos);
  EXPECT_NE(text.find("zhengwu_http_request_duration_seconds_count{route=\"/api/items/{id}\"} 3\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("zhengwu_http_requests_in_flight 0\n"), std::string::npos) << text;
}

TEST_F(DispatcherTest, RequestIsInFlightWhileItsHandlerRuns) {
  std::string seen;
  Router router;
  Metrics metrics;
  router.add(route(Method::get, "/api/x", [&](Request&) {
    seen = metrics.render();
    return Response::text("x");
  }));
  Dispatcher d(router, metrics, quiet());
  auto req = make_request(Method::get, "/api/x");
  d.handle(req);
  EXPECT_NE(seen.find("zhengwu_http_requests_in_flight 1\n"), std::string::npos) << seen;
  EXPECT_NE(metrics.render().find("zhengwu_http_requests_in_flight 0\n"), std::string::npos);
}

TEST_F(DispatcherTest, UnroutedGetFallsBackToStaticFiles) {
  zhengwu::testing::TempDir dir;
  std::ofstream(dir.path() / "index.html") << "<html>app</html>";
  Dispatcher d(router_, metrics_, quiet());
  d.set_static_files(std::make_unique<StaticFiles>(dir.path()));
  struct Row {
    Method method;
    std::string target;
    int status;
    std::string body_part;
  };
  const std::vector<Row> rows = {
      {Method::get, "/", 200, "<html>app</html>"},
      {Method::get, "/cases/42", 200, "<html>app</html>"},  // client-side route
      {Method::head, "/cases/42", 200, "<html>app</html>"},
      {Method::get, "/api/items/1", 200, "item 1"},            // routes come first
      {Method::get, "/api/unknown", 404, "no such resource"},  // the API never falls back to the app
      {Method::post, "/cases/42", 404, "no such resource"},
      {Method::get, "/missing.js", 404, "no such resource"},
      {Method::delete_, "/api/items/1", 405, "not allowed"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(to_string(row.method)) + " " + row.target);
    auto req = make_request(row.method, row.target);
    auto res = d.handle(req);
    EXPECT_EQ(res.status, row.status);
    EXPECT_NE(res.body.find(row.body_part), std::string::npos) << res.body;
  }
  auto text = metrics_.render();
  EXPECT_NE(text.find(R"m(zhengwu_http_requests_total{route="(static)",method="GET",status="200"} 2)m"),
            std::string::npos)
      << text;
}

TEST(TokenBucketTest, BurstBoundsHowManyRequestsPassAtOnce) {
  struct Row {
    double rate;
    double burst;
    int attempts;
    int expected_allowed;
  };
  const std::vector<Row> rows = {
      {0, 0, 3, 0}, {0, 1, 3, 1}, {0, 2.5, 5, 2}, {0.001, 5, 8, 5}, {0.001, 50, 60, 50},
  };
  for (const auto& row : rows) {
    auto limiter = make_token_bucket_limiter(row.rate, row.burst);
    int allowed = 0;
    for (int i = 0; i < row.attempts; ++i) allowed += limiter->allow("192.0.2.1") ? 1 : 0;
    EXPECT_EQ(allowed, row.expected_allowed) << "rate " << row.rate << " burst " << row.burst;
  }
}

TEST(TokenBucketTest, KeysHaveSeparateBuckets) {
  auto limiter = make_token_bucket_limiter(0.001, 1);
  EXPECT_TRUE(limiter->allow("192.0.2.1"));
  EXPECT_FALSE(limiter->allow("192.0.2.1"));
  EXPECT_TRUE(limiter->allow("192.0.2.2"));
  EXPECT_TRUE(limiter->allow("::1"));
  EXPECT_FALSE(limiter->allow("192.0.2.2"));
}

TEST(TokenBucketTest, TokensRefillOverTimeUpToTheBurst) {
  using namespace std::chrono_literals;
  // 10 tokens a second: one every 100 ms.
  auto limiter = make_token_bucket_limiter(10, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter->allow("k")) << i;
  EXPECT_FALSE(limiter->allow("k"));
  std::this_thread::sleep_for(150ms);  // about 1.5 tokens
  EXPECT_TRUE(limiter->allow("k"));
  std::this_thread::sleep_for(1s);  // 10 tokens' worth, capped at 3
  int allowed = 0;
  for (int i = 0; i < 6; ++i) allowed += limiter->allow("k") ? 1 : 0;
  // The burst caps the saved tokens; a slow machine may earn at most one more meanwhile.
  EXPECT_GE(allowed, 3);
  EXPECT_LE(allowed, 4);
}

// Error answers, thrown or returned, carry the CORS headers, so a browser app can read
// the problem and its request id.
TEST(DispatcherCorsOnErrorsTest, ThrownProblemsCarryCorsHeaders) {
  const std::string app = "https://app.gov.cn";
  for (std::string kind : {"not-found", "invalid", "busy", "runtime"}) {
    Router router = demo_router();
    Metrics metrics;
    Dispatcher d(router, metrics, quiet({app}));
    auto req = make_request(Method::get, "/api/fail/" + kind, {{"Origin", app}});
    auto res = d.handle(req);
    EXPECT_GE(res.status, 400) << kind;
    EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), app) << kind;
  }
}

}  // namespace
}  // namespace zhengwu::http
