// The Hangzhou demo's catalog: code tables and resources of several departments, in the
// states a reviewer meets (published, one waiting for review, one draft), so that every
// catalog page has something real to show.
#pragma once

#include "modules/data/catalog_store.hpp"

namespace zhengwu::data {

// The GB/T 2261.1-2003 sex codes and the demo resources; throws std::runtime_error when
// something does not apply (the demo is part of the product: it must not half-seed).
void seed_demo_catalog(CatalogStore& store);

// The resource descriptions, as `zhengwu catalog apply` reads them (also the example of
// docs/data-platform.md).
const char* demo_catalog_json();

}  // namespace zhengwu::data
