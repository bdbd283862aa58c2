// TOTP (RFC 6238) and HOTP (RFC 4226) against the RFCs' own test vectors; RFC 4648
// base32 vectors and tolerant decoding; the verification window, replay refusal and
// code format; the otpauth Key URI with a Chinese issuer.
#include "kernel/auth/totp.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace zhengwu::auth {
namespace {

using namespace std::chrono;

Bytes bytes_of(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

TimePoint at_unix(std::int64_t s) {
  return TimePoint{seconds{s}};
}

// RFC 6238 Appendix B: the seed is the ASCII digits repeated to the hash's output size.
constexpr std::string_view kSeed20Text = "12345678901234567890";
constexpr std::string_view kSeed32Text = "12345678901234567890123456789012";
constexpr std::string_view kSeed64Text = "1234567890123456789012345678901234567890123456789012345678901234";

TEST(TotpTest, Rfc6238AppendixBVectors) {
  const Bytes seed20 = bytes_of(kSeed20Text), seed32 = bytes_of(kSeed32Text), seed64 = bytes_of(kSeed64Text);
  struct Row {
    std::int64_t time;
    std::string sha1, sha256, sha512;
  };
  const std::vector<Row> rows = {
      {59, "94287082", "46119246", "90693936"},         {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"}, {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"}, {20000000000, "65353130", "77737706", "47863826"},
  };
  // TimePoint counts nanoseconds in 64 bits and ends in 2262, so the last row (year 2603)
  // is checked through its time step T = floor(time / 30) (RFC 6238 section 4.2) alone.
  const std::int64_t last_time_point_second = TimePoint::max().time_since_epoch().count() / 1'000'000'000;
  for (const auto& row : rows) {
    SCOPED_TRACE(row.time);
    const auto t = static_cast<std::uint64_t>(row.time / 30);
    EXPECT_EQ(hotp_code(seed20, t, 8), row.sha1);
    EXPECT_EQ(hotp_code(seed32, t, 8, TotpAlgorithm::sha256), row.sha256);
    EXPECT_EQ(hotp_code(seed64, t, 8, TotpAlgorithm::sha512), row.sha512);
    if (row.time > last_time_point_second) continue;
    EXPECT_EQ(totp_code(seed20, at_unix(row.time), 8), row.sha1);
    EXPECT_EQ(totp_code(seed32, at_unix(row.time), 8, 30s, TotpAlgorithm::sha256), row.sha256);
    EXPECT_EQ(totp_code(seed64, at_unix(row.time), 8, 30s, TotpAlgorithm::sha512), row.sha512);
    // Six digits are the last six of the eight (the same number, a smaller modulus).
    EXPECT_EQ(totp_code(seed20, at_unix(row.time)), row.sha1.substr(2));
  }
}

TEST(TotpTest, Rfc4226AppendixDVectors) {
  const Bytes seed20 = bytes_of(kSeed20Text);
  const std::vector<std::string> codes = {"755224", "287082", "359152", "969429", "338314",
                                          "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < codes.size(); ++counter) {
    SCOPED_TRACE(counter);
    EXPECT_EQ(hotp_code(seed20, counter), codes[counter]);
  }
}

TEST(TotpTest, TimeSteps) {
  struct Row {
    std::int64_t unix_seconds;
    seconds step;
    std::int64_t expected;
  };
  const std::vector<Row> rows = {
      {0, 30s, 0},
      {29, 30s, 0},
      {30, 30s, 1},
      {59, 30s, 1},
      {60, 30s, 2},
      {1111111109, 30s, 37037036},
      {9000000000, 30s, 300000000},
      {-1, 30s, -1},
      {-30, 30s, -1},
      {-31, 30s, -2},
      {59, 60s, 0},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.unix_seconds);
    EXPECT_EQ(totp_step(at_unix(row.unix_seconds), row.step), row.expected);
  }
  // Sub-second precision does not move a time into the next step.
  EXPECT_EQ(totp_step(at_unix(29) + milliseconds{999}), 0);
  EXPECT_THROW((void)totp_step(at_unix(0), 0s), std::invalid_argument);
}

TEST(TotpTest, DigitsOutsideSixToEightAreProgrammingErrors) {
  const Bytes seed20 = bytes_of(kSeed20Text);
  EXPECT_THROW((void)totp_code(seed20, at_unix(59), 5), std::invalid_argument);
  EXPECT_THROW((void)totp_code(seed20, at_unix(59), 9), std::invalid_argument);
  EXPECT_EQ(totp_code(seed20, at_unix(59), 7), "4287082");
}

TEST(Base32Test, Rfc4648Vectors) {
  struct Row {
    std::string data, text;
  };
  const std::vector<Row> rows = {
      {"", ""},
      {"f", "MY"},
      {"fo", "MZXQ"},
      {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"},
      {"12345678901234567890", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.data);
    EXPECT_EQ(encode_base32(bytes_of(row.data)), row.text);
    auto decoded = decode_base32(row.text);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, bytes_of(row.data));
  }
}

TEST(Base32Test, DecodingIsTolerantOfHowPeopleWriteSecrets) {
  struct Row {
    std::string text, data;
  };
  const std::vector<Row> rows = {
      {"mzxw6ytboi", "foobar"},
      {"MzXw6YtBoI", "foobar"},
      {"MZXW 6YTB OI", "foobar"},
      {"  mzxw 6ytb oi  ", "foobar"},
      {"MY======", "f"},
      {"MZXQ====", "fo"},
      {"MZXW6===", "foo"},
      {"MZXW6YQ=", "foob"},
      {"MZXW6YTBOI======", "foobar"},
      {"MZXW6YTBOI", "foobar"},
      {"MZXW6YTBOI==", "foobar"},  // padding is ignored, not counted
      {"MZXW6YTBOI = = ", "foobar"},
      {"MZ", "f"},  // unused low bits of the last character are ignored, as apps do
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    auto decoded = decode_base32(row.text);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, bytes_of(row.data));
  }
}

TEST(Base32Test, BadInputIsAnErrorNamingThePosition) {
  struct Row {
    std::string text, message;
  };
  const std::vector<Row> rows = {
      {"MZXW1YTB", "secret: '1' at position 5 is not a base32 character (A-Z, 2-7)"},
      {"MZXW0YTB", "secret: '0' at position 5 is not a base32 character (A-Z, 2-7)"},
      {"MZXW8", "secret: '8' at position 5 is not a base32 character (A-Z, 2-7)"},
      {"MZ-XW", "secret: '-' at position 3 is not a base32 character (A-Z, 2-7)"},
      {"MZXW\t6", "secret: byte 0x09 at position 5 is not a base32 character (A-Z, 2-7)"},
      {"密钥", "secret: byte 0xE5 at position 1 is not a base32 character (A-Z, 2-7)"},
      {"MZ=XW", "secret: padding '=' at position 3 comes before the end"},
      {"M", "secret: has 1 base32 characters, a length no encoding produces (a character is missing or extra)"},
      {"MZX", "secret: has 3 base32 characters, a length no encoding produces (a character is missing or extra)"},
      {"MZXW6Y", "secret: has 6 base32 characters, a length no encoding produces (a character is missing or extra)"},
      {"MZXW6YTBO", "secret: has 9 base32 characters, a length no encoding produces (a character is missing or extra)"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    auto decoded = decode_base32(row.text);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, ErrorCode::invalid);
    EXPECT_EQ(decoded.error().message, row.message);
  }
}

TEST(Base32Test, RoundTripsEveryLength) {
  for (std::size_t n = 0; n <= 41; ++n) {
    Bytes data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(i * 37 + n * 11 + 0x80);
    std::string text = encode_base32(data);
    EXPECT_EQ(text.size(), (n * 8 + 4) / 5);
    EXPECT_EQ(text.find('='), std::string::npos);
    auto back = decode_base32(text);
    ASSERT_TRUE(back.ok()) << n;
    EXPECT_EQ(*back, data);
  }
}

class TotpVerifyTest : public ::testing::Test {
 protected:
  // The middle of a step, and its neighbours' codes.
  const Bytes secret_ = bytes_of(kSeed20Text);
  const std::int64_t step_ = 37037036;  // 1111111109 / 30
  const TimePoint now_ = at_unix(step_ * 30 + 15);
  std::string code(std::int64_t step, int digits = 6) const {
    return hotp_code(secret_, static_cast<std::uint64_t>(step), digits);
  }
};

TEST_F(TotpVerifyTest, WindowEdges) {
  struct Row {
    std::string name;
    std::int64_t offset;  // of the code's step from now's
    int window;
    bool ok;
  };
  const std::vector<Row> rows = {
      {"now, window 0", 0, 0, true},        {"previous, window 0", -1, 0, false},   {"next, window 0", 1, 0, false},
      {"now, window 1", 0, 1, true},        {"previous, window 1", -1, 1, true},    {"next, window 1", 1, 1, true},
      {"two back, window 1", -2, 1, false}, {"two ahead, window 1", 2, 1, false},   {"two back, window 2", -2, 2, true},
      {"two ahead, window 2", 2, 2, true},  {"three back, window 2", -3, 2, false},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    TotpCheck check = verify_totp(secret_, code(step_ + row.offset), now_, row.window);
    EXPECT_EQ(check.ok, row.ok);
    EXPECT_FALSE(check.replayed);
    if (row.ok) {
      EXPECT_EQ(check.step, step_ + row.offset);
    }
  }
}

TEST_F(TotpVerifyTest, StepBoundaries) {
  // The first and last second of a step take the same code; the next second does not.
  const TimePoint first = at_unix(step_ * 30);
  const TimePoint last = at_unix(step_ * 30 + 29);
  EXPECT_TRUE(verify_totp(secret_, code(step_), first, 0).ok);
  EXPECT_TRUE(verify_totp(secret_, code(step_), last, 0).ok);
  EXPECT_FALSE(verify_totp(secret_, code(step_), last + 1s, 0).ok);
  EXPECT_FALSE(verify_totp(secret_, code(step_), first - 1s, 0).ok);
}

TEST_F(TotpVerifyTest, ReplayIsRefused) {
  struct Row {
    std::string name;
    std::int64_t code_offset;
    std::optional<std::int64_t> last_used_offset;
    bool ok, replayed;
  };
  const std::vector<Row> rows = {
      {"no code used yet", 0, std::nullopt, true, false},
      {"an older code was used", 0, -1, true, false},
      {"the same code again", 0, 0, false, true},
      {"an earlier code after a later one", -1, 0, false, true},
      {"the previous step's code, used", -1, -1, false, true},
      {"the next step's code after this one", 1, 0, true, false},
      {"a later code already used", 0, 1, false, true},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    std::optional<std::int64_t> last_used;
    if (row.last_used_offset) last_used = step_ + *row.last_used_offset;
    TotpCheck check = verify_totp(secret_, code(step_ + row.code_offset), now_, 1, last_used);
    EXPECT_EQ(check.ok, row.ok);
    EXPECT_EQ(check.replayed, row.replayed);
    if (row.ok || row.replayed) {
      EXPECT_EQ(check.step, step_ + row.code_offset);
    }
  }
}

TEST_F(TotpVerifyTest, ASuccessfulCodeCannotBeUsedTwice) {
  TotpCheck first = verify_totp(secret_, code(step_), now_);
  ASSERT_TRUE(first.ok);
  TotpCheck second = verify_totp(secret_, code(step_), now_ + 10s, 1, first.step);
  EXPECT_FALSE(second.ok);
  EXPECT_TRUE(second.replayed);
  // The next step's code is fine once its time comes.
  EXPECT_TRUE(verify_totp(secret_, code(step_ + 1), now_ + 30s, 1, first.step).ok);
}

TEST_F(TotpVerifyTest, CodeFormat) {
  const std::string good = code(step_);
  const std::vector<std::string> refused = {
      "",
      good.substr(0, 5),
      good + "0",
      " " + good,
      good.substr(0, 5) + " ",
      good.substr(0, 3) + " " + good.substr(3),
      good.substr(0, 5) + "a",
      "+" + good.substr(1),
      "-" + good.substr(1),
      "１２３４５６",
      code(step_, 8),
      std::string(6, '\0'),
  };
  for (const auto& c : refused) {
    SCOPED_TRACE(c);
    TotpCheck check = verify_totp(secret_, c, now_);
    EXPECT_FALSE(check.ok);
    EXPECT_FALSE(check.replayed);
  }
  EXPECT_TRUE(verify_totp(secret_, good, now_).ok);
}

TEST_F(TotpVerifyTest, WrongSecretOrCode) {
  EXPECT_FALSE(verify_totp(bytes_of("another secret of 20b"), code(step_), now_).ok);
  std::string wrong = code(step_);
  wrong[5] = wrong[5] == '9' ? '0' : static_cast<char>(wrong[5] + 1);
  // The altered code could collide with a neighbouring step's; it does not for this secret.
  ASSERT_NE(wrong, code(step_ - 1));
  ASSERT_NE(wrong, code(step_ + 1));
  EXPECT_FALSE(verify_totp(secret_, wrong, now_).ok);
}

TEST_F(TotpVerifyTest, OtherParameters) {
  TotpParams eight{TotpAlgorithm::sha1, 8, 30s};
  EXPECT_TRUE(verify_totp(secret_, "07081804", at_unix(1111111109), 0, {}, eight).ok);
  EXPECT_FALSE(verify_totp(secret_, "081804", at_unix(1111111109), 0, {}, eight).ok);
  TotpParams sha256{TotpAlgorithm::sha256, 8, 30s};
  EXPECT_TRUE(verify_totp(bytes_of(kSeed32Text), "68084774", at_unix(1111111109), 0, {}, sha256).ok);
  TotpParams minute{TotpAlgorithm::sha1, 6, 60s};
  TotpCheck check = verify_totp(secret_, totp_code(secret_, now_, 6, 60s), now_, 0, {}, minute);
  EXPECT_TRUE(check.ok);
  EXPECT_EQ(check.step, totp_step(now_, 60s));
}

TEST_F(TotpVerifyTest, NearTheEpochNegativeStepsAreSkipped) {
  TotpCheck check = verify_totp(secret_, hotp_code(secret_, 0), at_unix(5), 1);
  EXPECT_TRUE(check.ok);
  EXPECT_EQ(check.step, 0);
}

TEST_F(TotpVerifyTest, WindowOutsideBoundsIsAProgrammingError) {
  EXPECT_THROW((void)verify_totp(secret_, code(step_), now_, -1), std::invalid_argument);
  EXPECT_THROW((void)verify_totp(secret_, code(step_), now_, kTotpMaxWindow + 1), std::invalid_argument);
  EXPECT_TRUE(verify_totp(secret_, code(step_), now_, kTotpMaxWindow).ok);
}

TEST(TotpTest, OtpauthUri) {
  struct Row {
    std::string name, issuer, account, secret;
    TotpParams params;
    std::string uri;
  };
  const std::vector<Row> rows = {
      {"Chinese issuer",
       "政务",
       "admin@zj.gov.cn",
       "JBSWY3DPEHPK3PXP",
       {},
       "otpauth://totp/%E6%94%BF%E5%8A%A1:admin%40zj.gov.cn?secret=JBSWY3DPEHPK3PXP&issuer=%E6%94%BF%E5%8A%A1"
       "&algorithm=SHA1&digits=6&period=30"},
      {"Chinese account, spaces and colons",
       "Hangzhou Gov: Ops",
       "张三:admin",
       "GEZDGNBVGY3TQOJQ",
       {},
       "otpauth://totp/Hangzhou%20Gov%3A%20Ops:%E5%BC%A0%E4%B8%89%3Aadmin?secret=GEZDGNBVGY3TQOJQ"
       "&issuer=Hangzhou%20Gov%3A%20Ops&algorithm=SHA1&digits=6&period=30"},
      {"reserved characters",
       "a&b=c?d/e#f+g",
       "x.y_z-w~v",
       "MZXW6",
       {},
       "otpauth://totp/a%26b%3Dc%3Fd%2Fe%23f%2Bg:x.y_z-w~v?secret=MZXW6&issuer=a%26b%3Dc%3Fd%2Fe%23f%2Bg"
       "&algorithm=SHA1&digits=6&period=30"},
      {"no issuer", "", "admin", "MZXW6", {}, "otpauth://totp/admin?secret=MZXW6&algorithm=SHA1&digits=6&period=30"},
      {"SHA-256, 8 digits, 60 s",
       "政务",
       "ops",
       "MZXW6",
       {TotpAlgorithm::sha256, 8, 60s},
       "otpauth://totp/%E6%94%BF%E5%8A%A1:ops?secret=MZXW6&issuer=%E6%94%BF%E5%8A%A1&algorithm=SHA256&digits=8"
       "&period=60"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(otpauth_uri(row.issuer, row.account, row.secret, row.params), row.uri);
  }
}

TEST(TotpTest, NewSecrets) {
  std::set<Bytes> seen;
  for (int i = 0; i < 20; ++i) {
    Bytes s = new_totp_secret();
    EXPECT_EQ(s.size(), 20u);
    EXPECT_EQ(encode_base32(s).size(), 32u);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(TotpTest, EnrolmentRoundTrip) {
  // What an app does: read the base32 secret from the URI and compute the code.
  Bytes secret = new_totp_secret();
  std::string b32 = encode_base32(secret);
  std::string uri = otpauth_uri("政务", "admin", b32);
  auto start = uri.find("secret=") + 7;
  auto read = decode_base32(uri.substr(start, uri.find('&', start) - start));
  ASSERT_TRUE(read.ok());
  const TimePoint now = at_unix(1760000000);
  EXPECT_TRUE(verify_totp(secret, totp_code(*read, now), now).ok);
}

}  // namespace
}  // namespace zhengwu::auth
