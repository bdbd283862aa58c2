// Scratch databases for storage tests (see test_databases.hpp).
#include "support/test_databases.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <stdexcept>

namespace zhengwu::test {
namespace {

std::string random_suffix() {
  std::random_device entropy;
  std::uniform_int_distribution<unsigned> digit(0, 15);
  std::string out;
  for (int i = 0; i < 16; ++i) out += "0123456789abcdef"[digit(entropy)];
  return out;
}

// The admin URL with its database name replaced by `name`; the query string is kept.
std::string with_database(const std::string& url, const std::string& name) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) throw std::runtime_error("ZHENGWU_TEST_PG_URL is not a postgresql:// URL");
  auto path = url.find_first_of("/?", scheme + 3);
  std::string authority = url.substr(0, path);
  std::string query;
  if (path != std::string::npos) {
    auto q = url.find('?', path);
    if (q != std::string::npos) query = url.substr(q);
  }
  return authority + "/" + name + query;
}

// The path as the `sqlite://` URL form reads it back (percent-encoding what it treats
// specially).
std::string sqlite_url(const std::filesystem::path& file) {
  std::string out = "sqlite://";
  for (char c : file.string()) {
    if (c == '%' || c == '?' || c == '#') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

PostgresForTests postgres_for_tests() {
  PostgresForTests out;
  if (const char* url = std::getenv("ZHENGWU_TEST_PG_URL"); url && *url) out.admin_url = url;
  if (const char* req = std::getenv("ZHENGWU_TEST_REQUIRE_PG"); req && std::string_view(req) == "1") out.required = true;
  return out;
}

ScratchDatabase::ScratchDatabase(std::string_view engine) {
  if (engine == "sqlite") {
    kind_ = db::Kind::sqlite;
    directory_ = std::filesystem::temp_directory_path() / ("zhengwu-test-" + random_suffix());
    std::filesystem::create_directories(directory_);
    url_ = sqlite_url(directory_ / "test.db");
    return;
  }
  if (engine != "postgres") throw std::runtime_error("unknown storage engine '" + std::string(engine) + "'");
  kind_ = db::Kind::postgres;
  PostgresForTests pg = postgres_for_tests();
  if (!pg.admin_url) throw std::runtime_error("ZHENGWU_TEST_PG_URL is not set");
  admin_url_ = *pg.admin_url;
  name_ = "zt_" + random_suffix();
  auto admin = db::Database::open(admin_url_, db::Options{.pool_size = 1});
  admin->execute("CREATE DATABASE " + name_);
  url_ = with_database(admin_url_, name_);
}

ScratchDatabase::~ScratchDatabase() {
  try {
    if (kind_ == db::Kind::sqlite) {
      std::error_code ignored;
      std::filesystem::remove_all(directory_, ignored);
    } else {
      auto admin = db::Database::open(admin_url_, db::Options{.pool_size = 1});
      admin->execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
  } catch (const std::exception& e) {
    std::cerr << "warning: could not remove the scratch database " << url_ << ": " << e.what() << "\n";
  }
}

void StorageTest::SetUp() {
  const std::string& engine = GetParam();
  if (engine == "postgres") {
    PostgresForTests pg = postgres_for_tests();
    if (!pg.admin_url) {
      if (pg.required) FAIL() << "ZHENGWU_TEST_REQUIRE_PG=1 but ZHENGWU_TEST_PG_URL is not set";
      GTEST_SKIP() << "PostgreSQL not configured: set ZHENGWU_TEST_PG_URL "
                      "(tests/support/pg-cluster.sh start DIR prints one)";
    }
  }
  try {
    scratch_ = std::make_unique<ScratchDatabase>(engine);
    db_ = db::Database::open(scratch_->url(), database_options());
  } catch (const std::exception& e) {
    FAIL() << "cannot make a scratch " << engine << " database: " << e.what();
  }
}

void StorageTest::TearDown() {
  db_.reset();
  scratch_.reset();
}

std::unique_ptr<db::Database> StorageTest::open_another(const db::Options& options) const {
  return db::Database::open(scratch_->url(), options);
}

std::string storage_engine_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace zhengwu::test
