// Cost of the 国密 operations on the request path: verifying one signed client request
// (canonical request + HMAC-SM3 per RFC 2104 with SM3 of GB/T 32905-2016 + constant-time
// compare; target under 20 µs), and for reference SM3 of 1 KiB, HMAC-SHA256 of the same
// canonical string (OpenSSL), SM2 (GB/T 32918) sign and verify, and field encryption
// (SM4-CTR of GB/T 32907 + HMAC-SM3) of a 32-byte secret. Inputs are fixed, so runs
// compare; only SM2 signing and the field cipher's IV draw random numbers, as they must.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "kernel/crypto/crypto.hpp"
#include "kernel/crypto/field_cipher.hpp"
#include "kernel/crypto/request_signature.hpp"
#include "kernel/crypto/sm2.hpp"

namespace {

using namespace zhengwu::crypto;

constexpr std::string_view kSecret = "zw-client-secret-0001-7d1c52e0b9a34f6e";
constexpr std::string_view kMethod = "GET";
constexpr std::string_view kPath = "/api/exchange/resources/population/records";
constexpr std::string_view kQuery = "name=%E5%BC%A0%E4%B8%89&limit=20&purpose=%E7%A4%BE%E4%BF%9D%E6%A0%B8%E9%AA%8C";
constexpr std::string_view kTimestamp = "1735689600";
constexpr std::string_view kNonce = "5f0e1c9a-3b7d-4e21-9a6c-0d8e2f4b7a13";

std::string typical_canonical() { return canonical_request(kMethod, kPath, kQuery, kTimestamp, kNonce, ""); }

void BM_VerifySignedRequest(benchmark::State& state) {
  const std::string signature = sign_request(kSecret, typical_canonical());
  for (auto _ : state) {
    std::string canonical = canonical_request(kMethod, kPath, kQuery, kTimestamp, kNonce, "");
    bool ok = verify_request_signature(kSecret, canonical, signature);
    benchmark::DoNotOptimize(ok);
    if (!ok) state.SkipWithError("signature did not verify");
  }
}
BENCHMARK(BM_VerifySignedRequest)->Unit(benchmark::kMicrosecond);

void BM_CanonicalRequest(benchmark::State& state) {
  for (auto _ : state) {
    std::string canonical = canonical_request(kMethod, kPath, kQuery, kTimestamp, kNonce, "");
    benchmark::DoNotOptimize(canonical);
  }
}
BENCHMARK(BM_CanonicalRequest)->Unit(benchmark::kMicrosecond);

void BM_HmacSm3Canonical(benchmark::State& state) {
  const std::string canonical = typical_canonical();
  for (auto _ : state) benchmark::DoNotOptimize(hmac_sm3(kSecret, canonical));
}
BENCHMARK(BM_HmacSm3Canonical)->Unit(benchmark::kMicrosecond);

// The same canonical string under HMAC-SHA256, through OpenSSL's one-shot HMAC().
void BM_HmacSha256CanonicalReference(benchmark::State& state) {
  const std::string canonical = typical_canonical();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  for (auto _ : state) {
    HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
         reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), out, &len);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_HmacSha256CanonicalReference)->Unit(benchmark::kMicrosecond);

void BM_Sm3OneKiB(benchmark::State& state) {
  std::string data(1024, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 37);
  for (auto _ : state) benchmark::DoNotOptimize(sm3(data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 1024);
}
BENCHMARK(BM_Sm3OneKiB)->Unit(benchmark::kMicrosecond);

const Sm2PrivateKey& bench_key() {
  static const Sm2PrivateKey key = Sm2PrivateKey::generate();
  return key;
}

constexpr std::string_view kCheckpoint =
    "audit checkpoint seq=100000 hash=66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";

void BM_Sm2Sign(benchmark::State& state) {
  const Sm2PrivateKey& key = bench_key();
  for (auto _ : state) benchmark::DoNotOptimize(key.sign(kCheckpoint));
}
BENCHMARK(BM_Sm2Sign)->Unit(benchmark::kMicrosecond);

void BM_Sm2Verify(benchmark::State& state) {
  const Sm2PrivateKey& key = bench_key();
  const Sm2PublicKey pub = key.public_key();
  const Bytes signature = key.sign(kCheckpoint);
  for (auto _ : state) {
    bool ok = pub.verify(kCheckpoint, signature);
    benchmark::DoNotOptimize(ok);
    if (!ok) state.SkipWithError("signature did not verify");
  }
}
BENCHMARK(BM_Sm2Verify)->Unit(benchmark::kMicrosecond);

KeyRing& bench_ring() {
  static KeyRing ring = [] {
    KeyRing r;
    Bytes material(32);
    for (std::size_t i = 0; i < material.size(); ++i) material[i] = static_cast<std::uint8_t>(i);
    if (!r.add("bench", std::move(material)).ok()) std::abort();
    return r;
  }();
  return ring;
}

constexpr std::string_view kSecret32 = "0123456789abcdef0123456789abcdef";

void BM_FieldEncrypt32(benchmark::State& state) {
  const KeyRing& ring = bench_ring();
  for (auto _ : state) benchmark::DoNotOptimize(ring.encrypt(kSecret32));
}
BENCHMARK(BM_FieldEncrypt32)->Unit(benchmark::kMicrosecond);

void BM_FieldDecrypt32(benchmark::State& state) {
  const KeyRing& ring = bench_ring();
  const std::string token = *ring.encrypt(kSecret32);
  for (auto _ : state) {
    auto plain = ring.decrypt(token);
    benchmark::DoNotOptimize(plain);
    if (!plain.ok()) state.SkipWithError("token did not decrypt");
  }
}
BENCHMARK(BM_FieldDecrypt32)->Unit(benchmark::kMicrosecond);

}  // namespace
