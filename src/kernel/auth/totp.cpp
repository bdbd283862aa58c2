// TOTP (RFC 6238) over HOTP (RFC 4226) with OpenSSL's HMAC, RFC 4648 base32, and the
// otpauth Key URI.
//
// The HMAC algorithm is fetched from OpenSSL's default provider once, into a
// function-local static (initialised thread-safely by the language); each computation
// makes its own context, so nothing here is shared mutable state.
#include "kernel/auth/totp.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace zhengwu::auth {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

std::string describe_char(char c) {
  auto b = static_cast<unsigned char>(c);
  if (b >= 0x21 && b < 0x7F) return std::string("'") + c + "'";
  constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[b >> 4] + kHex[b & 0x0F];
}

[[noreturn]] void openssl_failed(const char* what) {
  unsigned long code = ERR_get_error();
  std::string message = std::string("openssl: ") + what;
  if (code != 0) {
    std::array<char, 256> buf{};
    ERR_error_string_n(code, buf.data(), buf.size());
    message += ": ";
    message += buf.data();
  }
  ERR_clear_error();
  throw crypto::CryptoError(message);
}

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) openssl_failed("HMAC is not available");
    return m;
  }();
  return mac;
}

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

// The largest HMAC output here (SHA-512), and an HMAC result that cleanses itself.
struct Mac {
  std::array<unsigned char, 64> bytes{};
  std::size_t size = 0;
  Mac() = default;
  Mac(const Mac&) = delete;
  Mac& operator=(const Mac&) = delete;
  ~Mac() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

void hmac(TotpAlgorithm algorithm, const Bytes& key, const unsigned char* data, std::size_t size, Mac& out) {
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_new(hmac_algorithm()));
  if (!ctx) openssl_failed("EVP_MAC_CTX_new");
  char sha1[] = "SHA1", sha256[] = "SHA256", sha512[] = "SHA512";
  char* digest = algorithm == TotpAlgorithm::sha512 ? sha512 : algorithm == TotpAlgorithm::sha256 ? sha256 : sha1;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  static const unsigned char kEmpty = 0;  // OpenSSL wants a non-null pointer for an empty key
  const unsigned char* key_ptr = key.empty() ? &kEmpty : key.data();
  if (EVP_MAC_init(ctx.get(), key_ptr, key.size(), params) != 1 || EVP_MAC_update(ctx.get(), data, size) != 1 ||
      EVP_MAC_final(ctx.get(), out.bytes.data(), &out.size, out.bytes.size()) != 1) {
    openssl_failed("HMAC");
  }
}

void require_digits(int digits) {
  if (digits < kTotpMinDigits || digits > kTotpMaxDigits) {
    throw std::invalid_argument("TOTP codes have 6 to 8 digits, not " + std::to_string(digits));
  }
}

void require_step(std::chrono::seconds step) {
  if (step.count() <= 0) throw std::invalid_argument("the TOTP step must be positive");
}

std::string percent_encode(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    auto b = static_cast<unsigned char>(c);
    bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
                      b == '.' || b == '_' || b == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

}  // namespace

std::string encode_base32(const Bytes& data) {
  std::string out;
  out.reserve((data.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::uint8_t b : data) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32Alphabet[(buffer >> bits) & 0x1F];
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1F];
  return out;
}

Result<Bytes> decode_base32(std::string_view text) {
  Bytes out;
  out.reserve(text.size() * 5 / 8);
  auto fail = [&out](std::string message) {
    OPENSSL_cleanse(out.data(), out.size());
    return Error::invalid("secret", std::move(message));
  };
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  std::size_t padding_at = 0;  // 1-based position of the first '=', 0 when none yet
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ') continue;
    if (c == '=') {
      if (padding_at == 0) padding_at = i + 1;
      continue;
    }
    int v = base32_value(c);
    if (v < 0) {
      return fail(describe_char(c) + " at position " + std::to_string(i + 1) + " is not a base32 character (A-Z, 2-7)");
    }
    if (padding_at != 0) {
      return fail("padding '=' at position " + std::to_string(padding_at) + " comes before the end");
    }
    ++symbols;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(buffer >> bits));
    }
  }
  // 8 symbols carry 5 bytes; a last group of 1, 3 or 6 symbols stands for no whole number
  // of bytes. Unused low bits of the last symbol are ignored, as apps do.
  std::size_t rest = symbols % 8;
  if (rest == 1 || rest == 3 || rest == 6) {
    return fail("has " + std::to_string(symbols) +
                " base32 characters, a length no encoding produces (a character is missing or extra)");
  }
  return out;
}

std::string_view to_string(TotpAlgorithm a) {
  switch (a) {
    case TotpAlgorithm::sha1:
      return "SHA1";
    case TotpAlgorithm::sha256:
      return "SHA256";
    case TotpAlgorithm::sha512:
      return "SHA512";
  }
  return "SHA1";
}

std::string hotp_code(const Bytes& secret, std::uint64_t counter, int digits, TotpAlgorithm algorithm) {
  require_digits(digits);
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i, counter >>= 8) message[static_cast<std::size_t>(i)] = counter & 0xFF;
  Mac mac;
  hmac(algorithm, secret, message.data(), message.size(), mac);
  // Dynamic truncation (RFC 4226 section 5.3): 31 bits at the offset the last nibble names.
  std::size_t offset = mac.bytes[mac.size - 1] & 0x0F;
  std::uint32_t binary = (std::uint32_t{mac.bytes[offset]} & 0x7F) << 24 | std::uint32_t{mac.bytes[offset + 1]} << 16 |
                         std::uint32_t{mac.bytes[offset + 2]} << 8 | std::uint32_t{mac.bytes[offset + 3]};
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::uint32_t value = binary % modulus;
  std::string code(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, value /= 10)
    code[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  return code;
}

std::int64_t totp_step(TimePoint t, std::chrono::seconds step) {
  require_step(step);
  std::int64_t seconds = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  std::int64_t q = seconds / step.count();
  if (seconds % step.count() < 0) --q;  // floor, also before 1970
  return q;
}

std::string totp_code(const Bytes& secret, TimePoint t, int digits, std::chrono::seconds step,
                      TotpAlgorithm algorithm) {
  return hotp_code(secret, static_cast<std::uint64_t>(totp_step(t, step)), digits, algorithm);
}

TotpCheck verify_totp(const Bytes& secret, std::string_view code, TimePoint now, int window,
                      std::optional<std::int64_t> last_used_step, const TotpParams& params) {
  require_digits(params.digits);
  require_step(params.period);
  if (window < 0 || window > kTotpMaxWindow) {
    throw std::invalid_argument("the TOTP window must be 0.." + std::to_string(kTotpMaxWindow));
  }
  TotpCheck result;
  if (code.size() != static_cast<std::size_t>(params.digits)) return result;
  for (char c : code) {
    if (c < '0' || c > '9') return result;
  }
  const std::int64_t current = totp_step(now, params.period);
  bool fresh = false, replayed = false;
  std::int64_t fresh_step = 0, replayed_step = 0;
  for (std::int64_t s = current - window; s <= current + window; ++s) {
    if (s < 0) continue;
    std::string expected = hotp_code(secret, static_cast<std::uint64_t>(s), params.digits, params.algorithm);
    bool match = CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0;
    OPENSSL_cleanse(expected.data(), expected.size());
    bool used = last_used_step && s <= *last_used_step;
    // Steps ascend, so the last fresh match is the latest step the code is good for.
    if (match && !used) fresh = true, fresh_step = s;
    if (match && used) replayed = true, replayed_step = s;
  }
  if (fresh) {
    result.ok = true;
    result.step = fresh_step;
  } else if (replayed) {
    result.replayed = true;
    result.step = replayed_step;
  }
  return result;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret_base32,
                        const TotpParams& params) {
  require_digits(params.digits);
  require_step(params.period);
  std::string uri = "otpauth://totp/";
  if (!issuer.empty()) uri += percent_encode(issuer) + ":";
  uri += percent_encode(account);
  uri += "?secret=" + percent_encode(secret_base32);
  if (!issuer.empty()) uri += "&issuer=" + percent_encode(issuer);
  uri += "&algorithm=";
  uri += to_string(params.algorithm);
  uri += "&digits=" + std::to_string(params.digits);
  uri += "&period=" + std::to_string(params.period.count());
  return uri;
}

Bytes new_totp_secret() {
  return crypto::random_bytes(20);
}

}  // namespace zhengwu::auth
