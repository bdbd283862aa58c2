// EngineTest; see engine_fixture.hpp.
#include "support/engine_fixture.hpp"

namespace zhengwu::testing {

void EngineTest::SetUp() {
  auto pg = test::postgres_for_tests();
  if (GetParam() == "postgres" && !pg.admin_url) {
    if (pg.required) FAIL() << "ZHENGWU_TEST_PG_URL is not set but PostgreSQL tests are required";
    GTEST_SKIP() << "no PostgreSQL (ZHENGWU_TEST_PG_URL)";
  }
  scratch_ = std::make_unique<test::ScratchDatabase>(GetParam());
  env_ = {{"ZHENGWU_DB_URL", scratch_->url()},
          {"ZHENGWU_DATA_DIR", data_dir().string()},
          {"ZHENGWU_ARGON2_MEMORY_KIB", "4096"},
          {"ZHENGWU_ADMIN_SECOND_FACTOR", "optional"}};
}

}  // namespace zhengwu::testing
