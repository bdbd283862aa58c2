// The master key's sources, file modes and purpose-key derivation (HMAC-SM3, RFC 2104 /
// GB/T 32905-2016), and the SM2 audit-signing key file (GB/T 32918).
#include "kernel/crypto/master_key.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>

#include "support/server_process.hpp"

namespace zhengwu::crypto {
namespace {

namespace fs = std::filesystem;

// 00 01 02 ... 1f, in the text forms the environment variable accepts.
const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

void write_file(const fs::path& path, std::string_view content, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  }
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

MasterKeySource data_dir_only(const fs::path& dir) { return MasterKeySource{std::nullopt, std::nullopt, dir}; }

TEST(MasterKeyTest, DerivationKnownAnswer) {
  // printf 'field-encryption/1' | openssl dgst -sm3 -mac HMAC -macopt hexkey:000102...1f
  auto key = MasterKey::from_text(kHex);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(to_hex(key->derive("field-encryption/1")),
            "e93b7a64d7c900b758b8d434558415900037b9430f55869747cca362659a6079");
  EXPECT_NE(key->derive("field-encryption/1"), key->derive("audit-signing"));
}

TEST(MasterKeyTest, CreatedOnFirstUseWithPrivateModesAndReloaded) {
  zhengwu::testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  auto first = MasterKey::load(data_dir_only(data));
  ASSERT_TRUE(first.ok()) << first.error().message;
  const fs::path file = data / "keys" / "master.key";
  EXPECT_EQ(first->origin(), "created " + file.string());
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(mode_of(data / "keys"), 0700u);
  // Written as 64 hex digits and a newline, and nothing else is left in the directory.
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.size(), 64u);
  EXPECT_EQ(std::distance(fs::directory_iterator(data / "keys"), fs::directory_iterator{}), 1);

  auto again = MasterKey::load(data_dir_only(data));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->origin(), "file " + file.string());
  EXPECT_EQ(again->derive("p"), first->derive("p"));
  EXPECT_EQ(to_hex(again->derive("p")), to_hex(MasterKey::from_text(line)->derive("p")));

  // Another data directory gets another key.
  auto other = MasterKey::load(data_dir_only(dir.path() / "other"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->derive("p"), first->derive("p"));
}

TEST(MasterKeyTest, RefusedWhenGroupOrOthersCanRead) {
  zhengwu::testing::TempDir dir;
  ASSERT_TRUE(MasterKey::load(data_dir_only(dir.path())).ok());
  const fs::path file = dir.path() / "keys" / "master.key";
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602}) {
    ASSERT_EQ(::chmod(file.c_str(), mode), 0);
    auto r = MasterKey::load(data_dir_only(dir.path()));
    ASSERT_FALSE(r.ok()) << std::oct << mode;
    EXPECT_EQ(r.error().code, ErrorCode::forbidden);
    EXPECT_NE(r.error().message.find("chmod 600 " + file.string()), std::string::npos) << r.error().message;
  }
  ASSERT_EQ(::chmod(file.c_str(), 0400), 0);
  EXPECT_TRUE(MasterKey::load(data_dir_only(dir.path())).ok());
}

TEST(MasterKeyTest, KeyFileFromEnvironmentTakesPrecedence) {
  zhengwu::testing::TempDir dir;
  const fs::path file = dir.path() / "mounted-secret";
  write_file(file, kBase64 + "\n", 0400);
  MasterKeySource source{file.string(), std::string(64, 'f'), dir.path() / "data"};
  auto key = MasterKey::load(source);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->origin(), "file " + file.string());
  EXPECT_EQ(key->derive("x"), MasterKey::from_text(kHex)->derive("x"));
  EXPECT_FALSE(fs::exists(dir.path() / "data")) << "nothing is created when a key is given";

  // Raw 32 bytes and hex are accepted in a file too.
  write_file(file, std::string(as_text(*from_hex(kHex))), 0600);
  EXPECT_EQ(MasterKey::load(source)->derive("x"), key->derive("x"));
  write_file(file, "  " + kHex + "\r\n", 0600);
  EXPECT_EQ(MasterKey::load(source)->derive("x"), key->derive("x"));

  write_file(file, kHex, 0644);
  auto refused = MasterKey::load(source);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::forbidden);

  auto missing = MasterKey::load(MasterKeySource{(dir.path() / "absent").string(), std::nullopt, dir.path()});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("ZHENGWU_MASTER_KEY_FILE"), std::string::npos);
}

TEST(MasterKeyTest, EnvironmentTextHexAndBase64) {
  zhengwu::testing::TempDir dir;
  auto hex = MasterKey::load(MasterKeySource{std::nullopt, kHex, dir.path()});
  auto upper = MasterKey::load(MasterKeySource{std::nullopt, "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", dir.path()});
  auto b64 = MasterKey::load(MasterKeySource{std::nullopt, kBase64 + "\n", dir.path()});
  ASSERT_TRUE(hex.ok()) << hex.error().message;
  ASSERT_TRUE(upper.ok()) << upper.error().message;
  ASSERT_TRUE(b64.ok()) << b64.error().message;
  EXPECT_EQ(hex->origin(), "environment ZHENGWU_MASTER_KEY");
  EXPECT_EQ(hex->derive("x"), b64->derive("x"));
  EXPECT_EQ(hex->derive("x"), upper->derive("x"));
  EXPECT_FALSE(fs::exists(dir.path() / "keys"));
}

TEST(MasterKeyTest, ReadsTheProcessEnvironment) {
  const char* saved_file = std::getenv("ZHENGWU_MASTER_KEY_FILE");
  const char* saved_key = std::getenv("ZHENGWU_MASTER_KEY");
  std::optional<std::string> keep_file = saved_file ? std::optional<std::string>(saved_file) : std::nullopt;
  std::optional<std::string> keep_key = saved_key ? std::optional<std::string>(saved_key) : std::nullopt;

  ::setenv("ZHENGWU_MASTER_KEY_FILE", "", 1);  // empty counts as unset
  ::setenv("ZHENGWU_MASTER_KEY", kBase64.c_str(), 1);
  MasterKeySource source = MasterKeySource::from_environment("/nonexistent");
  EXPECT_FALSE(source.key_file.has_value());
  EXPECT_EQ(source.key_text, kBase64);
  EXPECT_EQ(source.data_dir, fs::path("/nonexistent"));
  auto key = MasterKey::load(source);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->derive("x"), MasterKey::from_text(kHex)->derive("x"));

  if (keep_file) ::setenv("ZHENGWU_MASTER_KEY_FILE", keep_file->c_str(), 1);
  else ::unsetenv("ZHENGWU_MASTER_KEY_FILE");
  if (keep_key) ::setenv("ZHENGWU_MASTER_KEY", keep_key->c_str(), 1);
  else ::unsetenv("ZHENGWU_MASTER_KEY");
}

TEST(MasterKeyTest, WrongLengthOrFormIsRefused) {
  const std::vector<std::string> bad = {
      "",
      kHex.substr(0, 62),                                      // 31 bytes of hex
      kHex + "20",                                             // 33 bytes of hex
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==",          // 31 bytes of base64
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g",          // 33 bytes of base64
      std::string(64, 'g'),                                    // 64 characters, not hex
      "correct horse battery staple correct horse battery staple!!",
  };
  zhengwu::testing::TempDir dir;
  for (const auto& text : bad) {
    auto r = MasterKey::load(MasterKeySource{std::nullopt, text.empty() ? std::optional<std::string>(" ") : text,
                                             dir.path()});
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::invalid);
    EXPECT_NE(r.error().message.find("32 bytes"), std::string::npos) << r.error().message;
  }
  // A key file of the wrong length.
  const fs::path file = dir.path() / "short.key";
  write_file(file, std::string(31, 'k'), 0600);
  auto r = MasterKey::load(MasterKeySource{file.string(), std::nullopt, dir.path()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid);
  // The message never echoes the key text.
  auto r2 = MasterKey::from_text(kHex.substr(0, 62));
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().message.find(kHex.substr(0, 62)), std::string::npos);
}

TEST(MasterKeyTest, DataDirKeyFileCorruptIsAnError) {
  zhengwu::testing::TempDir dir;
  fs::create_directories(dir.path() / "keys");
  write_file(dir.path() / "keys" / "master.key", "not a key\n", 0600);
  auto r = MasterKey::load(data_dir_only(dir.path()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid);
  // And it was not replaced by a fresh key.
  std::ifstream in(dir.path() / "keys" / "master.key");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "not a key\n");
}

TEST(MasterKeyTest, MovedKeyStillDerives) {
  auto key = MasterKey::from_text(kHex);
  ASSERT_TRUE(key.ok());
  Bytes before = key->derive("p");
  MasterKey moved = std::move(*key);
  EXPECT_EQ(moved.derive("p"), before);
}

TEST(MasterKeyTest, AuditSigningKeyCreatedThenLoaded) {
  zhengwu::testing::TempDir dir;
  auto first = load_or_create_audit_signing_key(dir.path());
  ASSERT_TRUE(first.ok()) << first.error().message;
  const fs::path file = dir.path() / "keys" / "audit-sm2.pem";
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(mode_of(dir.path() / "keys"), 0700u);

  auto again = load_or_create_audit_signing_key(dir.path());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->public_key_pem(), first->public_key_pem());
  EXPECT_TRUE(first->public_key().verify("checkpoint", again->sign("checkpoint")));

  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  auto refused = load_or_create_audit_signing_key(dir.path());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::forbidden);

  write_file(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", 0600);
  auto corrupt = load_or_create_audit_signing_key(dir.path());
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.error().code, ErrorCode::invalid);
}

TEST(MasterKeyTest, ConcurrentFirstUseAgrees) {
  zhengwu::testing::TempDir dir;
  std::vector<Bytes> derived(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < derived.size(); ++i) {
    threads.emplace_back([&, i] {
      auto key = MasterKey::load(data_dir_only(dir.path()));
      if (key.ok()) derived[i] = key->derive("p");
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& d : derived) {
    EXPECT_EQ(d.size(), 32u);
    EXPECT_EQ(d, derived[0]);
  }
}

}  // namespace
}  // namespace zhengwu::crypto
