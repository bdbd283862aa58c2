// 国密 cryptography for the platform, on OpenSSL 3: SM3 (GB/T 32905), HMAC-SM3, SM2
// signatures (GB/T 32918, default user ID 1234567812345678), SM4 (GB/T 32907) and secure
// random bytes. OpenSSL 3.0 has SM4-CTR but no SM4-GCM, so authenticated field
// encryption is SM4-CTR followed by HMAC-SM3 over the ciphertext (encrypt-then-MAC);
// see field_cipher.hpp.
//
// Every function here is thread-safe. Failures of OpenSSL itself (out of memory, a
// missing algorithm) throw CryptoError; bad input (a malformed key or signature) is an
// expected failure and returns a Result or false.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.hpp"

namespace zhengwu::crypto {

using Bytes = std::vector<std::uint8_t>;

class CryptoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// SM3 digest, 32 bytes.
Bytes sm3(std::string_view data);
// HMAC with SM3 as the hash (RFC 2104 construction), 32 bytes.
Bytes hmac_sm3(std::string_view key, std::string_view data);
// `n` bytes from OpenSSL's CSPRNG; throws CryptoError when it cannot deliver.
Bytes random_bytes(std::size_t n);

// Lower-case hexadecimal, and back (upper or lower case; odd length or other characters
// fail with ErrorCode::invalid).
std::string to_hex(const Bytes& bytes);
std::string to_hex(std::string_view bytes);
Result<Bytes> from_hex(std::string_view hex);
// RFC 4648 base64 (with padding), and back.
std::string to_base64(const Bytes& bytes);
Result<Bytes> from_base64(std::string_view text);

// Compares in time independent of where the inputs differ (signatures, MACs, tokens).
bool constant_time_equal(std::string_view a, std::string_view b);

inline std::string_view as_text(const Bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace zhengwu::crypto
