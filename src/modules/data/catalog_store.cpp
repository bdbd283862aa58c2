// The catalog's tables; see catalog_store.hpp for what is promised.
#include "modules/data/catalog_store.hpp"

#include <boost/json.hpp>

#include <array>

#include "modules/data/record_store.hpp"

namespace zhengwu::data {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, 4> kStates{"draft", "submitted", "published", "retired"};

ResourceState state_from(std::string_view s) {
  for (std::size_t i = 0; i < kStates.size(); ++i)
    if (kStates[i] == s) return static_cast<ResourceState>(i);
  return ResourceState::draft;
}

// The spec as stored: what apply compares against (never the `publish` request).
ResourceSpec stored_form(ResourceSpec spec) {
  spec.publish = false;
  return spec;
}

ResourceSpec spec_from_json(const std::string& text) {
  auto parsed = parse_resource_spec(json::parse(text));
  if (!parsed) throw std::runtime_error("catalog: a stored spec does not parse: " + parsed.error().message);
  return stored_form(std::move(*parsed));
}

search::SearchDocument index_document(const ResourceSpec& spec, std::string_view provider_name, ResourceState state) {
  std::string field_text;
  for (const auto& f : spec.fields) {
    field_text += f.label;
    field_text += ' ';
    field_text += f.name;
    field_text += ' ';
  }
  search::SearchDocument doc{spec.code,
                             {{spec.name, 3.0}, {field_text, 2.0}, {spec.summary, 1.0}, {std::string(provider_name), 1.0},
                              {spec.code, 1.0}},
                             {{"provider", spec.provider},
                              {"share_type", std::string(to_string(spec.share_type))},
                              {"open_type", std::string(to_string(spec.open_type))},
                              {"category", std::string(to_string(spec.category))},
                              {"state", std::string(to_string(state))}}};
  for (const auto& f : spec.fields) doc.facets.emplace_back("field_type", std::string(to_string(f.type)));
  return doc;
}

// References a spec makes that must exist: the provider, authorities, code tables.
Status check_references(db::Transaction& tx, const ResourceSpec& spec, std::int64_t& provider_id,
                        std::string& provider_name) {
  std::vector<FieldError> errors;
  auto org = tx.query("SELECT id, name FROM orgs WHERE code = ?", {spec.provider});
  if (org.empty()) {
    errors.push_back({"provider", "no organisation has the code " + spec.provider});
  } else {
    provider_id = org[0].get<std::int64_t>(0);
    provider_name = org[0].get<std::string>(1);
  }
  for (std::size_t i = 0; i < spec.fields.size(); ++i) {
    const auto& f = spec.fields[i];
    const std::string at = "fields[" + std::to_string(i) + "]";
    if (f.authority && tx.query("SELECT 1 FROM orgs WHERE code = ?", {*f.authority}).empty())
      errors.push_back({at + ".authority", "no organisation has the code " + *f.authority});
    if (f.code_table && tx.query("SELECT 1 FROM data_code_tables WHERE code = ?", {*f.code_table}).empty())
      errors.push_back({at + ".code_table", "no code table " + *f.code_table});
  }
  if (errors.empty()) return {};
  std::string message = errors.size() == 1 ? errors[0].field + ": " + errors[0].message
                                           : std::to_string(errors.size()) + " references do not exist";
  return Error{ErrorCode::invalid, std::move(message), std::move(errors)};
}

}  // namespace

std::string_view to_string(ResourceState s) { return kStates[static_cast<std::size_t>(s)]; }

std::string_view to_string(ApplyOutcome o) {
  switch (o) {
    case ApplyOutcome::created: return "created";
    case ApplyOutcome::updated: return "updated";
    case ApplyOutcome::unchanged: return "unchanged";
    case ApplyOutcome::new_version: return "new_version";
  }
  return "unchanged";
}

std::vector<db::Migration> catalog_migrations() {
  return {{"data", 1, "catalog: resources, versions, code tables", R"SQL(
CREATE TABLE data_code_tables (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  standard TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE data_code_values (
  table_code TEXT NOT NULL REFERENCES data_code_tables (code),
  value TEXT NOT NULL,
  label TEXT NOT NULL,
  aliases TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (table_code, value)
);
CREATE TABLE data_resources (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  provider_org_id BIGINT NOT NULL REFERENCES orgs (id),
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'published', 'retired')),
  version INTEGER NOT NULL,
  spec TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT
);
CREATE INDEX data_resources_provider ON data_resources (provider_org_id);
CREATE TABLE data_resource_versions (
  resource_id BIGINT NOT NULL REFERENCES data_resources (id),
  version INTEGER NOT NULL,
  change TEXT NOT NULL CHECK (change IN ('created', 'additive', 'breaking')),
  spec TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (resource_id, version)
)
)SQL"},
          {"data", 2, "catalog lifecycle: review notes and events", R"SQL(
ALTER TABLE data_resources ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
CREATE TABLE data_resource_events (
  id {{pk}},
  resource_id BIGINT NOT NULL REFERENCES data_resources (id),
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX data_resource_events_resource ON data_resource_events (resource_id, id)
)SQL"}};
}

CatalogStore::CatalogStore(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Result<Applied> CatalogStore::apply(const ResourceSpec& input, std::string_view actor) {
  const ResourceSpec spec = stored_form(input);
  const std::string spec_json = to_json(spec);
  const std::int64_t now = to_unix_ms(clock_.now());
  auto tx = db_.begin();
  std::int64_t provider_id = 0;
  std::string provider_name;
  if (auto refs = check_references(tx, spec, provider_id, provider_name); !refs) return refs.error();

  Applied out{spec.code, 1, ApplyOutcome::created, input.publish ? ResourceState::published : ResourceState::draft};
  auto rows = tx.query("SELECT id, state, version, spec FROM data_resources WHERE code = ?", {spec.code});
  std::int64_t id = 0;
  if (rows.empty()) {
    id = tx.query("INSERT INTO data_resources (code, provider_org_id, state, version, spec, created_at, updated_at, "
                  "published_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?) RETURNING id",
                  {spec.code, provider_id, to_string(out.state), spec_json, now, now,
                   input.publish ? db::Value(now) : db::Value()})[0]
             .get<std::int64_t>(0);
    tx.execute("INSERT INTO data_resource_versions (resource_id, version, change, spec, actor, created_at) "
               "VALUES (?, 1, 'created', ?, ?, ?)",
               {id, spec_json, actor, now});
    tx.execute("INSERT INTO data_resource_events (resource_id, from_state, to_state, actor, note, at) "
               "VALUES (?, NULL, ?, ?, ?, ?)",
               {id, to_string(out.state), actor, input.publish ? "created and published" : "created", now});
  } else {
    id = rows[0].get<std::int64_t>("id");
    const ResourceState state = state_from(rows[0].get<std::string>("state"));
    const ResourceSpec current = spec_from_json(rows[0].get<std::string>("spec"));
    out.version = rows[0].get<int>("version");
    out.state = state;
    const bool publish_now = input.publish && state != ResourceState::published;
    if (publish_now) out.state = ResourceState::published;
    const SchemaChange change = compare_schemas(current.fields, spec.fields);
    if (change == SchemaChange::none && current == spec && !publish_now) {
      out.outcome = ApplyOutcome::unchanged;
      tx.rollback();
      return out;
    }
    if (change == SchemaChange::breaking && (state == ResourceState::published || state == ResourceState::retired))
      return Error{ErrorCode::conflict,
                   "resource " + spec.code + " is " + std::string(to_string(state)) +
                       " and its records would not fit the new schema: " + breaking_reason(current.fields, spec.fields),
                   {{"fields", breaking_reason(current.fields, spec.fields)}}};
    if (change == SchemaChange::none) {
      out.outcome = ApplyOutcome::updated;
    } else {
      out.outcome = ApplyOutcome::new_version;
      ++out.version;
      tx.execute("INSERT INTO data_resource_versions (resource_id, version, change, spec, actor, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 {id, out.version, change == SchemaChange::additive ? "additive" : "breaking", spec_json, actor, now});
    }
    tx.execute("UPDATE data_resources SET provider_org_id = ?, state = ?, version = ?, spec = ?, updated_at = ?, "
               "published_at = COALESCE(published_at, ?) WHERE id = ?",
               {provider_id, to_string(out.state), out.version, spec_json, now,
                out.state == ResourceState::published ? db::Value(now) : db::Value(), id});
  }
  // A published resource has its record table, with a column for every field of the
  // current version (an additive version adds its columns here).
  if (out.state == ResourceState::published) RecordStore(db_, clock_).ensure_tables(tx, id, spec.fields);
  search::put_document(tx, kCatalogCollection, index_document(spec, provider_name, out.state));
  tx.commit();
  return out;
}

namespace {

constexpr const char* kResourceSelect =
    "SELECT r.id, r.state, r.version, r.spec, r.created_at, r.updated_at, r.published_at, r.review_note, "
    "o.name AS provider_name, r.code FROM data_resources r JOIN orgs o ON o.id = r.provider_org_id ";

CatalogResource resource_of(const db::Row& r) {
  CatalogResource out;
  out.id = r.get<std::int64_t>("id");
  out.spec = spec_from_json(r.get<std::string>("spec"));
  out.provider_name = r.get<std::string>("provider_name");
  out.state = state_from(r.get<std::string>("state"));
  out.version = r.get<int>("version");
  out.created_at = from_unix_ms(r.get<std::int64_t>("created_at"));
  out.updated_at = from_unix_ms(r.get<std::int64_t>("updated_at"));
  if (auto p = r.opt<std::int64_t>("published_at")) out.published_at = from_unix_ms(*p);
  out.review_note = r.get<std::string>("review_note");
  return out;
}

}  // namespace

Result<CatalogResource> CatalogStore::get(std::string_view code) const {
  auto rows = db_.query(std::string(kResourceSelect) + "WHERE r.code = ?", {code});
  if (rows.empty()) return Error::not_found("no resource " + std::string(code) + " in the catalog");
  return resource_of(rows[0]);
}

std::vector<LifecycleEvent> CatalogStore::events(std::string_view code) const {
  std::vector<LifecycleEvent> out;
  for (const auto& r : db_.query("SELECT e.from_state, e.to_state, e.actor, e.note, e.at FROM data_resource_events e "
                                 "JOIN data_resources r ON r.id = e.resource_id WHERE r.code = ? ORDER BY e.id",
                                 {code})) {
    LifecycleEvent e;
    if (auto from = r.opt<std::string>(0)) e.from = state_from(*from);
    e.to = state_from(r.get<std::string>(1));
    e.actor = r.get<std::string>(2);
    e.note = r.get<std::string>(3);
    e.at = from_unix_ms(r.get<std::int64_t>(4));
    out.push_back(std::move(e));
  }
  return out;
}

Result<CatalogResource> CatalogStore::transition(std::string_view code, ResourceState from, ResourceState to,
                                                 std::string_view actor, std::string_view note) {
  const bool allowed = (from == ResourceState::draft && to == ResourceState::submitted) ||
                       (from == ResourceState::submitted && to == ResourceState::published) ||
                       (from == ResourceState::submitted && to == ResourceState::draft) ||
                       (from == ResourceState::published && to == ResourceState::retired);
  if (!allowed)
    return Error::conflict("a resource does not go from " + std::string(to_string(from)) + " to " +
                           std::string(to_string(to)));
  const bool needs_note = to == ResourceState::retired || (from == ResourceState::submitted && to == ResourceState::draft);
  if (needs_note && note.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Error::invalid("note", "give the reason: the provider reads it");
  auto tx = db_.begin();
  const std::int64_t now = to_unix_ms(clock_.now());
  auto rows = tx.query("SELECT r.id, r.state, r.spec, o.name FROM data_resources r JOIN orgs o ON o.id = r.provider_org_id "
                       "WHERE r.code = ?",
                       {code});
  if (rows.empty()) return Error::not_found("no resource " + std::string(code) + " in the catalog");
  const std::int64_t id = rows[0].get<std::int64_t>(0);
  const ResourceState current = state_from(rows[0].get<std::string>(1));
  if (current != from)
    return Error::conflict("resource " + std::string(code) + " is " + std::string(to_string(current)) + ", not " +
                           std::string(to_string(from)));
  // The state is compared again in the update, so two reviewers cannot both decide.
  if (tx.execute("UPDATE data_resources SET state = ?, review_note = ?, updated_at = ?, "
                 "published_at = CASE WHEN ? = 'published' THEN COALESCE(published_at, ?) ELSE published_at END "
                 "WHERE id = ? AND state = ?",
                 {to_string(to), note, now, to_string(to), now, id, to_string(from)}) != 1)
    return Error::conflict("resource " + std::string(code) + " changed meanwhile; reload it");
  tx.execute("INSERT INTO data_resource_events (resource_id, from_state, to_state, actor, note, at) VALUES (?, ?, ?, ?, ?, ?)",
             {id, to_string(from), to_string(to), actor, note, now});
  const ResourceSpec spec = spec_from_json(rows[0].get<std::string>(2));
  if (to == ResourceState::published) RecordStore(db_, clock_).ensure_tables(tx, id, spec.fields);
  search::put_document(tx, kCatalogCollection, index_document(spec, rows[0].get<std::string>(3), to));
  tx.commit();
  return get(code);
}

std::vector<ResourceVersion> CatalogStore::versions(std::string_view code) const {
  std::vector<ResourceVersion> out;
  for (const auto& r : db_.query("SELECT v.version, v.change, v.actor, v.created_at, v.spec FROM data_resource_versions v "
                                 "JOIN data_resources r ON r.id = v.resource_id WHERE r.code = ? ORDER BY v.version",
                                 {code}))
    out.push_back({r.get<int>(0), r.get<std::string>(1), r.get<std::string>(2), from_unix_ms(r.get<std::int64_t>(3)),
                   spec_from_json(r.get<std::string>(4))});
  return out;
}

CatalogPage CatalogStore::search(const CatalogQuery& q) const {
  search::SearchQuery sq;
  sq.text = q.text;
  sq.offset = q.offset;
  sq.limit = q.limit;
  auto facet = [&](const char* name, const std::vector<std::string>& values) {
    if (!values.empty()) sq.facets[name] = values;
  };
  facet("provider", q.providers);
  facet("share_type", q.share_types);
  facet("open_type", q.open_types);
  facet("category", q.categories);
  facet("state", q.states);
  sq.count_facets = {"provider", "share_type", "open_type", "category", "state"};
  auto found = search::search(db_, kCatalogCollection, sq);
  CatalogPage page;
  page.total = found.total;
  page.facets = std::move(found.facet_counts);
  if (found.hits.empty()) return page;
  // The page's resources in one query, then in the order of the hits.
  std::string sql = std::string(kResourceSelect) + "WHERE r.code IN (";
  db::Params codes;
  for (const auto& hit : found.hits) {
    sql += codes.empty() ? "?" : ", ?";
    codes.emplace_back(hit.key);
  }
  std::map<std::string, CatalogResource, std::less<>> by_code;
  for (const auto& row : db_.query(sql + ")", codes)) by_code.emplace(row.get<std::string>("code"), resource_of(row));
  for (const auto& hit : found.hits) {
    auto it = by_code.find(hit.key);
    if (it == by_code.end()) continue;  // removed between the index read and this one
    page.items.push_back(std::move(it->second));
    page.scores.push_back(hit.score);
  }
  return page;
}

Status CatalogStore::put_code_table(std::string_view code, std::string_view name, std::string_view standard,
                                    const std::vector<CodeValue>& values) {
  if (code.empty() || code.size() > 64) return Error::invalid("code", "must have 1 to 64 characters");
  if (values.empty()) return Error::invalid("values", "a code table has at least one value");
  auto tx = db_.begin();
  const std::int64_t now = to_unix_ms(clock_.now());
  tx.execute("INSERT INTO data_code_tables (code, name, standard, updated_at) VALUES (?, ?, ?, ?) "
             "ON CONFLICT (code) DO UPDATE SET name = excluded.name, standard = excluded.standard, "
             "updated_at = excluded.updated_at",
             {code, name, standard, now});
  tx.execute("DELETE FROM data_code_values WHERE table_code = ?", {code});
  int position = 0;
  for (const auto& v : values) {
    json::array aliases;
    for (const auto& a : v.aliases) aliases.emplace_back(a);
    tx.execute("INSERT INTO data_code_values (table_code, value, label, aliases, position) VALUES (?, ?, ?, ?, ?)",
               {code, v.value, v.label, json::serialize(aliases), position++});
  }
  tx.commit();
  return {};
}

std::vector<CodeValue> CatalogStore::code_values(std::string_view code) const {
  std::vector<CodeValue> out;
  for (const auto& r : db_.query("SELECT value, label, aliases FROM data_code_values WHERE table_code = ? ORDER BY position",
                                 {code})) {
    CodeValue v{r.get<std::string>(0), r.get<std::string>(1), {}};
    const json::value aliases = json::parse(r.get<std::string>(2));  // kept alive for the loop
    for (const auto& a : aliases.as_array()) v.aliases.emplace_back(a.as_string());
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace zhengwu::data
