// The one-data-one-source governance list over HTTP (tag "discrepancies"):
//
//   GET  /api/discrepancies?resource=&org=&side=&state=&limit=&cursor=
//   POST /api/discrepancies/{id}/accept   {reason?}           → the updated item
//   POST /api/discrepancies/{id}/reject   {reason} (required) → the updated item
//
// Who sees what: department staff (catalog.resource.read) see the discrepancies where
// their organisation is the authority (to resolve) or the proposer (to follow); the
// big-data centre (catalog.resource.publish) sees all. Only staff OF the authority with
// catalog.resource.edit over it resolve one: 403 for anyone else who can see it, 404 for
// those who cannot; 409 when it is not open. Both resolutions are audited.
#pragma once

#include "kernel/auth/org_directory.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/http/router.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/catalog_store.hpp"

namespace zhengwu::data {

struct DiscrepancyServices {
  db::Database& db;
  const Clock& clock;
  const TimeZone& zone;
  CatalogStore& catalog;
  auth::OrgDirectory& orgs;
};

void add_discrepancy_routes(http::Router& router, DiscrepancyServices services);

}  // namespace zhengwu::data
