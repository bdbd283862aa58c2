#include <gtest/gtest.h>
#include "kernel/build_info.hpp"
TEST(BuildInfo, HasVersion) { EXPECT_FALSE(zhengwu::build::version().empty()); }
