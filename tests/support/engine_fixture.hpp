// The base of integration tests that run the real binary on each database engine: a fresh
// database of the engine under test (SQLite, or PostgreSQL when ZHENGWU_TEST_PG_URL is set;
// required when ZHENGWU_TEST_REQUIRE_PG=1), a data directory, and the environment that
// points `zhengwu` at both, with fast password hashing and administrators allowed to work
// without enrolling TOTP (AuthApiTest checks the default that requires it).
//
//   class MyApiTest : public zhengwu::testing::EngineTest {
//     void SetUp() override {
//       EngineTest::SetUp();
//       if (IsSkipped() || HasFatalFailure()) return;
//       run_ok({"org", "add", ...}, env_);
//     }
//   };
//   ZHENGWU_ENGINE_TEST_SUITE(My, MyApiTest);
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "support/server_process.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::testing {

class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  std::filesystem::path data_dir() const { return dir_.path() / "data"; }

  TempDir dir_;
  std::unique_ptr<test::ScratchDatabase> scratch_;
  Env env_;
};

}  // namespace zhengwu::testing

#define ZHENGWU_ENGINE_TEST_SUITE(prefix, fixture)                                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, fixture, ::testing::Values(std::string("sqlite"), std::string("postgres")), \
                           [](const auto& info) { return info.param; })
