// Citizen ID numbers (GB 11643-1999). The valid numbers and the 15-to-18 conversions
// below were computed once with this short Python script, written from the rule in
// DOMAIN.md and not from the code under test:
//
//   W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
//   def check(first17): return "10X98765432"[sum(int(c) * w for c, w in zip(first17, W)) % 11]
//   def convert(old15): s = old15[:6] + "19" + old15[6:]; return s + check(s)
//
// 11010519491231002X is the example of DOMAIN.md and of GB 11643-1999 itself.
#include "kernel/identifiers/id_number.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace zhengwu::identifiers {
namespace {

using std::chrono::year_month_day;
using namespace std::chrono_literals;

// Every "today" below is this Sunday, so that the future-date rule is deterministic.
constexpr year_month_day kToday{2025y / std::chrono::June / 15d};

constexpr year_month_day ymd(int y, unsigned m, unsigned d) {
  return std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d};
}

struct ValidRow {
  const char* input;
  const char* value;
  year_month_day birth;
  Sex sex;
  const char* division;
};

TEST(IdNumberTest, AcceptsValidNumbers) {
  const std::vector<ValidRow> rows = {
      {"11010519491231002X", "11010519491231002X", ymd(1949, 12, 31), Sex::female, "110105"},
      {"11010519491231002x", "11010519491231002X", ymd(1949, 12, 31), Sex::female, "110105"},  // x read as X
      {"330106199003071236", "330106199003071236", ymd(1990, 3, 7), Sex::male, "330106"},      // sequence 123
      {"330106199003070081", "330106199003070081", ymd(1990, 3, 7), Sex::female, "330106"},    // check 1 (r = 0)
      {"330106199003070030", "330106199003070030", ymd(1990, 3, 7), Sex::male, "330106"},      // check 0 (r = 1)
      {"370203196911204567", "370203196911204567", ymd(1969, 11, 20), Sex::female, "370203"},  // sequence 456
      {"82000019000101001X", "82000019000101001X", ymd(1900, 1, 1), Sex::male, "820000"},      // 1 Jan 1900, Macau
      {"330106202506150010", "330106202506150010", ymd(2025, 6, 15), Sex::male, "330106"},     // born today
      // 29 February: 2000 is a leap year (divisible by 400), 1996 and 2024 are too.
      {"330106200002290045", "330106200002290045", ymd(2000, 2, 29), Sex::female, "330106"},
      {"330106199602290035", "330106199602290035", ymd(1996, 2, 29), Sex::male, "330106"},
      {"330106202402290027", "330106202402290027", ymd(2024, 2, 29), Sex::female, "330106"},
      // 东莞 has no counties: its people's numbers carry the prefecture's code.
      {"441900198510150016", "441900198510150016", ymd(1985, 10, 15), Sex::male, "441900"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    auto id = IdNumber::parse(row.input, kToday);
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_EQ(id->value(), row.value);
    EXPECT_EQ(id->original(), row.input);
    EXPECT_FALSE(id->converted_from_15());
    EXPECT_EQ(id->birth_date(), row.birth);
    EXPECT_EQ(id->sex(), row.sex);
    EXPECT_EQ(id->division().value(), row.division);
    EXPECT_EQ(id->check_character(), row.value[17]);
  }
}

struct ConvertRow {
  const char* old15;
  const char* value;
  year_month_day birth;
};

TEST(IdNumberTest, ConvertsFifteenDigitNumbers) {
  const std::vector<ConvertRow> rows = {
      {"110105491231002", "11010519491231002X", ymd(1949, 12, 31)},
      {"330106800101123", "330106198001011235", ymd(1980, 1, 1)},
      {"440301851231452", "440301198512314523", ymd(1985, 12, 31)},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.old15);
    auto id = IdNumber::parse(row.old15, kToday);
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_EQ(id->value(), row.value);
    EXPECT_TRUE(id->converted_from_15());
    EXPECT_EQ(id->original(), row.old15);
    EXPECT_EQ(id->birth_date(), row.birth);
    // The converted number is the one the person holds today.
    auto current = IdNumber::parse(row.value, kToday);
    ASSERT_TRUE(current.ok());
    EXPECT_EQ(*id, *current);
  }
}

struct ErrorRow {
  std::string input;
  const char* message;
};

TEST(IdNumberTest, RejectsWithMessagesAClerkCanActOn) {
  const std::vector<ErrorRow> rows = {
      // what was typed
      {"", "is empty; an ID number has 18 characters (or 15 for an old one)"},
      {"11010519491231002", "has 17 characters; an ID number has 18 (or 15 for an old one)"},
      {"11010519491231002X1", "has 19 characters; an ID number has 18 (or 15 for an old one)"},
      {"1101051949123100", "has 16 characters; an ID number has 18 (or 15 for an old one)"},
      {"11010549123100", "has 14 characters; an ID number has 18 (or 15 for an old one)"},
      {"1", "has 1 character; an ID number has 18 (or 15 for an old one)"},
      {"11010519491231002Y", "character 18 'Y' is not a digit or X"},
      {"1101051949123100A2", "character 17 'A' is not a digit"},
      {"110105 19491231002X", "character 7 (a space) is not a digit"},
      {"11010519491231002X ", "character 19 (a space) is not a digit"},
      {"110105\t19491231002X", "character 7 (control character U+0009) is not a digit"},
      {"\xff"
       "1010519491231002X",
       "character 1 (byte 0xFF, not UTF-8 text) is not a digit"},
      {"身份证", "character 1 '身' is not a digit"},
      // Full-width characters from a Chinese input method, counted as one character each.
      {"1101051949123100\xef\xbc\x92X", "character 17 '２' is full-width; type an ordinary 2 instead"},
      {"11010519491231002\xef\xbc\xb8", "character 18 'Ｘ' is full-width; type an ordinary X instead"},
      {"110105\xe3\x80\x80"
       "19491231002X",
       "character 7 (a full-width space) is not a digit"},
      {"1101051949X231002X", "character 11 'X' can only be the last character (the check character)"},
      {"11010549123100X", "character 15 'X' cannot be in an old 15-digit number, which has only digits"},
      // where it was issued
      {"99010519491231002X",
       "starts with 99, which is not a province's code (the first 6 digits are where the "
       "number was issued)"},
      {"16010519491231002X",
       "starts with 16, which is not a province's code (the first 6 digits are where the "
       "number was issued)"},
      {"830000199001011234",
       "starts with 83, which is not a province's code (the first 6 digits are where the "
       "number was issued)"},
      {"330006199001011234",
       "the first 6 digits 330006 are not a division code: they name county 06 but no "
       "prefecture (digits 3-4 are 00)"},
      // the birth date
      {"11010519490231002X", "birth date 19490231 is not a date"},
      {"110105199013010000", "birth date 19901301 is not a date"},
      {"110105199001000000", "birth date 19900100 is not a date"},
      {"110105202302290000", "birth date 20230229 is not a date"},     // 2023 is a common year
      {"110105190002290000", "birth date 19000229 is not a date"},     // 1900: divisible by 100, not by 400
      {"330106000229001", "birth date 19000229 is not a date"},        // the same, from an old number
      {"110105202506160000", "birth date 20250616 is in the future"},  // tomorrow
      {"110105203001010000", "birth date 20300101 is in the future"},
      {"110105189912310000", "birth date 18991231 is before 1900"},
      {"110105000001010000", "birth date 00000101 is before 1900"},
      // the check character
      {"370203196911204563", "check character should be 7, not 3"},
      {"110105194912310023", "check character should be X, not 3"},
      {"33010619900307123X", "check character should be 6, not X"},
      {"33010619900307123x", "check character should be 6, not X"},
      {"11010519491231002 1", "character 18 (a space) is not a digit or X"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    auto id = IdNumber::parse(row.input, kToday);
    ASSERT_FALSE(id.ok()) << id->value();
    EXPECT_EQ(id.error().code, ErrorCode::invalid);
    ASSERT_EQ(id.error().fields.size(), 1u);
    EXPECT_EQ(id.error().fields[0].field, "id_number");
    EXPECT_EQ(id.error().fields[0].message, row.message);
    EXPECT_EQ(id.error().message, std::string("id_number: ") + row.message);
  }
}

TEST(IdNumberTest, FutureIsMeasuredFromTheGivenToday) {
  EXPECT_FALSE(IdNumber::parse("330106202506150010", ymd(2025, 6, 14)).ok());
  EXPECT_TRUE(IdNumber::parse("330106202506150010", ymd(2025, 6, 15)).ok());
}

struct AgeRow {
  const char* id;
  year_month_day on;
  int age;
};

TEST(IdNumberTest, AgeInWholeYears) {
  const std::vector<AgeRow> rows = {
      {"11010519491231002X", ymd(2025, 6, 15), 75},
      {"11010519491231002X", ymd(2025, 12, 30), 75},
      {"11010519491231002X", ymd(2025, 12, 31), 76},  // the birthday itself
      {"11010519491231002X", ymd(1949, 12, 31), 0},
      {"11010519491231002X", ymd(1949, 12, 30), -1},  // before birth
      // born 29 February 2000: in a common year the birthday comes on 1 March
      {"330106200002290045", ymd(2023, 2, 28), 22},
      {"330106200002290045", ymd(2023, 3, 1), 23},
      {"330106200002290045", ymd(2024, 2, 28), 23},
      {"330106200002290045", ymd(2024, 2, 29), 24},
      {"330106200002290045", ymd(2018, 2, 28), 17},
      {"330106200002290045", ymd(2018, 3, 1), 18},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.id);
    auto id = IdNumber::parse(row.id, kToday);
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_EQ(id->age_on(row.on), row.age);
  }
}

TEST(IdNumberTest, MasksAllButTheFirstSixAndLastFour) {
  const std::vector<std::pair<const char*, const char*>> rows = {
      {"11010519491231002X", "110105********002X"},
      {"11010519491231002x", "110105********002X"},
      {"110105491231002", "110105********002X"},  // the converted number is masked
      {"330106199003071236", "330106********1236"},
  };
  for (const auto& [input, masked] : rows) {
    SCOPED_TRACE(input);
    auto id = IdNumber::parse(input, kToday);
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_EQ(id->masked(), masked);
  }
}

TEST(IdNumberTest, SexAndItsCode) {
  auto woman = IdNumber::parse("11010519491231002X", kToday);
  auto man = IdNumber::parse("330106199003071236", kToday);
  ASSERT_TRUE(woman.ok() && man.ok());
  EXPECT_EQ(woman->sequence(), "002");
  EXPECT_EQ(gb2261_code(woman->sex()), 2);
  EXPECT_EQ(man->sequence(), "123");
  EXPECT_EQ(gb2261_code(man->sex()), 1);
}

TEST(IdNumberTest, DivisionIsAPlaceInTheHierarchy) {
  auto id = IdNumber::parse("330106199003071236", kToday);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->division().level(), DivisionLevel::county);
  auto hangzhou = DivisionCode::parse(kHangzhou.code);
  ASSERT_TRUE(hangzhou.ok());
  EXPECT_TRUE(id->division().is_within(*hangzhou));
}

TEST(IdNumberTest, CheckCharacter) {
  const std::vector<std::pair<std::string, char>> rows = {
      {"11010519491231002", 'X'},
      {"33010619900307123", '6'},
      {"37020319691120456", '7'},
      {"33010619900307008", '1'},
      {"33010619900307003", '0'},
      {"44030119851231452", '3'},
      // not 17 digits
      {"1101051949123100", '\0'},
      {"110105194912310023", '\0'},
      {"1101051949123100X", '\0'},
      {"", '\0'},
  };
  for (const auto& [first17, check] : rows) {
    SCOPED_TRACE(first17);
    EXPECT_EQ(id_check_character(first17), check);
  }
}

}  // namespace
}  // namespace zhengwu::identifiers
