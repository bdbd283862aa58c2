// The data-use record (数据使用记录): every exchange read of a person's or an enterprise's
// records, for them to see (DOMAIN.md: "a person can see that log for their own data").
//
// By construction, not by discipline: the exchange does not write this list itself. Every
// exchange read is an audit record (action "exchange.read", durable before the reply,
// hash-chained) whose details name the subjects of the records it returned — the ID
// numbers and USCCs in them, masked or not. This ledger is a projection of those audit
// records, indexed by subject: `catch_up` reads the audit log after the last seq it
// projected and adds one row per (read, subject). A read cannot reach a consumer without
// its audit record, and every audit record reaches the ledger at the next catch-up (run
// before every listing, and by a job), so the list a person sees is complete up to the
// moment they ask. Rows are added with ON CONFLICT DO NOTHING and the cursor only moves
// forward, so two catch-ups at once (a job and a request, two nodes) are harmless.
//
// Reading the kernel's audit_records table directly is deliberate: the table and its
// (action, seq) index are the audit log's documented storage, and the ledger needs a
// forward scan by seq that the newest-first audit query does not offer.
//
// Ownership: borrows the Database and the Clock. Thread-safety: any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"

namespace zhengwu::data {

// Tables data_use and data_use_cursor (module "data", version 6).
std::vector<db::Migration> data_use_migrations();

inline constexpr const char* kExchangeReadAction = "exchange.read";

struct DataUse {
  std::int64_t audit_seq = 0;
  TimePoint at;
  std::string org;  // the reading department's code
  std::string org_name;
  std::string client_id;
  std::string client_name;
  std::string resource;  // code
  std::string resource_name;
  std::string purpose;
  std::int64_t records = 0;  // how many of the subject's records the read returned
};

struct DataUseQuery {
  std::string subject;  // an ID number or a USCC
  std::optional<std::string> org;
  std::optional<std::string> resource;
  std::optional<TimePoint> from;  // inclusive
  std::optional<TimePoint> to;    // exclusive
  std::size_t limit = 50;
  std::optional<std::int64_t> before_seq;  // keyset cursor
};

struct DataUsePage {
  std::vector<DataUse> items;
  std::optional<std::int64_t> next_cursor;
};

class DataUseLedger {
 public:
  DataUseLedger(db::Database& db, const Clock& clock);

  // Projects the exchange reads audited since the last call; returns how many reads.
  std::int64_t catch_up();
  // Newest first.
  DataUsePage list(const DataUseQuery& query) const;

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace zhengwu::data
