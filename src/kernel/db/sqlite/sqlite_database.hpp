// The embedded driver: SQLite 3 in WAL mode with one connection per thread.
//
// SQLite serialises writers on the file, so a pool buys nothing; instead every thread
// that uses a SqliteDatabase gets its own connection (readers then never wait for one
// another, and a connection never changes threads). Connections are opened on a thread's
// first use, each with WAL journaling, synchronous=NORMAL, foreign keys on, the busy
// timeout of Options, and an LRU cache of prepared statements.
//
// Ownership: the database owns every connection through its registry. A thread finds
// its own through a thread-local table keyed by the database's id, which is never reused,
// so an entry left behind by a destroyed database can never be mistaken for a live one.
// When a thread ends, its connections are closed; when the database is destroyed, all of
// them are, whichever thread still holds a thread-local entry.
//
// Leases on one thread share that thread's connection: a statement run through
// Database::query while the same thread holds a Transaction runs inside it. When a
// thread's last lease is released with a transaction still open on the connection, that
// transaction is rolled back, so that it cannot hold the write lock against every other
// thread. A Lease or Transaction must be released on the thread that took it.
//
// `sqlite::memory:` opens a private in-memory database (SQLite's memdb VFS), shared by
// the threads of this object and freed with it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kernel/db/database.hpp"

namespace zhengwu::db {

struct DatabaseUrl;
class SqliteRegistry;

class SqliteDatabase final : public Database {
 public:
  // Opens (creating the file and its parent directory if missing) and checks that the
  // first connection works. Throws db::Error (Kind::connection) when it cannot.
  static std::unique_ptr<Database> open(const DatabaseUrl& url, const Options& options);

  ~SqliteDatabase() override;

  Kind kind() const override { return Kind::sqlite; }
  std::string describe() const override { return description_; }
  // The calling thread's connection; opened on first use.
  Lease acquire() override;
  PoolStats pool_stats() const override;

 private:
  SqliteDatabase(std::string path, bool memory, std::string description, const Options& options);

  const std::uint64_t id_;  // unique for the life of the process, never reused
  const std::string description_;
  std::shared_ptr<SqliteRegistry> registry_;
};

}  // namespace zhengwu::db
