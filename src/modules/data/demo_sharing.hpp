// The demo's sharing between Hangzhou departments: grants in force (one granted on request,
// one by application, one by the operator), a revoked one, two applications waiting for
// their providers and one past its due day, escalated to the big-data centre — so that
// both sides of the sharing pages and the centre's view have something real to show.
#pragma once

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "modules/data/sharing.hpp"

namespace zhengwu::data {

// Throws std::runtime_error when a step is refused (the demo must not half-seed).
void seed_demo_sharing(SharingStore& sharing, db::Database& db, const Clock& clock);

}  // namespace zhengwu::data
