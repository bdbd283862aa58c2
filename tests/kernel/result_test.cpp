// Result<T> and Status: holding a value or an Error, and the Error factories.
#include "kernel/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace zhengwu {
namespace {

Result<int> parse_days(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return Error::invalid("days", "must be a whole number");
  return std::stoi(text);
}

TEST(ResultTest, HoldsAValueOrAnError) {
  struct Row {
    std::string input;
    bool ok;
    int value;
  };
  const std::vector<Row> rows = {{"0", true, 0}, {"15", true, 15}, {"", false, 0}, {"-3", false, 0}, {"x", false, 0}};
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    auto r = parse_days(row.input);
    EXPECT_EQ(r.ok(), row.ok);
    EXPECT_EQ(static_cast<bool>(r), row.ok);
    if (row.ok) {
      EXPECT_EQ(r.value(), row.value);
      EXPECT_EQ(*r, row.value);
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::invalid);
      EXPECT_EQ(r.error().message, "days: must be a whole number");
    }
  }
}

TEST(ResultTest, AccessorsReachTheValue) {
  Result<std::string> r(std::string("杭州"));
  EXPECT_EQ(r->size(), 6u);  // three bytes a character in UTF-8
  r.value() += "市";
  EXPECT_EQ(*r, "杭州市");
  const Result<std::string>& cr = r;
  EXPECT_EQ(cr->size(), 9u);
  std::string moved = std::move(r).value();
  EXPECT_EQ(moved, "杭州市");

  Result<std::unique_ptr<int>> owned(std::make_unique<int>(3));
  auto p = std::move(owned).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 3);
}

TEST(ResultTest, StatusIsOkUnlessGivenAnError) {
  EXPECT_TRUE(Status{}.ok());
  EXPECT_TRUE(Status::success().ok());
  EXPECT_TRUE(static_cast<bool>(Status::success()));
  Status failed = Error::conflict("already closed");
  EXPECT_FALSE(failed.ok());
  EXPECT_FALSE(static_cast<bool>(failed));
  EXPECT_EQ(failed.error().code, ErrorCode::conflict);
  EXPECT_EQ(failed.error().message, "already closed");
}

TEST(ResultTest, ErrorFactories) {
  struct Row {
    std::string what;
    Error error;
    ErrorCode code;
    std::string message;
    std::vector<std::string> fields;
  };
  const std::vector<Row> rows = {
      {"invalid",
       Error::invalid("fields[2].name", "is required"),
       ErrorCode::invalid,
       "fields[2].name: is required",
       {"fields[2].name"}},
      {"not found", Error::not_found("no case 9"), ErrorCode::not_found, "no case 9", {}},
      {"conflict", Error::conflict("already submitted"), ErrorCode::conflict, "already submitted", {}},
      {"default", Error{}, ErrorCode::internal, "", {}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    EXPECT_EQ(row.error.code, row.code);
    EXPECT_EQ(row.error.message, row.message);
    std::vector<std::string> fields;
    for (const auto& f : row.error.fields) fields.push_back(f.field);
    EXPECT_EQ(fields, row.fields);
  }
  auto e = Error::invalid("days", "must be positive");
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].message, "must be positive");
}

}  // namespace
}  // namespace zhengwu
