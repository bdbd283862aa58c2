// Field encryption: SM4-CTR (GB/T 32907-2016) then HMAC-SM3 (RFC 2104, GB/T 32905-2016),
// encrypt-then-MAC, in the token format described in field_cipher.hpp. The MAC is
// checked, in constant time, before any byte is deciphered.
//
// The SM4 cipher objects are fetched once and shared (immutable); each operation makes
// its own EVP_CIPHER_CTX. The ring's key table is guarded by a std::shared_mutex.
#include "kernel/crypto/field_cipher.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <shared_mutex>

namespace zhengwu::crypto {
namespace {

constexpr std::string_view kVersion = "zw1";
constexpr std::size_t kIvBytes = 16;
constexpr std::size_t kMacBytes = 32;
constexpr std::size_t kEncKeyBytes = 16;
constexpr std::size_t kMaxKeyIdChars = 32;
constexpr std::string_view kEncLabel = "zw1/sm4-ctr";
constexpr std::string_view kMacLabel = "zw1/hmac-sm3";

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

const EVP_CIPHER* fetch_cipher(const char* name) {
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
  if (c == nullptr) fail(name);
  return c;
}

const EVP_CIPHER* sm4_ctr() {
  static const EVP_CIPHER* cipher = fetch_cipher("SM4-CTR");
  return cipher;
}

const EVP_CIPHER* sm4_ecb() {
  static const EVP_CIPHER* cipher = fetch_cipher("SM4-ECB");
  return cipher;
}

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// SM4-CTR over `in` into `out` (same length); CTR is its own inverse.
void sm4_ctr_apply(const std::uint8_t* key, const std::uint8_t* iv, const std::uint8_t* in, std::size_t len,
                   std::uint8_t* out) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) fail("EVP_CIPHER_CTX_new");
  if (EVP_EncryptInit_ex2(ctx.get(), sm4_ctr(), key, iv, nullptr) != 1) fail("SM4-CTR init");
  constexpr std::size_t kChunk = 1u << 30;  // EVP lengths are int
  std::size_t done = 0;
  while (done < len) {
    std::size_t n = std::min(kChunk, len - done);
    int outl = 0;
    if (EVP_EncryptUpdate(ctx.get(), out + done, &outl, in + done, static_cast<int>(n)) != 1 ||
        static_cast<std::size_t>(outl) != n) {
      fail("SM4-CTR");
    }
    done += n;
  }
  int tail = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out + done, &tail) != 1 || tail != 0) fail("SM4-CTR final");
}

bool valid_key_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxKeyIdChars) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

struct KeyPair {
  std::array<std::uint8_t, kEncKeyBytes> enc{};
  std::array<std::uint8_t, kMacBytes> mac{};
  KeyPair() = default;
  KeyPair(const KeyPair&) = delete;
  KeyPair& operator=(const KeyPair&) = delete;
  ~KeyPair() {
    OPENSSL_cleanse(enc.data(), enc.size());
    OPENSSL_cleanse(mac.data(), mac.size());
  }
};

// The parts of a token, as views into it.
struct TokenParts {
  std::string_view header;  // "zw1.<key id>." — authenticated with the payload
  std::string_view key_id;
  std::string_view payload;  // base64
};

Result<TokenParts> split_token(std::string_view token) {
  auto bad = [](std::string message) { return Error::invalid("token", std::move(message)); };
  auto first = token.find('.');
  if (first == std::string_view::npos) return bad("not a field token");
  if (token.substr(0, first) != kVersion) return bad("unsupported token version");
  auto second = token.find('.', first + 1);
  if (second == std::string_view::npos) return bad("truncated token");
  TokenParts parts;
  parts.key_id = token.substr(first + 1, second - first - 1);
  if (!valid_key_id(parts.key_id)) return bad("malformed key id");
  parts.header = token.substr(0, second + 1);
  parts.payload = token.substr(second + 1);
  return parts;
}

std::string mac_input(std::string_view header, const std::uint8_t* iv_and_ct, std::size_t len) {
  std::string input;
  input.reserve(header.size() + len);
  input.append(header);
  input.append(reinterpret_cast<const char*>(iv_and_ct), len);
  return input;
}

Bytes mac_of(const KeyPair& k, const std::string& input) {
  return hmac_sm3(std::string_view(reinterpret_cast<const char*>(k.mac.data()), k.mac.size()), input);
}

}  // namespace

Result<Bytes> sm4_encrypt_block(const Bytes& key, const Bytes& block) {
  if (key.size() != 16) return Error::invalid("key", "SM4 keys are 16 bytes");
  if (block.size() != 16) return Error::invalid("block", "SM4 blocks are 16 bytes");
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) fail("EVP_CIPHER_CTX_new");
  if (EVP_EncryptInit_ex2(ctx.get(), sm4_ecb(), key.data(), nullptr, nullptr) != 1) fail("SM4-ECB init");
  if (EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) fail("SM4-ECB padding");
  Bytes out(16);
  int outl = 0;
  int tail = 0;
  if (EVP_EncryptUpdate(ctx.get(), out.data(), &outl, block.data(), 16) != 1 || outl != 16 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + outl, &tail) != 1 || tail != 0) {
    fail("SM4-ECB");
  }
  return out;
}

struct KeyRing::Impl {
  mutable std::shared_mutex mutex;
  std::map<std::string, std::unique_ptr<KeyPair>, std::less<>> keys;  // guarded by mutex
  std::string active;                                                 // guarded by mutex
};

KeyRing::KeyRing() : impl_(std::make_unique<Impl>()) {}
KeyRing::~KeyRing() = default;
KeyRing::KeyRing(KeyRing&&) noexcept = default;
KeyRing& KeyRing::operator=(KeyRing&&) noexcept = default;

Status KeyRing::add(std::string key_id, Bytes material) {
  struct Erase {
    Bytes& b;
    ~Erase() { OPENSSL_cleanse(b.data(), b.size()); }
  } erase{material};
  if (!valid_key_id(key_id)) return Error::invalid("key_id", "1-32 characters of A-Z a-z 0-9 - _");
  if (material.size() < kMinKeyBytes) return Error::invalid("key", "key material shorter than 16 bytes");

  auto pair = std::make_unique<KeyPair>();
  Bytes enc = hmac_sm3(as_text(material), kEncLabel);
  Bytes mac = hmac_sm3(as_text(material), kMacLabel);
  std::copy_n(enc.begin(), kEncKeyBytes, pair->enc.begin());
  std::copy_n(mac.begin(), kMacBytes, pair->mac.begin());
  OPENSSL_cleanse(enc.data(), enc.size());
  OPENSSL_cleanse(mac.data(), mac.size());

  std::unique_lock lock(impl_->mutex);
  if (impl_->keys.contains(key_id)) return Error::conflict("key id " + key_id + " already in the ring");
  if (impl_->active.empty()) impl_->active = key_id;
  impl_->keys.emplace(std::move(key_id), std::move(pair));
  return Status::success();
}

Status KeyRing::set_active(std::string_view key_id) {
  std::unique_lock lock(impl_->mutex);
  if (impl_->keys.find(key_id) == impl_->keys.end()) return Error::not_found("no key " + std::string(key_id));
  impl_->active = std::string(key_id);
  return Status::success();
}

std::string KeyRing::active_key_id() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->active;
}

bool KeyRing::contains(std::string_view key_id) const {
  std::shared_lock lock(impl_->mutex);
  return impl_->keys.find(key_id) != impl_->keys.end();
}

Result<std::string> KeyRing::encrypt(std::string_view plaintext) const {
  std::shared_lock lock(impl_->mutex);
  if (impl_->active.empty()) return Error::conflict("the key ring holds no key");
  const KeyPair& key = *impl_->keys.find(impl_->active)->second;
  std::string header = std::string(kVersion) + "." + impl_->active + ".";

  Bytes blob = random_bytes(kIvBytes);  // IV, then ciphertext, then MAC
  blob.resize(kIvBytes + plaintext.size());
  sm4_ctr_apply(key.enc.data(), blob.data(), reinterpret_cast<const std::uint8_t*>(plaintext.data()),
                plaintext.size(), blob.data() + kIvBytes);
  Bytes mac = mac_of(key, mac_input(header, blob.data(), blob.size()));
  blob.insert(blob.end(), mac.begin(), mac.end());
  return header + to_base64(blob);
}

Result<std::string> KeyRing::decrypt(std::string_view token) const {
  auto parts = split_token(token);
  if (!parts) return parts.error();
  auto blob = from_base64(parts->payload);
  if (!blob) return Error::invalid("token", "malformed payload");
  if (blob->size() < kIvBytes + kMacBytes) return Error::invalid("token", "truncated token");

  std::shared_lock lock(impl_->mutex);
  auto it = impl_->keys.find(parts->key_id);
  if (it == impl_->keys.end()) return Error::not_found("unknown key id " + std::string(parts->key_id));
  const KeyPair& key = *it->second;

  std::size_t signed_len = blob->size() - kMacBytes;
  Bytes expected = mac_of(key, mac_input(parts->header, blob->data(), signed_len));
  std::string_view received(reinterpret_cast<const char*>(blob->data() + signed_len), kMacBytes);
  if (!constant_time_equal(as_text(expected), received)) return Error::invalid("token", "authentication failed");

  std::string plaintext(signed_len - kIvBytes, '\0');
  sm4_ctr_apply(key.enc.data(), blob->data(), blob->data() + kIvBytes, plaintext.size(),
                reinterpret_cast<std::uint8_t*>(plaintext.data()));
  return plaintext;
}

bool KeyRing::needs_rotation(std::string_view token) const {
  auto parts = split_token(token);
  if (!parts) return true;
  std::shared_lock lock(impl_->mutex);
  return parts->key_id != impl_->active;
}

Result<std::string> KeyRing::reencrypt(std::string_view token) const {
  auto plaintext = decrypt(token);
  if (!plaintext) return plaintext.error();
  auto fresh = encrypt(*plaintext);
  OPENSSL_cleanse(plaintext->data(), plaintext->size());
  return fresh;
}

}  // namespace zhengwu::crypto
