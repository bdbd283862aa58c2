// The record API (tag "records"): a department's system, or its staff, writes records of
// a published resource in batches over HTTP, safely retried with an idempotency key.
//
//   POST /api/catalog/resources/{code}/records
//   Idempotency-Key: <1..200 printable ASCII characters>
//   {"records": [{field: value, ...}, ...]}          at most 1,000 records per call
//   → {batch, accepted, rejected, rejects: [{index, errors: [{field, reason}]}], discrepancies}
//
// Each record is read like a JSON Lines import line (record_check.hpp: members by field
// name or label, every value standardised and checked, every problem named); a member
// naming no field is ignored (the batch's message lists them). Numbers are taken as
// Boost.JSON prints them: send decimals whose trailing zeros matter as text ("12.50").
// The call is one import batch of format "api" (import_batches.hpp, no file): its
// rejected records are kept with their members as given, at line = index + 1, so that
// they are fixed or dismissed in place like an import's. One data, one source applies
// (discrepancies.hpp): values of fields the writer is not the authority of become
// discrepancies.
//
// The writer is the caller's organisation: a signed system client's (DESIGN.md
// "Systems"), or a signed-in staff member's, who needs catalog.resource.edit there.
// Idempotency, per writer (organisation) and key: the batch, its records, rejects and
// discrepancies, and the key with the SM3 digest of the body and the reply, commit in ONE
// transaction. The same key with the same body again answers the stored reply (header
// `Idempotent-Replayed: true`) and writes nothing; with another body it is refused
// (422 naming Idempotency-Key). Two calls with the same key at once: one writes, the
// other then answers as a retry.
//
// Ownership: borrows everything it is given. Thread-safety: any thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kernel/auth/org_directory.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/http/router.hpp"
#include "kernel/result.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/catalog_store.hpp"
#include "modules/data/standardise.hpp"

namespace zhengwu::data {

// Table data_record_requests (module "data", version 8).
std::vector<db::Migration> record_request_migrations();

inline constexpr std::size_t kMaxRecordsPerCall = 1000;
inline constexpr std::size_t kMaxIdempotencyKey = 200;

struct RecordRequest {
  std::string resource_code;
  std::string writer_org;  // the writing department's code (checked by the caller)
  std::string actor;       // who, for the batch: a username or "client:<client_id>"
  std::string idempotency_key;
  std::string body;  // the request body as received (its SM3 digest identifies it)
};

struct RecordReply {
  std::string json;  // the reply body
  bool replayed = false;
};

class RecordApi {
 public:
  // `addresses` may be null (division fields then take codes only).
  RecordApi(db::Database& db, const Clock& clock, const TimeZone& zone, CatalogStore& catalog,
            const AddressResolver* addresses);

  // Errors: invalid naming `Idempotency-Key`, `body` or `records` (malformed input);
  // too_large naming `records` (over kMaxRecordsPerCall); unprocessable naming
  // `Idempotency-Key` (the key was used with another body); not_found (resource);
  // conflict (the resource is not published).
  Result<RecordReply> submit(const RecordRequest& request);

 private:
  Result<RecordReply> replay(const RecordRequest& request, const std::string& digest) const;

  db::Database& db_;
  const Clock& clock_;
  const TimeZone& zone_;
  CatalogStore& catalog_;
  const AddressResolver* addresses_;
};

struct RecordApiServices {
  db::Database& db;
  const Clock& clock;
  const TimeZone& zone;
  CatalogStore& catalog;
  auth::OrgDirectory& orgs;
  const AddressResolver* addresses;
};

void add_record_api_routes(http::Router& router, RecordApiServices services);

}  // namespace zhengwu::data
