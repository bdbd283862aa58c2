// Online backup and restore of the embedded (SQLite) database.
//
// `backup` copies the database with SQLite's online backup API inside one read
// transaction: the copy is a consistent snapshot even while a server keeps writing (WAL
// lets the writer go on). It is written to FILE.partial and renamed into place, so FILE
// is either the previous file or a complete copy. `restore` checks that the source is an
// intact Zhengwu database (integrity check, migrations table) before copying it over the
// configured database with the same API. PostgreSQL is backed up with its own tools
// (pg_dump, pg_basebackup): docs/operations.md says how.
#pragma once

#include <string>

#include "kernel/result.hpp"

namespace zhengwu::db {

struct BackupReport {
  long long pages = 0;
  long long bytes = 0;
};

// `database_url` must be a sqlite URL; other kinds fail with ErrorCode::unprocessable.
Result<BackupReport> backup_database(const std::string& database_url, const std::string& file);
Result<BackupReport> restore_database(const std::string& file, const std::string& database_url);

}  // namespace zhengwu::db
