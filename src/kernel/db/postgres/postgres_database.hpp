// The server driver: PostgreSQL through libpq, with a bounded connection pool.
//
// Connections open lazily up to Options::pool_size (the first one at open, to report an
// unreachable server at once). An acquisition that finds none free waits up to
// Options::busy_timeout for a lease to come back, then throws db::Error (Kind::busy).
// A connection found broken (PQstatus not OK) when taken or returned is closed and its
// slot freed for a new one. A connection returned inside a transaction is rolled back
// first, so the next borrower always starts clean.
//
// Each connection keeps an LRU cache (Options::statement_cache) of server-side prepared
// statements, keyed by the SQL text; `?` placeholders are rewritten to `$n` once, when a
// statement is prepared. Parameters go in text format (the server infers their types
// from the statement), blobs in binary format as bytea.
//
// Ownership: the database owns every connection; a Lease borrows one and must be
// destroyed before the database. Thread-safety: acquire/pool_stats from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "kernel/db/database.hpp"

namespace zhengwu::db {

struct DatabaseUrl;
class PostgresConnection;

class PostgresDatabase final : public Database {
 public:
  // Checks the URL with libpq and opens the first connection. Throws db::Error:
  // Kind::other for a malformed URL, Kind::connection when the server cannot be reached.
  static std::unique_ptr<Database> open(const DatabaseUrl& url, const Options& options);

  ~PostgresDatabase() override;

  Kind kind() const override { return Kind::postgres; }
  std::string describe() const override { return description_; }
  Lease acquire() override;
  PoolStats pool_stats() const override;

 private:
  PostgresDatabase(std::string uri, std::string description, const Options& options);
  std::unique_ptr<PostgresConnection> connect() const;
  Lease lend(std::unique_ptr<PostgresConnection> conn);  // requires mutex_ held
  void release(PostgresConnection* conn, bool broken);

  const std::string uri_;          // with the password: for libpq only, never shown
  const std::string description_;  // without it
  const Options options_;
  const std::size_t capacity_;

  mutable std::mutex mutex_;
  std::condition_variable returned_;
  // Guarded by mutex_:
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
  std::unordered_map<PostgresConnection*, std::unique_ptr<PostgresConnection>> leased_;
  std::size_t open_ = 0;  // idle + leased + being opened
  std::uint64_t waits_ = 0;
};

}  // namespace zhengwu::db
