// The Hangzhou demo's governance list (一数一源): after the demo's population records
// exist, 民政局 (330100-MZJ) proposes other addresses and a phone number for people of
// 公安局's population register (gaj.population, whose authority for every field is
// 330100-GAJ), so that gaj.clerk finds three open discrepancies to accept or reject.
// The proposals are written through the one-data-one-source writer without a batch, so
// the demo's import batches stay those of the demo records.
#pragma once

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/catalog_store.hpp"

namespace zhengwu::data {

// Idempotent: seeding twice proposes nothing new. When the
// register holds fewer than three people (the demo records are not seeded) it first
// writes three as 公安局. Throws std::runtime_error when a write fails (the demo must
// not half-seed).
void seed_demo_discrepancies(db::Database& db, const Clock& clock, const TimeZone& zone, CatalogStore& catalog);

}  // namespace zhengwu::data
