// The password policy (GB/T 22239-2019 level 3) and argon2id hashing (RFC 9106):
// policy rules one by one, round trips, malformed encodings, re-hash decisions.
// Hashing uses small parameters (1 MiB, one pass) to keep the suite fast; the
// production cost is measured in bench/password_bench.cpp.
#include "kernel/auth/password.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace zhengwu::auth {
namespace {

using namespace std::chrono;

const Argon2Params kFast{1, 1024, 1};

std::vector<std::string> messages(const Status& s) {
  std::vector<std::string> out;
  if (!s.ok()) {
    for (const auto& f : s.error().fields) out.push_back(f.message);
  }
  return out;
}

constexpr const char* kClasses2 =
    "needs 3 of: lower-case letters, upper-case letters, digits, symbols (has 2); Chinese and other non-ASCII "
    "characters count as symbols";
constexpr const char* kClasses1 =
    "needs 3 of: lower-case letters, upper-case letters, digits, symbols (has 1); Chinese and other non-ASCII "
    "characters count as symbols";

TEST(PasswordPolicyTest, DefaultRules) {
  struct Row {
    std::string name, password, username;
    std::vector<std::string> problems;
  };
  const std::vector<Row> rows = {
      {"three classes", "Abcdefg1", "", {}},
      {"four classes", "Abc!efg1", "", {}},
      {"short", "Ab1!xy", "", {"needs at least 8 characters (has 6)"}},
      {"empty",
       "",
       "",
       {"needs at least 8 characters (has 0)",
        "needs 3 of: lower-case letters, upper-case "
        "letters, digits, symbols (has 0); Chinese and "
        "other non-ASCII characters count as symbols"}},
      {"lower only", "abcdefgh", "", {kClasses1}},
      {"lower and digits", "abcdefg1", "", {kClasses2}},
      {"upper and symbol", "ABCDEFG!", "", {kClasses2}},
      {"space is a symbol", "abc defG", "", {}},
      {"Chinese counts as symbols", "政务平台abc123", "", {}},
      {"Chinese characters are characters, not bytes", "政务Ab1", "", {"needs at least 8 characters (has 5)"}},
      {"Chinese alone", "政务服务平台密码", "", {kClasses1}},
      {"full-width forms are symbols", "ａｂｃabcD1", "", {}},
      {"user name inside", "Zhangsan#2025", "zhangsan", {"must not contain the user name"}},
      {"user name in other case", "xxZHANGSANx1", "zhangsan", {"must not contain the user name"}},
      {"user name absent", "Lisi#2025x", "zhangsan", {}},
      {"Chinese user name inside", "张三Abc12345", "张三", {"must not contain the user name"}},
      {"no user name given", "Zhangsan#2025", "", {}},
      {"tab", "Abcdef1\tx", "", {"must not contain control characters (such as tab or line break)"}},
      {"line break", "Abcdef1\nx", "", {"must not contain control characters (such as tab or line break)"}},
      {"several rules at once",
       "admin",
       "admin",
       {"needs at least 8 characters (has 5)", kClasses1, "must not contain the user name"}},
      {"invalid UTF-8", "Abcdef1\xff", "", {"is not valid UTF-8 text"}},
      {"overlong UTF-8", "Abcdef1\xc0\xaf", "", {"is not valid UTF-8 text"}},
      {"truncated UTF-8", "Abcdef1\xe6\x94", "", {"is not valid UTF-8 text"}},
      {"UTF-16 surrogate", "Abcdef1\xed\xa0\x80", "", {"is not valid UTF-8 text"}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Status s = check_password(row.password, PasswordPolicy{}, row.username);
    EXPECT_EQ(s.ok(), row.problems.empty());
    EXPECT_EQ(messages(s), row.problems);
    if (!s.ok()) {
      EXPECT_EQ(s.error().code, ErrorCode::invalid);
      for (const auto& f : s.error().fields) EXPECT_EQ(f.field, "password");
    }
  }
}

TEST(PasswordPolicyTest, LengthLimitIsInBytes) {
  struct Row {
    std::string name, password;
    std::vector<std::string> problems;
  };
  const std::string ascii128 = "Aa1" + std::string(125, 'x');
  const std::string ascii129 = ascii128 + "y";
  std::string chinese = "Aa1";
  for (int i = 0; i < 42; ++i) chinese += "政";  // 3 + 126 bytes, 45 characters
  const std::vector<Row> rows = {
      {"128 bytes", ascii128, {}},
      {"129 bytes", ascii129, {"must be at most 128 bytes (has 129)"}},
      {"Chinese over the limit", chinese, {"must be at most 128 bytes (has 129); a Chinese character takes 3 bytes"}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(messages(check_password(row.password, PasswordPolicy{})), row.problems);
  }
}

TEST(PasswordPolicyTest, ConfiguredRules) {
  struct Row {
    std::string name;
    PasswordPolicy policy;
    std::string password;
    std::vector<std::string> problems;
  };
  PasswordPolicy strict;
  strict.min_length = 12;
  strict.min_classes = 4;
  strict.max_length = 16;
  PasswordPolicy lax;
  lax.min_length = 4;
  lax.min_classes = 1;
  const std::vector<Row> rows = {
      {"strict, fine", strict, "Abcdefgh123!", {}},
      {"strict, short", strict, "Abcdefg123!", {"needs at least 12 characters (has 11)"}},
      {"strict, three classes",
       strict,
       "Abcdefgh1234",
       {"needs 4 of: lower-case letters, upper-case letters, digits, symbols (has 3); Chinese and other non-ASCII "
        "characters count as symbols"}},
      {"strict, too long", strict, "Abcdefgh123!xyzwv", {"must be at most 16 bytes (has 17)"}},
      {"lax, fine", lax, "abcd", {}},
      {"lax, short", lax, "abc", {"needs at least 4 characters (has 3)"}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(messages(check_password(row.password, row.policy)), row.problems);
  }
}

TEST(PasswordPolicyTest, MessageListsEveryProblem) {
  Status s = check_password("admin", PasswordPolicy{}, "admin");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "password: needs at least 8 characters (has 5); " + std::string(kClasses1) +
                                   "; must not contain the user name");
}

TEST(PasswordPolicyTest, Expiry) {
  const TimePoint changed = sys_days{year{2025} / January / 1};
  PasswordPolicy never;
  never.expiry = days{0};
  struct Row {
    std::string name;
    PasswordPolicy policy;
    TimePoint now;
    bool expired;
  };
  const std::vector<Row> rows = {
      {"same day", PasswordPolicy{}, changed, false},
      {"89 days", PasswordPolicy{}, changed + days{89}, false},
      {"one second before 90 days", PasswordPolicy{}, changed + days{90} - seconds{1}, false},
      {"90 days", PasswordPolicy{}, changed + days{90}, true},
      {"a year", PasswordPolicy{}, changed + days{365}, true},
      {"expiry off", never, changed + days{3650}, false},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(password_expired(changed, row.now, row.policy), row.expired);
  }
}

TEST(PasswordHashTest, RoundTrip) {
  const std::vector<std::string> passwords = {"Correct horse 1", "", "政务平台Ab1!", std::string(128, 'x'),
                                              std::string("with\0nul", 8)};
  for (const auto& password : passwords) {
    SCOPED_TRACE(password);
    std::string encoded = hash_password(password, kFast);
    EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << encoded;
    EXPECT_TRUE(verify_password(password, encoded));
    EXPECT_FALSE(verify_password(password + "x", encoded));
    EXPECT_FALSE(needs_rehash(encoded, kFast));
  }
}

TEST(PasswordHashTest, WrongPasswords) {
  std::string encoded = hash_password("Abcdefg1!", kFast);
  for (std::string wrong : {"abcdefg1!", "Abcdefg1", "Abcdefg1! ", " Abcdefg1!", ""}) {
    SCOPED_TRACE(wrong);
    EXPECT_FALSE(verify_password(wrong, encoded));
  }
  EXPECT_FALSE(verify_password(std::string_view("Abcdefg1!\0", 10), encoded));
}

TEST(PasswordHashTest, FreshSaltEachTime) {
  std::string a = hash_password("same password", kFast);
  std::string b = hash_password("same password", kFast);
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_password("same password", a));
  EXPECT_TRUE(verify_password("same password", b));
}

TEST(PasswordHashTest, EncodingShape) {
  std::string encoded = hash_password("x", Argon2Params{2, 2048, 2});
  // $argon2id$v=19$m=2048,t=2,p=2$<22 chars: 16-byte salt>$<43 chars: 32-byte tag>
  std::string prefix = "$argon2id$v=19$m=2048,t=2,p=2$";
  ASSERT_EQ(encoded.rfind(prefix, 0), 0u);
  std::string rest = encoded.substr(prefix.size());
  auto dollar = rest.find('$');
  ASSERT_NE(dollar, std::string::npos);
  EXPECT_EQ(dollar, 22u);
  EXPECT_EQ(rest.size() - dollar - 1, 43u);
  EXPECT_TRUE(verify_password("x", encoded));
}

TEST(PasswordHashTest, MalformedEncodingsAreRefusedWithoutThrowing) {
  const std::string good = hash_password("Abcdefg1!", kFast);
  const std::string prefix = "$argon2id$v=19$m=1024,t=1,p=1$";
  const std::string tail = good.substr(prefix.size());  // salt$tag
  std::string flipped = good;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
  struct Row {
    std::string name, encoded;
  };
  const std::vector<Row> rows = {
      {"empty", ""},
      {"garbage", "not a hash"},
      {"bcrypt", "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"},
      {"argon2i", "$argon2i$v=19$m=1024,t=1,p=1$" + tail},
      {"argon2d", "$argon2d$v=19$m=1024,t=1,p=1$" + tail},
      {"old version", "$argon2id$v=16$m=1024,t=1,p=1$" + tail},
      {"no version", "$argon2id$m=1024,t=1,p=1$" + tail},
      {"other parameters", "$argon2id$v=19$m=2048,t=1,p=1$" + tail},
      {"parameters reordered", "$argon2id$v=19$t=1,m=1024,p=1$" + tail},
      {"leading zero", "$argon2id$v=19$m=01024,t=1,p=1$" + tail},
      {"negative", "$argon2id$v=19$m=1024,t=-1,p=1$" + tail},
      {"t = 0", "$argon2id$v=19$m=1024,t=0,p=1$" + tail},
      {"p = 0", "$argon2id$v=19$m=1024,t=1,p=0$" + tail},
      {"huge memory", "$argon2id$v=19$m=4294967295,t=1,p=1$" + tail},
      {"memory above 32 bits", "$argon2id$v=19$m=4294967296,t=1,p=1$" + tail},
      {"too many passes", "$argon2id$v=19$m=1024,t=100000,p=1$" + tail},
      {"too many lanes", "$argon2id$v=19$m=1048576,t=1,p=1000$" + tail},
      {"tag missing", prefix + tail.substr(0, tail.find('$'))},
      {"tag empty", prefix + tail.substr(0, tail.find('$') + 1)},
      {"salt too short", prefix + "c2FsdA$" + tail.substr(tail.find('$') + 1)},
      {"not base64", prefix + "!!!!!!!!!!!!!!!!!!!!!!$" + tail.substr(tail.find('$') + 1)},
      {"truncated", good.substr(0, good.size() - 10)},
      {"one character changed", flipped},
      {"trailing garbage", good + "$"},
      {"NUL inside", good.substr(0, 20) + std::string(1, '\0') + good.substr(21)},
      {"upper-case name", "$ARGON2ID$v=19$m=1024,t=1,p=1$" + tail},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    bool result = true;
    EXPECT_NO_THROW(result = verify_password("Abcdefg1!", row.encoded));
    EXPECT_FALSE(result);
    // Everything malformed asks for a re-hash; a changed tag is well-formed, just wrong.
    if (row.name != "one character changed") {
      EXPECT_TRUE(needs_rehash(row.encoded, kFast));
    }
  }
  EXPECT_TRUE(verify_password("Abcdefg1!", good));
}

TEST(PasswordHashTest, NeedsRehash) {
  const std::string encoded = hash_password("Abcdefg1!", kFast);
  struct Row {
    std::string name;
    Argon2Params params;
    bool rehash;
  };
  const std::vector<Row> rows = {
      {"same", kFast, false},
      {"more memory", {1, 2048, 1}, true},
      {"less memory", {1, 512, 1}, true},
      {"more passes", {2, 1024, 1}, true},
      {"more lanes", {1, 1024, 2}, true},
      {"production", Argon2Params{}, true},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(needs_rehash(encoded, row.params), row.rehash);
  }
  EXPECT_TRUE(needs_rehash("", kFast));
  EXPECT_TRUE(needs_rehash("$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + std::string(43, 'A'), kFast));
  // A 16-byte salt (22 characters) and 32-byte tag (43) are expected; other sizes re-hash.
  EXPECT_FALSE(
      needs_rehash("$argon2id$v=19$m=1024,t=1,p=1$" + std::string(22, 'A') + "$" + std::string(43, 'A'), kFast));
  EXPECT_TRUE(
      needs_rehash("$argon2id$v=19$m=1024,t=1,p=1$" + std::string(11, 'A') + "$" + std::string(43, 'A'), kFast));
  EXPECT_TRUE(
      needs_rehash("$argon2id$v=19$m=1024,t=1,p=1$" + std::string(22, 'A') + "$" + std::string(22, 'A'), kFast));
}

TEST(PasswordHashTest, ParameterBounds) {
  struct Row {
    std::string name;
    Argon2Params params;
    std::string error;  // empty when accepted
  };
  const std::vector<Row> rows = {
      {"production", Argon2Params{}, ""},
      {"OWASP minimum", {2, 19456, 1}, ""},
      {"smallest", {1, 8, 1}, ""},
      {"t = 0", {0, 1024, 1}, "argon2: t_cost must be 1..64 (is 0)"},
      {"t too big", {65, 1024, 1}, "argon2: t_cost must be 1..64 (is 65)"},
      {"p = 0", {1, 1024, 0}, "argon2: parallelism must be 1..64 (is 0)"},
      {"p too big", {1, 1024, 65}, "argon2: parallelism must be 1..64 (is 65)"},
      {"memory below 8 KiB", {1, 7, 1}, "argon2: m_cost_kib must be 8..4194304 (is 7)"},
      {"memory below 8 KiB per lane", {1, 16, 4}, "argon2: m_cost_kib must be 32..4194304 (is 16)"},
      {"memory above 4 GiB", {1, 4194305, 1}, "argon2: m_cost_kib must be 8..4194304 (is 4194305)"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Status s = check_argon2_params(row.params);
    EXPECT_EQ(s.ok(), row.error.empty());
    if (!s.ok()) {
      EXPECT_EQ(s.error().message, row.error);
      EXPECT_THROW((void)hash_password("x", row.params), std::invalid_argument);
      EXPECT_THROW(dummy_verify("x", row.params), std::invalid_argument);
    }
  }
}

TEST(PasswordHashTest, DummyVerifyRunsWithTheGivenParameters) {
  EXPECT_NO_THROW(dummy_verify("anything", kFast));
  EXPECT_NO_THROW(dummy_verify("", kFast));
}

TEST(PasswordHashTest, History) {
  std::vector<std::string> previous = {hash_password("Newer#2025", kFast), hash_password("Older#2024", kFast)};
  EXPECT_TRUE(is_reused_password("Newer#2025", previous));
  EXPECT_TRUE(is_reused_password("Older#2024", previous));
  EXPECT_FALSE(is_reused_password("Fresh#2026", previous));
  EXPECT_FALSE(is_reused_password("Newer#2025", {}));
  EXPECT_FALSE(is_reused_password("Newer#2025", {"", "not a hash"}));
}

}  // namespace
}  // namespace zhengwu::auth
