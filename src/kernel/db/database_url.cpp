// Parsing and redaction of database URLs (see database_url.hpp for the accepted forms).
#include "kernel/db/database_url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace zhengwu::db {
namespace {

constexpr std::string_view kForms =
    "expected sqlite:///absolute/path.db, sqlite://relative/path.db, sqlite::memory: or "
    "postgresql://user:password@host:port/database";

[[noreturn]] void malformed(std::string_view url, std::string_view why) {
  throw Error(Error::Kind::other,
              "malformed database URL '" + redact_password(url) + "': " + std::string(why));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; `ok` turns false on a '%' without two hex digits after it.
std::string percent_decode(std::string_view s, bool& ok) {
  std::string out;
  out.reserve(s.size());
  ok = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      ok = false;
      return out;
    }
    int hi = hex_digit(s[i + 1]);
    int lo = hex_digit(s[i + 2]);
    if (hi < 0 || lo < 0) {
      ok = false;
      return out;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool has_control_or_space(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

DatabaseUrl parse_sqlite(std::string_view url, std::string_view rest) {
  DatabaseUrl out;
  out.kind = Kind::sqlite;
  out.redacted = std::string(url);
  if (rest == ":memory:") {
    out.sqlite_memory = true;
    return out;
  }
  if (rest.substr(0, 2) != "//") malformed(url, kForms);
  std::string_view path = rest.substr(2);
  if (path.empty()) malformed(url, "no file path after 'sqlite://'");
  if (path.find_first_of("?#") != std::string_view::npos)
    malformed(url, "SQLite URLs take no query or fragment; percent-encode '?' and '#' in file names");
  if (path.back() == '/') malformed(url, "the path names a directory, not a database file");
  bool ok = false;
  out.sqlite_path = percent_decode(path, ok);
  if (!ok) malformed(url, "a '%' is not followed by two hexadecimal digits");
  if (out.sqlite_path.find('\0') != std::string::npos) malformed(url, "the path contains a NUL byte");
  return out;
}

void check_port(std::string_view url, std::string_view port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    malformed(url, "port '" + std::string(port) + "' is not a number between 1 and 65535");
}

// One entry of libpq's comma-separated host list: `host`, `host:port`, `[v6]`, `[v6]:port`.
void check_host(std::string_view url, std::string_view host) {
  if (host.empty()) return;  // default host (Unix socket) or a port-only entry
  std::string_view port;
  if (host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string_view::npos) malformed(url, "an IPv6 address lacks its closing ']'");
    std::string_view after = host.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') malformed(url, "unexpected text after an IPv6 address");
      port = after.substr(1);
      check_port(url, port);
    }
    return;
  }
  auto colon = host.rfind(':');
  if (colon != std::string_view::npos) check_port(url, host.substr(colon + 1));
}

DatabaseUrl parse_postgres(std::string_view url, std::size_t scheme_end) {
  DatabaseUrl out;
  out.kind = Kind::postgres;
  out.postgres_uri = std::string(url);
  out.redacted = redact_password(url);
  if (url.substr(scheme_end, 3) != "://") malformed(url, kForms);
  if (has_control_or_space(url)) malformed(url, "it contains spaces or control characters");
  std::string_view rest = url.substr(scheme_end + 3);
  std::size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (!tail.empty() && tail.front() == '#') malformed(url, "a fragment ('#') has no meaning here");
  if (tail.find('#') != std::string_view::npos) malformed(url, "a fragment ('#') has no meaning here");

  std::string_view hosts = authority;
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) hosts = authority.substr(at + 1);
  std::size_t start = 0;
  while (true) {
    std::size_t comma = hosts.find(',', start);
    check_host(url, hosts.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }

  std::string_view path = tail.substr(0, tail.find('?'));
  std::string_view query = tail.find('?') == std::string_view::npos ? std::string_view() : tail.substr(tail.find('?') + 1);
  if (path.size() > 1 && path.substr(1).find('/') != std::string_view::npos)
    malformed(url, "the path must be a single database name");
  std::size_t p = 0;
  while (!query.empty() && p <= query.size()) {
    std::size_t amp = query.find('&', p);
    std::string_view param = query.substr(p, amp == std::string_view::npos ? std::string_view::npos : amp - p);
    auto eq = param.find('=');
    if (param.empty() || eq == std::string_view::npos || eq == 0)
      malformed(url, "query parameter '" + std::string(param.substr(0, eq)) + "' is not of the form name=value");
    if (amp == std::string_view::npos) break;
    p = amp + 1;
  }
  bool ok = false;
  percent_decode(authority, ok);
  if (ok) percent_decode(tail, ok);
  if (!ok) malformed(url, "a '%' is not followed by two hexadecimal digits");
  return out;
}

}  // namespace

std::string redact_password(std::string_view url) {
  std::string out;
  auto sep = url.find("://");
  if (sep == std::string_view::npos) {
    // Not a URL we understand: mask everything up to the last '@', which is where a
    // mistyped URL would carry its credentials.
    auto at = url.rfind('@');
    if (at == std::string_view::npos) return std::string(url);
    auto colon = url.find(':');
    std::string_view scheme = colon != std::string_view::npos && colon < at ? url.substr(0, colon + 1) : "";
    return std::string(scheme) + "***" + std::string(url.substr(at));
  }
  std::string_view rest = url.substr(sep + 3);
  std::size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  out = std::string(url.substr(0, sep + 3));
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    out += std::string(userinfo.substr(0, userinfo.find(':')));
    out += std::string(authority.substr(at));
  } else {
    out += std::string(authority);
  }
  auto q = tail.find('?');
  out += std::string(tail.substr(0, q));
  if (q == std::string_view::npos) return out;
  std::string_view query = tail.substr(q + 1);
  std::string kept;
  std::size_t p = 0;
  while (p <= query.size()) {
    std::size_t amp = query.find('&', p);
    std::string_view param = query.substr(p, amp == std::string_view::npos ? std::string_view::npos : amp - p);
    if (lower(param.substr(0, param.find('='))) != "password" && !param.empty()) {
      if (!kept.empty()) kept += '&';
      kept += std::string(param);
    }
    if (amp == std::string_view::npos) break;
    p = amp + 1;
  }
  if (!kept.empty()) out += "?" + kept;
  return out;
}

DatabaseUrl parse_database_url(std::string_view url) {
  if (url.empty()) throw Error(Error::Kind::other, "empty database URL: " + std::string(kForms));
  auto colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) malformed(url, "no scheme; " + std::string(kForms));
  std::string scheme = lower(url.substr(0, colon));
  if (scheme == "sqlite") return parse_sqlite(url, url.substr(colon + 1));
  if (scheme == "postgresql" || scheme == "postgres") return parse_postgres(url, colon);
  malformed(url, "unsupported scheme '" + scheme + "'; " + std::string(kForms));
}

}  // namespace zhengwu::db
