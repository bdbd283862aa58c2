// Data quality of catalog resources; see quality.hpp for the definitions.
#include "modules/data/quality.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "kernel/jobs/scheduler.hpp"
#include "modules/data/import_run.hpp"
#include "modules/data/record_store.hpp"
#include "modules/data/standardise.hpp"

namespace zhengwu::data {
namespace json = boost::json;
namespace {

constexpr auto kDay = std::chrono::hours(24);
// A dimension that does not apply sorts as better than any measured one.
constexpr const char* kNotApplicableRank = "101.0";

std::string quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

bool is_identifier(FieldType t) { return t == FieldType::id_number || t == FieldType::uscc; }

// A cell of `f` holds a value: not NULL, and not '' where the column is text.
std::string filled_condition(const FieldSpec& f, db::Kind engine) {
  const auto column = quoted(f.name);
  if (column_type(f.type, engine) == "TEXT") return column + " IS NOT NULL AND " + column + " <> ''";
  return column + " IS NOT NULL";
}

// A stored cell as the canonical text the import checks read.
std::optional<std::string> cell_text(FieldType type, const db::Value& v) {
  if (v.is_null()) return std::nullopt;
  if (type == FieldType::boolean) return v.as_int() != 0 ? "true" : "false";
  auto text = v.as_text();
  if (text.empty()) return std::nullopt;
  return text;
}

std::optional<double> opt_double(const db::Value& v) {
  if (v.is_null()) return std::nullopt;
  return v.as_double();
}

// The per-field numbers and record counts that have no column of their own.
std::string details_json(const QualityCounts& c) {
  json::array fields;
  for (const auto& f : c.fields) {
    fields.push_back(json::object{{"name", f.name},
                                  {"label", f.label},
                                  {"type", to_string(f.type)},
                                  {"required", f.required},
                                  {"key", f.key},
                                  {"filled", f.filled},
                                  {"invalid", f.invalid},
                                  {"identifier", f.identifier},
                                  {"duplicate_records", f.duplicate_records},
                                  {"duplicate_values", f.duplicate_values}});
  }
  return json::serialize(json::object{{"invalid_records", c.invalid_records},
                                      {"duplicated_records", c.duplicated_records},
                                      {"published_at", to_unix_ms(c.published_at)},
                                      {"fields", std::move(fields)}});
}

constexpr const char* kReportColumns =
    "q.id, q.resource_id, q.resource_version, q.computed_at, q.cause, q.duration_ms, q.records, q.open_rejects, "
    "q.completeness, q.validity, q.uniqueness, q.timeliness, q.score, q.last_update_at, q.due_at, q.days_late, "
    "q.details, r.code, r.spec, o.code AS provider, o.name AS provider_name";
constexpr const char* kReportJoin =
    " FROM data_quality_reports q JOIN data_resources r ON r.id = q.resource_id JOIN orgs o ON o.id = r.provider_org_id";

QualityReport report_from(const db::Row& row) {
  QualityReport r;
  r.id = row.get<std::int64_t>("id");
  r.resource_id = row.get<std::int64_t>("resource_id");
  r.resource_version = row.get<int>("resource_version");
  r.computed_at = from_unix_ms(row.get<std::int64_t>("computed_at"));
  r.cause = row.get<std::string>("cause");
  r.duration_ms = row.get<std::int64_t>("duration_ms");
  r.resource_code = row.get<std::string>("code");
  r.provider = row.get<std::string>("provider");
  r.provider_name = row.get<std::string>("provider_name");
  // The cycle as the resource states it now: the report's timeliness was computed with
  // the cycle of its time and is kept as computed.
  const auto spec = json::parse(row.get<std::string>("spec"));
  if (auto* name = spec.as_object().if_contains("name"); name && name->is_string()) r.resource_name = name->as_string();
  if (auto* cycle = spec.as_object().if_contains("update_cycle"); cycle && cycle->is_string())
    r.update_cycle = update_cycle_from(cycle->as_string()).value_or(UpdateCycle::monthly);
  auto& c = r.counts;
  c.records = row.get<std::int64_t>("records");
  c.open_rejects = row.get<std::int64_t>("open_rejects");
  if (auto t = row.opt<std::int64_t>("last_update_at")) c.last_update = from_unix_ms(*t);
  r.scores.completeness = opt_double(row.at("completeness"));
  r.scores.validity = opt_double(row.at("validity"));
  r.scores.uniqueness = opt_double(row.at("uniqueness"));
  r.scores.timeliness.score = row.get<double>("timeliness");
  r.scores.timeliness.due_at = from_unix_ms(row.get<std::int64_t>("due_at"));
  r.scores.timeliness.days_late = row.get<double>("days_late");
  r.scores.score = row.get<double>("score");
  const auto details = json::parse(row.get<std::string>("details")).as_object();
  c.invalid_records = details.at("invalid_records").to_number<std::int64_t>();
  c.duplicated_records = details.at("duplicated_records").to_number<std::int64_t>();
  c.published_at = from_unix_ms(details.at("published_at").to_number<std::int64_t>());
  for (const auto& v : details.at("fields").as_array()) {
    const auto& f = v.as_object();
    FieldQuality q;
    q.name = f.at("name").as_string();
    q.label = f.at("label").as_string();
    q.type = field_type_from(f.at("type").as_string()).value_or(FieldType::string);
    q.required = f.at("required").as_bool();
    q.key = f.at("key").as_bool();
    q.filled = f.at("filled").to_number<std::int64_t>();
    q.invalid = f.at("invalid").to_number<std::int64_t>();
    q.identifier = f.at("identifier").as_bool();
    q.duplicate_records = f.at("duplicate_records").to_number<std::int64_t>();
    q.duplicate_values = f.at("duplicate_values").to_number<std::int64_t>();
    c.fields.push_back(std::move(q));
  }
  return r;
}

// The SQL expression the overview sorts by.
std::string sort_expression(QualitySort s) {
  switch (s) {
    case QualitySort::score: return "q.score";
    case QualitySort::completeness: return std::string("COALESCE(q.completeness, ") + kNotApplicableRank + ")";
    case QualitySort::validity: return std::string("COALESCE(q.validity, ") + kNotApplicableRank + ")";
    case QualitySort::uniqueness: return std::string("COALESCE(q.uniqueness, ") + kNotApplicableRank + ")";
    case QualitySort::timeliness: return "q.timeliness";
    case QualitySort::days_late: return "q.days_late";
    case QualitySort::records: return "q.records";
    case QualitySort::code: return "r.code";
  }
  return "q.score";
}

double sort_value(const QualityReport& r, QualitySort s) {
  constexpr double na = 101.0;
  switch (s) {
    case QualitySort::score: return r.scores.score;
    case QualitySort::completeness: return r.scores.completeness.value_or(na);
    case QualitySort::validity: return r.scores.validity.value_or(na);
    case QualitySort::uniqueness: return r.scores.uniqueness.value_or(na);
    case QualitySort::timeliness: return r.scores.timeliness.score;
    case QualitySort::days_late: return r.scores.timeliness.days_late;
    case QualitySort::records: return static_cast<double>(r.counts.records);
    case QualitySort::code: return 0;
  }
  return 0;
}

constexpr std::array<std::string_view, 8> kSortNames{"score",      "completeness", "validity", "uniqueness",
                                                     "timeliness", "days_late",    "records",  "code"};

}  // namespace

std::vector<db::Migration> quality_migrations() {
  return {{"data", 9, "data quality reports", R"SQL(
CREATE TABLE data_quality_reports (
  id {{pk}},
  resource_id BIGINT NOT NULL REFERENCES data_resources (id),
  resource_version INTEGER NOT NULL,
  computed_at BIGINT NOT NULL,
  cause TEXT NOT NULL,
  duration_ms BIGINT NOT NULL,
  records BIGINT NOT NULL,
  open_rejects BIGINT NOT NULL,
  completeness DOUBLE PRECISION,
  validity DOUBLE PRECISION,
  uniqueness DOUBLE PRECISION,
  timeliness DOUBLE PRECISION NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  last_update_at BIGINT,
  due_at BIGINT NOT NULL,
  days_late DOUBLE PRECISION NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX data_quality_reports_resource ON data_quality_reports (resource_id, id)
)SQL"}};
}

// ---- arithmetic ----

double round_one_decimal(double x) { return std::round(x * 10.0) / 10.0; }

std::optional<double> percent_of(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  const auto p = std::clamp<std::int64_t>(part, 0, whole);
  return round_one_decimal(100.0 * static_cast<double>(p) / static_cast<double>(whole));
}

int cycle_days(UpdateCycle cycle) {
  switch (cycle) {
    case UpdateCycle::realtime: return 1;
    case UpdateCycle::daily: return 1;
    case UpdateCycle::weekly: return 7;
    case UpdateCycle::monthly: return 31;
    case UpdateCycle::quarterly: return 92;
    case UpdateCycle::yearly: return 366;
  }
  return 31;
}

Timeliness assess_timeliness(std::optional<TimePoint> last_update, TimePoint published_at, UpdateCycle cycle,
                             TimePoint now) {
  const auto cycle_length = std::chrono::duration_cast<TimePoint::duration>(kDay * cycle_days(cycle));
  Timeliness t;
  t.due_at = last_update.value_or(published_at) + cycle_length;
  if (now <= t.due_at) return t;
  const double late_days = std::chrono::duration<double>(now - t.due_at).count() / 86400.0;
  t.days_late = round_one_decimal(late_days);
  t.score = round_one_decimal(100.0 * std::max(0.0, 1.0 - late_days / (3.0 * cycle_days(cycle))));
  return t;
}

std::vector<bool> subject_identifiers(const std::vector<FieldSpec>& fields) {
  const bool key_is_identifier =
      std::any_of(fields.begin(), fields.end(), [](const FieldSpec& f) { return f.key && is_identifier(f.type); });
  std::vector<bool> out;
  for (const auto& f : fields) out.push_back(!key_is_identifier && !f.key && is_identifier(f.type));
  return out;
}

QualityScores score_quality(const QualityCounts& c, UpdateCycle cycle, TimePoint now) {
  QualityScores s;
  std::int64_t filled = 0, cells = 0;
  bool any_identifier = false;
  for (const auto& f : c.fields) {
    any_identifier = any_identifier || f.identifier;
    if (f.key) continue;
    const std::int64_t w = f.required ? 2 : 1;
    filled += w * std::clamp<std::int64_t>(f.filled, 0, c.records);
    cells += w * c.records;
  }
  s.completeness = percent_of(filled, cells);
  s.validity = percent_of(c.records - c.invalid_records, c.records + c.open_rejects);
  if (any_identifier) s.uniqueness = percent_of(c.records - c.duplicated_records, c.records);
  s.timeliness = assess_timeliness(c.last_update, c.published_at, cycle, now);

  const std::pair<std::optional<double>, double> parts[] = {{s.completeness, kQualityWeights.completeness},
                                                            {s.validity, kQualityWeights.validity},
                                                            {s.uniqueness, kQualityWeights.uniqueness},
                                                            {s.timeliness.score, kQualityWeights.timeliness}};
  double sum = 0, weight = 0;
  for (const auto& [value, w] : parts) {
    if (!value) continue;
    sum += *value * w;
    weight += w;
  }
  s.score = round_one_decimal(sum / weight);
  return s;
}

// ---- measuring ----

QualityAssessor::QualityAssessor(db::Database& db, const Clock& clock, const TimeZone& zone,
                                 const CatalogStore& catalog)
    : db_(db), clock_(clock), zone_(zone), catalog_(catalog) {}

void QualityAssessor::set_page_rows(std::size_t rows) { page_rows_ = std::max<std::size_t>(rows, 1); }

QualityCounts QualityAssessor::measure(const CatalogResource& resource) const {
  const auto& fields = resource.spec.fields;
  const std::string table = RecordStore::table_name(resource.id);
  const auto engine = db_.kind();
  QualityCounts c;
  c.published_at = resource.published_at.value_or(resource.created_at);
  const auto checked = subject_identifiers(fields);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    c.fields.push_back({f.name, f.label, f.type, f.required || f.key, f.key, 0, 0, checked[i], 0, 0});
  }

  // Completeness and the newest change: one aggregate over the table.
  std::string sql = "SELECT COUNT(*), MAX(zw_updated_at)";
  for (const auto& f : fields) sql += ", COALESCE(SUM(CASE WHEN " + filled_condition(f, engine) + " THEN 1 ELSE 0 END), 0)";
  sql += " FROM " + table;
  const auto totals = db_.query(sql);
  const auto& t = totals[0];
  c.records = t.at(0).as_int();
  std::optional<std::int64_t> newest;
  if (!t.at(1).is_null()) newest = t.at(1).as_int();
  for (std::size_t i = 0; i < fields.size(); ++i) c.fields[i].filled = t.at(i + 2).as_int();

  auto batches = db_.query("SELECT MAX(finished_at) FROM data_import_batches WHERE resource_id = ? AND state = 'done'",
                           {resource.id});
  if (!batches.empty() && !batches[0].at(0).is_null()) newest = std::max(newest.value_or(0), batches[0].at(0).as_int());
  if (newest) c.last_update = from_unix_ms(*newest);

  c.open_rejects = db_.query("SELECT COUNT(*) FROM data_import_rejects x JOIN data_import_batches b ON b.id = x.batch_id "
                             "WHERE b.resource_id = ? AND x.state = 'open'",
                             {resource.id})[0]
                       .at(0)
                       .as_int();

  // Uniqueness: duplicated values per checked field, then the records involved in any.
  std::string any_duplicate;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!checked[i]) continue;
    const auto column = quoted(fields[i].name);
    const std::string groups = "SELECT " + column + " FROM " + table + " WHERE " + filled_condition(fields[i], engine) +
                               " GROUP BY " + column + " HAVING COUNT(*) > 1";
    auto d = db_.query("SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM " + table + " WHERE " +
                       filled_condition(fields[i], engine) + " GROUP BY " + column + " HAVING COUNT(*) > 1) d");
    c.fields[i].duplicate_values = d[0].at(0).as_int();
    c.fields[i].duplicate_records = d[0].at(1).as_int();
    if (c.fields[i].duplicate_values > 0) any_duplicate += (any_duplicate.empty() ? "" : " OR ") + column + " IN (" + groups + ")";
  }
  if (!any_duplicate.empty())
    c.duplicated_records = db_.query("SELECT COUNT(*) FROM " + table + " WHERE " + any_duplicate)[0].at(0).as_int();

  // Validity: every stored value through today's import checks, page by page in key order.
  const CodeTables tables = load_code_tables(catalog_, fields);
  const StandardiseContext context{zone_.local_date(clock_.now()), &tables, nullptr};
  std::vector<const CodeTable*> table_of;
  for (const auto& f : fields) table_of.push_back(f.code_table ? tables.find(*f.code_table) : nullptr);
  std::string page = "SELECT zw_key";
  for (const auto& f : fields) page += ", " + quoted(f.name);
  page += " FROM " + table + " WHERE zw_key > ? ORDER BY zw_key LIMIT ?";
  StandardisedValue out;
  std::string after;  // '' sorts before every key: keys are never empty
  for (;;) {
    auto rows = db_.query(page, {after, static_cast<std::int64_t>(page_rows_)});
    for (const auto& row : rows) {
      bool invalid = false;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        auto text = cell_text(fields[i].type, row.at(i + 1));
        if (!text) continue;
        standardise(fields[i], table_of[i], *text, context, out);
        if (out.ok()) continue;
        ++c.fields[i].invalid;
        invalid = true;
      }
      if (invalid) ++c.invalid_records;
    }
    if (rows.size() < page_rows_) break;
    after = rows.rows.back().get<std::string>(0);
  }
  return c;
}

Result<QualityReport> QualityAssessor::assess(std::string_view code, std::string_view cause) {
  auto resource = catalog_.get(code);
  if (!resource) return resource.error();
  if (resource->state != ResourceState::published)
    return Error::conflict("resource " + resource->spec.code + " is " + std::string(to_string(resource->state)) +
                           ": only published resources hold records to assess");
  const auto started = clock_.now();
  const auto wall = std::chrono::steady_clock::now();
  QualityReport r;
  r.resource_id = resource->id;
  r.resource_code = resource->spec.code;
  r.resource_name = resource->spec.name;
  r.resource_version = resource->version;
  r.provider = resource->spec.provider;
  r.provider_name = resource->provider_name;
  r.update_cycle = resource->spec.update_cycle;
  r.cause = std::string(cause);
  r.counts = measure(*resource);
  r.computed_at = clock_.now();
  r.scores = score_quality(r.counts, r.update_cycle, started);
  r.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - wall).count();
  const auto& s = r.scores;
  r.id = db_.query("INSERT INTO data_quality_reports (resource_id, resource_version, computed_at, cause, duration_ms, "
                   "records, open_rejects, completeness, validity, uniqueness, timeliness, score, last_update_at, "
                   "due_at, days_late, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                   {r.resource_id, r.resource_version, to_unix_ms(r.computed_at), r.cause, r.duration_ms,
                    r.counts.records, r.counts.open_rejects, db::Value(s.completeness), db::Value(s.validity),
                    db::Value(s.uniqueness), s.timeliness.score, s.score,
                    r.counts.last_update ? db::Value(to_unix_ms(*r.counts.last_update)) : db::Value(),
                    to_unix_ms(s.timeliness.due_at), s.timeliness.days_late, details_json(r.counts)})[0]
             .get<std::int64_t>(0);
  return r;
}

std::size_t QualityAssessor::assess_all(std::string_view cause) {
  std::size_t n = 0;
  for (const auto& row : db_.query("SELECT code FROM data_resources WHERE state = 'published' ORDER BY code")) {
    auto r = assess(row.get<std::string>(0), cause);
    if (!r) throw std::runtime_error("quality of " + row.get<std::string>(0) + ": " + r.error().message);
    ++n;
  }
  return n;
}

// ---- reading ----

std::optional<QualitySort> quality_sort_from(std::string_view s) {
  for (std::size_t i = 0; i < kSortNames.size(); ++i)
    if (kSortNames[i] == s) return static_cast<QualitySort>(i);
  return std::nullopt;
}

std::string_view to_string(QualitySort s) { return kSortNames[static_cast<std::size_t>(s)]; }

bool descending_by_default(QualitySort s) { return s == QualitySort::days_late || s == QualitySort::records; }

std::string to_string(const QualityCursor& c) {
  char value[64];
  std::snprintf(value, sizeof value, "%.17g", c.value);
  return std::string(value) + "~" + c.code;
}

std::optional<QualityCursor> parse_quality_cursor(std::string_view text) {
  const auto tilde = text.rfind('~');
  if (tilde == std::string_view::npos || tilde + 1 >= text.size() || text.size() > 200) return std::nullopt;
  QualityCursor c;
  const auto number = text.substr(0, tilde);
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), c.value);
  if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(c.value)) return std::nullopt;
  c.code = std::string(text.substr(tilde + 1));
  for (char ch : c.code)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-')) return std::nullopt;
  return c;
}

QualityReports::QualityReports(db::Database& db) : db_(db) {}

std::optional<QualityReport> QualityReports::latest(std::int64_t resource_id) const {
  auto items = history(resource_id, 1);
  if (items.empty()) return std::nullopt;
  return std::move(items.front());
}

std::vector<QualityReport> QualityReports::history(std::int64_t resource_id, std::size_t limit) const {
  std::vector<QualityReport> out;
  for (const auto& row : db_.query(std::string("SELECT ") + kReportColumns + kReportJoin +
                                       " WHERE q.resource_id = ? ORDER BY q.id DESC LIMIT ?",
                                   {resource_id, static_cast<std::int64_t>(limit)}))
    out.push_back(report_from(row));
  return out;
}

QualityPage QualityReports::overview(const QualityQuery& query) const {
  const std::string by = sort_expression(query.sort);
  const bool text = query.sort == QualitySort::code;
  std::string sql = std::string("SELECT ") + kReportColumns + kReportJoin +
                    " WHERE r.state = 'published' AND q.id = (SELECT MAX(l.id) FROM data_quality_reports l WHERE "
                    "l.resource_id = q.resource_id)";
  db::Params p;
  if (!query.providers.empty()) {
    sql += " AND o.code IN (";
    for (std::size_t i = 0; i < query.providers.size(); ++i) {
      sql += i ? ",?" : "?";
      p.emplace_back(query.providers[i]);
    }
    sql += ")";
  }
  // Keyset: after the cursor's (value, code) in the chosen direction; ties by code, ascending.
  if (query.after) {
    const char* beyond = query.descending ? " < " : " > ";
    if (text) {
      sql += std::string(" AND r.code") + beyond + "?";
      p.emplace_back(query.after->code);
    } else {
      sql += " AND (" + by + beyond + "? OR (" + by + " = ? AND r.code > ?))";
      p.emplace_back(query.after->value);
      p.emplace_back(query.after->value);
      p.emplace_back(query.after->code);
    }
  }
  sql += " ORDER BY " + by + (query.descending ? " DESC" : " ASC");
  if (!text) sql += ", r.code ASC";
  sql += " LIMIT ?";
  p.emplace_back(static_cast<std::int64_t>(query.limit + 1));
  QualityPage page;
  for (const auto& row : db_.query(sql, p)) page.items.push_back(report_from(row));
  if (page.items.size() > query.limit) {
    page.items.resize(query.limit);
    const auto& last = page.items.back();
    page.next = QualityCursor{sort_value(last, query.sort), last.resource_code};
  }
  return page;
}

std::vector<std::int64_t> QualityReports::stale(TimePoint since) const {
  std::vector<std::int64_t> out;
  // An import finished after the latest report (the CLI's, which schedules no job) makes it
  // stale too.
  for (const auto& row : db_.query("SELECT r.id FROM data_resources r WHERE r.state = 'published' AND (NOT EXISTS "
                                   "(SELECT 1 FROM data_quality_reports q WHERE q.resource_id = r.id AND q.computed_at >= ?) "
                                   "OR EXISTS (SELECT 1 FROM data_import_batches b WHERE b.resource_id = r.id AND "
                                   "b.state = 'done' AND b.finished_at > (SELECT MAX(q.computed_at) FROM "
                                   "data_quality_reports q WHERE q.resource_id = r.id))) ORDER BY r.id",
                                   {to_unix_ms(since)}))
    out.push_back(row.get<std::int64_t>(0));
  return out;
}

// ---- the job ----

std::string quality_job_payload(std::int64_t resource_id, std::string_view cause) {
  return std::to_string(resource_id) + "|" + std::string(cause);
}

Result<std::pair<std::int64_t, std::string>> parse_quality_job_payload(std::string_view payload) {
  const auto bar = payload.find('|');
  std::int64_t id = 0;
  if (bar == std::string_view::npos) return Error::invalid("payload", "must be <resource id>|<cause>");
  auto [end, ec] = std::from_chars(payload.data(), payload.data() + bar, id);
  if (ec != std::errc() || end != payload.data() + bar || id <= 0)
    return Error::invalid("payload", "must start with a resource id");
  return std::pair{id, std::string(payload.substr(bar + 1))};
}

void register_quality_jobs(jobs::Scheduler& scheduler, db::Database& db, const Clock& clock, const TimeZone& zone,
                           const CatalogStore& catalog) {
  scheduler.on(kQualityJob, [&db, &clock, &zone, &catalog](const jobs::Job& job) {
    auto what = parse_quality_job_payload(job.payload);
    if (!what) return;  // not ours to retry: a malformed payload never becomes valid
    auto rows = db.query("SELECT code FROM data_resources WHERE id = ? AND state = 'published'", {what->first});
    if (rows.empty()) return;  // retired or gone since: nothing to assess
    auto report = QualityAssessor(db, clock, zone, catalog).assess(rows[0].get<std::string>(0), what->second);
    if (!report) throw std::runtime_error(report.error().message);  // retried by the scheduler
  });
  // Hourly, so that a newly published resource has its first report within the hour, and
  // every resource a new one each day (timeliness changes with the date alone).
  scheduler.every("data.quality.sweep", std::chrono::hours(1), [&scheduler, &db, &clock] {
    const auto now = clock.now();
    const auto hour = to_unix_ms(now) / 3'600'000;
    for (auto id : QualityReports(db).stale(now - kDay))
      scheduler.schedule(kQualityJob, now, quality_job_payload(id, "schedule"),
                         "quality:" + std::to_string(id) + ":" + std::to_string(hour));
  });
}

}  // namespace zhengwu::data
