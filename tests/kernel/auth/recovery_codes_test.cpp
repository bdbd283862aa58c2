// Recovery codes for the TOTP second factor: format and alphabet of generated codes,
// normalisation of what people type, single use against the stored HMAC-SM3 hashes.
#include "kernel/auth/recovery_codes.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace zhengwu::auth {
namespace {

TEST(RecoveryCodesTest, GeneratedCodesHaveTheFormat) {
  IssuedRecoveryCodes issued = generate_recovery_codes();
  ASSERT_EQ(issued.codes.size(), 10u);
  ASSERT_EQ(issued.stored.hashes.size(), 10u);
  const std::regex format("[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}");
  const std::regex hex64("[0-9a-f]{64}");
  EXPECT_TRUE(std::regex_match(issued.stored.salt, std::regex("[0-9a-f]{32}")));
  std::set<std::string> codes, hashes;
  for (std::size_t i = 0; i < issued.codes.size(); ++i) {
    SCOPED_TRACE(issued.codes[i]);
    EXPECT_TRUE(std::regex_match(issued.codes[i], format));
    EXPECT_EQ(issued.codes[i].find_first_of("01lo"), std::string::npos);
    EXPECT_TRUE(std::regex_match(issued.stored.hashes[i], hex64));
    EXPECT_EQ(normalize_recovery_code(issued.codes[i]), issued.codes[i]);
    codes.insert(issued.codes[i]);
    hashes.insert(issued.stored.hashes[i]);
  }
  EXPECT_EQ(codes.size(), 10u);
  EXPECT_EQ(hashes.size(), 10u);
  EXPECT_EQ(unused_recovery_codes(issued.stored), 10u);
}

TEST(RecoveryCodesTest, AlphabetIsUnambiguous) {
  EXPECT_EQ(kRecoveryCodeAlphabet.size(), 32u);
  EXPECT_EQ(std::string(kRecoveryCodeAlphabet).find_first_of("01lo"), std::string::npos);
  EXPECT_EQ(std::set<char>(kRecoveryCodeAlphabet.begin(), kRecoveryCodeAlphabet.end()).size(), 32u);
  // Over many codes every character of the alphabet shows up, and no other.
  std::set<char> seen;
  for (int i = 0; i < 20; ++i) {
    for (const auto& code : generate_recovery_codes().codes) {
      for (char c : code) {
        if (c != '-') seen.insert(c);
      }
    }
  }
  EXPECT_EQ(seen, std::set<char>(kRecoveryCodeAlphabet.begin(), kRecoveryCodeAlphabet.end()));
}

TEST(RecoveryCodesTest, Counts) {
  EXPECT_EQ(generate_recovery_codes(1).codes.size(), 1u);
  EXPECT_EQ(generate_recovery_codes(16).stored.hashes.size(), 16u);
  EXPECT_THROW((void)generate_recovery_codes(0), std::invalid_argument);
  EXPECT_THROW((void)generate_recovery_codes(kRecoveryCodeMaxCount + 1), std::invalid_argument);
}

TEST(RecoveryCodesTest, Normalisation) {
  struct Row {
    std::string input;
    std::optional<std::string> canonical;
  };
  const std::string c = "ab3d-9k2m-x7p4";
  const std::vector<Row> rows = {
      {"ab3d-9k2m-x7p4", c},
      {"AB3D-9K2M-X7P4", c},
      {"ab3d9k2mx7p4", c},
      {"AB3D9K2MX7P4", c},
      {" ab3d 9k2m x7p4 ", c},
      {"ab3d--9k2m - x7p4", c},
      {"a-b-3-d-9-k-2-m-x-7-p-4", c},
      {"ＡＢ３Ｄ－９Ｋ２Ｍ－Ｘ７Ｐ４", c},  // full-width, as a Chinese input method types
      {"ａｂ３ｄ　９ｋ２ｍ　ｘ７ｐ４", c},  // with ideographic spaces
      {"ab3d-9k2m-x7p", std::nullopt},      // 11 characters
      {"ab3d-9k2m-x7p44", std::nullopt},    // 13
      {"", std::nullopt},
      {"----", std::nullopt},
      {"ab3d-9k2m-x7p0", std::nullopt},  // 0 is never in a code
      {"ab3d-9k2m-x7po", std::nullopt},  // nor o
      {"ab3d-9k2m-x7p1", std::nullopt},  // nor 1
      {"ab3d-9k2m-x7pl", std::nullopt},  // nor l
      {"ab3d_9k2m_x7p4", std::nullopt},
      {"ab3d.9k2m.x7p4", std::nullopt},
      {"ab3d-9k2m-x7p四", std::nullopt},
      {"ab3d-9k2m-x7p\xef\xbc", std::nullopt},  // truncated full-width form
      {"ab3d-9k2m-x7p\xff", std::nullopt},
      {"ab3d\t9k2m\tx7p4", std::nullopt},
      {std::string(200, ' ') + c, std::nullopt},  // not a mistyped code
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(normalize_recovery_code(row.input), row.canonical);
  }
}

TEST(RecoveryCodesTest, EachCodeWorksOnce) {
  IssuedRecoveryCodes issued = generate_recovery_codes();
  RecoveryCodeSet set = issued.stored;
  // Use them in a scrambled order.
  const std::vector<std::size_t> order = {3, 0, 9, 4, 1, 8, 5, 2, 7, 6};
  for (std::size_t n = 0; n < order.size(); ++n) {
    std::size_t i = order[n];
    SCOPED_TRACE(issued.codes[i]);
    const RecoveryCodeSet before = set;
    auto use = consume_recovery_code(set, issued.codes[i]);
    ASSERT_TRUE(use.has_value());
    EXPECT_EQ(use->index, i);
    EXPECT_EQ(set, before);  // the input set is not changed
    EXPECT_TRUE(use->remaining.hashes[i].empty());
    EXPECT_EQ(unused_recovery_codes(use->remaining), order.size() - n - 1);
    set = use->remaining;
    EXPECT_FALSE(consume_recovery_code(set, issued.codes[i]).has_value());
  }
  EXPECT_EQ(unused_recovery_codes(set), 0u);
}

TEST(RecoveryCodesTest, TypedFormsAreAccepted) {
  IssuedRecoveryCodes issued = generate_recovery_codes(3);
  std::string upper = issued.codes[1];
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string bare;
  for (char ch : issued.codes[2]) {
    if (ch != '-') bare += ch;
  }
  struct Row {
    std::string input;
    std::optional<std::size_t> index;
  };
  const std::vector<Row> rows = {
      {issued.codes[0], 0},
      {upper, 1},
      {bare, 2},
      {" " + issued.codes[0] + " ", 0},
      {"zzzz-zzzz-zzzz", std::nullopt},
      {"not a code", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    auto use = consume_recovery_code(issued.stored, row.input);
    EXPECT_EQ(use.has_value(), row.index.has_value());
    if (use && row.index) {
      EXPECT_EQ(use->index, *row.index);
    }
  }
}

TEST(RecoveryCodesTest, CodesBelongToTheirSet) {
  IssuedRecoveryCodes a = generate_recovery_codes();
  IssuedRecoveryCodes b = generate_recovery_codes();
  EXPECT_NE(a.stored.salt, b.stored.salt);
  for (const auto& code : a.codes) EXPECT_FALSE(consume_recovery_code(b.stored, code).has_value());
  // The same code under two salts gives two hashes.
  RecoveryCodeSet other_salt = a.stored;
  other_salt.salt = b.stored.salt;
  EXPECT_FALSE(consume_recovery_code(other_salt, a.codes[0]).has_value());
}

TEST(RecoveryCodesTest, DamagedStorageMatchesNothing) {
  IssuedRecoveryCodes issued = generate_recovery_codes(2);
  RecoveryCodeSet bad_salt = issued.stored;
  bad_salt.salt = "not hex";
  EXPECT_FALSE(consume_recovery_code(bad_salt, issued.codes[0]).has_value());
  RecoveryCodeSet upper_hash = issued.stored;
  for (char& ch : upper_hash.hashes[0]) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_FALSE(consume_recovery_code(upper_hash, issued.codes[0]).has_value());
  RecoveryCodeSet empty;
  EXPECT_FALSE(consume_recovery_code(empty, issued.codes[0]).has_value());
}

TEST(RecoveryCodesTest, TextFormRoundTrips) {
  IssuedRecoveryCodes issued = generate_recovery_codes();
  auto use = consume_recovery_code(issued.stored, issued.codes[4]);
  ASSERT_TRUE(use.has_value());
  for (const RecoveryCodeSet& set : {issued.stored, use->remaining}) {
    std::string text = format_recovery_codes(set);
    EXPECT_EQ(text.rfind("v1:" + set.salt + ":", 0), 0u);
    auto back = parse_recovery_codes(text);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, set);
  }
  EXPECT_NE(format_recovery_codes(use->remaining).find(",,"), std::string::npos);
  auto back = parse_recovery_codes(format_recovery_codes(use->remaining));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(consume_recovery_code(*back, issued.codes[4]).has_value());
  EXPECT_TRUE(consume_recovery_code(*back, issued.codes[5]).has_value());
}

TEST(RecoveryCodesTest, TextFormErrors) {
  const std::string salt(32, 'a'), hash(64, 'b');
  struct Row {
    std::string text, message;
  };
  const std::vector<Row> rows = {
      {"", "recovery_codes: does not start with v1:"},
      {"v2:" + salt + ":" + hash, "recovery_codes: does not start with v1:"},
      {"v1:" + salt, "recovery_codes: has no hashes after the salt"},
      {"v1:" + salt.substr(1) + ":" + hash, "recovery_codes: salt is not 32 lower-case hex digits"},
      {"v1:" + std::string(32, 'A') + ":" + hash, "recovery_codes: salt is not 32 lower-case hex digits"},
      {"v1:" + salt + ":" + hash + "," + hash.substr(1),
       "recovery_codes: code 2 is not 64 lower-case hex digits or empty"},
      {"v1:" + salt + ":" + hash + ":" + hash, "recovery_codes: code 1 is not 64 lower-case hex digits or empty"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    auto set = parse_recovery_codes(row.text);
    ASSERT_FALSE(set.ok());
    EXPECT_EQ(set.error().message, row.message);
  }
  std::string many = "v1:" + salt + ":" + hash;
  for (std::size_t i = 1; i < kRecoveryCodeMaxCount; ++i) many += "," + hash;
  EXPECT_TRUE(parse_recovery_codes(many).ok());
  EXPECT_EQ(parse_recovery_codes(many + "," + hash).error().message, "recovery_codes: holds more than 100 codes");
}

}  // namespace
}  // namespace zhengwu::auth
