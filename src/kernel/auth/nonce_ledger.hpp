// The nonces of signed client requests (DESIGN.md "Systems": a nonce seen before → 401),
// remembered without a database write on the request's path.
//
// Why: a synchronous INSERT per signed request made every request a write transaction.
// On SQLite, request threads then queued for the single write lock (and behind the audit
// writer's durable commits), sleeping in SQLite's busy handler: a signed GET cost a
// write, and its tail latency was that of the lock. Here a request costs a look-up in
// memory and one indexed read; the nonces are written in batches by one thread.
//
// Promise: `remember` refuses a nonce that any process has written to `client_nonces`
// (one indexed read) or that this process has seen (in memory until one interval after
// its batch was written, so a request that read the table just before the write still
// finds it). A nonce is written within `flush_every` (default 20 ms) of its first use
// (later while another writer holds the database's write lock), with the others of that
// interval in transactions of at most 250, and kept until its timestamp could no longer
// pass the skew check. What this does not promise: two nodes that see the same
// nonce within one flush interval both accept it (the second write finds the row and is
// logged as a replay across nodes); and the nonces of the last interval before a crash
// are lost, so such a request could be replayed once within the skew window after the
// restart. Both windows are the flush interval, against the 300 s a signed request is
// valid anyway.
//
// Ownership: borrows the Database and the Clock (both outlive the ledger). Thread-safety:
// every member function may be called from any thread. The writer thread starts with the
// first nonce; the destructor writes what is queued.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"

namespace zhengwu::auth {

class NonceLedger {
 public:
  NonceLedger(db::Database& db, const Clock& clock, std::chrono::milliseconds flush_every = std::chrono::milliseconds(20));
  ~NonceLedger();
  NonceLedger(const NonceLedger&) = delete;
  NonceLedger& operator=(const NonceLedger&) = delete;

  // True when the nonce is new for this client (and is now remembered until
  // `expires_at_ms`); false for a replay.
  bool remember(std::string_view client_id, std::string_view nonce, std::int64_t expires_at_ms);
  // Writes the queued nonces now (tests, shutdown).
  void flush();
  // Forgets nonces that expired; returns how many rows were deleted.
  std::int64_t prune();

 private:
  struct Entry {
    std::string client_id, nonce;
    std::int64_t expires_at = 0;
  };
  static std::string key_of(std::string_view client_id, std::string_view nonce);
  void run();
  void write(std::vector<Entry>& batch);
  void settle(const std::vector<Entry>& batch);  // under mutex_

  db::Database& db_;
  const Clock& clock_;
  const std::chrono::milliseconds flush_every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::unordered_set<std::string> unwritten_;  // keys seen and not yet written
  std::unordered_set<std::string> written_;    // keys of the last batch written
  std::vector<Entry> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace zhengwu::auth
