// SM2 signatures (GB/T 32918.2-2016) with SM3 and the GB/T 35276-2017 default user ID,
// through OpenSSL 3's EVP_DigestSign / EVP_DigestVerify. The user ID is given to the
// signature context with EVP_PKEY_CTX_set1_id after initialisation and before the first
// update, which is when OpenSSL computes Z_A.
//
// detail::Sm2Key owns one EVP_PKEY and frees it; it is shared read-only between copies
// of Sm2PrivateKey / Sm2PublicKey. OpenSSL 3 allows concurrent use of one EVP_PKEY for
// signing and verifying as long as nobody modifies it, and each call here creates its
// own EVP_MD_CTX.
#include "kernel/crypto/sm2.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <climits>

namespace zhengwu::crypto {

namespace detail {
struct Sm2Key {
  explicit Sm2Key(EVP_PKEY* k) : pkey(k) {}
  ~Sm2Key() { EVP_PKEY_free(pkey); }
  Sm2Key(const Sm2Key&) = delete;
  Sm2Key& operator=(const Sm2Key&) = delete;
  EVP_PKEY* pkey;
};
}  // namespace detail

namespace {

[[noreturn]] void fail(const char* what) {
  unsigned long code = ERR_get_error();
  std::string message = std::string("openssl: ") + what;
  if (code != 0) {
    std::array<char, 256> buf{};
    ERR_error_string_n(code, buf.data(), buf.size());
    message += ": ";
    message += buf.data();
  }
  ERR_clear_error();
  throw CryptoError(message);
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// Refuses to ask for a pass phrase: an encrypted key simply fails to load instead of
// blocking on the terminal.
int no_passphrase(char*, int, int, void*) { return -1; }

BioPtr read_bio(std::string_view text) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) return nullptr;
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) fail("BIO_new_mem_buf");
  return bio;
}

// Drains a memory BIO into a string. The BIO's buffer is cleared when it is freed
// (BUF_MEM_free erases it), so only the returned copy remains.
std::string drain(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || data == nullptr) fail("empty PEM output");
  return std::string(data, static_cast<std::size_t>(len));
}

Error bad_key(std::string message) { return Error::invalid("key", std::move(message)); }

bool is_sm2(const EVP_PKEY* pkey) { return EVP_PKEY_is_a(pkey, "SM2") == 1; }

const unsigned char* user_id() { return reinterpret_cast<const unsigned char*>(kSm2DefaultUserId.data()); }

// Prepares `ctx` for an SM2-with-SM3 signature or verification with the default ID.
bool init_digest(EVP_MD_CTX* ctx, EVP_PKEY* pkey, bool signing) {
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  int ok = signing ? EVP_DigestSignInit_ex(ctx, &pctx, "SM3", nullptr, nullptr, pkey, nullptr)
                   : EVP_DigestVerifyInit_ex(ctx, &pctx, "SM3", nullptr, nullptr, pkey, nullptr);
  if (ok != 1 || pctx == nullptr) return false;
  return EVP_PKEY_CTX_set1_id(pctx, user_id(), kSm2DefaultUserId.size()) == 1;
}

}  // namespace

// ---- Sm2PublicKey ----------------------------------------------------------------------

Result<Sm2PublicKey> Sm2PublicKey::from_pem(std::string_view pem) {
  BioPtr bio = read_bio(pem);
  if (!bio) return bad_key("PEM text too large");
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY_ex(bio.get(), nullptr, no_passphrase, nullptr, nullptr, nullptr);
  ERR_clear_error();
  if (pkey == nullptr) return bad_key("not a PEM public key");
  auto key = std::make_shared<const detail::Sm2Key>(pkey);
  if (!is_sm2(pkey)) return bad_key("not an SM2 key");
  return Sm2PublicKey(std::move(key));
}

std::string Sm2PublicKey::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) fail("BIO_new");
  if (PEM_write_bio_PUBKEY(bio.get(), key_->pkey) != 1) fail("PEM_write_bio_PUBKEY");
  return drain(bio.get());
}

bool Sm2PublicKey::verify(std::string_view message, std::string_view signature) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) fail("EVP_MD_CTX_new");
  if (!init_digest(ctx.get(), key_->pkey, false)) fail("SM2 verify init");
  int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  // A malformed signature is reported through the error queue; it is an answer, not a
  // failure, so it must not linger for the next OpenSSL caller on this thread.
  ERR_clear_error();
  return ok == 1;
}

// ---- Sm2PrivateKey ---------------------------------------------------------------------

Sm2PrivateKey Sm2PrivateKey::generate() {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2");
  if (pkey == nullptr) fail("SM2 key generation");
  return Sm2PrivateKey(std::make_shared<const detail::Sm2Key>(pkey));
}

Result<Sm2PrivateKey> Sm2PrivateKey::from_pem(std::string_view pem) {
  BioPtr bio = read_bio(pem);
  if (!bio) return bad_key("PEM text too large");
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, no_passphrase, nullptr, nullptr, nullptr);
  ERR_clear_error();
  if (pkey == nullptr) return bad_key("not an unencrypted PEM private key");
  auto key = std::make_shared<const detail::Sm2Key>(pkey);
  if (!is_sm2(pkey)) return bad_key("not an SM2 key");
  return Sm2PrivateKey(std::move(key));
}

std::string Sm2PrivateKey::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) fail("BIO_new");
  // PKCS#8 PrivateKeyInfo, unencrypted.
  if (PEM_write_bio_PKCS8PrivateKey(bio.get(), key_->pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    fail("PEM_write_bio_PKCS8PrivateKey");
  }
  return drain(bio.get());
}

std::string Sm2PrivateKey::public_key_pem() const { return public_key().to_pem(); }

// The public half shares the EVP_PKEY: verification only reads its public point.
Sm2PublicKey Sm2PrivateKey::public_key() const { return Sm2PublicKey(key_); }

Bytes Sm2PrivateKey::sign(std::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) fail("EVP_MD_CTX_new");
  if (!init_digest(ctx.get(), key_->pkey, true)) fail("SM2 sign init");
  const auto* msg = reinterpret_cast<const unsigned char*>(message.data());
  int max_len = EVP_PKEY_get_size(key_->pkey);  // upper bound of the DER signature
  if (max_len <= 0) fail("SM2 signature size");
  Bytes sig(static_cast<std::size_t>(max_len));
  std::size_t len = sig.size();
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, msg, message.size()) != 1) fail("SM2 sign");
  sig.resize(len);
  return sig;
}

}  // namespace zhengwu::crypto
