// RFC 9457 problem responses: status of every ErrorCode, body fields, the `errors` array, take() throwing Problem.
#include "kernel/problem.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace zhengwu {
namespace {

namespace json = boost::json;

TEST(ProblemTest, EveryErrorCodeHasItsStatus) {
  struct Row {
    ErrorCode code;
    int status;
    std::string title;
  };
  const std::vector<Row> rows = {
      {ErrorCode::invalid, 400, "Bad Request"},
      {ErrorCode::unauthorized, 401, "Unauthorized"},
      {ErrorCode::forbidden, 403, "Forbidden"},
      {ErrorCode::not_found, 404, "Not Found"},
      {ErrorCode::conflict, 409, "Conflict"},
      {ErrorCode::too_large, 413, "Content Too Large"},
      {ErrorCode::unprocessable, 422, "Unprocessable Content"},
      {ErrorCode::rate_limited, 429, "Too Many Requests"},
      {ErrorCode::busy, 503, "Service Unavailable"},
      {ErrorCode::internal, 500, "Internal Server Error"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.status);
    EXPECT_EQ(http_status(row.code), row.status);
    auto res = problem(Error{row.code, "what happened", {}});
    EXPECT_EQ(res.status, row.status);
    auto body = json::parse(res.body).as_object();
    EXPECT_EQ(body.at("status").as_int64(), row.status);
    EXPECT_EQ(body.at("title").as_string(), row.title);
  }
}

TEST(ProblemTest, BodyHasTheRfc9457Fields) {
  auto res = problem(Error::not_found("no organisation 42"));
  EXPECT_EQ(res.headers.get("Content-Type"), "application/problem+json; charset=utf-8");
  auto body = json::parse(res.body).as_object();
  const json::object expected{
      {"type", "about:blank"}, {"title", "Not Found"}, {"status", 404}, {"detail", "no organisation 42"}};
  EXPECT_EQ(body, expected);
}

TEST(ProblemTest, ErrorsArrayOnlyWhenFieldsExist) {
  struct Row {
    std::string what;
    Error error;
    std::vector<std::pair<std::string, std::string>> fields;  // empty: no `errors` key
  };
  const std::vector<Row> rows = {
      {"no fields", Error{ErrorCode::invalid, "bad input", {}}, {}},
      {"conflict", Error::conflict("already submitted"), {}},
      {"one field", Error::invalid("days", "must be positive"), {{"days", "must be positive"}}},
      {"several fields in order",
       Error{ErrorCode::invalid, "2 fields", {{"fields[2].name", "is required"}, {"名称", "太长"}}},
       {{"fields[2].name", "is required"}, {"名称", "太长"}}},
      {"fields on another code", Error{ErrorCode::conflict, "taken", {{"email", "is taken"}}}, {{"email", "is taken"}}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    auto body = json::parse(problem(row.error).body).as_object();
    ASSERT_EQ(body.contains("errors"), !row.fields.empty());
    if (row.fields.empty()) continue;
    const auto& errors = body.at("errors").as_array();
    ASSERT_EQ(errors.size(), row.fields.size());
    for (std::size_t i = 0; i < errors.size(); ++i) {
      const json::object expected{{"field", row.fields[i].first}, {"message", row.fields[i].second}};
      EXPECT_EQ(errors[i].as_object(), expected);
    }
  }
}

TEST(ProblemTest, DetailIsEscapedAsJson) {
  const std::string detail = "quote \" backslash \\ newline \n </script> 杭州";
  for (const auto& res : {problem(Error{ErrorCode::invalid, detail, {}}), problem(400, detail)}) {
    auto body = json::parse(res.body).as_object();
    EXPECT_EQ(body.at("detail").as_string(), detail);
  }
}

TEST(ProblemTest, StatusOverloadTitles) {
  struct Row {
    int status;
    std::string title;
  };
  const std::vector<Row> rows = {
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {413, "Content Too Large"},
      {422, "Unprocessable Content"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"},
      {503, "Service Unavailable"},
      {418, "Error"},
      {502, "Error"},
  };
  for (const auto& row : rows) {
    auto res = problem(row.status, "detail text");
    EXPECT_EQ(res.status, row.status);
    EXPECT_EQ(res.headers.get("Content-Type"), "application/problem+json; charset=utf-8");
    const json::object expected{
        {"type", "about:blank"}, {"title", row.title}, {"status", row.status}, {"detail", "detail text"}};
    EXPECT_EQ(json::parse(res.body).as_object(), expected) << row.status;
  }
}

TEST(ProblemTest, TakeReturnsTheValueOrThrowsProblem) {
  EXPECT_EQ(take(Result<int>(7)), 7);
  EXPECT_EQ(take(Result<std::string>(std::string("杭州"))), "杭州");
  auto owned = take(Result<std::unique_ptr<int>>(std::make_unique<int>(5)));  // move-only values pass through
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 5);
  EXPECT_NO_THROW(take(Status{}));
  EXPECT_NO_THROW(take(Status::success()));

  struct Row {
    std::string what;
    Error error;
  };
  const std::vector<Row> rows = {
      {"not found", Error::not_found("no case 9")},
      {"invalid", Error::invalid("days", "must be positive")},
      {"busy", Error{ErrorCode::busy, "try again", {}}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    for (int form = 0; form < 2; ++form) {
      try {
        if (form == 0) {
          (void)take(Result<int>(row.error));
        } else {
          take(Status(row.error));
        }
        ADD_FAILURE() << "no Problem thrown";
      } catch (const Problem& p) {
        EXPECT_EQ(p.error().code, row.error.code);
        EXPECT_EQ(p.error().message, row.error.message);
        EXPECT_EQ(p.error().fields.size(), row.error.fields.size());
        EXPECT_EQ(std::string(p.what()), row.error.message);
        EXPECT_EQ(problem(p.error()).status, http_status(row.error.code));
      }
    }
  }
}

}  // namespace
}  // namespace zhengwu
