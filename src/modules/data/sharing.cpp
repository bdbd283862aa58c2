// Sharing grants and applications; see sharing.hpp.
#include "modules/data/sharing.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "kernel/calendar/calendar_store.hpp"
#include "kernel/http/json_body.hpp"

namespace zhengwu::data {
namespace json = boost::json;

namespace {

constexpr const char* kGrantColumns =
    "g.id, g.resource_id, r.code, r.spec, o.code, g.consumer_org, g.fields, g.clear_fields, g.purpose, g.valid_until, "
    "g.origin, g.application_id, g.created_by, g.created_at, g.revoked_at, g.revoked_by, g.revoke_reason";
constexpr const char* kGrantFrom =
    " FROM data_grants g JOIN data_resources r ON r.id = g.resource_id JOIN orgs o ON o.id = r.provider_org_id";

constexpr const char* kApplicationColumns =
    "a.id, a.resource_id, r.code, r.spec, o.code, a.consumer_org, a.fields, a.clear_fields, a.purpose, a.legal_basis, "
    "a.duration_days, a.state, a.applied_by, a.applied_at, a.due_on, a.escalated_at, a.decided_by, a.decided_at, "
    "a.decision_note, a.grant_id";
constexpr const char* kApplicationFrom =
    " FROM data_share_applications a JOIN data_resources r ON r.id = a.resource_id JOIN orgs o ON o.id = r.provider_org_id";

std::string names_json(const std::vector<std::string>& names) {
  json::array a;
  for (const auto& n : names) a.emplace_back(n);
  return json::serialize(a);
}

std::vector<std::string> names_of(const std::string& text) {
  std::vector<std::string> out;
  const json::value doc = json::parse(text);  // kept alive for the loop
  for (const auto& v : doc.as_array()) out.emplace_back(v.as_string());
  return out;
}

// The resource's name, from its stored description.
std::string name_in_spec(const std::string& spec) {
  boost::system::error_code ec;
  auto doc = json::parse(spec, ec);
  if (ec || !doc.is_object()) return "";
  const auto* name = doc.as_object().if_contains("name");
  return name && name->is_string() ? std::string(name->as_string()) : "";
}

std::optional<TimePoint> optional_time(const db::Value& v) {
  if (v.is_null()) return std::nullopt;
  return from_unix_ms(v.as_int());
}

Grant grant_from(const db::Row& r) {
  Grant g;
  g.id = r.at(0).as_int();
  g.resource_id = r.at(1).as_int();
  g.resource_code = r.at(2).as_text();
  g.resource_name = name_in_spec(r.at(3).as_text());
  g.provider = r.at(4).as_text();
  g.consumer_org = r.at(5).as_text();
  g.fields = names_of(r.at(6).as_text());
  g.clear_fields = names_of(r.at(7).as_text());
  g.purpose = r.at(8).as_text();
  g.valid_until = optional_time(r.at(9));
  g.origin = r.at(10).as_text();
  if (!r.at(11).is_null()) g.application_id = r.at(11).as_int();
  g.created_by = r.at(12).as_text();
  g.created_at = from_unix_ms(r.at(13).as_int());
  g.revoked_at = optional_time(r.at(14));
  g.revoked_by = r.at(15).is_null() ? "" : r.at(15).as_text();
  g.revoke_reason = r.at(16).is_null() ? "" : r.at(16).as_text();
  return g;
}

std::optional<ApplicationState> parse_state(std::string_view s) {
  for (auto st : {ApplicationState::pending, ApplicationState::approved, ApplicationState::refused,
                  ApplicationState::withdrawn})
    if (to_string(st) == s) return st;
  return std::nullopt;
}

ShareApplication application_from(const db::Row& r) {
  ShareApplication a;
  a.id = r.at(0).as_int();
  a.resource_id = r.at(1).as_int();
  a.resource_code = r.at(2).as_text();
  a.resource_name = name_in_spec(r.at(3).as_text());
  a.provider = r.at(4).as_text();
  a.consumer_org = r.at(5).as_text();
  a.fields = names_of(r.at(6).as_text());
  a.clear_fields = names_of(r.at(7).as_text());
  a.purpose = r.at(8).as_text();
  a.legal_basis = r.at(9).as_text();
  a.duration_days = static_cast<int>(r.at(10).as_int());
  a.state = parse_state(r.at(11).as_text()).value_or(ApplicationState::pending);
  a.applied_by = r.at(12).as_text();
  a.applied_at = from_unix_ms(r.at(13).as_int());
  a.due_on = parse_date(r.at(14).as_text()).value();
  a.escalated_at = optional_time(r.at(15));
  a.decided_by = r.at(16).is_null() ? "" : r.at(16).as_text();
  a.decided_at = optional_time(r.at(17));
  a.decision_note = r.at(18).as_text();
  if (!r.at(19).is_null()) a.grant_id = r.at(19).as_int();
  return a;
}

bool is_personal(Sensitivity s) { return s == Sensitivity::personal || s == Sensitivity::sensitive; }

const FieldSpec* field_named(const std::vector<FieldSpec>& fields, std::string_view name) {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

Status check_purpose(const std::string& purpose) {
  auto chars = http::utf8_chars(purpose);
  if (!chars || *chars < 2 || *chars > kMaxPurposeChars)
    return Error::invalid("purpose", "must be 2 to " + std::to_string(kMaxPurposeChars) + " characters of text");
  for (unsigned char c : purpose)
    if (c < 0x20) return Error::invalid("purpose", "must be one line of text");
  return {};
}

Status check_duration(int days) {
  if (days < 1 || days > kMaxGrantDays)
    return Error::invalid("duration_days", "must be 1 to " + std::to_string(kMaxGrantDays) + " days");
  return {};
}

bool subset(const std::vector<std::string>& part, const std::vector<std::string>& whole) {
  return std::all_of(part.begin(), part.end(),
                     [&](const std::string& n) { return std::find(whole.begin(), whole.end(), n) != whole.end(); });
}

// The filters the grant and application lists share, on the table aliased `t` (joined
// with the resource r and its provider o): the consumer's side, the provider's side, or
// either when both are given (a department's own view), and the resource.
void narrow_list(std::string& sql, db::Params& p, const std::string& t, const std::optional<std::string>& consumer,
                 const std::optional<std::string>& provider, const std::optional<std::string>& resource) {
  if (consumer && provider) {
    sql += " AND (" + t + ".consumer_org = ? OR o.code = ?)";
    p.emplace_back(*consumer);
    p.emplace_back(*provider);
  } else if (consumer) {
    sql += " AND " + t + ".consumer_org = ?";
    p.emplace_back(*consumer);
  } else if (provider) {
    sql += " AND o.code = ?";
    p.emplace_back(*provider);
  }
  if (resource) {
    sql += " AND r.code = ?";
    p.emplace_back(*resource);
  }
}

// Newest first below `before_id`, one row more than `limit` to know whether a next page
// exists.
template <typename T, typename FromRow>
SharingPage<T> page_of(db::Database& db, std::string sql, db::Params p, const std::string& t,
                       const std::optional<std::int64_t>& before_id, std::size_t limit, FromRow from_row) {
  if (before_id) {
    sql += " AND " + t + ".id < ?";
    p.emplace_back(*before_id);
  }
  sql += " ORDER BY " + t + ".id DESC LIMIT ?";
  p.emplace_back(static_cast<std::int64_t>(limit + 1));
  SharingPage<T> page;
  for (const auto& row : db.query(sql, p)) page.items.push_back(from_row(row));
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next_cursor = page.items.back().id;
  }
  return page;
}

}  // namespace

std::vector<db::Migration> sharing_migrations() {
  return {{"data", 5, "sharing grants and applications", R"SQL(
CREATE TABLE data_share_applications (
  id {{pk}},
  resource_id BIGINT NOT NULL REFERENCES data_resources (id),
  consumer_org TEXT NOT NULL,
  fields TEXT NOT NULL,
  clear_fields TEXT NOT NULL,
  purpose TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  duration_days INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused', 'withdrawn')),
  applied_by TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  due_on TEXT NOT NULL,
  escalated_at BIGINT,
  decided_by TEXT,
  decided_at BIGINT,
  decision_note TEXT NOT NULL DEFAULT '',
  grant_id BIGINT
);
CREATE INDEX data_share_applications_consumer ON data_share_applications (consumer_org, id);
CREATE INDEX data_share_applications_resource ON data_share_applications (resource_id, id);
CREATE INDEX data_share_applications_pending ON data_share_applications (state, due_on);
CREATE TABLE data_grants (
  id {{pk}},
  resource_id BIGINT NOT NULL REFERENCES data_resources (id),
  consumer_org TEXT NOT NULL,
  fields TEXT NOT NULL,
  clear_fields TEXT NOT NULL,
  purpose TEXT NOT NULL,
  valid_until BIGINT,
  origin TEXT NOT NULL CHECK (origin IN ('request', 'application', 'operator')),
  application_id BIGINT REFERENCES data_share_applications (id),
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revoked_by TEXT,
  revoke_reason TEXT
);
CREATE INDEX data_grants_use ON data_grants (resource_id, consumer_org, purpose);
CREATE INDEX data_grants_consumer ON data_grants (consumer_org, id);
)SQL"}};
}

std::string_view to_string(ApplicationState s) {
  switch (s) {
    case ApplicationState::pending: return "pending";
    case ApplicationState::approved: return "approved";
    case ApplicationState::refused: return "refused";
    case ApplicationState::withdrawn: return "withdrawn";
  }
  return "pending";
}

std::string_view to_string(DeadlineStatus s) {
  switch (s) {
    case DeadlineStatus::on_time: return "on_time";
    case DeadlineStatus::due_soon: return "due_soon";
    case DeadlineStatus::due_today: return "due_today";
    case DeadlineStatus::overdue: return "overdue";
  }
  return "on_time";
}

int working_days_left(const calendar::WorkingCalendar& calendar, calendar::Date today, calendar::Date due_on) {
  auto n = calendar.working_days_between(today, due_on);
  if (n) return n->value;
  // Outside the calendar's range: count calendar days, which is never wrong in sign.
  return static_cast<int>((std::chrono::sys_days(due_on) - std::chrono::sys_days(today)).count());
}

DeadlineStatus deadline_status(const calendar::WorkingCalendar& calendar, calendar::Date today, calendar::Date due_on) {
  if (today > due_on) return DeadlineStatus::overdue;
  if (today == due_on) return DeadlineStatus::due_today;
  return working_days_left(calendar, today, due_on) <= 2 ? DeadlineStatus::due_soon : DeadlineStatus::on_time;
}

Status check_grant_fields(const std::vector<FieldSpec>& resource_fields, const std::vector<std::string>& fields,
                          const std::vector<std::string>& clear_fields) {
  std::vector<FieldError> errors;
  if (fields.empty()) errors.push_back({"fields", "name at least one field"});
  std::set<std::string> seen;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string where = "fields[" + std::to_string(i) + "]";
    if (!field_named(resource_fields, fields[i]))
      errors.push_back({where, "the resource has no field " + fields[i]});
    else if (!seen.insert(fields[i]).second)
      errors.push_back({where, fields[i] + " is named twice"});
  }
  std::set<std::string> clear_seen;
  for (std::size_t i = 0; i < clear_fields.size(); ++i) {
    const std::string where = "clear_fields[" + std::to_string(i) + "]";
    if (!seen.contains(clear_fields[i]))
      errors.push_back({where, clear_fields[i] + " is not among the fields asked for"});
    else if (!clear_seen.insert(clear_fields[i]).second)
      errors.push_back({where, clear_fields[i] + " is named twice"});
  }
  if (errors.empty()) return {};
  return Error{ErrorCode::invalid, errors.front().field + ": " + errors.front().message, std::move(errors)};
}

bool needs_application(const ResourceSpec& resource, const std::vector<std::string>& clear_fields) {
  if (resource.share_type != ShareType::unconditional) return true;
  for (const auto& name : clear_fields)
    if (const FieldSpec* f = field_named(resource.fields, name); f && is_personal(f->sensitivity)) return true;
  return false;
}

SharingStore::SharingStore(db::Database& db, const Clock& clock, const TimeZone& zone, const CatalogStore& catalog,
                           calendar::CalendarStore& calendar)
    : db_(db), clock_(clock), zone_(zone), catalog_(catalog), calendar_(calendar) {}

calendar::Date SharingStore::today() const { return zone_.local_date(clock_.now()); }

std::shared_ptr<const calendar::WorkingCalendar> SharingStore::working_calendar() const { return calendar_.calendar(); }

TimePoint SharingStore::end_of_days_from_now(int days) const {
  // Valid through the whole last day: until the start of the day after it, local time.
  const auto last = std::chrono::sys_days(today()) + std::chrono::days(days);
  return zone_.from_local(std::chrono::local_seconds((last + std::chrono::days(1)).time_since_epoch()));
}

Result<Grant> SharingStore::insert_grant(db::Transaction& tx, const CatalogResource& resource,
                                         const std::string& consumer_org, const std::vector<std::string>& fields,
                                         const std::vector<std::string>& clear_fields, const std::string& purpose,
                                         std::optional<TimePoint> valid_until, const std::string& origin,
                                         std::optional<std::int64_t> application_id, const std::string& actor) {
  const auto now = to_unix_ms(clock_.now());
  auto rows = tx.query(
      "INSERT INTO data_grants (resource_id, consumer_org, fields, clear_fields, purpose, valid_until, origin, "
      "application_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {resource.id, consumer_org, names_json(fields), names_json(clear_fields), purpose,
       valid_until ? db::Value(to_unix_ms(*valid_until)) : db::Value(), origin,
       application_id ? db::Value(*application_id) : db::Value(), actor, now});
  Grant g;
  g.id = rows[0].get<std::int64_t>(0);
  g.resource_id = resource.id;
  g.resource_code = resource.spec.code;
  g.resource_name = resource.spec.name;
  g.provider = resource.spec.provider;
  g.consumer_org = consumer_org;
  g.fields = fields;
  g.clear_fields = clear_fields;
  g.purpose = purpose;
  g.valid_until = valid_until;
  g.origin = origin;
  g.application_id = application_id;
  g.created_by = actor;
  g.created_at = from_unix_ms(now);
  return g;
}

Result<ShareOutcome> SharingStore::request(const ShareRequest& req) {
  auto resource = catalog_.get(req.resource_code);
  if (!resource) return resource.error();
  if (resource->state != ResourceState::published)
    return Error::invalid("resource", req.resource_code + " is not published");
  if (resource->spec.share_type == ShareType::none)
    return Error::invalid("resource", req.resource_code + " is not shared (不予共享): it cannot be requested");
  if (resource->spec.provider == req.consumer_org)
    return Error::invalid("resource", "a department uses its own resource without a grant");
  if (auto ok = check_grant_fields(resource->spec.fields, req.fields, req.clear_fields); !ok) return ok.error();
  if (auto ok = check_purpose(req.purpose); !ok) return ok.error();
  if (auto ok = check_duration(req.duration_days); !ok) return ok.error();
  const bool as_application = needs_application(resource->spec, req.clear_fields);
  if (as_application) {
    auto chars = http::utf8_chars(req.legal_basis);
    if (!chars || *chars < 2 || *chars > 500)
      return Error::invalid("legal_basis", "name the legal basis (2 to 500 characters): the provider decides on it");
  }

  auto tx = db_.begin();
  if (!as_application) {
    for (const auto& row : tx.query("SELECT " + std::string(kGrantColumns) + kGrantFrom +
                                        " WHERE g.resource_id = ? AND g.consumer_org = ? AND g.purpose = ?",
                                    {resource->id, req.consumer_org, req.purpose}))
      if (auto g = grant_from(row); g.active_at(clock_.now()))
        return Error::conflict("grant " + std::to_string(g.id) + " for this purpose is already in force");
    auto g = insert_grant(tx, *resource, req.consumer_org, req.fields, req.clear_fields, req.purpose,
                          end_of_days_from_now(req.duration_days), "request", std::nullopt, req.actor);
    if (!g) return g.error();
    tx.commit();
    return ShareOutcome{std::move(*g), std::nullopt};
  }
  if (!tx.query("SELECT id FROM data_share_applications WHERE resource_id = ? AND consumer_org = ? AND purpose = ? "
                "AND state = 'pending'",
                {resource->id, req.consumer_org, req.purpose})
           .empty())
    return Error::conflict("an application for this resource and purpose is already pending");
  const auto today_date = today();
  auto due = calendar_.calendar()->add_working_days(today_date, kAnswerWorkingDays);
  if (!due) return due.error();
  auto rows = tx.query(
      "INSERT INTO data_share_applications (resource_id, consumer_org, fields, clear_fields, purpose, legal_basis, "
      "duration_days, state, applied_by, applied_at, due_on) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) "
      "RETURNING id",
      {resource->id, req.consumer_org, names_json(req.fields), names_json(req.clear_fields), req.purpose,
       req.legal_basis, req.duration_days, req.actor, to_unix_ms(clock_.now()), format_date(due->value)});
  const auto id = rows[0].get<std::int64_t>(0);
  tx.commit();
  auto stored = application(id);
  if (!stored) return stored.error();
  return ShareOutcome{std::nullopt, std::move(*stored)};
}

Result<Grant> SharingStore::grant_directly(const std::string& resource_code, const std::string& consumer_org,
                                           const std::vector<std::string>& fields,
                                           const std::vector<std::string>& clear_fields, const std::string& purpose,
                                           std::optional<TimePoint> valid_until, const std::string& actor) {
  auto resource = catalog_.get(resource_code);
  if (!resource) return resource.error();
  if (resource->state != ResourceState::published)
    return Error::invalid("resource", resource_code + " is not published");
  if (resource->spec.share_type == ShareType::none)
    return Error::invalid("resource", resource_code + " is not shared (不予共享)");
  if (auto ok = check_grant_fields(resource->spec.fields, fields, clear_fields); !ok) return ok.error();
  if (auto ok = check_purpose(purpose); !ok) return ok.error();
  if (valid_until && *valid_until <= clock_.now()) return Error::invalid("until", "must be in the future");
  auto tx = db_.begin();
  auto g = insert_grant(tx, *resource, consumer_org, fields, clear_fields, purpose, valid_until, "operator",
                        std::nullopt, actor);
  if (!g) return g.error();
  tx.commit();
  return g;
}

Result<ShareApplication> SharingStore::decide(std::int64_t id, const ShareDecision& d) {
  auto current = application(id);
  if (!current) return current.error();
  if (current->state != ApplicationState::pending)
    return Error::conflict("application " + std::to_string(id) + " is " + std::string(to_string(current->state)));
  if (d.as_centre && !current->escalated_at)
    return Error{ErrorCode::forbidden, "the big-data centre decides only applications escalated past their due day", {}};
  const auto note_chars = http::utf8_chars(d.note).value_or(0);
  if (note_chars > 1000) return Error::invalid("note", "must have at most 1000 characters");
  auto tx = db_.begin();
  const auto now = to_unix_ms(clock_.now());
  if (!d.approve) {
    if (note_chars < 2) return Error::invalid("note", "a refusal gives its reason");
    auto changed = tx.execute(
        "UPDATE data_share_applications SET state = 'refused', decided_by = ?, decided_at = ?, decision_note = ? "
        "WHERE id = ? AND state = 'pending'",
        {d.actor, now, d.note, id});
    if (changed != 1) return Error::conflict("application " + std::to_string(id) + " was decided meanwhile");
    tx.commit();
    return application(id);
  }
  const auto fields = d.fields.value_or(current->fields);
  auto clear = d.clear_fields.value_or(current->clear_fields);
  if (d.fields && !d.clear_fields)  // fewer fields: the clear ones that remain
    std::erase_if(clear, [&](const std::string& n) { return std::find(fields.begin(), fields.end(), n) == fields.end(); });
  if (!subset(fields, current->fields)) return Error::invalid("fields", "may only keep fields the application asked for");
  if (!subset(clear, current->clear_fields))
    return Error::invalid("clear_fields", "may only give in clear fields the application asked in clear");
  const int days = d.duration_days.value_or(current->duration_days);
  if (auto ok = check_duration(days); !ok) return ok.error();
  if (days > current->duration_days) return Error::invalid("duration_days", "may not exceed what was asked");
  auto resource = catalog_.get(current->resource_code);
  if (!resource) return resource.error();
  if (auto ok = check_grant_fields(resource->spec.fields, fields, clear); !ok) return ok.error();
  auto g = insert_grant(tx, *resource, current->consumer_org, fields, clear, current->purpose,
                        end_of_days_from_now(days), "application", id, d.actor);
  if (!g) return g.error();
  auto changed = tx.execute(
      "UPDATE data_share_applications SET state = 'approved', decided_by = ?, decided_at = ?, decision_note = ?, "
      "grant_id = ? WHERE id = ? AND state = 'pending'",
      {d.actor, now, d.note, g->id, id});
  if (changed != 1) return Error::conflict("application " + std::to_string(id) + " was decided meanwhile");
  tx.commit();
  return application(id);
}

Result<ShareApplication> SharingStore::withdraw(std::int64_t id, const std::string& actor) {
  auto tx = db_.begin();
  auto changed = tx.execute(
      "UPDATE data_share_applications SET state = 'withdrawn', decided_by = ?, decided_at = ? WHERE id = ? AND "
      "state = 'pending'",
      {actor, to_unix_ms(clock_.now()), id});
  if (changed != 1) {
    auto current = application(id);
    if (!current) return current.error();
    return Error::conflict("application " + std::to_string(id) + " is " + std::string(to_string(current->state)));
  }
  tx.commit();
  return application(id);
}

Result<Grant> SharingStore::revoke(std::int64_t id, const std::string& reason, const std::string& actor) {
  const auto chars = http::utf8_chars(reason).value_or(0);
  if (chars < 2 || chars > 500) return Error::invalid("reason", "a revocation gives its reason (2 to 500 characters)");
  auto tx = db_.begin();
  auto changed = tx.execute(
      "UPDATE data_grants SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL",
      {to_unix_ms(clock_.now()), actor, reason, id});
  if (changed != 1) {
    auto current = grant(id);
    if (!current) return current.error();
    return Error::conflict("grant " + std::to_string(id) + " is revoked already");
  }
  tx.commit();
  return grant(id);
}

Result<Grant> SharingStore::grant(std::int64_t id) const {
  auto rows = db_.query("SELECT " + std::string(kGrantColumns) + kGrantFrom + " WHERE g.id = ?", {id});
  if (rows.empty()) return Error::not_found("no grant " + std::to_string(id));
  return grant_from(rows[0]);
}

Result<ShareApplication> SharingStore::application(std::int64_t id) const {
  auto rows = db_.query("SELECT " + std::string(kApplicationColumns) + kApplicationFrom + " WHERE a.id = ?", {id});
  if (rows.empty()) return Error::not_found("no sharing application " + std::to_string(id));
  return application_from(rows[0]);
}

SharingPage<Grant> SharingStore::grants(const GrantQuery& q) const {
  std::string sql = "SELECT " + std::string(kGrantColumns) + kGrantFrom + " WHERE 1 = 1";
  db::Params p;
  narrow_list(sql, p, "g", q.consumer_org, q.provider_org, q.resource_code);
  if (q.active) {
    sql += *q.active ? " AND g.revoked_at IS NULL AND (g.valid_until IS NULL OR g.valid_until > ?)"
                     : " AND (g.revoked_at IS NOT NULL OR (g.valid_until IS NOT NULL AND g.valid_until <= ?))";
    p.emplace_back(to_unix_ms(clock_.now()));
  }
  return page_of<Grant>(db_, sql, p, "g", q.before_id, q.limit, grant_from);
}

SharingPage<ShareApplication> SharingStore::applications(const ApplicationQuery& q) const {
  std::string sql = "SELECT " + std::string(kApplicationColumns) + kApplicationFrom + " WHERE 1 = 1";
  db::Params p;
  narrow_list(sql, p, "a", q.consumer_org, q.provider_org, q.resource_code);
  if (q.state) {
    sql += " AND a.state = ?";
    p.emplace_back(std::string(to_string(*q.state)));
  }
  if (q.escalated) sql += *q.escalated ? " AND a.escalated_at IS NOT NULL" : " AND a.escalated_at IS NULL";
  return page_of<ShareApplication>(db_, sql, p, "a", q.before_id, q.limit, application_from);
}

std::optional<Grant> SharingStore::grant_in_force(std::int64_t resource_id, std::string_view consumer_org,
                                                  std::string_view purpose) const {
  // On every exchange call: one indexed lookup, no joins; the resource's code and name
  // are the caller's to know.
  auto rows = db_.query(
      "SELECT id, fields, clear_fields, valid_until, origin, application_id, created_by, created_at FROM data_grants "
      "WHERE resource_id = ? AND consumer_org = ? AND purpose = ? AND revoked_at IS NULL "
      "AND (valid_until IS NULL OR valid_until > ?) ORDER BY id DESC LIMIT 1",
      {resource_id, consumer_org, purpose, to_unix_ms(clock_.now())});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  Grant g;
  g.id = r.at(0).as_int();
  g.resource_id = resource_id;
  g.consumer_org = std::string(consumer_org);
  g.fields = names_of(r.at(1).as_text());
  g.clear_fields = names_of(r.at(2).as_text());
  g.purpose = std::string(purpose);
  g.valid_until = optional_time(r.at(3));
  g.origin = r.at(4).as_text();
  if (!r.at(5).is_null()) g.application_id = r.at(5).as_int();
  g.created_by = r.at(6).as_text();
  g.created_at = from_unix_ms(r.at(7).as_int());
  return g;
}

bool SharingStore::holds_any_grant(std::int64_t resource_id, std::string_view consumer_org) const {
  return !db_.query("SELECT 1 FROM data_grants WHERE resource_id = ? AND consumer_org = ? AND revoked_at IS NULL "
                    "AND (valid_until IS NULL OR valid_until > ?) LIMIT 1",
                    {resource_id, consumer_org, to_unix_ms(clock_.now())})
              .empty();
}

std::vector<ShareApplication> SharingStore::escalate_overdue() {
  // Due days are ISO dates, so text order is date order.
  const std::string today_text = format_date(today());
  auto tx = db_.begin();
  std::vector<std::int64_t> ids;
  for (const auto& row : tx.query("SELECT id FROM data_share_applications WHERE state = 'pending' AND "
                                  "escalated_at IS NULL AND due_on < ? ORDER BY id",
                                  {today_text}))
    ids.push_back(row.get<std::int64_t>(0));
  const auto now = to_unix_ms(clock_.now());
  for (auto id : ids)
    tx.execute("UPDATE data_share_applications SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL", {now, id});
  tx.commit();
  std::vector<ShareApplication> out;
  for (auto id : ids)
    if (auto a = application(id)) out.push_back(std::move(*a));
  return out;
}

}  // namespace zhengwu::data
