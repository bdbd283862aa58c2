// Password policy (GB/T 22239-2019 level 3, 8.1.4.1 身份鉴别) and argon2id hashing
// (RFC 9106) through libargon2.
//
// The encoded form is parsed here before libargon2 sees it, for two reasons: to bound
// the parameters a stored hash can ask for (see password.hpp), and to answer
// `needs_rehash` without hashing. The parser accepts exactly what hash_password writes —
// `$argon2id$v=19$m=<n>,t=<n>,p=<n>$<base64 salt>$<base64 tag>` — and libargon2 then
// decodes and checks the same string again.
#include "kernel/auth/password.hpp"

#include <argon2.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "kernel/crypto/crypto.hpp"

namespace zhengwu::auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kTagBytes = 32;

// ---- Policy -----------------------------------------------------------------------

// Decodes one UTF-8 sequence at `i`; returns the code point and advances `i`, or
// nullopt for an invalid sequence (overlong forms, surrogates, beyond U+10FFFF).
std::optional<char32_t> next_code_point(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + len > s.size()) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += len;
  return cp;
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool contains_ignoring_ascii_case(std::string_view haystack, std::string_view needle) {
  if (needle.empty() || needle.size() > haystack.size()) return false;
  for (std::size_t start = 0; start + needle.size() <= haystack.size(); ++start) {
    std::size_t k = 0;
    while (k < needle.size() && ascii_lower(haystack[start + k]) == ascii_lower(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// ---- Encoded argon2id hashes ------------------------------------------------------

struct EncodedHash {
  Argon2Params params;
  std::size_t salt_bytes = 0;
  std::size_t tag_bytes = 0;
};

bool consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// A decimal number without sign or leading zeros, fitting in 32 bits.
std::optional<std::uint32_t> consume_number(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0 || n > 10 || (n > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  std::from_chars(s.data(), s.data() + n, value);
  if (value > UINT32_MAX) return std::nullopt;
  s.remove_prefix(n);
  return static_cast<std::uint32_t>(value);
}

// The number of bytes an unpadded base64 text of that many characters holds, or
// nullopt when a character is not base64 or the length cannot occur.
std::optional<std::size_t> base64_bytes(std::string_view text) {
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!ok) return std::nullopt;
  }
  if (text.size() % 4 == 1) return std::nullopt;
  return text.size() * 3 / 4;
}

std::optional<EncodedHash> parse_encoded(std::string_view s) {
  EncodedHash out;
  if (!consume(s, "$argon2id$v=19$m=")) return std::nullopt;
  auto m = consume_number(s);
  if (!m || !consume(s, ",t=")) return std::nullopt;
  auto t = consume_number(s);
  if (!t || !consume(s, ",p=")) return std::nullopt;
  auto p = consume_number(s);
  if (!p || !consume(s, "$")) return std::nullopt;
  out.params = Argon2Params{*t, *m, *p};
  std::size_t dollar = s.find('$');
  if (dollar == std::string_view::npos) return std::nullopt;
  auto salt = base64_bytes(s.substr(0, dollar));
  auto tag = base64_bytes(s.substr(dollar + 1));
  if (!salt || !tag) return std::nullopt;
  out.salt_bytes = *salt;
  out.tag_bytes = *tag;
  if (out.salt_bytes < ARGON2_MIN_SALT_LENGTH || out.tag_bytes < ARGON2_MIN_OUTLEN) return std::nullopt;
  return out;
}

void require_valid(const Argon2Params& params) {
  if (Status s = check_argon2_params(params); !s.ok()) throw std::invalid_argument(s.error().message);
}

[[noreturn]] void argon2_failed(int rc) {
  throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
}

// libargon2 wants a non-null pointer even for an empty password.
const char* password_data(std::string_view password) {
  return password.empty() ? "" : password.data();
}

}  // namespace

Status check_password(std::string_view password, const PasswordPolicy& policy, std::string_view username) {
  constexpr const char* kField = "password";
  std::size_t length = 0;
  bool lower = false, upper = false, digit = false, symbol = false, non_ascii = false, control = false;
  for (std::size_t i = 0; i < password.size();) {
    auto cp = next_code_point(password, i);
    if (!cp) return Error::invalid(kField, "is not valid UTF-8 text");
    ++length;
    if (*cp < 0x20 || *cp == 0x7F || (*cp >= 0x80 && *cp <= 0x9F)) {
      control = true;
    } else if (*cp >= 'a' && *cp <= 'z') {
      lower = true;
    } else if (*cp >= 'A' && *cp <= 'Z') {
      upper = true;
    } else if (*cp >= '0' && *cp <= '9') {
      digit = true;
    } else {
      symbol = true;  // ASCII punctuation and space, and every character outside ASCII
      if (*cp >= 0x80) non_ascii = true;
    }
  }

  std::vector<FieldError> problems;
  auto add = [&](std::string message) { problems.push_back({kField, std::move(message)}); };
  if (length < policy.min_length) {
    add("needs at least " + std::to_string(policy.min_length) + " characters (has " + std::to_string(length) + ")");
  }
  if (password.size() > policy.max_length) {
    std::string message =
        "must be at most " + std::to_string(policy.max_length) + " bytes (has " + std::to_string(password.size()) + ")";
    if (non_ascii) message += "; a Chinese character takes 3 bytes";
    add(std::move(message));
  }
  int classes = int{lower} + int{upper} + int{digit} + int{symbol};
  if (classes < policy.min_classes) {
    add("needs " + std::to_string(policy.min_classes) +
        " of: lower-case letters, upper-case letters, digits, symbols (has " + std::to_string(classes) +
        "); Chinese and other non-ASCII characters count as symbols");
  }
  if (control) add("must not contain control characters (such as tab or line break)");
  if (contains_ignoring_ascii_case(password, username)) add("must not contain the user name");

  if (problems.empty()) return Status::success();
  std::string message;
  for (const auto& p : problems) message += (message.empty() ? "password: " : "; ") + p.message;
  return Error{ErrorCode::invalid, std::move(message), std::move(problems)};
}

bool password_expired(TimePoint changed_at, TimePoint now, const PasswordPolicy& policy) {
  if (policy.expiry.count() <= 0) return false;
  return now - changed_at >= policy.expiry;
}

Status check_argon2_params(const Argon2Params& p) {
  auto bad = [](std::string message) { return Error::invalid("argon2", std::move(message)); };
  if (p.t_cost < 1 || p.t_cost > kArgon2MaxTimeCost) {
    return bad("t_cost must be 1.." + std::to_string(kArgon2MaxTimeCost) + " (is " + std::to_string(p.t_cost) + ")");
  }
  if (p.parallelism < 1 || p.parallelism > kArgon2MaxParallelism) {
    return bad("parallelism must be 1.." + std::to_string(kArgon2MaxParallelism) + " (is " +
               std::to_string(p.parallelism) + ")");
  }
  std::uint64_t min_memory = std::max<std::uint64_t>(kArgon2MinMemoryKib, std::uint64_t{8} * p.parallelism);
  if (p.m_cost_kib < min_memory || p.m_cost_kib > kArgon2MaxMemoryKib) {
    return bad("m_cost_kib must be " + std::to_string(min_memory) + ".." + std::to_string(kArgon2MaxMemoryKib) +
               " (is " + std::to_string(p.m_cost_kib) + ")");
  }
  return Status::success();
}

std::string hash_password(std::string_view password, const Argon2Params& params) {
  require_valid(params);
  crypto::Bytes salt = crypto::random_bytes(kSaltBytes);
  std::size_t encoded_len =
      argon2_encodedlen(params.t_cost, params.m_cost_kib, params.parallelism, kSaltBytes, kTagBytes, Argon2_id);
  std::string encoded(encoded_len, '\0');
  int rc = argon2id_hash_encoded(params.t_cost, params.m_cost_kib, params.parallelism, password_data(password),
                                 password.size(), salt.data(), salt.size(), kTagBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) argon2_failed(rc);
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view password, std::string_view encoded) {
  auto parsed = parse_encoded(encoded);
  if (!parsed || !check_argon2_params(parsed->params).ok()) return false;
  std::string text(encoded);  // libargon2 wants a NUL-terminated string
  return argon2id_verify(text.c_str(), password_data(password), password.size()) == ARGON2_OK;
}

bool needs_rehash(std::string_view encoded, const Argon2Params& params) {
  auto parsed = parse_encoded(encoded);
  if (!parsed) return true;
  return parsed->params != params || parsed->salt_bytes != kSaltBytes || parsed->tag_bytes != kTagBytes;
}

void dummy_verify(std::string_view password, const Argon2Params& params) {
  require_valid(params);
  // A fixed salt: nothing is stored, and the work is the same as for a real salt.
  static constexpr std::array<std::uint8_t, kSaltBytes> kSalt = {'z', 'h', 'e', 'n', 'g', 'w', 'u', '-',
                                                                 'n', 'o', '-', 'u', 's', 'e', 'r', '.'};
  std::array<std::uint8_t, kTagBytes> tag{};
  int rc = argon2id_hash_raw(params.t_cost, params.m_cost_kib, params.parallelism, password_data(password),
                             password.size(), kSalt.data(), kSalt.size(), tag.data(), tag.size());
  OPENSSL_cleanse(tag.data(), tag.size());
  if (rc != ARGON2_OK) argon2_failed(rc);
}

bool is_reused_password(std::string_view password, const std::vector<std::string>& previous_hashes) {
  for (const auto& encoded : previous_hashes) {
    if (verify_password(password, encoded)) return true;
  }
  return false;
}

}  // namespace zhengwu::auth
