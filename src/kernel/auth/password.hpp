// Passwords: the complexity policy, and storage as argon2id hashes (RFC 9106).
//
// Graded protection level 3 (GB/T 22239-2019, 8.1.4.1 身份鉴别) asks that passwords be
// complex and changed periodically. The policy here is a default the operator
// configures: at least 8 characters, 3 of the 4 character classes (lower-case letters,
// upper-case letters, digits, symbols), not containing the user name, valid for 90 days.
// The longest accepted password is bounded in bytes so that no client can make hashing
// expensive. Characters outside ASCII (Chinese characters, accented letters, full-width
// forms) count as symbols: they are neither the ASCII letters nor the digits that the
// class rule is about, and they make guessing harder, not easier.
//
// Passwords are stored as argon2id hashes in the PHC string form that libargon2 writes
// (`$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>`, both parts in unpadded base64), with
// a fresh 16-byte salt from the CSPRNG and a 32-byte tag. The production parameters
// (64 MiB, 3 passes, 1 lane) are OWASP's first recommendation for argon2id; each login
// then holds 64 MiB for its duration, so the login handler must bound how many hashes
// run at once (the memory is the defence, and also the cost to us).
//
// Timing: `verify_password` takes as long as one hash. A login for a user name that
// does not exist must take the same time, or a stopwatch tells which accounts exist:
// call `dummy_verify` with the production parameters in that branch.
//
// Passwords are hashed as the exact bytes given (UTF-8 as the client sent it); clients
// should send Unicode NFC so that the same characters typed on two systems match.
//
// Thread-safety: every function here is safe to call from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/result.hpp"

namespace zhengwu::auth {

// The password policy (GB/T 22239-2019 level 3); defaults that the operator may change.
struct PasswordPolicy {
  std::size_t min_length = 8;    // in characters (Unicode code points), not bytes
  int min_classes = 3;           // of: lower-case, upper-case, digits, symbols (1..4)
  std::size_t max_length = 128;  // in bytes of UTF-8; longer is refused, to bound hashing cost
  std::chrono::days expiry{90};  // a password older than this must be changed; 0 = never
  // How many previous passwords the account keeps (as hashes) and refuses to take back;
  // 0 = no history. See `is_reused_password`.
  std::size_t history = 5;
};

// Checks a new password against the policy. On failure the Error has code `invalid`,
// one FieldError per broken rule on the field `password`, and messages a person can act
// on ("needs at least 8 characters (has 6)"); every broken rule is reported at once so
// the person can fix them in one go. The user name, when given, must not appear inside
// the password (ASCII case ignored). Refuses text that is not valid UTF-8 and control
// characters.
Status check_password(std::string_view password, const PasswordPolicy& policy, std::string_view username = {});

// True when a password changed at `changed_at` has passed the policy's expiry at `now`.
bool password_expired(TimePoint changed_at, TimePoint now, const PasswordPolicy& policy);

// The cost parameters of argon2id (RFC 9106 section 3.1).
struct Argon2Params {
  std::uint32_t t_cost = 3;          // passes over memory
  std::uint32_t m_cost_kib = 65536;  // memory in KiB: 64 MiB
  std::uint32_t parallelism = 1;     // lanes (and threads)

  friend bool operator==(const Argon2Params&, const Argon2Params&) = default;
};

// The bounds `hash_password` accepts and `verify_password` honours. An encoded hash whose
// parameters fall outside them is treated as malformed rather than run: a tampered row
// must not make one login allocate gigabytes or loop for minutes.
inline constexpr std::uint32_t kArgon2MaxTimeCost = 64;
inline constexpr std::uint32_t kArgon2MinMemoryKib = 8;
inline constexpr std::uint32_t kArgon2MaxMemoryKib = 4u * 1024 * 1024;  // 4 GiB
inline constexpr std::uint32_t kArgon2MaxParallelism = 64;

// Whether the parameters are within the bounds above (and argon2's own rule that memory
// is at least 8 KiB per lane); for checking configuration when it is loaded.
Status check_argon2_params(const Argon2Params& params);

// Hashes a password with argon2id and a fresh random salt; returns the encoded string
// `$argon2id$v=19$m=...,t=...,p=...$salt$hash`. Throws std::invalid_argument when the
// parameters fail `check_argon2_params` (a configuration error), crypto::CryptoError when
// the CSPRNG fails, and std::runtime_error when argon2 fails (out of memory).
std::string hash_password(std::string_view password, const Argon2Params& params = {});

// True when `password` matches the encoded argon2id hash. Returns false, never throws,
// for a malformed or non-argon2id encoding and for parameters outside the bounds above.
// Takes the time of one hash with the encoded parameters.
bool verify_password(std::string_view password, std::string_view encoded);

// True when the encoded hash was made with other parameters than `params` (or is not
// an argon2id v19 hash with a 16-byte salt and 32-byte tag, or is malformed). After a
// successful login, re-hash the password and store the new hash when this is true.
bool needs_rehash(std::string_view encoded, const Argon2Params& params);

// Spends the time of one `verify_password` against a hash made with `params`, and
// returns nothing. Call it when the user name is unknown (or the account has no
// password), with the production parameters, so that the reply comes no sooner than for
// a known user with a wrong password. Throws like `hash_password`.
void dummy_verify(std::string_view password, const Argon2Params& params = {});

// True when `password` matches one of the previous password hashes of the account
// (newest first, as many as the policy's `history`). Costs one verification per hash.
bool is_reused_password(std::string_view password, const std::vector<std::string>& previous_hashes);

}  // namespace zhengwu::auth
