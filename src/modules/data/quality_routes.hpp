// Data quality over HTTP (tag "quality"); the definitions are in quality.hpp.
//
//   GET  /api/catalog/resources/{code}/quality            the latest report and the trend
//   POST /api/catalog/resources/{code}/quality/recompute  assess now (audited)
//   GET  /api/quality                                     every published resource's latest
//                                                         report, sortable, by provider
//
// Reading needs `catalog.resource.read`; drafts and resources under review are invisible
// to all but their provider's editors and the reviewers, as in the catalog. Recomputing
// needs `catalog.resource.edit` over the provider or `catalog.resource.publish`. A resource
// of at most `kSynchronousRecords` records is assessed during the request (200 with the
// report); a larger one by a job (202 with the job's id), and its report appears in the
// history when done.
#pragma once

#include <cstdint>

#include "kernel/auth/org_directory.hpp"
#include "kernel/http/router.hpp"
#include "kernel/jobs/scheduler.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/catalog_store.hpp"

namespace zhengwu::data {

inline constexpr std::int64_t kSynchronousRecords = 200'000;

struct QualityServices {
  db::Database& db;
  const Clock& clock;
  const TimeZone& zone;
  CatalogStore& catalog;
  auth::OrgDirectory& orgs;
  jobs::Scheduler& scheduler;
};

void add_quality_routes(http::Router& router, QualityServices services);

}  // namespace zhengwu::data
