// The canonical request and its HMAC-SM3 signature (RFC 2104 with SM3, GB/T
// 32905-2016; percent-encoding per RFC 3986, section 2), as request_signature.hpp and
// DESIGN.md "Systems" define them.
#include "kernel/crypto/request_signature.hpp"

#include <algorithm>
#include <vector>

#include "kernel/crypto/crypto.hpp"

namespace zhengwu::crypto {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

// Percent-decodes `in` ('+' is a space) and appends the RFC 3986 re-encoding to `out`.
// False, with `out` in an unspecified state, on a malformed escape.
bool reencode(std::string_view in, std::string& out) {
  static constexpr char kUpperHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto c = static_cast<unsigned char>(in[i]);
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+') {
      c = ' ';
    }
    if (is_unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kUpperHex[c >> 4]);
      out.push_back(kUpperHex[c & 0x0f]);
    }
  }
  return true;
}

}  // namespace

std::string canonical_query(std::string_view query_text) {
  std::vector<std::string> pairs;
  std::string_view rest = query_text;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view piece = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (piece.empty()) continue;
    auto eq = piece.find('=');
    std::string_view key = piece.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
    std::string encoded;
    encoded.reserve(piece.size() + 1);
    if (!reencode(key, encoded)) continue;
    encoded.push_back('=');
    if (!reencode(value, encoded)) continue;
    pairs.push_back(std::move(encoded));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& p : pairs) {
    if (!out.empty()) out.push_back('&');
    out += p;
  }
  return out;
}

std::string canonical_request(std::string_view method, std::string_view path, std::string_view query_text,
                              std::string_view timestamp, std::string_view nonce, std::string_view body) {
  std::string sorted_query = canonical_query(query_text);
  std::string body_hash = to_hex(sm3(body));
  std::string out;
  out.reserve(method.size() + path.size() + sorted_query.size() + timestamp.size() + nonce.size() +
              body_hash.size() + 5);
  out.append(method).push_back('\n');
  out.append(path).push_back('\n');
  out.append(sorted_query).push_back('\n');
  out.append(timestamp).push_back('\n');
  out.append(nonce).push_back('\n');
  out.append(body_hash);
  return out;
}

std::string sign_request(std::string_view secret, std::string_view canonical) {
  return to_hex(hmac_sm3(secret, canonical));
}

bool verify_request_signature(std::string_view secret, std::string_view canonical, std::string_view signature_hex) {
  std::string expected = sign_request(secret, canonical);
  return constant_time_equal(expected, signature_hex);
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool check_timestamp(std::int64_t now_unix, std::int64_t timestamp, std::chrono::seconds skew) {
  // The distance is computed in unsigned arithmetic, which cannot overflow for any pair
  // of int64 values (a hostile header may hold anything up to 18 digits).
  auto limit = static_cast<std::uint64_t>(std::max<std::int64_t>(skew.count(), 0));
  auto hi = static_cast<std::uint64_t>(std::max(now_unix, timestamp));
  auto lo = static_cast<std::uint64_t>(std::min(now_unix, timestamp));
  return hi - lo <= limit;
}

}  // namespace zhengwu::crypto
