// The platform master key and the platform's SM2 audit-signing key.
//
// The master key is 32 bytes that never enter the database. It is the root of the
// purpose keys: derive(purpose) = HMAC-SM3(master, purpose) (RFC 2104 with SM3, GB/T
// 32905-2016), e.g. derive("field-encryption/1") for the KeyRing of field_cipher.hpp
// and derive("audit-signing") for audit MACs. Changing the master key makes every secret
// encrypted under its purpose keys unreadable, so it must be backed up with the same
// care as the database, and kept apart from it.
//
// Where it comes from, first match wins:
//   1. the file named by the environment variable ZHENGWU_MASTER_KEY_FILE;
//   2. the environment variable ZHENGWU_MASTER_KEY: 64 hex digits or RFC 4648 base64
//      of 32 bytes;
//   3. <data_dir>/keys/master.key, created on first use from 32 random bytes (written as
//      64 hex digits and a newline), mode 0600, in a directory created with mode 0700.
// An empty environment variable counts as unset. Option 3 is for development and small
// installations: in production keep the key outside the data directory, e.g. in a
// secret mounted read-only into the container (mode 0400 or 0600) and named by
// ZHENGWU_MASTER_KEY_FILE, so that a copy of the data directory or of its backups does
// not carry the key that decrypts it.
//
// A key file may hold the 32 raw bytes, or 64 hex digits, or base64 (surrounding white
// space ignored). A key file that group or others may read, write or execute is
// refused (ErrorCode::forbidden, naming the file and the chmod that fixes it); a key of
// the wrong length or form is refused (ErrorCode::invalid); a file that cannot be read
// or created is ErrorCode::internal.
//
// The audit-signing key is an SM2 key pair (GB/T 32918) in <data_dir>/keys/audit-sm2.pem
// (unencrypted PKCS#8 PEM, mode 0600), created on first use; its public half is what
// `zhengwu audit verify` and outside auditors check checkpoints against.
//
// Threads: MasterKey is immutable after loading; `derive` may be called concurrently.
// Loading and creating are for start-up; two processes creating the same file at once
// is safe (the file is published atomically with link(2), and the loser reads the
// winner's key). The key bytes are erased when a MasterKey is destroyed.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/crypto/crypto.hpp"
#include "kernel/crypto/sm2.hpp"
#include "kernel/result.hpp"

namespace zhengwu::crypto {

inline constexpr std::string_view kMasterKeyFileEnv = "ZHENGWU_MASTER_KEY_FILE";
inline constexpr std::string_view kMasterKeyEnv = "ZHENGWU_MASTER_KEY";

// The places a master key may come from; see the file comment for the order.
struct MasterKeySource {
  std::optional<std::string> key_file;  // ZHENGWU_MASTER_KEY_FILE
  std::optional<std::string> key_text;  // ZHENGWU_MASTER_KEY (a secret: not logged)
  std::filesystem::path data_dir;       // for <data_dir>/keys/master.key

  // Reads the two environment variables (empty counts as unset).
  static MasterKeySource from_environment(std::filesystem::path data_dir);
};

class MasterKey {
 public:
  static constexpr std::size_t kBytes = 32;

  // Loads (or, for the data-directory file, creates) the master key.
  static Result<MasterKey> load(const MasterKeySource& source);
  // Parses 64 hex digits or base64 of exactly 32 bytes (surrounding white space ignored).
  static Result<MasterKey> from_text(std::string_view text);

  MasterKey(MasterKey&& other) noexcept;
  MasterKey& operator=(MasterKey&& other) noexcept;
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;
  ~MasterKey();

  // HMAC-SM3(master, purpose), 32 bytes. Purposes are fixed strings naming the use and
  // a version ("field-encryption/1"); a different purpose gives an unrelated key. The
  // caller owns the returned key bytes (KeyRing::add takes them and erases them).
  Bytes derive(std::string_view purpose) const;
  // Where the key came from, for the start-up log: "file /run/secrets/zw-master",
  // "environment ZHENGWU_MASTER_KEY", "created data/keys/master.key". Never the key.
  const std::string& origin() const { return origin_; }

 private:
  MasterKey() = default;
  std::array<std::uint8_t, kBytes> key_{};
  std::string origin_;
};

// The platform's SM2 key for signing audit checkpoints: loads
// <data_dir>/keys/audit-sm2.pem, or creates it (mode 0600, directory 0700) on first use.
// Errors as for the master key file; a file that is not an SM2 PKCS#8 PEM key is
// ErrorCode::invalid.
Result<Sm2PrivateKey> load_or_create_audit_signing_key(const std::filesystem::path& data_dir);

}  // namespace zhengwu::crypto
