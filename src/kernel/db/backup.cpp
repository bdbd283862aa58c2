// SQLite online backup (https://www.sqlite.org/backup.html).
#include "kernel/db/backup.hpp"

#include <filesystem>
#include <sqlite3.h>

#include "kernel/db/database_url.hpp"

namespace zhengwu::db {
namespace {

struct Handle {
  sqlite3* db = nullptr;
  ~Handle() {
    if (db) sqlite3_close(db);
  }
};

zhengwu::Error sqlite_error(const std::string& what, sqlite3* db) {
  return zhengwu::Error{ErrorCode::internal, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"), {}};
}

Result<std::string> sqlite_path(const std::string& url) {
  DatabaseUrl parsed;
  try {
    parsed = parse_database_url(url);
  } catch (const std::exception& e) {
    return zhengwu::Error{ErrorCode::invalid, e.what(), {}};
  }
  if (parsed.kind != Kind::sqlite || parsed.sqlite_memory)
    return zhengwu::Error{ErrorCode::unprocessable,
                 "backup and restore work on the embedded SQLite database; for PostgreSQL use pg_dump or "
                 "pg_basebackup (docs/operations.md)",
                 {}};
  return parsed.sqlite_path;
}

// Copies all of `from` into `to` in one step (one read transaction on the source).
Result<BackupReport> copy(sqlite3* to, sqlite3* from) {
  sqlite3_busy_timeout(to, 10000);
  sqlite3_busy_timeout(from, 10000);
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) return sqlite_error("cannot start the backup", to);
  int rc;
  do {
    rc = sqlite3_backup_step(b, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  BackupReport report;
  report.pages = sqlite3_backup_pagecount(b);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return sqlite_error("backup failed", to);
  return report;
}

}  // namespace

Result<BackupReport> backup_database(const std::string& database_url, const std::string& file) {
  auto path = sqlite_path(database_url);
  if (!path) return path.error();
  if (!std::filesystem::exists(*path)) return zhengwu::Error{ErrorCode::not_found, "no database at " + *path, {}};
  Handle src, dst;
  if (sqlite3_open_v2(path->c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    return sqlite_error("cannot open " + *path, src.db);
  std::string partial = file + ".partial";
  std::filesystem::remove(partial);
  if (sqlite3_open_v2(partial.c_str(), &dst.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    return sqlite_error("cannot create " + partial, dst.db);
  auto report = copy(dst.db, src.db);
  if (!report) {
    std::filesystem::remove(partial);
    return report;
  }
  // The copy is a rollback-journal database: one self-contained file.
  sqlite3_exec(dst.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  sqlite3_close(dst.db);
  dst.db = nullptr;
  std::error_code ec;
  std::filesystem::rename(partial, file, ec);
  if (ec) return zhengwu::Error{ErrorCode::internal, "cannot move the backup into " + file + ": " + ec.message(), {}};
  report->bytes = static_cast<long long>(std::filesystem::file_size(file));
  return report;
}

Result<BackupReport> restore_database(const std::string& file, const std::string& database_url) {
  auto path = sqlite_path(database_url);
  if (!path) return path.error();
  Handle src, dst;
  if (sqlite3_open_v2(file.c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    return zhengwu::Error{ErrorCode::invalid, "cannot open " + file + " as a database", {}};
  // An intact file with our schema, or nothing is touched.
  std::string check;
  sqlite3_exec(
      src.db, "PRAGMA integrity_check",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) += values[0] ? values[0] : "";
        return 0;
      },
      &check, nullptr);
  if (check != "ok") return zhengwu::Error{ErrorCode::invalid, file + " is not an intact SQLite database: " + check, {}};
  int has_schema = 0;
  sqlite3_exec(
      src.db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
      [](void* out, int, char** values, char**) {
        *static_cast<int*>(out) = values[0] ? std::atoi(values[0]) : 0;
        return 0;
      },
      &has_schema, nullptr);
  if (has_schema != 1) return zhengwu::Error{ErrorCode::invalid, file + " is not a Zhengwu database (no schema_migrations)", {}};
  std::filesystem::create_directories(std::filesystem::path(*path).parent_path());
  if (sqlite3_open_v2(path->c_str(), &dst.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    return sqlite_error("cannot open " + *path, dst.db);
  auto report = copy(dst.db, src.db);
  if (!report) return report;
  sqlite3_exec(dst.db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  report->bytes = static_cast<long long>(std::filesystem::file_size(file));
  return report;
}

}  // namespace zhengwu::db
