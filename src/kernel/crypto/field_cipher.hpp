// Authenticated encryption of secrets stored in the database (system clients' secrets,
// TOTP seeds): SM4 (GB/T 32907-2016) in CTR mode, then HMAC-SM3 (RFC 2104 with SM3,
// GB/T 32905-2016) over the result — encrypt-then-MAC, because OpenSSL 3.0 offers no
// SM4-GCM. Tokens are text, with base64 per RFC 4648:
//
//   zw1.<key id>.<base64(IV[16] || ciphertext || MAC[32])>
//
// where MAC = HMAC-SM3(mac key, "zw1." || key id || "." || IV || ciphertext). The MAC
// covers the version and the key id as well as the ciphertext, so a token cannot be
// moved to another key or format. Every key in the ring is key material of at least 16
// bytes (normally a 32-byte purpose key from MasterKey::derive("field-encryption/1"));
// from it two independent keys are derived:
//   encryption key = first 16 bytes of HMAC-SM3(material, "zw1/sm4-ctr")
//   MAC key        = HMAC-SM3(material, "zw1/hmac-sm3")            (32 bytes)
// The IV is 16 random bytes, used as SM4-CTR's initial 128-bit big-endian counter.
//
// Rotation: a KeyRing holds several keys by id, one of them active. `encrypt` always
// uses the active key; `decrypt` accepts any key in the ring; `needs_rotation` tells
// that a token is under a non-active key, and `reencrypt` moves it to the active one.
//
// Threads: KeyRing guards its keys with a reader-writer lock; every member may be
// called concurrently, and keys may be added or activated while others decrypt (moving
// a ring is not synchronised; a moved-from ring may only be destroyed or assigned to).
// Key bytes are erased when the ring is destroyed.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/crypto/crypto.hpp"
#include "kernel/result.hpp"

namespace zhengwu::crypto {

// One SM4 block (16 bytes) encrypted under a 16-byte key: the raw block cipher, SM4-ECB
// without padding. Exposed for the GB/T 32907 known-answer test; never use it to
// encrypt data. Wrong sizes return ErrorCode::invalid.
Result<Bytes> sm4_encrypt_block(const Bytes& key, const Bytes& block);

class KeyRing {
 public:
  // Minimum length of key material accepted by `add`.
  static constexpr std::size_t kMinKeyBytes = 16;

  KeyRing();
  ~KeyRing();
  KeyRing(KeyRing&&) noexcept;
  KeyRing& operator=(KeyRing&&) noexcept;
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  // Adds a key. `key_id` is 1-32 characters of A-Z a-z 0-9 '-' '_' (it appears in
  // tokens); `material` has at least kMinKeyBytes bytes and is erased by the ring when
  // it is done with it. The first key added becomes active. Errors: ErrorCode::invalid
  // for a bad id or short material, ErrorCode::conflict when the id is already present
  // (a key id must never be reused for different material).
  Status add(std::string key_id, Bytes material);
  // Makes `key_id` the key for new encryptions. ErrorCode::not_found when absent.
  Status set_active(std::string_view key_id);
  // The active key id; empty when the ring is empty.
  std::string active_key_id() const;
  bool contains(std::string_view key_id) const;

  // A fresh token for `plaintext` under the active key (empty plaintext allowed).
  // ErrorCode::conflict when the ring holds no key.
  Result<std::string> encrypt(std::string_view plaintext) const;
  // The plaintext of `token`, or an error — never unauthenticated bytes:
  // ErrorCode::invalid for a malformed or truncated token, an unknown version, or a MAC
  // mismatch (tampering, or a token made by another key with the same id);
  // ErrorCode::not_found for a key id the ring does not hold. The caller owns the
  // returned secret and should erase it when done.
  Result<std::string> decrypt(std::string_view token) const;
  // True when `token` names a key other than the active one (or has a form this ring
  // does not write). Does not authenticate the token.
  bool needs_rotation(std::string_view token) const;
  // Decrypts `token` and encrypts its plaintext under the active key; the same errors
  // as `decrypt`.
  Result<std::string> reencrypt(std::string_view token) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhengwu::crypto
