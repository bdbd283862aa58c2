// The signed-request contract of DESIGN.md "Systems": the canonical request (with the
// RFC 3986 sorted query) and its HMAC-SM3 signature (RFC 2104, GB/T 32905-2016).
#include "kernel/crypto/request_signature.hpp"

#include <gtest/gtest.h>

#include "kernel/crypto/crypto.hpp"

namespace zhengwu::crypto {
namespace {

struct QueryCase {
  const char* name;
  std::string query_text;  // as sent, after '?'
  std::string sorted;      // SORTED_QUERY
};

TEST(RequestSignatureTest, SortedQueryTable) {
  const std::vector<QueryCase> cases = {
      {"none", "", ""},
      {"single", "a=1", "a=1"},
      {"sorted by key", "b=2&a=1&c=3", "a=1&b=2&c=3"},
      {"space as %20", "q=a%20b", "q=a%20b"},
      {"plus is a space", "q=a+b", "q=a%20b"},
      {"encoded plus stays a plus", "q=a%2Bb", "q=a%2Bb"},
      {"UTF-8 Chinese, raw bytes as sent", "name=\xE5\xBC\xA0\xE4\xB8\x89", "name=%E5%BC%A0%E4%B8%89"},
      {"UTF-8 Chinese, lower-case escapes", "name=%e5%bc%a0%e4%b8%89", "name=%E5%BC%A0%E4%B8%89"},
      {"Chinese key", "%E5%A7%93%E5%90%8D=x", "%E5%A7%93%E5%90%8D=x"},
      {"repeated keys ordered by value", "tag=b&tag=a&tag=c", "tag=a&tag=b&tag=c"},
      {"identical pairs kept", "k=v&k=v", "k=v&k=v"},
      {"empty value", "a=&b=1", "a=&b=1"},
      {"key without '='", "flag&a=1", "a=1&flag="},
      {"'a' and 'a=' alike", "a&a=", "a=&a="},
      {"empty key", "=v", "=v"},
      {"empty pieces skipped", "&a=1&&b=2&", "a=1&b=2"},
      {"reserved characters re-encoded", "path=%2Fa%2Fb&q=%3F%26%3D", "path=%2Fa%2Fb&q=%3F%26%3D"},
      {"raw reserved characters in a value", "r=/a?b:c@d", "r=%2Fa%3Fb%3Ac%40d"},
      {"second '=' belongs to the value", "a=b=c", "a=b%3Dc"},
      {"unreserved left alone", "k=AZaz09-_.~", "k=AZaz09-_.~"},
      {"unreserved escapes decoded", "k=%41%7E%2D", "k=A~-"},
      {"other ASCII encoded", "k=!*'();,$", "k=%21%2A%27%28%29%3B%2C%24"},
      {"percent itself", "k=100%25", "k=100%25"},
      {"NUL byte", "k=%00", "k=%00"},
      {"malformed escape dropped", "a=%zz&b=1", "b=1"},
      {"truncated escape dropped", "b=1&a=%4", "b=1"},
      {"lone percent dropped", "a=%&b=1", "b=1"},
      {"malformed key dropped", "%G1=x&b=1", "b=1"},
      // Sorting is by the whole encoded "k=v" string, byte by byte: '-' (0x2D) sorts
      // before '=' (0x3D), so "a-b=1" precedes "a=2"; '%' (0x25) before digits.
      {"sort by encoded pair", "a=2&a-b=1", "a-b=1&a=2"},
      {"escapes sort by their text", "k=%C3%A9&k=z&k=A", "k=%C3%A9&k=A&k=z"},
      {"typical exchange query", "cursor=&limit=20&purpose=%E7%A4%BE%E4%BF%9D",
       "cursor=&limit=20&purpose=%E7%A4%BE%E4%BF%9D"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(canonical_query(c.query_text), c.sorted) << c.name << ": " << c.query_text;
  }
}

TEST(RequestSignatureTest, CanonicalRequestLayout) {
  std::string canonical = canonical_request("GET", "/api/x/%E5%BC%A0", "b=2&a=1", "1735689600", "n-1", "");
  EXPECT_EQ(canonical,
            "GET\n/api/x/%E5%BC%A0\na=1&b=2\n1735689600\nn-1\n"
            "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
  // The path is taken as sent, escapes untouched; the timestamp as text.
  EXPECT_NE(canonical_request("GET", "/api/x/%e5%bc%a0", "", "1", "n", ""),
            canonical_request("GET", "/api/x/%E5%BC%A0", "", "1", "n", ""));
  EXPECT_NE(canonical_request("GET", "/p", "", "01", "n", ""), canonical_request("GET", "/p", "", "1", "n", ""));
}

// Known vectors. The canonical strings were written out by hand and their signatures
// computed with the OpenSSL 3.0 command line, independently of this code (each command
// is one line; `printf` turns the \n into newlines):
//   printf 'GET\n/api/exchange/resources/population/records\nlimit=10&name=%%E5%%BC%%A0%%E4%%B8%%89&q=a%%20b\n1735689600\n7f3c9a2e-nonce\n1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b' | openssl dgst -sm3 -hmac 'zw-client-secret-0001'
// where 1ab21d...aa2b is `printf '' | openssl dgst -sm3` (the empty body); for the POST
// the body hash is
//   printf '%s' '{"name":"张三","purpose":"社保核验"}' | openssl dgst -sm3
//   = d6820a0b9da1d556cdfa62f401bf20866c8665dec7cf07b136ba242465fc9d64
// and the signature
//   printf 'POST\n/api/exchange/resources/population/records\n\n1735689600\nabc123\nd6820a0b9da1d556cdfa62f401bf20866c8665dec7cf07b136ba242465fc9d64' | openssl dgst -sm3 -hmac 'zw-client-secret-0001'
TEST(RequestSignatureTest, KnownVectorGetWithQuery) {
  const std::string canonical = canonical_request("GET", "/api/exchange/resources/population/records",
                                                  "q=a+b&name=%E5%BC%A0%E4%B8%89&limit=10", "1735689600",
                                                  "7f3c9a2e-nonce", "");
  EXPECT_EQ(canonical,
            "GET\n/api/exchange/resources/population/records\nlimit=10&name=%E5%BC%A0%E4%B8%89&q=a%20b\n"
            "1735689600\n7f3c9a2e-nonce\n1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
  const std::string expected = "23ceb848ed92d069065fb7d74150df61928d7f974b505a641c18710754d0ac39";
  EXPECT_EQ(sign_request("zw-client-secret-0001", canonical), expected);
  EXPECT_TRUE(verify_request_signature("zw-client-secret-0001", canonical, expected));
}

TEST(RequestSignatureTest, KnownVectorPostWithBody) {
  const std::string body = "{\"name\":\"张三\",\"purpose\":\"社保核验\"}";
  const std::string canonical =
      canonical_request("POST", "/api/exchange/resources/population/records", "", "1735689600", "abc123", body);
  EXPECT_EQ(canonical,
            "POST\n/api/exchange/resources/population/records\n\n1735689600\nabc123\n"
            "d6820a0b9da1d556cdfa62f401bf20866c8665dec7cf07b136ba242465fc9d64");
  EXPECT_EQ(sign_request("zw-client-secret-0001", canonical),
            "89eac6f3224a4aff377231b1b608f6fda25bea48e09546ef7b91c9146d41f25a");
}

TEST(RequestSignatureTest, VerificationRejects) {
  const std::string canonical = canonical_request("GET", "/api/x", "a=1", "1735689600", "n", "");
  const std::string good = sign_request("secret", canonical);
  EXPECT_TRUE(verify_request_signature("secret", canonical, good));
  EXPECT_FALSE(verify_request_signature("secreT", canonical, good));
  EXPECT_FALSE(verify_request_signature("secret", canonical + "x", good));
  EXPECT_FALSE(verify_request_signature("secret", canonical, ""));
  EXPECT_FALSE(verify_request_signature("secret", canonical, good.substr(0, 63)));
  EXPECT_FALSE(verify_request_signature("secret", canonical, good + "0"));
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != good) {
    EXPECT_FALSE(verify_request_signature("secret", canonical, upper)) << "contract: lower case";
  }
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = bad[i] == '0' ? '1' : '0';
    EXPECT_FALSE(verify_request_signature("secret", canonical, bad)) << i;
  }
  // Each element of the request is covered.
  const std::string sig = sign_request("s", canonical_request("GET", "/p", "a=1", "100", "n", "body"));
  EXPECT_FALSE(verify_request_signature("s", canonical_request("PUT", "/p", "a=1", "100", "n", "body"), sig));
  EXPECT_FALSE(verify_request_signature("s", canonical_request("GET", "/q", "a=1", "100", "n", "body"), sig));
  EXPECT_FALSE(verify_request_signature("s", canonical_request("GET", "/p", "a=2", "100", "n", "body"), sig));
  EXPECT_FALSE(verify_request_signature("s", canonical_request("GET", "/p", "a=1", "101", "n", "body"), sig));
  EXPECT_FALSE(verify_request_signature("s", canonical_request("GET", "/p", "a=1", "100", "m", "body"), sig));
  EXPECT_FALSE(verify_request_signature("s", canonical_request("GET", "/p", "a=1", "100", "n", "bodY"), sig));
  // Equivalent query spellings sign the same.
  EXPECT_TRUE(verify_request_signature("s", canonical_request("GET", "/p", "a=%31", "100", "n", "body"), sig));
}

TEST(RequestSignatureTest, TimestampParsing) {
  EXPECT_EQ(parse_timestamp("1735689600"), 1735689600);
  EXPECT_EQ(parse_timestamp("0"), 0);
  EXPECT_EQ(parse_timestamp("999999999999999999"), 999999999999999999LL);
  for (std::string_view bad : {"", "-1", "+1", " 1", "1 ", "1e9", "0x10", "1.5", "9999999999999999999"}) {
    EXPECT_FALSE(parse_timestamp(bad).has_value()) << bad;
  }
}

TEST(RequestSignatureTest, TimestampWindow) {
  const std::int64_t now = 1735689600;
  EXPECT_TRUE(check_timestamp(now, now));
  EXPECT_TRUE(check_timestamp(now, now - 300));
  EXPECT_TRUE(check_timestamp(now, now + 300));
  EXPECT_FALSE(check_timestamp(now, now - 301));
  EXPECT_FALSE(check_timestamp(now, now + 301));
  EXPECT_TRUE(check_timestamp(now, now + 30, std::chrono::seconds{30}));
  EXPECT_FALSE(check_timestamp(now, now + 31, std::chrono::seconds{30}));
  EXPECT_FALSE(check_timestamp(now, 0));
  EXPECT_FALSE(check_timestamp(now, 999999999999999999LL));
  EXPECT_FALSE(check_timestamp(INT64_MIN, INT64_MAX));
  EXPECT_FALSE(check_timestamp(now, now + 1, std::chrono::seconds{-5}));
}

}  // namespace
}  // namespace zhengwu::crypto
