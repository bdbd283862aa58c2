// Imports over HTTP (tag "imports"): a department uploads a file, the platform runs it as
// a durable job, and the clerk follows its progress, reads every rejected record with its
// reasons, fixes one in place or dismisses it.
//
//   POST /api/catalog/resources/{code}/imports   the file as the body → 202 with the batch
//   GET  /api/catalog/resources/{code}/imports   the resource's batches, newest first
//   GET  /api/imports/{id}                       one batch: state, counts, progress
//   GET  /api/imports/{id}/rejects               its rejected records by line
//   POST /api/imports/rejects/{id}/fix           corrected values → checked and stored
//   POST /api/imports/rejects/{id}/dismiss       not to be stored, with a reason
//
// The submitting department is the caller's organisation; the caller needs
// `catalog.resource.edit` there. Batches are read by that department's editors and the
// big-data centre.
#pragma once

#include <filesystem>

#include "kernel/auth/org_directory.hpp"
#include "kernel/http/router.hpp"
#include "kernel/jobs/scheduler.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/import_run.hpp"

namespace zhengwu::data {

// The job kind that runs an uploaded batch (payload: the batch id).
inline constexpr const char* kImportJob = "data.import";

struct ImportServices {
  db::Database& db;
  const Clock& clock;
  const TimeZone& zone;
  CatalogStore& catalog;
  ImportRunner& runner;
  auth::OrgDirectory& orgs;
  jobs::Scheduler& scheduler;
  std::filesystem::path upload_dir;  // uploaded files are kept here until their batch ends
};

void add_import_routes(http::Router& router, ImportServices services);

}  // namespace zhengwu::data
