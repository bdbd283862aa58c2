// Recovery codes for the TOTP second factor (GB/T 22239-2019 level 3, 8.1.4.1 d):
// generation from the CSPRNG, normalisation of typed input, and single use against
// HMAC-SM3 (GB/T 32905) hashes keyed with a per-set salt.
#include "kernel/auth/recovery_codes.hpp"

#include <openssl/crypto.h>

#include <stdexcept>

#include "kernel/crypto/crypto.hpp"

namespace zhengwu::auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kCodeChars = 12;
constexpr std::size_t kGroupChars = 4;
// Longer input than this is not a mistyped code; refuse before decoding it.
constexpr std::size_t kMaxInputBytes = 128;
constexpr std::size_t kHashHexDigits = 64;  // HMAC-SM3: 32 bytes
constexpr std::string_view kTextVersion = "v1:";

static_assert(kRecoveryCodeAlphabet.size() == 32, "5 bits per character, drawn without bias from a byte");

bool is_lower_hex(std::string_view s, std::size_t digits) {
  if (s.size() != digits) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool in_alphabet(char c) {
  return kRecoveryCodeAlphabet.find(c) != std::string_view::npos;
}

std::string with_dashes(std::string_view chars) {
  std::string out;
  out.reserve(kCodeChars + kCodeChars / kGroupChars - 1);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    if (i > 0 && i % kGroupChars == 0) out += '-';
    out += chars[i];
  }
  return out;
}

// The hex HMAC-SM3 of a code's 12 characters (without dashes) under the set's key.
std::string code_hash(const crypto::Bytes& key, std::string_view chars) {
  crypto::Bytes mac = crypto::hmac_sm3(crypto::as_text(key), chars);
  std::string hex = crypto::to_hex(mac);
  OPENSSL_cleanse(mac.data(), mac.size());
  return hex;
}

// One character of typed input at `i`, with full-width forms and the ideographic space
// mapped to ASCII; advances `i`. 0 for anything else (a byte no code contains).
char next_typed_char(std::string_view input, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(input[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) {
    i += 1;
    return static_cast<char>(b);
  }
  if (i + 2 >= input.size() || (byte(i + 1) & 0xC0) != 0x80 || (byte(i + 2) & 0xC0) != 0x80) {
    i = input.size();
    return 0;
  }
  char32_t cp = ((b & 0x0Fu) << 12) | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu);
  i += 3;
  if ((b & 0xF0) != 0xE0) return 0;
  if (cp == 0x3000) return ' ';                                                   // ideographic space
  if (cp >= 0xFF01 && cp <= 0xFF5E) return static_cast<char>(cp - 0xFF01 + '!');  // full-width '!'..'~'
  return 0;
}

// The 12 characters of a typed code, lower case and without dashes, or nullopt (see
// normalize_recovery_code). The result is built in place, so that no copy of the code
// is left behind uncleansed.
std::optional<std::string> code_chars(std::string_view input) {
  if (input.size() > kMaxInputBytes) return std::nullopt;
  std::optional<std::string> out(std::in_place);
  std::string& chars = *out;
  chars.reserve(kCodeChars);
  bool ok = true;
  for (std::size_t i = 0; i < input.size() && ok;) {
    char c = next_typed_char(input, i);
    if (c == ' ' || c == '-') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    ok = c != 0 && in_alphabet(c) && chars.size() < kCodeChars;
    if (ok) chars += c;
  }
  if (ok && chars.size() == kCodeChars) return out;
  OPENSSL_cleanse(chars.data(), chars.size());
  return std::nullopt;
}

}  // namespace

IssuedRecoveryCodes generate_recovery_codes(std::size_t count) {
  if (count < 1 || count > kRecoveryCodeMaxCount) {
    throw std::invalid_argument("a recovery code set has 1.." + std::to_string(kRecoveryCodeMaxCount) + " codes");
  }
  IssuedRecoveryCodes out;
  crypto::Bytes key = crypto::random_bytes(kSaltBytes);
  out.stored.salt = crypto::to_hex(key);
  crypto::Bytes random = crypto::random_bytes(count * kCodeChars);
  std::string chars(kCodeChars, '\0');
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t k = 0; k < kCodeChars; ++k) chars[k] = kRecoveryCodeAlphabet[random[i * kCodeChars + k] & 0x1F];
    out.codes.push_back(with_dashes(chars));
    out.stored.hashes.push_back(code_hash(key, chars));
  }
  OPENSSL_cleanse(chars.data(), chars.size());
  OPENSSL_cleanse(random.data(), random.size());
  OPENSSL_cleanse(key.data(), key.size());
  return out;
}

std::optional<std::string> normalize_recovery_code(std::string_view input) {
  std::optional<std::string> chars = code_chars(input);
  if (!chars) return std::nullopt;
  std::string& c = *chars;
  std::string out = with_dashes(c);
  OPENSSL_cleanse(c.data(), c.size());
  return out;
}

std::optional<RecoveryCodeUse> consume_recovery_code(const RecoveryCodeSet& set, std::string_view input) {
  std::optional<std::string> chars = code_chars(input);
  if (!chars) return std::nullopt;
  std::string& c = *chars;
  auto key = crypto::from_hex(set.salt);
  std::string candidate = key ? code_hash(*key, c) : std::string();
  OPENSSL_cleanse(c.data(), c.size());
  if (!key) return std::nullopt;

  // Compare with every stored hash, never stopping early, so that the time does not
  // tell which code (if any) matched. A used code's entry is empty and never matches.
  std::optional<std::size_t> matched;
  for (std::size_t i = 0; i < set.hashes.size(); ++i) {
    bool equal = crypto::constant_time_equal(candidate, set.hashes[i]);
    if (equal && !matched) matched = i;
  }
  OPENSSL_cleanse(candidate.data(), candidate.size());
  if (!matched) return std::nullopt;
  RecoveryCodeUse use{*matched, set};
  use.remaining.hashes[*matched].clear();
  return use;
}

std::string format_recovery_codes(const RecoveryCodeSet& set) {
  std::string out = std::string(kTextVersion) + set.salt + ":";
  for (std::size_t i = 0; i < set.hashes.size(); ++i) {
    if (i > 0) out += ',';
    out += set.hashes[i];
  }
  return out;
}

Result<RecoveryCodeSet> parse_recovery_codes(std::string_view text) {
  auto bad = [](std::string message) { return Error::invalid("recovery_codes", std::move(message)); };
  if (text.substr(0, kTextVersion.size()) != kTextVersion)
    return bad("does not start with " + std::string(kTextVersion));
  text.remove_prefix(kTextVersion.size());
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return bad("has no hashes after the salt");
  RecoveryCodeSet set;
  set.salt = std::string(text.substr(0, colon));
  if (!is_lower_hex(set.salt, kSaltBytes * 2)) return bad("salt is not 32 lower-case hex digits");
  text.remove_prefix(colon + 1);
  for (;;) {
    std::size_t comma = text.find(',');
    std::string_view hash = text.substr(0, comma);
    if (!hash.empty() && !is_lower_hex(hash, kHashHexDigits)) {
      return bad("code " + std::to_string(set.hashes.size() + 1) + " is not 64 lower-case hex digits or empty");
    }
    if (set.hashes.size() == kRecoveryCodeMaxCount)
      return bad("holds more than " + std::to_string(kRecoveryCodeMaxCount) + " codes");
    set.hashes.emplace_back(hash);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return set;
}

std::size_t unused_recovery_codes(const RecoveryCodeSet& set) {
  std::size_t n = 0;
  for (const auto& h : set.hashes) n += h.empty() ? 0 : 1;
  return n;
}

}  // namespace zhengwu::auth
