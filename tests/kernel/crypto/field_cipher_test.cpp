// SM4 (GB/T 32907-2016) known answer, and the field cipher: SM4-CTR then HMAC-SM3
// (RFC 2104), encrypt-then-MAC, in `zw1.<key id>.<base64 IV|CT|MAC>` tokens (RFC 4648).
// One test rebuilds a token's parts independently — keys derived with HMAC-SM3, MAC
// recomputed, ciphertext deciphered by `openssl enc -sm4-ctr` — so the format written
// in field_cipher.hpp is checked, not only the round trip.
#include "kernel/crypto/field_cipher.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "support/server_process.hpp"

namespace zhengwu::crypto {
namespace {

Bytes material(std::uint8_t seed) {
  Bytes b(32);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(seed + i);
  return b;
}

KeyRing ring_with(std::initializer_list<std::pair<const char*, std::uint8_t>> keys) {
  KeyRing ring;
  for (const auto& [id, seed] : keys) {
    Status s = ring.add(id, material(seed));
    EXPECT_TRUE(s.ok()) << id;
  }
  return ring;
}

TEST(Sm4Test, StandardExampleSingleBlock) {
  // GB/T 32907-2016, appendix A, example 1: key = plaintext = 0123456789abcdeffedcba9876543210.
  Bytes key = *from_hex("0123456789abcdeffedcba9876543210");
  auto out = sm4_encrypt_block(key, key);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(to_hex(*out), "681edf34d206965e86b3e94f536e4246");
}

TEST(Sm4Test, BlockCipherRejectsWrongSizes) {
  Bytes sixteen(16, 0);
  EXPECT_FALSE(sm4_encrypt_block(Bytes(15, 0), sixteen).ok());
  EXPECT_FALSE(sm4_encrypt_block(Bytes(32, 0), sixteen).ok());
  EXPECT_FALSE(sm4_encrypt_block(sixteen, Bytes(17, 0)).ok());
  EXPECT_FALSE(sm4_encrypt_block(sixteen, Bytes{}).ok());
}

// The CSPRNG that supplies SM4 keys and IVs.
TEST(Sm4Test, RandomBytesLengthAndVariety) {
  EXPECT_TRUE(random_bytes(0).empty());
  std::set<Bytes> seen;
  for (int i = 0; i < 16; ++i) {
    Bytes b = random_bytes(32);
    EXPECT_EQ(b.size(), 32u);
    seen.insert(b);
  }
  EXPECT_EQ(seen.size(), 16u);
}

TEST(FieldCipherTest, RoundTrip) {
  KeyRing ring = ring_with({{"k1", 1}});
  for (const std::string& plaintext : std::vector<std::string>{"s3cr3t", "JBSWY3DPEHPK3PXP", "张三的客户端密钥", std::string("a\0b", 3)}) {
    auto token = ring.encrypt(plaintext);
    ASSERT_TRUE(token.ok());
    EXPECT_EQ(token->rfind("zw1.k1.", 0), 0u) << *token;
    auto back = ring.decrypt(*token);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, plaintext);
  }
}

TEST(FieldCipherTest, EmptyPlaintext) {
  KeyRing ring = ring_with({{"k1", 1}});
  auto token = ring.encrypt("");
  ASSERT_TRUE(token.ok());
  auto back = ring.decrypt(*token);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, "");
}

TEST(FieldCipherTest, OneMebibytePlaintext) {
  KeyRing ring = ring_with({{"k1", 1}});
  std::string big(1 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131) ^ (i >> 8));
  auto token = ring.encrypt(big);
  ASSERT_TRUE(token.ok());
  auto back = ring.decrypt(*token);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(*back == big);
}

TEST(FieldCipherTest, SamePlaintextEncryptsDifferently) {
  KeyRing ring = ring_with({{"k1", 1}});
  std::set<std::string> tokens;
  for (int i = 0; i < 20; ++i) tokens.insert(*ring.encrypt("same secret"));
  EXPECT_EQ(tokens.size(), 20u);
}

TEST(FieldCipherTest, TamperingAnyCharacterIsAnError) {
  KeyRing ring = ring_with({{"k1", 1}, {"k2", 2}});
  const std::string token = *ring.encrypt("client-secret-0001");
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (char replacement : {'A', 'z', '0', '+', '.', '2'}) {
      if (token[i] == replacement) continue;
      std::string bad = token;
      bad[i] = replacement;
      auto r = ring.decrypt(bad);
      EXPECT_FALSE(r.ok()) << "position " << i << " -> " << replacement << ": " << bad;
    }
  }
}

TEST(FieldCipherTest, TamperingAnyPayloadBitIsAnError) {
  KeyRing ring = ring_with({{"k1", 1}});
  const std::string token = *ring.encrypt("TOTP-seed-JBSWY3DP");
  const std::string prefix = "zw1.k1.";
  Bytes blob = *from_base64(std::string_view(token).substr(prefix.size()));
  for (std::size_t i = 0; i < blob.size(); ++i) {
    for (std::uint8_t bit : {0x01, 0x80}) {
      Bytes bad = blob;
      bad[i] ^= bit;
      auto r = ring.decrypt(prefix + to_base64(bad));
      ASSERT_FALSE(r.ok()) << "byte " << i;
      EXPECT_EQ(r.error().code, ErrorCode::invalid);
    }
  }
}

TEST(FieldCipherTest, TokenCannotMoveToAnotherKeyId) {
  KeyRing ring = ring_with({{"k1", 1}, {"k2", 2}});
  std::string token = *ring.encrypt("x");
  std::string moved = "zw1.k2." + token.substr(std::string("zw1.k1.").size());
  auto r = ring.decrypt(moved);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid);
}

TEST(FieldCipherTest, UnknownKeyIdIsNotFound) {
  KeyRing writer = ring_with({{"old", 1}});
  KeyRing reader = ring_with({{"new", 2}});
  auto r = reader.decrypt(*writer.encrypt("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  // Same id, different material: the MAC tells.
  KeyRing impostor = ring_with({{"old", 3}});
  auto r2 = impostor.decrypt(*writer.encrypt("x"));
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, ErrorCode::invalid);
}

TEST(FieldCipherTest, TruncatedAndMalformedTokensAreErrors) {
  KeyRing ring = ring_with({{"k1", 1}});
  const std::string token = *ring.encrypt("");
  for (std::size_t len = 0; len < token.size(); ++len) {
    EXPECT_FALSE(ring.decrypt(token.substr(0, len)).ok()) << len;
  }
  for (const std::string& bad : std::vector<std::string>{"", "zw1", "zw1.", "zw1.k1", "zw1.k1.", "zw2.k1.AAAA", "zw1..AAAA", "zw1.k.1.AAAA",
                          "zw1.k1.!!!!", "ZW1.k1.AAAA", "zw1.k1.AAAA", token + "AAAA", token + "="}) {
    auto r = ring.decrypt(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(FieldCipherTest, RotationKeepsOldTokensReadable) {
  KeyRing ring = ring_with({{"2024", 1}});
  const std::string old_token = *ring.encrypt("client secret");
  EXPECT_FALSE(ring.needs_rotation(old_token));

  ASSERT_TRUE(ring.add("2025", material(2)).ok());
  EXPECT_EQ(ring.active_key_id(), "2024");  // adding does not activate
  ASSERT_TRUE(ring.set_active("2025").ok());
  EXPECT_EQ(ring.active_key_id(), "2025");

  EXPECT_TRUE(ring.needs_rotation(old_token));
  EXPECT_EQ(*ring.decrypt(old_token), "client secret");
  auto fresh = ring.reencrypt(old_token);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->rfind("zw1.2025.", 0), 0u);
  EXPECT_FALSE(ring.needs_rotation(*fresh));
  EXPECT_EQ(*ring.decrypt(*fresh), "client secret");
  EXPECT_TRUE(ring.needs_rotation("garbage"));

  auto tampered = old_token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(ring.reencrypt(tampered).ok());
}

TEST(FieldCipherTest, KeyRingRules) {
  KeyRing ring;
  EXPECT_EQ(ring.active_key_id(), "");
  auto none = ring.encrypt("x");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::conflict);

  EXPECT_EQ(ring.add("", material(1)).error().code, ErrorCode::invalid);
  EXPECT_EQ(ring.add("a.b", material(1)).error().code, ErrorCode::invalid);
  EXPECT_EQ(ring.add("a b", material(1)).error().code, ErrorCode::invalid);
  EXPECT_EQ(ring.add(std::string(33, 'k'), material(1)).error().code, ErrorCode::invalid);
  EXPECT_EQ(ring.add("short", Bytes(15, 1)).error().code, ErrorCode::invalid);
  EXPECT_TRUE(ring.add(std::string(32, 'k'), Bytes(16, 1)).ok());
  EXPECT_TRUE(ring.add("k_1-A", material(1)).ok());
  EXPECT_EQ(ring.add("k_1-A", material(2)).error().code, ErrorCode::conflict);
  EXPECT_EQ(ring.set_active("missing").error().code, ErrorCode::not_found);
  EXPECT_TRUE(ring.contains("k_1-A"));
  EXPECT_FALSE(ring.contains("missing"));
  EXPECT_EQ(ring.active_key_id(), std::string(32, 'k'));
}

TEST(FieldCipherTest, ConcurrentUseAndRotation) {
  KeyRing ring = ring_with({{"k0", 0}});
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string text = "secret " + std::to_string(t) + "/" + std::to_string(i);
        auto token = ring.encrypt(text);
        if (token.ok() && ring.decrypt(*token).ok() && *ring.decrypt(*token) == text) ++good[t];
      }
    });
  }
  for (int k = 1; k <= 5; ++k) {
    std::string id = "k" + std::to_string(k);
    EXPECT_TRUE(ring.add(id, material(static_cast<std::uint8_t>(k))).ok());
    EXPECT_TRUE(ring.set_active(id).ok());
  }
  for (auto& th : threads) th.join();
  for (int g : good) EXPECT_EQ(g, 200);
}

int run(const std::string& command) {
  int status = std::system((command + " >/dev/null 2>&1").c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST(FieldCipherTest, TokenFormatMatchesTheDocumentedConstruction) {
  if (run("openssl version") != 0) GTEST_SKIP() << "the openssl command line is not installed";
  const Bytes key_material = material(7);
  KeyRing ring;
  ASSERT_TRUE(ring.add("doc", key_material).ok());
  const std::string plaintext = "政务 client secret: 0123456789";
  const std::string token = *ring.encrypt(plaintext);

  const std::string header = "zw1.doc.";
  ASSERT_EQ(token.rfind(header, 0), 0u);
  Bytes blob = *from_base64(std::string_view(token).substr(header.size()));
  ASSERT_EQ(blob.size(), 16 + plaintext.size() + 32);
  Bytes iv(blob.begin(), blob.begin() + 16);
  Bytes ct(blob.begin() + 16, blob.end() - 32);
  Bytes mac(blob.end() - 32, blob.end());

  Bytes enc_key = hmac_sm3(as_text(key_material), "zw1/sm4-ctr");
  enc_key.resize(16);
  Bytes mac_key = hmac_sm3(as_text(key_material), "zw1/hmac-sm3");
  std::string signed_part = header + std::string(as_text(iv)) + std::string(as_text(ct));
  EXPECT_EQ(hmac_sm3(as_text(mac_key), signed_part), mac);

  zhengwu::testing::TempDir dir;
  const auto ct_file = dir.path() / "ct", pt_file = dir.path() / "pt";
  {
    std::ofstream out(ct_file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(ct.data()), static_cast<std::streamsize>(ct.size()));
  }
  ASSERT_EQ(run("openssl enc -d -sm4-ctr -K " + to_hex(enc_key) + " -iv " + to_hex(iv) + " -in '" +
                ct_file.string() + "' -out '" + pt_file.string() + "'"),
            0);
  std::ifstream in(pt_file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  EXPECT_EQ(s.str(), plaintext);
}

}  // namespace
}  // namespace zhengwu::crypto
