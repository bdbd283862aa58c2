// Request/Response values: case-insensitive headers, percent-decoding, query decoding and method names.
#include "kernel/http/message.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace zhengwu::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Request with_query(std::string query_text) {
  Request req;
  req.query_text = std::move(query_text);
  return req;
}

// --- percent_decode ---------------------------------------------------------------------

TEST(PercentDecodeTest, DecodesGoodEscapesAndRefusesBadOnes) {
  struct Row {
    std::string input;
    bool plus_is_space;
    std::optional<std::string> expected;  // nullopt: a malformed escape
  };
  const std::vector<Row> rows = {
      {"", false, ""},
      {"plain", false, "plain"},
      {"%41", false, "A"},
      {"a%20b", false, "a b"},
      {"100%25", false, "100%"},
      {"%2e%2e", false, ".."},
      {"%2F", false, "/"},
      {"%E6%9D%AD%E5%B7%9E", false, "杭州"},
      {"%e6%9d%ad", false, "杭"},  // lower-case hex digits are as good as upper-case
      {"%00", false, std::string(1, '\0')},
      {"a+b", false, "a+b"},  // in a path '+' is just '+'
      {"a+b", true, "a b"},   // in a form-encoded query it is a space
      {"%2B", true, "+"},     // an encoded plus stays a plus
      {"++", true, "  "},
      {"%", false, std::nullopt},
      {"%4", false, std::nullopt},
      {"abc%", false, std::nullopt},
      {"abc%4", false, std::nullopt},
      {"%G1", false, std::nullopt},
      {"%1G", false, std::nullopt},
      {"%zz", true, std::nullopt},
      {"%%41", false, std::nullopt},
      {"ok%20then%2", false, std::nullopt},
      {"% 1", false, std::nullopt},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(percent_decode(row.input, row.plus_is_space), row.expected)
        << "input '" << row.input << "' plus_is_space=" << row.plus_is_space;
  }
}

// --- Headers -------------------------------------------------------------------------------

TEST(HeadersTest, LookupIgnoresCaseOfTheName) {
  Headers h;
  h.set("Content-Type", "text/html");
  h.set("X-Request-Id", "abc");
  struct Row {
    std::string name;
    std::optional<std::string> expected;
  };
  const std::vector<Row> rows = {
      {"Content-Type", "text/html"},
      {"content-type", "text/html"},
      {"CONTENT-TYPE", "text/html"},
      {"x-request-id", "abc"},
      {"Content-Length", std::nullopt},
      {"Content-Typ", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& row : rows) {
    auto got = h.get(row.name);
    EXPECT_EQ(got ? std::optional<std::string>(std::string(*got)) : std::nullopt, row.expected) << row.name;
  }
}

TEST(HeadersTest, SetReplacesEveryValueWhateverItsCase) {
  Headers h;
  h.add("Vary", "Origin");
  h.add("vary", "Accept-Encoding");
  h.add("Cache-Control", "no-cache");
  h.set("VARY", "Cookie");
  const Pairs expected = {{"Cache-Control", "no-cache"}, {"VARY", "Cookie"}};
  EXPECT_EQ(h.items(), expected);
  EXPECT_EQ(h.get("vary"), "Cookie");
}

TEST(HeadersTest, AddAppendsAndGetReturnsTheFirstValue) {
  Headers h;
  h.add("Vary", "Origin");
  h.add("vary", "Accept-Encoding");
  const Pairs expected = {{"Vary", "Origin"}, {"vary", "Accept-Encoding"}};
  EXPECT_EQ(h.items(), expected);
  EXPECT_EQ(h.get("VARY"), "Origin");
}

TEST(HeadersTest, RemoveDropsEveryValueWhateverItsCase) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("Date", "today");
  h.add("set-cookie", "b=2");
  h.remove("SET-COOKIE");
  const Pairs expected = {{"Date", "today"}};
  EXPECT_EQ(h.items(), expected);
  EXPECT_FALSE(h.get("Set-Cookie"));
  h.remove("Not-There");
  EXPECT_EQ(h.items(), expected);
}

TEST(HeadersTest, RequestHeaderReadsTheHeaders) {
  Request req;
  req.headers.set("Accept-Encoding", "gzip");
  EXPECT_EQ(req.header("accept-encoding"), "gzip");
  EXPECT_FALSE(req.header("Accept"));
}

// --- Request::query_pairs / query -----------------------------------------------------------

TEST(QueryTest, PairsAreDecodedInOrder) {
  struct Row {
    std::string query_text;
    Pairs expected;
  };
  const std::vector<Row> rows = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1&b=2", {{"a", "1"}, {"b", "2"}}},
      {"a=1&a=2", {{"a", "1"}, {"a", "2"}}},  // repeated keys are all kept, in order
      {"flag", {{"flag", ""}}},               // no '=': an empty value
      {"a=", {{"a", ""}}},
      {"=v", {{"", "v"}}},
      {"&&a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},  // empty pairs are skipped
      {"&", {}},
      {"a=b=c", {{"a", "b=c"}}},  // only the first '=' separates
      {"a%3Db=c", {{"a=b", "c"}}},
      {"k=a%26b", {{"k", "a&b"}}},
      {"q=%E6%9D%AD%E5%B7%9E", {{"q", "杭州"}}},
      {"name=Zhang+San", {{"name", "Zhang San"}}},
      {"first+name=x", {{"first name", "x"}}},
      {"x=%2B1", {{"x", "+1"}}},
      {"bad=%zz&good=1", {{"good", "1"}}},  // a pair with a bad escape is dropped whole
      {"%zz=1&k=v", {{"k", "v"}}},
      {"a=1&b=%&c=3", {{"a", "1"}, {"c", "3"}}},
  };
  for (const auto& row : rows) EXPECT_EQ(with_query(row.query_text).query_pairs(), row.expected) << row.query_text;
}

TEST(QueryTest, QueryReturnsTheFirstDecodedValue) {
  struct Row {
    std::string query_text;
    std::string name;
    std::optional<std::string> expected;
  };
  const std::vector<Row> rows = {
      {"a=1&a=2", "a", "1"},
      {"a=1&b=2", "b", "2"},
      {"a=1", "b", std::nullopt},
      {"", "a", std::nullopt},
      {"flag", "flag", ""},  // present but empty is not missing
      {"flag=", "flag", ""},
      {"na%6De=x", "name", "x"},  // keys are decoded before comparison
      {"city=%E6%9D%AD%E5%B7%9E", "city", "杭州"},
      {"q=a+b", "q", "a b"},
      {"a=%zz&a=2", "a", "2"},  // the malformed first pair is not there at all
      {"id=%zz", "id", std::nullopt},
      {"A=1", "a", std::nullopt},  // query keys are case-sensitive
  };
  for (const auto& row : rows)
    EXPECT_EQ(with_query(row.query_text).query(row.name), row.expected) << row.query_text << " / " << row.name;
}

// --- methods, params, responses -----------------------------------------------------------

TEST(MessageTest, MethodNamesRoundTrip) {
  struct Row {
    Method method;
    std::string name;
  };
  const std::vector<Row> rows = {
      {Method::get, "GET"},     {Method::head, "HEAD"},      {Method::post, "POST"},       {Method::put, "PUT"},
      {Method::patch, "PATCH"}, {Method::delete_, "DELETE"}, {Method::options, "OPTIONS"},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(to_string(row.method), row.name);
    EXPECT_EQ(method_from_string(row.name), row.method) << row.name;
  }
  EXPECT_EQ(to_string(Method::other), "OTHER");
}

TEST(MessageTest, UnknownMethodNamesAreOther) {
  // Method names are case-sensitive (RFC 9110 §9.1).
  for (std::string name : {"get", "Get", "TRACE", "CONNECT", "PROPFIND", "", "OTHER", "GET "})
    EXPECT_EQ(method_from_string(name), Method::other) << "'" << name << "'";
}

TEST(MessageTest, ParamIsEmptyWhenMissing) {
  Request req;
  req.path_params = {{"id", "42"}, {"city", "杭州"}};
  EXPECT_EQ(req.param("id"), "42");
  EXPECT_EQ(req.param("city"), "杭州");
  EXPECT_EQ(req.param("ID"), "");
  EXPECT_EQ(req.param("other"), "");
}

TEST(MessageTest, ResponseFactoriesSetStatusAndContentType) {
  struct Row {
    std::string what;
    Response response;
    int status;
    std::optional<std::string> content_type;
    std::string body;
  };
  const std::vector<Row> rows = {
      {"json", Response::json("{}"), 200, "application/json; charset=utf-8", "{}"},
      {"json 201", Response::json("[1]", 201), 201, "application/json; charset=utf-8", "[1]"},
      {"text", Response::text("hi"), 200, "text/plain; charset=utf-8", "hi"},
      {"csv", Response::text("a,b", "text/csv", 202), 202, "text/csv", "a,b"},
      {"empty", Response::empty(204), 204, std::nullopt, ""},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(row.response.status, row.status) << row.what;
    auto ct = row.response.headers.get("Content-Type");
    EXPECT_EQ(ct ? std::optional<std::string>(std::string(*ct)) : std::nullopt, row.content_type) << row.what;
    EXPECT_EQ(row.response.body, row.body) << row.what;
  }
}

}  // namespace
}  // namespace zhengwu::http

namespace zhengwu::http {
namespace {

// Every order in which the three parties of a deferred reply can act delivers the answer
// once, with the finishing steps applied in the order they were added.
struct DeferredOrder {
  const char* name;
  bool settle_first;  // settle before deliver(), or after
};

class DeferredReplyOrder : public ::testing::TestWithParam<DeferredOrder> {};

TEST_P(DeferredReplyOrder, DeliversOnceWithStepsInOrder) {
  auto reply = std::make_shared<DeferredReply>();
  std::vector<std::string> trace;
  reply->then([&](Response& r) {
    trace.push_back("first");
    r.headers.set("X-First", "1");
  });
  reply->then([&](Response& r) {
    trace.push_back("second");
    r.headers.set("X-Second", std::string(r.headers.get("X-First").value_or("missing")));
  });
  std::vector<Response> delivered;
  auto answer = Response::json(R"({"ok":true})", 201);
  if (GetParam().settle_first) reply->settle(answer);
  EXPECT_TRUE(delivered.empty());
  reply->deliver([&](Response r) { delivered.push_back(std::move(r)); });
  if (!GetParam().settle_first) {
    EXPECT_TRUE(delivered.empty()) << "nothing goes out before the answer is settled";
    reply->settle(answer);
  }
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].status, 201);
  EXPECT_EQ(delivered[0].body, R"({"ok":true})");
  EXPECT_EQ(delivered[0].headers.get("X-Second").value_or(""), "1");
  EXPECT_EQ(trace, (std::vector<std::string>{"first", "second"}));
  reply->settle(Response::empty(500));  // a second answer is dropped
  EXPECT_EQ(delivered.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Orders, DeferredReplyOrder,
                         ::testing::Values(DeferredOrder{"settled_before_delivery", true},
                                           DeferredOrder{"settled_after_delivery", false}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(DeferredReply, StepsAndSinkRunWhereDeliverSays) {
  auto reply = std::make_shared<DeferredReply>();
  std::vector<std::string> trace;
  reply->then([&](Response&) { trace.push_back("step"); });
  std::vector<DeferredReply::Work> queued;  // stands in for the connection's thread
  reply->deliver([&](Response r) { trace.push_back("sink " + std::to_string(r.status)); },
                 [&](DeferredReply::Work w) { queued.push_back(std::move(w)); });
  reply->settle(Response::empty(204));
  EXPECT_TRUE(trace.empty()) << "the settling thread only hands the answer over";
  ASSERT_EQ(queued.size(), 1u);
  queued[0]();
  EXPECT_EQ(trace, (std::vector<std::string>{"step", "sink 204"}));
}

TEST(DeferredReply, LaterMarksTheResponseDeferred) {
  auto r = Response::later(std::make_shared<DeferredReply>());
  EXPECT_TRUE(r.deferred);
  EXPECT_FALSE(Response::json("{}").deferred);
}

TEST(DeferredReply, WaitForBlocksUntilAnotherThreadSettles) {
  auto reply = std::make_shared<DeferredReply>();
  std::thread settler([reply] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    reply->settle(Response::text("late", "text/plain", 202));
  });
  Response got = wait_for(Response::later(reply));
  settler.join();
  EXPECT_EQ(got.status, 202);
  EXPECT_EQ(got.body, "late");
  EXPECT_FALSE(got.deferred);
  // A plain response passes through.
  EXPECT_EQ(wait_for(Response::empty(204)).status, 204);
}

}  // namespace
}  // namespace zhengwu::http
