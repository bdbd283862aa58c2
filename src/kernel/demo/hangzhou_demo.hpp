// The Hangzhou demo of the kernel: the organisation tree of the city (the municipal
// departments the plan names, the 13 districts and counties with their street offices and
// towns from GB/T 2260 data) and one account for every kind of user, with the passwords
// and TOTP secrets that docs/demo-accounts.md lists. `zhengwu demo` seeds it once into a
// fresh database, before the modules add theirs.
#pragma once

#include <string_view>

namespace zhengwu {
class Platform;
}

namespace zhengwu::demo {

// Hangzhou's districts/counties and streets/towns as JSON (share/divisions/330100.json).
std::string_view hangzhou_divisions_json();

void seed_hangzhou(Platform& platform);

}  // namespace zhengwu::demo
