// The catalog over HTTP (tag "catalog"):
//
//   GET  /api/catalog/resources                search and browse, with facet counts
//   POST /api/catalog/resources                a new draft (the provider's editor)
//   GET  /api/catalog/resources/{code}         one resource with fields and history
//   PUT  /api/catalog/resources/{code}         edit: drafts freely, published ones additively
//   GET  /api/catalog/resources/{code}/versions
//   POST /api/catalog/resources/{code}/submit  draft → submitted
//   POST /api/catalog/resources/{code}/review  submitted → published (approve) or draft (reject)
//   POST /api/catalog/resources/{code}/retire  published → retired
//   GET  /api/catalog/code-tables/{code}
//
// Permissions: `catalog.resource.read` to browse; `catalog.resource.edit` over the
// provider organisation to write and submit; `catalog.resource.publish` (the big-data
// centre) to review and retire.
#pragma once

#include "kernel/auth/identity.hpp"
#include "kernel/http/router.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/catalog_store.hpp"

namespace zhengwu::data {

inline constexpr const char* kCatalogRead = "catalog.resource.read";
inline constexpr const char* kCatalogEdit = "catalog.resource.edit";
inline constexpr const char* kCatalogPublish = "catalog.resource.publish";

// Adds the permissions above to `identity`'s catalogue (idempotent).
void register_catalog_permissions(auth::Identity& identity);

// Registers the permissions above with `identity` and adds the routes. `store` and
// `orgs` must outlive the router.
void add_catalog_routes(http::Router& router, CatalogStore& store, auth::Identity& identity,
                        auth::OrgDirectory& orgs, const TimeZone& zone);

}  // namespace zhengwu::data
