// One-time passwords for the second factor of administrators: TOTP (RFC 6238) over HOTP
// (RFC 4226), secrets in base32 (RFC 4648 section 6), and the `otpauth://` enrolment URI
// that authenticator apps read from a QR code (qr_code.hpp).
//
// Graded protection level 3 (GB/T 22239-2019, 8.1.4.1 d) asks that administrators log in
// with two or more factors, at least one of them cryptographic; a TOTP code is an
// HMAC of the time step under a shared secret, and counts. The defaults are what every
// authenticator app supports: HMAC-SHA1, 6 digits, 30-second steps. SHA-256 and SHA-512
// (RFC 6238 section 1.2) are available for apps that support them.
//
// A code is accepted within ±`window` steps of now, to allow for clock drift and the
// time a person takes to type it, and never twice: the caller stores the step of the
// last accepted code and passes it back, and a code for that step or an earlier one is
// refused (RFC 6238 section 5.2).
//
// Thread-safety: every function here is safe to call from any thread. Failures of
// OpenSSL itself throw crypto::CryptoError; bad input is a Result or a refused check.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/clock.hpp"
#include "kernel/crypto/crypto.hpp"
#include "kernel/result.hpp"

namespace zhengwu::auth {

using Bytes = crypto::Bytes;

// RFC 4648 base32 (alphabet A-Z 2-7), upper case, without `=` padding (what otpauth URIs
// carry).
std::string encode_base32(const Bytes& data);
// Decodes base32 as people and apps write it: lower case, spaces and trailing `=`
// padding are accepted. Fails with ErrorCode::invalid, naming the position, on any other
// character, on `=` before the end, and on a length no encoding produces.
Result<Bytes> decode_base32(std::string_view text);

enum class TotpAlgorithm { sha1, sha256, sha512 };
std::string_view to_string(TotpAlgorithm a);  // "SHA1", "SHA256", "SHA512" (otpauth spelling)

// Codes have 6 to 8 digits; the step must be positive. Other values are programming
// errors and throw std::invalid_argument.
inline constexpr int kTotpMinDigits = 6;
inline constexpr int kTotpMaxDigits = 8;
// The widest window `verify_totp` accepts (each step of window is two more codes a
// guesser gets per try).
inline constexpr int kTotpMaxWindow = 10;

// HOTP (RFC 4226 section 5.3): the code for a counter value.
std::string hotp_code(const Bytes& secret, std::uint64_t counter, int digits = 6,
                      TotpAlgorithm algorithm = TotpAlgorithm::sha1);

// The time step that `t` falls in: floor((t − Unix epoch) / step) (RFC 6238 section 4.2).
std::int64_t totp_step(TimePoint t, std::chrono::seconds step = std::chrono::seconds{30});

// TOTP (RFC 6238 section 4): the HOTP code for the time step of `t`.
std::string totp_code(const Bytes& secret, TimePoint t, int digits = 6,
                      std::chrono::seconds step = std::chrono::seconds{30},
                      TotpAlgorithm algorithm = TotpAlgorithm::sha1);

// The parameters of one enrolled TOTP credential.
struct TotpParams {
  TotpAlgorithm algorithm = TotpAlgorithm::sha1;
  int digits = 6;
  std::chrono::seconds period{30};
};

// The outcome of checking a code. `step` is the time step the code matched: when `ok`,
// store it as the credential's last used step. `replayed` is set when the code was right
// but for a step at or before `last_used_step` (worth an audit record: someone holds a
// code that was already used).
struct TotpCheck {
  bool ok = false;
  std::int64_t step = 0;
  bool replayed = false;
};

// Checks `code` against the steps now−window .. now+window. Refuses codes of the wrong
// length or with anything but ASCII digits, and codes whose matching step is at or
// before `last_used_step`. Every candidate step is computed and compared in constant
// time, so the time taken does not depend on which step, if any, matched. Throws
// std::invalid_argument when window is outside 0..kTotpMaxWindow or params are invalid.
TotpCheck verify_totp(const Bytes& secret, std::string_view code, TimePoint now, int window = 1,
                      std::optional<std::int64_t> last_used_step = {}, const TotpParams& params = {});

// The Key URI an authenticator app reads at enrolment:
// `otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30`.
// Issuer and account are percent-encoded as UTF-8 (the issuer may well be "政务"); a
// colon inside either is encoded too, so the label splits unambiguously. An empty issuer
// leaves the label as the account alone and omits the issuer parameter.
// `secret_base32` is the secret as encode_base32 writes it.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret_base32,
                        const TotpParams& params = {});

// A new shared secret: 20 random bytes (160 bits, the HMAC-SHA1 output size that RFC 4226
// section 4 recommends). Throws crypto::CryptoError when the CSPRNG fails. The caller
// stores it encrypted (keys are never in the database in clear) and cleanses its copy.
Bytes new_totp_secret();

}  // namespace zhengwu::auth
