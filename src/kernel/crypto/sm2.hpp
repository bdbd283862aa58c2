// SM2 digital signatures (GB/T 32918.2-2016) over SM3 (GB/T 32905-2016), on OpenSSL 3.
//
// A signature is over the message prefixed by Z_A = SM3(ENTL || ID || a || b || xG || yG
// || xA || yA) (GB/T 32918.2), where ID is the signer's distinguishing
// identifier. Both classes use the standard's default ID `1234567812345678` (GB/T
// 35276-2017, the SM2 usage specification), which OpenSSL 3.0 applies only when told; the same signature
// verifies on the command line with
//   openssl pkeyutl -verify -pubin -inkey PUB.pem -rawin -in MSG -sigfile SIG
//     -digest sm3 -pkeyopt distid:1234567812345678
// Signatures are DER-encoded SEQUENCE { r INTEGER, s INTEGER } (GB/T 35276).
//
// Keys are EC keys on the SM2 curve. PEM forms are PKCS#8 "PRIVATE KEY" (unencrypted)
// and SubjectPublicKeyInfo "PUBLIC KEY". Malformed PEM, an encrypted private key, or a
// key on another curve is an expected failure and returns an Error (ErrorCode::invalid).
//
// Ownership and threads: each object owns one reference to an immutable OpenSSL key;
// copies share it. After construction nothing mutates the key, so `sign`, `verify` and
// the PEM accessors may be called concurrently from any number of threads on the same
// object. OpenSSL failures that are not about the input (out of memory) throw
// CryptoError.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kernel/crypto/crypto.hpp"
#include "kernel/result.hpp"

namespace zhengwu::crypto {

// GB/T 35276-2017 default user ID, used for Z_A when signing and verifying.
inline constexpr std::string_view kSm2DefaultUserId = "1234567812345678";

namespace detail {
struct Sm2Key;  // wraps the OpenSSL key; defined in sm2.cpp
}

class Sm2PublicKey {
 public:
  // Parses a "PUBLIC KEY" PEM block holding an SM2 key.
  static Result<Sm2PublicKey> from_pem(std::string_view pem);

  // SubjectPublicKeyInfo PEM.
  std::string to_pem() const;
  // True when `signature` (DER) is a valid SM2 signature of `message` under this key and
  // the default user ID; false for a wrong or malformed signature.
  bool verify(std::string_view message, std::string_view signature) const;
  bool verify(std::string_view message, const Bytes& signature) const { return verify(message, as_text(signature)); }

 private:
  friend class Sm2PrivateKey;
  explicit Sm2PublicKey(std::shared_ptr<const detail::Sm2Key> key) : key_(std::move(key)) {}
  std::shared_ptr<const detail::Sm2Key> key_;
};

class Sm2PrivateKey {
 public:
  // A fresh key pair from OpenSSL's CSPRNG.
  static Sm2PrivateKey generate();
  // Parses an unencrypted PKCS#8 "PRIVATE KEY" PEM block holding an SM2 key (the form
  // `openssl genpkey -algorithm SM2` writes). Never prompts for a pass phrase.
  static Result<Sm2PrivateKey> from_pem(std::string_view pem);

  // Unencrypted PKCS#8 PEM. The string holds the secret key: the caller should keep it
  // out of logs and erase it (OPENSSL_cleanse or equivalent) when done.
  std::string to_pem() const;
  std::string public_key_pem() const;
  Sm2PublicKey public_key() const;
  // DER signature of `message` (SM3 digest, default user ID). SM2 signing is randomised:
  // two signatures of the same message differ, and both verify.
  Bytes sign(std::string_view message) const;

 private:
  explicit Sm2PrivateKey(std::shared_ptr<const detail::Sm2Key> key) : key_(std::move(key)) {}
  std::shared_ptr<const detail::Sm2Key> key_;
};

}  // namespace zhengwu::crypto
