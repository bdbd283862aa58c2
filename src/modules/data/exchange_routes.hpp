// The exchange (数据交换) for department systems, and the data-use record for people.
//
//   GET /api/exchange/resources/{code}/records/{key}   one record by its key
//   GET /api/exchange/resources/{code}/records         a query: FIELD=VALUE, FIELD.in=a,b,
//                                                      FIELD.from=, FIELD.to=, FIELD.prefix=,
//                                                      limit, cursor (keyset, in key order)
//   GET /api/exchange/resources/{code}/changes?since=  the change feed (below)
//   GET /api/me/data-use                               every exchange read of the caller's records
//
// Exchange calls come from signed system clients (DESIGN.md "Systems") and name their
// purpose in `X-Zw-Purpose` (percent-encoded UTF-8). A call is served only under a grant
// in force for the client's organisation, on that resource, for exactly that purpose
// (the provider reads its own resources without one); otherwise 403, and a missing
// purpose is 400. Only the granted fields are returned; personal and sensitive ones are
// masked (masking.hpp) unless the grant gives them in clear; filters may name granted
// fields only, and masked ones only with = and in (a range or prefix over a masked value
// would reveal it). Every reply carries the provenance of each record (source
// department, batch, time, revision) and the grant it was served under. Every call,
// served or refused, is an audit record "exchange.read" with the purpose, the grant, the
// keys returned and the subjects (ID numbers, USCCs) of the records — durable before the
// reply, and the source of the data-use record (data_use.hpp).
//
// The change feed answers {items: [{key, seq, revision, record, provenance}], next_cursor,
// grant}: the records whose last change is numbered after `since` (record_store.hpp: one
// sequence per resource, handed out in commit order, so paging by it never skips a
// change), in change order, at most `limit` (default 100, at most 500). A record changed
// twice since the cursor comes once, with its current values; the versions in between
// stay in the record's history. next_cursor is the seq of the last item, as text; when
// nothing is new it is `since` again, so a client polls with it. Same rules as the
// other reads: signed client, X-Zw-Purpose, grant, granted fields, masking, provenance,
// audited "exchange.read" with the keys and subjects returned.
//
// What is shown and audited is shared with push subscriptions (exchange_view.hpp).
//
// A composite key is its key fields' values joined by U+001F (%1F in the URL), in field
// order.
#pragma once

#include "kernel/auth/org_directory.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/http/router.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/catalog_store.hpp"
#include "modules/data/data_use.hpp"
#include "modules/data/sharing.hpp"

namespace zhengwu::data {

struct ExchangeServices {
  db::Database& db;
  const Clock& clock;
  const TimeZone& zone;
  const CatalogStore& catalog;
  SharingStore& sharing;
  DataUseLedger& ledger;
};

// The services must outlive the router.
void add_exchange_routes(http::Router& router, ExchangeServices services);

}  // namespace zhengwu::data
