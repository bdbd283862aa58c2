// Known-answer tests for the 国密 primitives: SM3 (GB/T 32905-2016, the standard's own
// examples A.1 and A.2), HMAC-SM3 (RFC 2104 construction; expected values computed
// independently with the OpenSSL 3.0 command line, commands beside each vector), and
// the hexadecimal and RFC 4648 base64 text forms.
#include "kernel/crypto/crypto.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace zhengwu::crypto {
namespace {

TEST(Sm3Test, StandardExampleAbc) {
  // GB/T 32905-2016, appendix A, example 1.
  EXPECT_EQ(to_hex(sm3("abc")), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST(Sm3Test, StandardExample64Bytes) {
  // GB/T 32905-2016, appendix A, example 2: "abcd" repeated 16 times (512 bits).
  std::string message;
  for (int i = 0; i < 16; ++i) message += "abcd";
  EXPECT_EQ(to_hex(sm3(message)), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

TEST(Sm3Test, EmptyInput) {
  // printf '' | openssl dgst -sm3
  EXPECT_EQ(to_hex(sm3("")), "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
}

TEST(Sm3Test, BinaryInputWithNulBytes) {
  std::string with_nul("a\0b", 3);
  EXPECT_EQ(sm3(with_nul).size(), 32u);
  EXPECT_NE(sm3(with_nul), sm3("ab"));
}

TEST(Sm3Test, ConcurrentCallsAgree) {
  const std::string expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";
  std::vector<std::thread> threads;
  std::vector<int> good(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (to_hex(sm3("abc")) == expected) ++good[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int g : good) EXPECT_EQ(g, 200);
}

struct HmacVector {
  std::string key;
  std::string data;
  std::string hex;
};

TEST(HmacSm3Test, OpensslCommandLineVectors) {
  const std::vector<HmacVector> vectors = {
      // printf 'what do ya want for nothing?' | openssl dgst -sm3 -hmac Jefe
      {"Jefe", "what do ya want for nothing?", "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882"},
      // printf 'The quick brown fox jumps over the lazy dog' | openssl dgst -sm3 -hmac key
      {"key", "The quick brown fox jumps over the lazy dog",
       "bd4a34077888162b210645b8ebf74b9af357303789357a27c7fc457244ebd398"},
      // printf '' | openssl dgst -sm3 -hmac ''
      {"", "", "0d23f72ba15e9c189a879aefc70996b06091de6e64d31b7a84004356dd915261"},
      // A key longer than SM3's 64-byte block is hashed first (RFC 2104, section 2):
      // printf 'Test Using Larger Than Block-Size Key - Hash Key First' |
      //   openssl dgst -sm3 -mac HMAC -macopt hexkey:aa...aa   (131 bytes of 0xaa)
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "b4fd844e13342002f0b2e0690ea7741f1497d993a70494cea601e657bedf67a0"},
  };
  for (const auto& v : vectors) {
    EXPECT_EQ(to_hex(hmac_sm3(v.key, v.data)), v.hex) << "key of " << v.key.size() << " bytes";
  }
}

TEST(HmacSm3Test, KeyAndDataMatter) {
  EXPECT_NE(hmac_sm3("k1", "data"), hmac_sm3("k2", "data"));
  EXPECT_NE(hmac_sm3("k", "data1"), hmac_sm3("k", "data2"));
  EXPECT_EQ(hmac_sm3("k", "data").size(), 32u);
}

TEST(HexTest, RoundTripAndCase) {
  Bytes bytes = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
  EXPECT_EQ(to_hex(bytes), "00017f80abff");
  auto lower = from_hex("00017f80abff");
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(*lower, bytes);
  auto upper = from_hex("00017F80ABFF");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, bytes);
  EXPECT_EQ(to_hex(std::string_view("\x12\x34", 2)), "1234");
  EXPECT_EQ(to_hex(Bytes{}), "");
  ASSERT_TRUE(from_hex("").ok());
  EXPECT_TRUE(from_hex("")->empty());
}

TEST(HexTest, RejectsMalformed) {
  for (std::string_view bad : {"0", "abc", "0g", "zz", " 00", "00 ", "0x00", "-1"}) {
    auto r = from_hex(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::invalid);
  }
}

TEST(Base64Test, Rfc4648TestVectors) {
  // RFC 4648, section 10.
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    Bytes bytes(plain.begin(), plain.end());
    EXPECT_EQ(to_base64(bytes), encoded);
    auto decoded = from_base64(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, bytes);
  }
}

TEST(Base64Test, AllByteValuesRoundTrip) {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
  for (std::size_t len = 0; len <= all.size(); len += 7) {
    Bytes part(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(len));
    auto back = from_base64(to_base64(part));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, part);
  }
}

TEST(Base64Test, RejectsMalformed) {
  for (std::string_view bad : {"Z", "Zg=", "Zg", "Z===", "====", "Zg==Zg==", "Zm9v\n", "Zm 9", "Zm-_", "Zh==",
                               "Zm9=", "=Zm9"}) {
    auto r = from_base64(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(HmacSm3Test, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_TRUE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

}  // namespace
}  // namespace zhengwu::crypto
