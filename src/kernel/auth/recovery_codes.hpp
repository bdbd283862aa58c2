// Recovery codes: the way back in for an administrator who has lost the authenticator
// that holds their TOTP secret (totp.hpp), without weakening the second factor that
// graded protection level 3 asks for (GB/T 22239-2019, 8.1.4.1 d).
//
// A set is 10 single-use codes shown once at enrolment, each 12 characters in three
// groups (`ab3d-9k2m-x7p4`) from a 32-character alphabet without the look-alikes 0, o,
// 1 and l: 60 bits from the CSPRNG per code. Users type them back in any case, with or
// without dashes and spaces, and with the full-width forms a Chinese input method
// produces.
//
// Storage. Only a keyed hash of each code is stored: HMAC-SM3 (GB/T 32905) keyed with a
// random 16-byte salt per set. A slow hash such as argon2id is what low-entropy, human-
// chosen passwords need; a code with 60 random bits is out of reach of exhaustive search
// even at the speed of a fast hash, and checking one attempt against the 10 codes of a
// set with argon2id would cost ten logins, a lever for denial of service. The per-set
// salt keeps one computation from testing a guess against every account. SM3 is the
// national hash standard the platform uses for integrity elsewhere.
//
// Using a code is a pure function from the stored set and the typed code to the index
// that matched and the set without it. The caller writes that set back with a
// conditional update (only if the row is unchanged), so that two requests racing with
// the same code cannot both succeed.
//
// Thread-safety: every function here is safe to call from any thread. Failures of
// OpenSSL itself throw crypto::CryptoError.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.hpp"

namespace zhengwu::auth {

// The characters of a code: digits 2-9 and lower-case letters without l and o.
inline constexpr std::string_view kRecoveryCodeAlphabet = "23456789abcdefghijkmnpqrstuvwxyz";
inline constexpr std::size_t kRecoveryCodeCount = 10;
inline constexpr std::size_t kRecoveryCodeMaxCount = 100;

// What is stored for a set of codes.
struct RecoveryCodeSet {
  std::string salt;                 // lower-case hex of the 16-byte HMAC key of this set
  std::vector<std::string> hashes;  // lower-case hex HMAC-SM3 of each code; "" once used

  friend bool operator==(const RecoveryCodeSet&, const RecoveryCodeSet&) = default;
};

// A new set: the codes to show the user once (then forget), and what to store.
struct IssuedRecoveryCodes {
  std::vector<std::string> codes;  // `xxxx-xxxx-xxxx`
  RecoveryCodeSet stored;
};

// Generates `count` codes (1..kRecoveryCodeMaxCount; other counts throw
// std::invalid_argument). Throws crypto::CryptoError when the CSPRNG fails.
IssuedRecoveryCodes generate_recovery_codes(std::size_t count = kRecoveryCodeCount);

// The canonical form `xxxx-xxxx-xxxx` of what a person typed: ASCII case, spaces and
// dashes are ignored, and full-width letters, digits, dashes and spaces (U+FF01..U+FF5E,
// U+3000) count as their ASCII forms. nullopt when what remains is not 12 characters of
// the alphabet (a typed 0, o, 1 or l is a mistake, never silently corrected).
std::optional<std::string> normalize_recovery_code(std::string_view input);

// The result of using a code: which one matched, and the set with it marked used.
struct RecoveryCodeUse {
  std::size_t index = 0;
  RecoveryCodeSet remaining;
};

// Checks `input` against every unused code of the set; nullopt when it is malformed,
// matches none, or matches one already used. Every stored hash is compared, each in
// constant time, whichever matches. A set whose salt is not valid hex matches nothing.
std::optional<RecoveryCodeUse> consume_recovery_code(const RecoveryCodeSet& set, std::string_view input);

// How many codes of the set are still unused (to warn the user when few are left).
std::size_t unused_recovery_codes(const RecoveryCodeSet& set);

// One line of text for a set, to keep in a single column: `v1:<salt>:<hash>,<hash>,...`
// with an empty field for each used code. `parse_recovery_codes` reads it back and fails
// with ErrorCode::invalid when the text is not in that form (wrong version, salt or hash
// not 32 or 64 lower-case hex digits, more than kRecoveryCodeMaxCount codes).
std::string format_recovery_codes(const RecoveryCodeSet& set);
Result<RecoveryCodeSet> parse_recovery_codes(std::string_view text);

}  // namespace zhengwu::auth
