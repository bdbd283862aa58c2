// Unified Social Credit Codes (GB 32100-2015) and the GB 11714 organisation code inside
// them. The codes below were built once with this short Python script, written from the
// rules in DOMAIN.md and not from the code under test; each "clean" code has a right
// organisation-code check, each "warning" code a wrong one under a right credit-code check:
//
//   SET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
//   W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
//   def uscc(s17): c = 31 - sum(SET.index(ch) * w for ch, w in zip(s17, W)) % 31; return SET[0 if c == 31 else c]
//   def val(ch): return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10
//   def org(s8):
//       c = 11 - sum(val(ch) * w for ch, w in zip(s8, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
//       return "X" if c == 10 else "0" if c == 11 else str(c)
//
// 91350100M000100Y43 is DOMAIN.md's example; D2143569-X is the usual worked example of
// a GB 11714 check.
#include "kernel/identifiers/uscc.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace zhengwu::identifiers {
namespace {

struct ValidRow {
  const char* input;
  const char* value;
  const char* authority_name;
  const char* entity_type_name;
  const char* division;
  const char* organisation_code;
};

TEST(UsccTest, AcceptsCleanCodes) {
  const std::vector<ValidRow> rows = {
      {"91350100M000100Y43", "91350100M000100Y43", "工商/市场监管", "企业", "350100", "M000100Y4"},
      {"91350100m000100y43", "91350100M000100Y43", "工商/市场监管", "企业", "350100", "M000100Y4"},  // lower case
      {"91330106MA27XL1270", "91330106MA27XL1270", "工商/市场监管", "企业", "330106", "MA27XL127"},  // check 0 (c = 31)
      {"92330106MA2KQ00007", "92330106MA2KQ00007", "工商/市场监管", "个体工商户", "330106", "MA2KQ0000"},
      {"93330122MA28A0002N", "93330122MA28A0002N", "工商/市场监管", "农民专业合作社", "330122", "MA28A0002"},
      {"113300000024820668", "113300000024820668", "机构编制", "机关", "330000", "002482066"},
      {"12100000400000624D", "12100000400000624D", "机构编制", "事业单位", "100000", "400000624"},  // central
      {"51330000501891016C", "51330000501891016C", "民政", "社会团体", "330000", "501891016"},
      {"52330106MA2H00006Y", "52330106MA2H00006Y", "民政", "民办非企业单位", "330106", "MA2H00006"},
      {"5310000050000012XJ", "5310000050000012XJ", "民政", "基金会", "100000", "50000012X"},  // org check X
      {"Y1330100000000000K", "Y1330100000000000K", "其他", "", "330100", "000000000"},        // org check 0 (c = 11)
      // Authorities and types not named here are valid, with empty names.
      {"31330100MA2B00000B", "31330100MA2B00000B", "", "", "330100", "MA2B00000"},
      {"A1330100MA2J12340H", "A1330100MA2J12340H", "", "", "330100", "MA2J12340"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    auto code = Uscc::parse(row.input);
    ASSERT_TRUE(code.ok()) << code.error().message;
    EXPECT_EQ(code->value(), row.value);
    EXPECT_EQ(code->registering_authority(), row.value[0]);
    EXPECT_EQ(code->registering_authority_name(), row.authority_name);
    EXPECT_EQ(code->entity_type(), row.value[1]);
    EXPECT_EQ(code->entity_type_name(), row.entity_type_name);
    EXPECT_EQ(code->division(), row.division);
    EXPECT_EQ(code->organisation_code(), row.organisation_code);
    EXPECT_EQ(code->check_character(), row.value[17]);
    EXPECT_TRUE(code->warnings().empty()) << code->warnings().front();
  }
}

struct WarningRow {
  const char* input;
  std::vector<std::string> warnings;
};

// A wrong organisation-code check inside a right credit code is accepted with a warning.
TEST(UsccTest, OrganisationCodeMismatchIsOnlyAWarning) {
  const std::vector<WarningRow> rows = {
      {"91330106MA27XL123K",
       {"the organisation code MA27XL123 (characters 9-17) ends in 3 where its own check (GB 11714) gives 7; the "
        "credit code itself checks out"}},
      {"91330100123456789K",
       {"the organisation code 123456789 (characters 9-17) ends in 9 where its own check (GB 11714) gives 8; the "
        "credit code itself checks out"}},
      {"11330000002482060M",
       {"the organisation code 002482060 (characters 9-17) ends in 0 where its own check (GB 11714) gives 6; the "
        "credit code itself checks out"}},
      {"93330122ma28a0000g",
       {"the organisation code MA28A0000 (characters 9-17) ends in 0 where its own check (GB 11714) gives 2; the "
        "credit code itself checks out"}},
      // Letters where the registering office's division code belongs.
      {"91A3010BMA27XL1277", {"characters 3-8 'A3010B' should be the registering office's division code, six digits"}},
      {"91A3010BMA27XL123T",
       {"characters 3-8 'A3010B' should be the registering office's division code, six digits",
        "the organisation code MA27XL123 (characters 9-17) ends in 3 where its own check (GB 11714) gives 7; the "
        "credit code itself checks out"}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    auto code = Uscc::parse(row.input);
    ASSERT_TRUE(code.ok()) << code.error().message;
    EXPECT_EQ(code->warnings(), row.warnings);
  }
}

struct ErrorRow {
  std::string input;
  const char* message;
};

TEST(UsccTest, RejectsWithMessagesAClerkCanActOn) {
  const std::vector<ErrorRow> rows = {
      {"", "is empty; a credit code has 18 characters"},
      {"91350100M000100Y4", "has 17 characters; a credit code has 18"},
      {"91350100M000100Y433", "has 19 characters; a credit code has 18"},
      {"9", "has 1 character; a credit code has 18"},
      {"9135010０M000100Y4", "character 8 '０' is full-width; type an ordinary 0 instead"},  // before the length
      // the five letters left out of the set, in either case
      {"9135O100M000100Y43", "character 5 'O' is not used in credit codes (I, O, S, V and Z never are)"},
      {"9135o100M000100Y43", "character 5 'O' is not used in credit codes (I, O, S, V and Z never are)"},
      {"91350100MI00100Y43", "character 10 'I' is not used in credit codes (I, O, S, V and Z never are)"},
      {"91350100M0S0100Y43", "character 11 'S' is not used in credit codes (I, O, S, V and Z never are)"},
      {"91350100M000100V43", "character 16 'V' is not used in credit codes (I, O, S, V and Z never are)"},
      {"91350100M000100Y4z", "character 18 'Z' is not used in credit codes (I, O, S, V and Z never are)"},
      {"9135\xef\xbc\xaf"
       "100M000100Y43",
       "character 5 'Ｏ' is not used in credit codes (I, O, S, V and Z never are)"},
      // other characters
      {"91-350100M000100Y43",
       "character 3 '-' is not used in credit codes, which have only digits and capital letters"},
      {"91350100 M000100Y43",
       "character 9 (a space) is not used in credit codes, which have only digits and capital "
       "letters"},
      {"91350100\xef\xbc\xad"
       "000100Y43",
       "character 9 'Ｍ' is full-width; type an ordinary M instead"},
      {"9135010０M000100Y43", "character 8 '０' is full-width; type an ordinary 0 instead"},
      {"统一社会信用代码", "character 1 '统' is not used in credit codes, which have only digits and capital letters"},
      // the check character
      {"91350100M000100Y44", "check character should be 3, not 4"},
      {"91350100M000100Y4A", "check character should be 3, not A"},
      {"91330106MA27XL127K", "check character should be 0, not K"},
      {"91350100M000100Y34", "check character should be 0, not 4"},  // the last two swapped
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    auto code = Uscc::parse(row.input);
    ASSERT_FALSE(code.ok()) << code->value();
    EXPECT_EQ(code.error().code, ErrorCode::invalid);
    ASSERT_EQ(code.error().fields.size(), 1u);
    EXPECT_EQ(code.error().fields[0].field, "uscc");
    EXPECT_EQ(code.error().fields[0].message, row.message);
  }
}

TEST(UsccTest, CheckCharacter) {
  const std::vector<std::pair<std::string, char>> rows = {
      {"91350100M000100Y4", '3'},
      {"91330106MA27XL127", '0'},
      {"12100000400000624", 'D'},
      {"5310000050000012X", 'J'},
      {"91330106MA27XL123", 'K'},
      {"91350100m000100y4", '3'},  // either case
      // not 17 characters of the set
      {"91350100M000100Y", '\0'},
      {"91350100M000100Y43", '\0'},
      {"9135O100M000100Y4", '\0'},
      {"", '\0'},
  };
  for (const auto& [first17, check] : rows) {
    SCOPED_TRACE(first17);
    EXPECT_EQ(uscc_check_character(first17), check);
  }
}

TEST(UsccTest, OrganisationCodeCheckCharacter) {
  const std::vector<std::pair<std::string, char>> rows = {
      {"D2143569", 'X'}, {"M000100Y", '4'}, {"MA27XL12", '7'}, {"00000000", '0'},   {"00000006", 'X'},
      {"12345678", '8'}, {"d2143569", 'X'}, {"D214356", '\0'}, {"D2143569X", '\0'}, {"D214-569", '\0'},
  };
  for (const auto& [first8, check] : rows) {
    SCOPED_TRACE(first8);
    EXPECT_EQ(organisation_code_check_character(first8), check);
  }
}

}  // namespace
}  // namespace zhengwu::identifiers
