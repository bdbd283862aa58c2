// Quality routes; see quality_routes.hpp.
#include "modules/data/quality_routes.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"
#include "modules/data/catalog_routes.hpp"
#include "modules/data/quality.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kHistoryDefault = 30;
constexpr std::size_t kHistoryMax = 365;

constexpr const char* kReportSchema = R"({"type":"object","properties":{
  "id":{"type":"integer"},"resource":{"type":"string"},"resource_name":{"type":"string"},
  "resource_version":{"type":"integer"},"provider":{"type":"string"},"provider_name":{"type":"string"},
  "update_cycle":{"type":"string"},"cycle_days":{"type":"integer"},
  "computed_at":{"type":"string","format":"date-time"},"cause":{"type":"string"},"duration_ms":{"type":"integer"},
  "records":{"type":"integer"},"open_rejects":{"type":"integer","description":"refused on import, neither fixed nor dismissed"},
  "invalid_records":{"type":"integer","description":"stored records with a value today's checks refuse"},
  "duplicated_records":{"type":"integer","description":"records sharing a subject identifier with another"},
  "completeness":{"type":["number","null"],"description":"0..100, null when not applicable"},
  "validity":{"type":["number","null"]},"uniqueness":{"type":["number","null"]},
  "timeliness":{"type":"number"},"score":{"type":"number"},
  "last_update_at":{"type":["string","null"],"format":"date-time"},"due_at":{"type":"string","format":"date-time"},
  "days_late":{"type":"number"},
  "fields":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"label":{"type":"string"},
    "type":{"type":"string"},"required":{"type":"boolean"},"key":{"type":"boolean"},"filled":{"type":"integer"},
    "completeness":{"type":["number","null"]},"invalid":{"type":"integer"},"validity":{"type":["number","null"]},
    "identifier":{"type":"boolean"},"duplicate_records":{"type":"integer"},"duplicate_values":{"type":"integer"}}}}}})";

Response ok_json(const json::value& v, int status = 200) { return Response::json(json::serialize(v), status); }

json::value opt_number(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object weights_json() {
  return json::object{{"completeness", kQualityWeights.completeness},
                      {"validity", kQualityWeights.validity},
                      {"uniqueness", kQualityWeights.uniqueness},
                      {"timeliness", kQualityWeights.timeliness}};
}

// The numbers every listing shows.
json::object summary_json(const QualityReport& r, const TimeZone& zone) {
  const auto& s = r.scores;
  return json::object{{"id", r.id},
                      {"resource", r.resource_code},
                      {"resource_name", r.resource_name},
                      {"resource_version", r.resource_version},
                      {"provider", r.provider},
                      {"provider_name", r.provider_name},
                      {"update_cycle", to_string(r.update_cycle)},
                      {"cycle_days", cycle_days(r.update_cycle)},
                      {"computed_at", format_iso8601(r.computed_at, zone)},
                      {"records", r.counts.records},
                      {"open_rejects", r.counts.open_rejects},
                      {"completeness", opt_number(s.completeness)},
                      {"validity", opt_number(s.validity)},
                      {"uniqueness", opt_number(s.uniqueness)},
                      {"timeliness", s.timeliness.score},
                      {"score", s.score},
                      {"last_update_at", r.counts.last_update ? json::value(format_iso8601(*r.counts.last_update, zone))
                                                              : json::value(nullptr)},
                      {"due_at", format_iso8601(s.timeliness.due_at, zone)},
                      {"days_late", s.timeliness.days_late}};
}

json::object field_json(const FieldQuality& f, std::int64_t records) {
  return json::object{{"name", f.name},
                      {"label", f.label},
                      {"type", to_string(f.type)},
                      {"required", f.required},
                      {"key", f.key},
                      {"filled", f.filled},
                      {"completeness", opt_number(percent_of(f.filled, records))},
                      {"invalid", f.invalid},
                      {"validity", opt_number(percent_of(f.filled - f.invalid, f.filled))},
                      {"identifier", f.identifier},
                      {"duplicate_records", f.duplicate_records},
                      {"duplicate_values", f.duplicate_values}};
}

json::object report_json(const QualityReport& r, const TimeZone& zone) {
  auto o = summary_json(r, zone);
  o["cause"] = r.cause;
  o["duration_ms"] = r.duration_ms;
  o["invalid_records"] = r.counts.invalid_records;
  o["duplicated_records"] = r.counts.duplicated_records;
  json::array fields;
  for (const auto& f : r.counts.fields) fields.push_back(field_json(f, r.counts.records));
  o["fields"] = std::move(fields);
  return o;
}

// The field a listing names as the one to fix first: the least complete non-key field.
json::value weakest_field(const QualityReport& r) {
  const FieldQuality* weakest = nullptr;
  for (const auto& f : r.counts.fields)
    if (!f.key && (!weakest || f.filled < weakest->filled)) weakest = &f;
  if (!weakest || r.counts.records == 0) return nullptr;
  return json::object{{"name", weakest->name},
                      {"label", weakest->label},
                      {"completeness", opt_number(percent_of(weakest->filled, r.counts.records))}};
}

std::string org_path(auth::OrgDirectory& orgs, const std::string& code) {
  auto org = orgs.by_code(code);
  return org ? org->path : std::string("/none/");
}

// The resource, when the caller may see it: drafts and submissions only to their
// provider's editors and the reviewers (as the catalog shows them).
CatalogResource visible_resource(const QualityServices& s, const Request& req) {
  const auto& p = auth::require_principal(req);
  auto r = take(s.catalog.get(req.param("code")));
  if ((r.state == ResourceState::draft || r.state == ResourceState::submitted) && !p.can(kCatalogPublish) &&
      !p.can(kCatalogEdit, org_path(s.orgs, r.spec.provider)))
    throw Problem(Error::not_found("no resource " + r.spec.code + " in the catalog"));
  return r;
}

std::size_t count_param(const Request& req, std::string_view name, std::size_t fallback, std::size_t max) {
  auto v = req.query(name);
  if (!v) return fallback;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < 1 || n > max)
    throw Problem(Error::invalid(std::string(name), "must be a whole number from 1 to " + std::to_string(max)));
  return n;
}

std::vector<std::string> provider_list(const Request& req, std::string_view name) {
  auto out = http::list_param(req, name);
  if (out.size() > 50) throw Problem(Error::invalid(std::string(name), "must name at most 50 organisations"));
  return out;
}

}  // namespace

void add_quality_routes(http::Router& router, QualityServices s) {
  router.add({.method = Method::get,
              .path = "/api/catalog/resources/{code}/quality",
              .handler =
                  [s](Request& req) {
                    auto resource = visible_resource(s, req);
                    const auto limit = count_param(req, "history", kHistoryDefault, kHistoryMax);
                    auto reports = QualityReports(s.db).history(resource.id, limit);
                    json::array trend;
                    for (auto it = reports.rbegin(); it != reports.rend(); ++it) {
                      const auto& sc = it->scores;
                      trend.push_back(json::object{{"id", it->id},
                                                   {"computed_at", format_iso8601(it->computed_at, s.zone)},
                                                   {"records", it->counts.records},
                                                   {"completeness", opt_number(sc.completeness)},
                                                   {"validity", opt_number(sc.validity)},
                                                   {"uniqueness", opt_number(sc.uniqueness)},
                                                   {"timeliness", sc.timeliness.score},
                                                   {"score", sc.score},
                                                   {"days_late", sc.timeliness.days_late}});
                    }
                    return ok_json(json::object{
                        {"resource", json::object{{"code", resource.spec.code},
                                                  {"name", resource.spec.name},
                                                  {"provider", resource.spec.provider},
                                                  {"provider_name", resource.provider_name},
                                                  {"state", to_string(resource.state)},
                                                  {"update_cycle", to_string(resource.spec.update_cycle)},
                                                  {"cycle_days", cycle_days(resource.spec.update_cycle)}}},
                        {"weights", weights_json()},
                        {"latest", reports.empty() ? json::value(nullptr) : json::value(report_json(reports.front(), s.zone))},
                        {"history", std::move(trend)}});
                  },
              .summary = "A resource's data quality: the latest report with per-field numbers, and the trend "
                         "(completeness, validity, uniqueness, timeliness and score, oldest first)",
              .tag = "quality",
              .query = {{"history", "integer", false, "Reports in the trend, 1 to 365 (default 30)"}},
              .response_schema = std::string(R"({"type":"object","properties":{"resource":{"type":"object"},
                "weights":{"type":"object"},"latest":{"oneOf":[{"type":"null"},)") +
                                 kReportSchema + R"(]},"history":{"type":"array"}}})",
              .permission = kCatalogRead});

  router.add({.method = Method::post,
              .path = "/api/catalog/resources/{code}/quality/recompute",
              .handler =
                  [s](Request& req) {
                    const std::string code(req.param("code"));
                    auth::audit_note(req, "audit.object_id", code);
                    auto resource = visible_resource(s, req);
                    const auto& p = auth::require_principal(req);
                    if (!p.can(kCatalogPublish))
                      auth::require_permission(req, kCatalogEdit, org_path(s.orgs, resource.spec.provider));
                    if (resource.state != ResourceState::published)
                      throw Problem(Error::conflict("resource " + code + " is " + std::string(to_string(resource.state)) +
                                                    ": only published resources hold records to assess"));
                    const std::string cause = p.client ? "client:" + p.client->client_id : p.user.username;
                    // A large table is measured by a job: a request must not hold a server
                    // thread for the seconds a full validity pass takes.
                    if (RecordStore(s.db, s.clock).count(resource.id) > kSynchronousRecords) {
                      const auto job = s.scheduler.schedule(kQualityJob, s.clock.now(),
                                                            quality_job_payload(resource.id, cause));
                      return ok_json(json::object{{"resource", code}, {"job", job}, {"state", "scheduled"}}, 202);
                    }
                    QualityAssessor assessor(s.db, s.clock, s.zone, s.catalog);
                    return ok_json(report_json(take(assessor.assess(code, cause)), s.zone));
                  },
              .summary = "Assess a resource's data quality now (its provider's editors or the big-data centre); "
                         "200 with the new report, or 202 with a job for a resource of more than 200,000 records",
              .tag = "quality",
              .response_schema = kReportSchema,
              .permission = kCatalogRead,
              .audit = "catalog.quality.recompute"});

  router.add({.method = Method::get,
              .path = "/api/quality",
              .handler =
                  [s](Request& req) {
                    QualityQuery q;
                    if (auto sort = req.query("sort")) {
                      auto parsed = quality_sort_from(*sort);
                      if (!parsed)
                        throw Problem(Error::invalid("sort", "must be score, completeness, validity, uniqueness, "
                                                             "timeliness, days_late, records or code"));
                      q.sort = *parsed;
                    }
                    q.descending = descending_by_default(q.sort);
                    if (auto order = req.query("order")) {
                      if (*order != "asc" && *order != "desc") throw Problem(Error::invalid("order", "must be asc or desc"));
                      q.descending = *order == "desc";
                    }
                    q.providers = provider_list(req, "provider");
                    if (auto c = req.query("cursor")) {
                      q.after = parse_quality_cursor(*c);
                      if (!q.after) throw Problem(Error::invalid("cursor", "must be next_cursor of the previous page"));
                    }
                    q.limit = count_param(req, "limit", 20, 100);
                    auto page = QualityReports(s.db).overview(q);
                    json::array items;
                    for (const auto& r : page.items) {
                      auto o = summary_json(r, s.zone);
                      o["weakest_field"] = weakest_field(r);
                      items.push_back(std::move(o));
                    }
                    return ok_json(json::object{
                        {"items", std::move(items)},
                        {"next_cursor", page.next ? json::value(to_string(*page.next)) : json::value(nullptr)}});
                  },
              .summary = "The latest quality report of every published resource, worst first by default",
              .tag = "quality",
              .query = {{"sort", "string", false,
                         "score (default), completeness, validity, uniqueness, timeliness, days_late, records or code"},
                        {"order", "string", false,
                         "asc or desc; default: worst first (asc for scores, desc for days_late and records)"},
                        {"provider", "string", false, "Provider org codes, comma-separated"},
                        {"cursor", "string", false, "next_cursor of the previous page (same sort and order)"},
                        {"limit", "integer", false, "1 to 100 (default 20)"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object",
                "properties":{"resource":{"type":"string"},"resource_name":{"type":"string"},"provider":{"type":"string"},
                "score":{"type":"number"},"completeness":{"type":["number","null"]},"validity":{"type":["number","null"]},
                "uniqueness":{"type":["number","null"]},"timeliness":{"type":"number"},"days_late":{"type":"number"},
                "records":{"type":"integer"},"weakest_field":{"type":["object","null"]}}}},
                "next_cursor":{"type":["string","null"]}}})",
              .permission = kCatalogRead});
}

}  // namespace zhengwu::data
