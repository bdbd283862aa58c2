// SM2 signatures (GB/T 32918.2-2016, SM3 digest, default user ID 1234567812345678 of GB/T
// 35276-2017) checked against an independent implementation: the OpenSSL 3.0 command
// line, run on files in a temporary directory. Our signatures must verify with
//   openssl pkeyutl -verify -pubin -inkey PUB.pem -rawin -in MSG -sigfile SIG
//     -digest sm3 -pkeyopt distid:1234567812345678
// and signatures made with `openssl pkeyutl -sign ... -pkeyopt distid:...` from a key of
// `openssl genpkey -algorithm SM2` must verify here.
#include "kernel/crypto/sm2.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "support/server_process.hpp"

namespace zhengwu::crypto {
namespace {

namespace fs = std::filesystem;

const std::string kDistId = "-pkeyopt distid:1234567812345678";

void write_file(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  ASSERT_TRUE(out.good()) << path;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs a shell command quietly; its exit status.
int run(const std::string& command) {
  int status = std::system((command + " >/dev/null 2>&1").c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

class Sm2CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (run("openssl version") != 0) GTEST_SKIP() << "the openssl command line is not installed";
  }
  int cli_verify(const fs::path& pub, const fs::path& msg, const fs::path& sig, const std::string& id_option) {
    return run("openssl pkeyutl -verify -pubin -inkey " + q(pub) + " -rawin -in " + q(msg) + " -sigfile " + q(sig) +
               " -digest sm3 " + id_option);
  }
  zhengwu::testing::TempDir dir_;
};

TEST_F(Sm2CliTest, OurSignatureVerifiesWithOpenssl) {
  Sm2PrivateKey key = Sm2PrivateKey::generate();
  const std::string message = "审计检查点 #42: hash=66c7f0f462eeedd9d1f2d46bdc10e4e2";
  Bytes signature = key.sign(message);

  const fs::path pub = dir_.path() / "pub.pem", msg = dir_.path() / "msg", sig = dir_.path() / "sig";
  write_file(pub, key.public_key_pem());
  write_file(msg, message);
  write_file(sig, as_text(signature));
  EXPECT_EQ(cli_verify(pub, msg, sig, kDistId), 0);

  // The same signature over the message with one byte changed must fail.
  std::string changed = message;
  changed[changed.size() - 1] ^= 0x01;
  write_file(msg, changed);
  EXPECT_NE(cli_verify(pub, msg, sig, kDistId), 0);

  // And the user ID is really part of the signature: without it OpenSSL 3.0 uses none.
  write_file(msg, message);
  EXPECT_EQ(cli_verify(pub, msg, sig, kDistId), 0);
  EXPECT_NE(cli_verify(pub, msg, sig, ""), 0);
  EXPECT_NE(cli_verify(pub, msg, sig, "-pkeyopt distid:8765432187654321"), 0);
}

TEST_F(Sm2CliTest, OpensslSignatureVerifiesHere) {
  const fs::path key_pem = dir_.path() / "key.pem", pub_pem = dir_.path() / "pub.pem", msg = dir_.path() / "msg",
                 sig = dir_.path() / "sig";
  ASSERT_EQ(run("openssl genpkey -algorithm SM2 -out " + q(key_pem)), 0);
  ASSERT_EQ(run("openssl pkey -in " + q(key_pem) + " -pubout -out " + q(pub_pem)), 0);
  const std::string message = "GET /api/exchange/resources/population/records/110101199003071234";
  write_file(msg, message);
  ASSERT_EQ(run("openssl pkeyutl -sign -inkey " + q(key_pem) + " -rawin -in " + q(msg) + " -out " + q(sig) +
                " -digest sm3 " + kDistId),
            0);

  auto pub = Sm2PublicKey::from_pem(read_file(pub_pem));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  const std::string signature = read_file(sig);
  EXPECT_TRUE(pub->verify(message, signature));
  EXPECT_FALSE(pub->verify(message + ".", signature));

  // The private key written by `openssl genpkey` loads, and its public half is the same.
  auto key = Sm2PrivateKey::from_pem(read_file(key_pem));
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->public_key_pem(), read_file(pub_pem));
  EXPECT_TRUE(key->public_key().verify(message, signature));

  // An OpenSSL signature made without the ID does not verify under the default ID.
  ASSERT_EQ(run("openssl pkeyutl -sign -inkey " + q(key_pem) + " -rawin -in " + q(msg) + " -out " + q(sig) +
                " -digest sm3"),
            0);
  EXPECT_FALSE(pub->verify(message, read_file(sig)));
}

TEST_F(Sm2CliTest, EncryptedPrivateKeyIsAnErrorNotAPrompt) {
  const fs::path key_pem = dir_.path() / "enc.pem";
  ASSERT_EQ(run("openssl genpkey -algorithm SM2 -aes-256-cbc -pass pass:secret -out " + q(key_pem)), 0);
  auto key = Sm2PrivateKey::from_pem(read_file(key_pem));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::invalid);
}

TEST_F(Sm2CliTest, KeyOnAnotherCurveIsRefused) {
  const fs::path key_pem = dir_.path() / "p256.pem", pub_pem = dir_.path() / "p256.pub";
  ASSERT_EQ(run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + q(key_pem)), 0);
  ASSERT_EQ(run("openssl pkey -in " + q(key_pem) + " -pubout -out " + q(pub_pem)), 0);
  auto key = Sm2PrivateKey::from_pem(read_file(key_pem));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::invalid);
  auto pub = Sm2PublicKey::from_pem(read_file(pub_pem));
  ASSERT_FALSE(pub.ok());
  EXPECT_EQ(pub.error().code, ErrorCode::invalid);
}

TEST(Sm2Test, SignAndVerify) {
  Sm2PrivateKey key = Sm2PrivateKey::generate();
  Bytes signature = key.sign("message");
  EXPECT_TRUE(key.public_key().verify("message", signature));
  EXPECT_FALSE(key.public_key().verify("messagf", signature));
  EXPECT_FALSE(Sm2PrivateKey::generate().public_key().verify("message", signature));
  // The empty message is a message like any other.
  EXPECT_TRUE(key.public_key().verify("", key.sign("")));
}

TEST(Sm2Test, SignaturesAreRandomisedAndAllVerify) {
  Sm2PrivateKey key = Sm2PrivateKey::generate();
  Bytes a = key.sign("same");
  Bytes b = key.sign("same");
  EXPECT_NE(a, b);
  EXPECT_TRUE(key.public_key().verify("same", a));
  EXPECT_TRUE(key.public_key().verify("same", b));
}

TEST(Sm2Test, MalformedSignaturesAreFalse) {
  Sm2PrivateKey key = Sm2PrivateKey::generate();
  Bytes good = key.sign("m");
  Sm2PublicKey pub = key.public_key();
  EXPECT_FALSE(pub.verify("m", Bytes{}));
  EXPECT_FALSE(pub.verify("m", Bytes(good.begin(), good.end() - 1)));
  EXPECT_FALSE(pub.verify("m", random_bytes(good.size())));
  Bytes longer = good;
  longer.push_back(0);
  EXPECT_FALSE(pub.verify("m", longer));
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes flipped = good;
    flipped[i] ^= 0x40;
    EXPECT_FALSE(pub.verify("m", flipped)) << "byte " << i;
  }
  // A failed verification leaves nothing behind that breaks the next good one.
  EXPECT_TRUE(pub.verify("m", good));
}

TEST(Sm2Test, PemRoundTrip) {
  Sm2PrivateKey key = Sm2PrivateKey::generate();
  std::string pem = key.to_pem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto reloaded = Sm2PrivateKey::from_pem(pem);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  EXPECT_EQ(reloaded->public_key_pem(), key.public_key_pem());
  EXPECT_TRUE(key.public_key().verify("x", reloaded->sign("x")));

  std::string pub_pem = key.public_key_pem();
  EXPECT_EQ(pub_pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  auto pub = Sm2PublicKey::from_pem(pub_pem);
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_EQ(pub->to_pem(), pub_pem);
  EXPECT_TRUE(pub->verify("x", key.sign("x")));
}

TEST(Sm2Test, BadPemIsAnError) {
  Sm2PrivateKey key = Sm2PrivateKey::generate();
  std::string pem = key.to_pem();
  std::string pub_pem = key.public_key_pem();
  const std::vector<std::string> bad = {
      "",
      "not a key",
      "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
      pem.substr(0, pem.size() / 2),
      std::string("\0\0\0", 3),
  };
  for (const auto& text : bad) {
    auto k = Sm2PrivateKey::from_pem(text);
    ASSERT_FALSE(k.ok());
    EXPECT_EQ(k.error().code, ErrorCode::invalid);
    auto p = Sm2PublicKey::from_pem(text);
    EXPECT_FALSE(p.ok());
  }
  // The two PEM kinds are not interchangeable.
  EXPECT_FALSE(Sm2PrivateKey::from_pem(pub_pem).ok());
  EXPECT_FALSE(Sm2PublicKey::from_pem(pem).ok());
}

TEST(Sm2Test, CopiesShareTheKey) {
  Sm2PrivateKey key = Sm2PrivateKey::generate();
  Sm2PrivateKey copy = key;
  EXPECT_TRUE(key.public_key().verify("c", copy.sign("c")));
}

}  // namespace
}  // namespace zhengwu::crypto
