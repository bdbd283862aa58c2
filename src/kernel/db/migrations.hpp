// Schema migrations, numbered per module.
//
// Each module owns a sequence of migrations (1, 2, 3, ...). At start-up the platform
// applies the pending ones in (module registration order, version) order; each runs in a
// transaction together with its row in `schema_migrations`, so a crash leaves either the
// whole migration or none of it. Running twice changes nothing. On PostgreSQL an
// advisory lock serialises concurrent start-ups of several nodes.
#pragma once

#include <string>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"

namespace zhengwu::db {

struct Migration {
  std::string module;  // owner, e.g. "kernel.jobs", "system"
  int version = 0;     // 1, 2, 3 ... within the module
  std::string name;    // short description
  std::string sql;     // statements separated by ';', may use {{pk}} and {{blob}}
};

struct MigrationReport {
  int applied = 0;
  int already = 0;
};

// Applies every migration not yet recorded. Throws db::Error when a migration fails
// (that migration is rolled back; earlier ones stay applied) or when a recorded
// migration's text changed since it was applied (checksum mismatch), since silently
// running a different schema than the database has is worse than refusing to start.
MigrationReport apply_migrations(Database& db, const std::vector<Migration>& migrations, const Clock& clock);

}  // namespace zhengwu::db
