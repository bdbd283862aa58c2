// Import routes; see import_routes.hpp.
#include "modules/data/import_routes.hpp"

#include <boost/json.hpp>


#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/crypto/crypto.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"
#include "modules/data/catalog_routes.hpp"
#include "modules/data/discrepancies.hpp"
#include "modules/data/record_check.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

// An upload is spooled to disk as it arrives (Route::spool_body) and imported from there
// as a stream, so neither step holds the file in memory; the limit is one of disk space.
constexpr std::size_t kUploadLimit = std::size_t{64} << 30;  // 64 GiB

constexpr const char* kBatchSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "resource":{"type":"string"},"state":{"type":"string","enum":["running","done","failed"]},
  "records":{"type":"integer"},"accepted":{"type":"integer"},"rejected":{"type":"integer"},
  "fixed":{"type":"integer"},"last_line":{"type":"integer"},"message":{"type":"string"}}})";

Response ok_json(const json::value& v, int status = 200) { return Response::json(json::serialize(v), status); }

json::object batch_json(const ImportBatch& b, std::string_view resource_code, std::int64_t fixed, const TimeZone& zone) {
  return json::object{{"id", b.id},
                      {"resource", resource_code},
                      {"resource_version", b.resource_version},
                      {"source_org", b.source_org},
                      {"file_name", b.file_name},
                      {"format", b.format},
                      {"encoding", b.encoding},
                      {"state", to_string(b.state)},
                      {"records", b.records},
                      {"accepted", b.accepted},
                      {"rejected", b.rejected},
                      {"fixed", fixed},
                      {"last_line", b.last_line},
                      {"actor", b.actor},
                      {"message", b.message},
                      {"started_at", format_iso8601(b.started_at, zone)},
                      {"finished_at", b.finished_at ? json::value(format_iso8601(*b.finished_at, zone))
                                                    : json::value(nullptr)}};
}

json::object reject_json(const RejectedRecord& r) {
  return json::object{{"id", r.id},
                      {"batch", r.batch_id},
                      {"line", r.line},
                      {"raw", json::parse(r.raw)},
                      {"errors", json::parse(r.errors)},
                      {"state", r.state},
                      {"note", r.note}};
}

std::string resource_code_of(db::Database& db, std::int64_t resource_id) {
  auto rows = db.query("SELECT code FROM data_resources WHERE id = ?", {resource_id});
  return rows.empty() ? std::string() : rows[0].get<std::string>(0);
}

std::int64_t fixed_count(db::Database& db, std::int64_t batch_id) {
  return db.query("SELECT count(*) FROM data_import_rejects WHERE batch_id = ? AND state = 'fixed'", {batch_id})[0]
      .get<std::int64_t>(0);
}

// The batch, when the caller may read it: its department's editors, the reviewers.
ImportBatch readable_batch(const ImportServices& s, const Request& req, std::int64_t id) {
  ImportBatches batches(s.db, s.clock);
  auto b = take(batches.get(id));
  const auto& p = auth::require_principal(req);
  auto org = s.orgs.by_code(b.source_org);
  if (!p.can(kCatalogPublish) && !(org && p.can(kCatalogEdit, org->path)))
    throw Problem(Error::not_found("no import batch " + std::to_string(id)));
  return b;
}

// The caller's department, where it needs catalog.resource.edit.
std::string submitting_org(const ImportServices& s, const Request& req) {
  const auto& p = auth::require_principal(req);
  if (p.client || !p.user.org_code)
    throw Problem(Error{ErrorCode::forbidden, "imports are submitted by department staff", {}});
  auto org = take(s.orgs.by_code(*p.user.org_code));
  auth::require_permission(req, kCatalogEdit, org.path);
  return org.code;
}

}  // namespace

void add_import_routes(http::Router& router, ImportServices s) {
  router.add({.method = Method::post,
              .path = "/api/catalog/resources/{code}/imports",
              .handler =
                  [s](Request& req) {
                    const std::string code(req.param("code"));
                    auth::audit_note(req, "audit.object_id", code);
                    const auto org = submitting_org(s, req);
                    std::error_code ec;
                    if (req.body_file.empty() || std::filesystem::file_size(req.body_file, ec) == 0 || ec)
                      throw Problem(Error::invalid("body", "send the file as the request body"));
                    auto encoding = encoding_from(req.query("encoding").value_or("auto"));
                    if (!encoding) throw Problem(Error::invalid("encoding", "must be auto, utf-8 or gb18030"));
                    auto format = req.query("format").value_or("");
                    std::string file_name = req.query("file_name").value_or("upload." + (format.empty() ? std::string("csv") : format));
                    if (file_name.size() > 200) throw Problem(Error::invalid("file_name", "must have at most 200 bytes"));
                    if (format.empty()) format = file_name.ends_with(".jsonl") ? "jsonl" : "csv";
                    // Kept until the batch ends: a resumed job reads it again. The spooled
                    // body is moved there (a copy only when they are on different disks).
                    std::filesystem::create_directories(s.upload_dir, ec);
                    const auto path =
                        s.upload_dir / (crypto::to_hex(crypto::random_bytes(12)) + (format == "jsonl" ? ".jsonl" : ".csv"));
                    std::filesystem::rename(req.body_file, path, ec);
                    if (ec) {
                      ec.clear();
                      std::filesystem::copy_file(req.body_file, path, ec);
                    }
                    if (ec)
                      throw std::runtime_error("cannot keep the uploaded file under " + s.upload_dir.string() + ": " +
                                               ec.message());
                    const auto& p = auth::require_principal(req);
                    auto batch = s.runner.start({code, path.string(), file_name, format, *encoding, org, p.user.username});
                    if (!batch) {
                      std::filesystem::remove(path, ec);
                      throw Problem(batch.error());
                    }
                    s.scheduler.schedule(kImportJob, s.clock.now(), std::to_string(batch->id),
                                         "import:" + std::to_string(batch->id));
                    return ok_json(batch_json(*batch, code, 0, s.zone), 202);
                  },
              .summary = "Upload a CSV (header row) or JSON Lines file of records; it is imported by a job",
              .tag = "imports",
              .query = {{"encoding", "string", false, "auto (default), utf-8 or gb18030"},
                        {"format", "string", false, "csv or jsonl (default: by file_name, else csv)"},
                        {"file_name", "string", false, "The file's name, as shown"}},
              .response_schema = kBatchSchema,
              .success_status = 202,
              .body_limit = kUploadLimit,
              .spool_body = true,
              .permission = kCatalogEdit,
              .audit = "data.import.start"});

  router.add({.method = Method::get,
              .path = "/api/catalog/resources/{code}/imports",
              .handler =
                  [s](Request& req) {
                    const auto& p = auth::require_principal(req);
                    auto resource = take(s.catalog.get(req.param("code")));
                    std::int64_t before = 0;
                    if (auto c = req.query("cursor")) {
                      try {
                        before = std::stoll(*c);
                      } catch (const std::exception&) {
                        throw Problem(Error::invalid("cursor", "must be a batch id"));
                      }
                    }
                    const auto limit = http::limit_param(req, 20, 100);
                    json::array items;
                    std::int64_t last = 0;
                    auto rows = ImportBatches(s.db, s.clock).of_resource(resource.id, before, limit);
                    for (const auto& b : rows) {
                      last = b.id;
                      auto org = s.orgs.by_code(b.source_org);
                      if (!p.can(kCatalogPublish) && !(org && p.can(kCatalogEdit, org->path))) continue;
                      items.push_back(batch_json(b, resource.spec.code, fixed_count(s.db, b.id), s.zone));
                    }
                    return ok_json(json::object{
                        {"items", std::move(items)},
                        {"next_cursor", rows.size() == limit ? json::value(std::to_string(last)) : json::value(nullptr)}});
                  },
              .summary = "Import batches of a resource that the caller may read, newest first",
              .tag = "imports",
              .query = {{"cursor", "string", false, "next_cursor of the previous page"},
                        {"limit", "integer", false, "At most 100"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array"},"next_cursor":{"type":["string","null"]}}})",
              .permission = kCatalogRead});

  router.add({.method = Method::get,
              .path = "/api/imports/{id}",
              .handler =
                  [s](Request& req) {
                    auto b = readable_batch(s, req, http::id_param(req, "id"));
                    return ok_json(batch_json(b, resource_code_of(s.db, b.resource_id), fixed_count(s.db, b.id), s.zone));
                  },
              .summary = "One import batch: state, counts and how far it got",
              .tag = "imports",
              .response_schema = kBatchSchema,
              .permission = kCatalogRead});

  router.add({.method = Method::get,
              .path = "/api/imports/{id}/rejects",
              .handler =
                  [s](Request& req) {
                    auto b = readable_batch(s, req, http::id_param(req, "id"));
                    std::int64_t after = 0;
                    if (auto a = req.query("after_line")) {
                      try {
                        after = std::stoll(*a);
                      } catch (const std::exception&) {
                        throw Problem(Error::invalid("after_line", "must be a line number"));
                      }
                    }
                    const auto limit = http::limit_param(req, 50, 500);
                    const bool open_only = req.query("state").value_or("open") == "open";
                    json::array items;
                    auto rows = ImportBatches(s.db, s.clock).rejects(b.id, after, limit, open_only);
                    for (const auto& r : rows) items.push_back(reject_json(r));
                    return ok_json(json::object{
                        {"items", std::move(items)},
                        {"next_cursor", rows.size() == limit ? json::value(std::to_string(rows.back().line)) : json::value(nullptr)}});
                  },
              .summary = "The batch's rejected records by line, each with its raw values and every reason",
              .tag = "imports",
              .query = {{"after_line", "integer", false, "Line after which to start (next_cursor)"},
                        {"state", "string", false, "open (default) or all"},
                        {"limit", "integer", false, "At most 500"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array"},"next_cursor":{"type":["string","null"]}}})",
              .permission = kCatalogRead});

  router.add({.method = Method::post,
              .path = "/api/imports/rejects/{id}/fix",
              .handler =
                  [s](Request& req) {
                    ImportBatches batches(s.db, s.clock);
                    auto reject = take(batches.reject(http::id_param(req, "id")));
                    auto b = readable_batch(s, req, reject.batch_id);
                    auto org = take(s.orgs.by_code(b.source_org));
                    auth::require_permission(req, kCatalogEdit, org.path);
                    if (reject.state != "open")
                      throw Problem(Error::conflict("this record is " + reject.state + " already"));
                    auto resource = take(s.catalog.get(resource_code_of(s.db, b.resource_id)));
                    auto body = http::json_object_body(req);
                    auto values = body.find("values");
                    if (values == body.end() || !values->value().is_object())
                      throw Problem(Error::invalid("values", "must be an object of field → text"));
                    // The corrected record is checked exactly as an imported one.
                    std::vector<std::string> texts;
                    std::vector<std::string> keys;
                    for (const auto& kv : values->value().as_object()) {
                      keys.emplace_back(kv.key());
                      if (kv.value().is_string()) {
                        texts.emplace_back(kv.value().as_string());
                      } else if (kv.value().is_null()) {
                        texts.emplace_back();
                      } else {
                        throw Problem(Error::invalid("values." + std::string(kv.key()), "must be text"));
                      }
                    }
                    std::vector<JsonMember> members;
                    for (std::size_t i = 0; i < keys.size(); ++i) members.push_back({keys[i], texts[i], JsonKind::string});
                    const CodeTables tables = load_code_tables(s.catalog, resource.spec.fields);
                    const StandardiseContext context{s.zone.local_date(s.clock.now()), &tables, nullptr};
                    // 一数一源 as in the batch: values of fields another department is the
                    // authority of go to the discrepancy list, and only the writer's own
                    // required fields are required of it.
                    RecordStore records(s.db, s.clock);
                    const OneSourceWriter writer(records, s.clock, resource.id, resource.spec.fields,
                                                 resource.spec.provider, b.source_org);
                    const auto checked =
                        writer.writes_all() ? resource.spec.fields : fields_to_check(resource.spec.fields, writer.authority());
                    auto checker = take(RecordChecker::for_objects(checked, context));
                    CheckedRow row;
                    checker.check(members, row);
                    if (!row.ok()) {
                      Error e{ErrorCode::invalid, "the corrected record still has problems", {}};
                      for (const auto& r : row.refusals)
                        e.fields.push_back({r.field == kWholeRecord ? "values" : "values." + resource.spec.fields[r.field].name,
                                            r.reason});
                      throw Problem(e);
                    }
                    RecordValues record;
                    for (const auto& v : row.values)
                      record.values.push_back(v.text.empty() ? std::nullopt : std::optional<std::string>(v.text));
                    auto tx = s.db.begin();
                    take(batches.close_reject(tx, reject.id, "fixed", b.id));
                    writer.write(tx, {record}, b.id);
                    tx.commit();
                    auto fixed = take(batches.reject(reject.id));
                    return ok_json(reject_json(fixed));
                  },
              .summary = "Correct a rejected record: the values are checked like an import and stored",
              .tag = "imports",
              .request_schema = R"({"type":"object","required":["values"],"properties":{
                "values":{"type":"object","additionalProperties":{"type":["string","null"]}}}})",
              .response_schema = R"({"type":"object","properties":{"id":{"type":"integer"},"state":{"type":"string"}}})",
              .body_limit = 1024 * 1024,
              .permission = kCatalogEdit,
              .audit = "data.import.fix"});

  router.add({.method = Method::post,
              .path = "/api/imports/rejects/{id}/dismiss",
              .handler =
                  [s](Request& req) {
                    ImportBatches batches(s.db, s.clock);
                    auto reject = take(batches.reject(http::id_param(req, "id")));
                    auto b = readable_batch(s, req, reject.batch_id);
                    auth::require_permission(req, kCatalogEdit, take(s.orgs.by_code(b.source_org)).path);
                    auto body = http::json_object_body(req);
                    auto reason = http::required_string(body, "reason", 500);
                    auto tx = s.db.begin();
                    take(batches.close_reject(tx, reject.id, "dismissed", std::nullopt, reason));
                    tx.commit();
                    return ok_json(reject_json(take(batches.reject(reject.id))));
                  },
              .summary = "Decide not to store a rejected record, with the reason (it stays listed)",
              .tag = "imports",
              .request_schema = R"({"type":"object","required":["reason"],"properties":{"reason":{"type":"string"}}})",
              .response_schema = R"({"type":"object","properties":{"id":{"type":"integer"},"state":{"type":"string"}}})",
              .body_limit = 16 * 1024,
              .permission = kCatalogEdit,
              .audit = "data.import.dismiss"});
}

}  // namespace zhengwu::data
