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
  if (input.size() > kMaxInputBytes) return std::nullopt;
  std::string chars;
  chars.reserve(kCodeChars);
  bool ok = true;
  for (std::size_t i = 0; i < input.size() && ok;) {
    auto b = static_cast<unsigned char>(input[i]);
    char c = 0;
    if (b < 0x80) {
      c = static_cast<char>(b);
      i += 1;
    } else if (b == 0xE3 && i + 2 < input.size() && static_cast<unsigned char>(input[i + 1]) == 0x80 &&
               static_cast<unsigned char>(input[i + 2]) == 0x80) {
      c = ' ';  // U+3000 ideographic space
      i += 3;
    } else if ((b == 0xEF) && i + 2 < input.size()) {
      // U+FF01..U+FF5E, the full-width forms of '!'..'~', are EF BC 81..EF BC BF and EF BD 80..EF BD 9E.
      auto b1 = static_cast<unsigned char>(input[i + 1]);
      auto b2 = static_cast<unsigned char>(input[i + 2]);
      char32_t cp = ((b & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80 || cp < 0xFF01 || cp > 0xFF5E) {
        ok = false;
        break;
      }
      c = static_cast<char>(cp - 0xFF01 + '!');
      i += 3;
    } else {
      ok = false;
      break;
    }
    if (c == ' ' || c == '-') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!in_alphabet(c) || chars.size() == kCodeChars) {
      ok = false;
      break;
    }
    chars += c;
  }
  std::optional<std::string> out;
  if (ok && chars.size() == kCodeChars) out = with_dashes(chars);
  OPENSSL_cleanse(chars.data(), chars.size());
  return out;
}

std::optional<RecoveryCodeUse> consume_recovery_code(const RecoveryCodeSet& set, std::string_view input) {
  std::optional<std::string> code = normalize_recovery_code(input);
  if (!code) return std::nullopt;
  auto key = crypto::from_hex(set.salt);
  std::string chars;
  for (char c : *code) {
    if (c != '-') chars += c;
  }
  OPENSSL_cleanse(code->data(), code->size());
  if (!key) {
    OPENSSL_cleanse(chars.data(), chars.size());
    return std::nullopt;
  }
  std::string candidate = code_hash(*key, chars);
  OPENSSL_cleanse(chars.data(), chars.size());

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
