// What the data module's storage tests stand on: the kernel tables it references (orgs,
// the search index) and its own migrations, with the city and a department.
#pragma once

#include <gtest/gtest.h>

#include "kernel/auth/org_directory.hpp"
#include "kernel/clock.hpp"
#include "kernel/search/text_index.hpp"
#include "modules/data/catalog_store.hpp"
#include "modules/data/import_batches.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data::test_support {

// Applies the migrations and creates 330100 (杭州市) and 330100-GAJ (杭州市公安局).
inline void prepare_data_tables(db::Database& db, const Clock& clock) {
  db::apply_migrations(db, auth::auth_migrations(), clock);
  db::apply_migrations(db, search::search_migrations(), clock);
  auto migrations = catalog_migrations();
  for (auto& m : import_migrations()) migrations.push_back(std::move(m));
  for (auto& m : record_store_migrations()) migrations.push_back(std::move(m));
  db::apply_migrations(db, migrations, clock);
  auth::OrgDirectory orgs(db, clock);
  ASSERT_TRUE(orgs.create({"330100", "杭州市", "city", std::nullopt, "330100"}).ok());
  ASSERT_TRUE(orgs.create({"330100-GAJ", "杭州市公安局", "government_department", "330100", {}}).ok());
}

}  // namespace zhengwu::data::test_support
