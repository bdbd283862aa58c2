// What was built: shown by `zhengwu version`, /metrics (zhengwu_build_info) and
// /api/system/info.
#pragma once

#include <string_view>

namespace zhengwu::build {
std::string_view version();     // project version, "0.1.0"
std::string_view commit();      // short git commit, "unknown" outside a checkout
std::string_view build_type();  // CMake build type
std::string_view compiler();    // "GNU 12.2.0"
std::string_view built_at();    // when the build was configured, ISO 8601 UTC
}  // namespace zhengwu::build
