// Enterprise profiles and authorised agents on the database; see enterprise.hpp.
#include "kernel/auth/enterprise.hpp"

#include <algorithm>
#include <limits>

#include "kernel/identifiers/division.hpp"
#include "kernel/identifiers/id_number.hpp"

namespace zhengwu::auth {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_space);
}

// Text as stored: without surrounding spaces.
std::string trimmed(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Characters of UTF-8 text (the HTTP layer has refused malformed UTF-8 already).
std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Text of 1 to `max` characters that is not only spaces; the error names `field`.
Status check_text(std::string_view field, std::string_view text, std::size_t max) {
  if (blank(text)) return Error::invalid(std::string(field), "is required");
  if (utf8_length(text) > max)
    return Error::invalid(std::string(field), "must have at most " + std::to_string(max) + " characters");
  return {};
}

// The masking convention for ID numbers (DOMAIN.md): the first 6 and last 4 kept.
std::string mask_id_number(const std::string& value) {
  if (value.size() != 18) return std::string(value.size(), '*');
  return value.substr(0, 6) + "********" + value.substr(14);
}

Error field_error(ErrorCode code, std::string field, std::string message) {
  Error e{code, field + ": " + message, {}};
  e.fields.push_back({std::move(field), std::move(message)});
  return e;
}

constexpr const char* kAgentColumns =
    "a.id, a.enterprise_id, e.username AS enterprise_username, COALESCE(p.name, e.display_name) AS enterprise_name, "
    "COALESCE(e.uscc, '') AS enterprise_uscc, a.agent_id, g.username AS agent_username, "
    "g.display_name AS agent_display_name, a.scope, a.valid_from, a.valid_until, a.granted_by, a.granted_at, "
    "a.revoked_at, a.revoked_by, a.revoked_reason";
constexpr const char* kAgentFrom =
    " FROM enterprise_agents a JOIN users e ON e.id = a.enterprise_id JOIN users g ON g.id = a.agent_id "
    "LEFT JOIN enterprise_profiles p ON p.user_id = a.enterprise_id";

}  // namespace

std::string_view to_string(AgentState state) {
  switch (state) {
    case AgentState::pending:
      return "pending";
    case AgentState::live:
      return "live";
    case AgentState::expired:
      return "expired";
    case AgentState::revoked:
      return "revoked";
  }
  return "live";
}

std::int64_t EnterpriseRegistry::now_ms() const {
  return to_unix_ms(clock_.now());
}

Result<EnterpriseProfile> EnterpriseRegistry::profile(std::int64_t enterprise_id, std::int64_t viewer_id) const {
  auto rows = db_.query(
      "SELECT u.id, u.username, u.kind, COALESCE(u.uscc, '') AS uscc, p.name, p.legal_rep_name, "
      "p.legal_rep_id_number, p.legal_rep_id_converted, p.division_code, p.updated_at "
      "FROM users u LEFT JOIN enterprise_profiles p ON p.user_id = u.id WHERE u.id = ?",
      {enterprise_id});
  if (rows.empty() || rows[0].get<std::string>("kind") != "enterprise")
    return field_error(ErrorCode::not_found, "enterprise", "no enterprise account has this id");
  const auto& r = rows[0];
  if (r.is_null("name"))
    return field_error(ErrorCode::not_found, "enterprise", "the enterprise has not filled in its profile yet");
  EnterpriseProfile p;
  p.enterprise_id = r.get<std::int64_t>("id");
  p.username = r.get<std::string>("username");
  p.uscc = r.get<std::string>("uscc");
  p.name = r.get<std::string>("name");
  p.legal_representative = r.get<std::string>("legal_rep_name");
  auto id_number = r.get<std::string>("legal_rep_id_number");
  p.id_number_masked = viewer_id != enterprise_id;
  p.legal_representative_id_number = p.id_number_masked ? mask_id_number(id_number) : id_number;
  p.id_number_converted = r.get<bool>("legal_rep_id_converted");
  p.division_code = r.get<std::string>("division_code");
  p.updated_at = from_unix_ms(r.get<std::int64_t>("updated_at"));
  return p;
}

Result<EnterpriseProfile> EnterpriseRegistry::set_profile(std::int64_t enterprise_id,
                                                          const EnterpriseProfileInput& in) {
  if (auto s = check_text("name", in.name, kEnterpriseNameMax); !s) return s.error();
  if (auto s = check_text("legal_representative", in.legal_representative, kLegalRepresentativeMax); !s)
    return s.error();
  constexpr const char* kIdField = "legal_representative_id_number";
  if (in.legal_representative_id_number.empty()) return Error::invalid(kIdField, "is required");
  auto id_number = identifiers::IdNumber::parse(in.legal_representative_id_number, zone_.local_date(clock_.now()));
  if (!id_number) {
    // The parser names its field "id_number"; here the field is the representative's.
    const auto& e = id_number.error();
    return Error::invalid(kIdField, e.fields.empty() ? e.message : e.fields[0].message);
  }
  if (in.division_code.empty()) return Error::invalid("division_code", "is required");
  auto division = identifiers::DivisionCode::parse(in.division_code);
  if (!division) {
    const auto& e = division.error();
    return Error::invalid("division_code", e.fields.empty() ? e.message : e.fields[0].message);
  }

  auto tx = db_.begin();
  auto account = tx.query("SELECT kind FROM users WHERE id = ?", {enterprise_id});
  if (account.empty() || account[0].get<std::string>("kind") != "enterprise")
    return field_error(ErrorCode::not_found, "enterprise", "no enterprise account has this id");
  auto now = now_ms();
  tx.execute(
      "INSERT INTO enterprise_profiles (user_id, name, legal_rep_name, legal_rep_id_number, legal_rep_id_converted, "
      "division_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, legal_rep_name = excluded.legal_rep_name, "
      "legal_rep_id_number = excluded.legal_rep_id_number, legal_rep_id_converted = excluded.legal_rep_id_converted, "
      "division_code = excluded.division_code, updated_at = excluded.updated_at",
      {enterprise_id, trimmed(in.name), trimmed(in.legal_representative), id_number->value(),
       id_number->converted_from_15(), division->value(), now, now});
  tx.commit();
  return profile(enterprise_id, enterprise_id);
}

Result<AgentAuthorisation> EnterpriseRegistry::authorise_agent(std::int64_t enterprise_id, const AgentGrantInput& in,
                                                               std::optional<std::int64_t> granted_by) {
  if (in.agent_username.has_value() == in.agent_id.has_value())
    return Error::invalid("agent", "give the agent's user name or account id (one of them)");
  if (in.agent_username && in.agent_username->empty()) return Error::invalid("agent", "is required");
  if (auto s = check_text("scope", in.scope, kAgentScopeMax); !s) return s.error();
  auto now = now_ms();
  auto from = in.valid_from ? to_unix_ms(*in.valid_from) : now;
  auto until = to_unix_ms(in.valid_until);
  if (until <= now) return Error::invalid("valid_until", "must be in the future");
  if (until <= from) return Error::invalid("valid_until", "must be after valid_from");

  auto tx = db_.begin();
  // On PostgreSQL two grants for the same enterprise queue on its account row, so the
  // pair check below sees the other's insert; SQLite's write transaction is exclusive.
  if (tx.kind() == db::Kind::postgres) tx.query("SELECT id FROM users WHERE id = ? FOR UPDATE", {enterprise_id});
  auto account = tx.query("SELECT kind FROM users WHERE id = ?", {enterprise_id});
  if (account.empty() || account[0].get<std::string>("kind") != "enterprise")
    return field_error(ErrorCode::not_found, "enterprise", "no enterprise account has this id");

  auto agent = in.agent_username
                   ? tx.query("SELECT id, kind, disabled FROM users WHERE username = ?", {*in.agent_username})
                   : tx.query("SELECT id, kind, disabled FROM users WHERE id = ?", {*in.agent_id});
  if (!agent.empty() && agent[0].get<std::int64_t>("id") == enterprise_id)
    return Error::invalid("agent", "an enterprise cannot be its own agent");
  if (agent.empty() || agent[0].get<std::string>("kind") != "citizen")
    return Error::invalid("agent", "must name a citizen account (only citizens can be authorised as agents)");
  if (agent[0].get<bool>("disabled")) return Error::invalid("agent", "this account is disabled");
  auto agent_id = agent[0].get<std::int64_t>("id");
  if (!tx.query("SELECT id FROM enterprise_agents WHERE enterprise_id = ? AND agent_id = ? AND revoked_at IS NULL "
                "AND valid_until > ?",
                {enterprise_id, agent_id, now})
           .empty())
    return field_error(ErrorCode::conflict, "agent",
                       "this citizen is authorised already; revoke that authorisation before granting another");
  auto id = tx.query(
                  "INSERT INTO enterprise_agents (enterprise_id, agent_id, scope, valid_from, valid_until, "
                  "granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {enterprise_id, agent_id, trimmed(in.scope), from, until, db::Value(granted_by), now})[0]
                .get<std::int64_t>(0);
  tx.commit();
  return authorisation(enterprise_id, id);
}

Result<AgentAuthorisation> EnterpriseRegistry::revoke_agent(std::int64_t enterprise_id, std::int64_t authorisation_id,
                                                            std::string_view reason,
                                                            std::optional<std::int64_t> revoked_by) {
  if (auto s = check_text("reason", reason, kRevokeReasonMax); !s) return s.error();
  auto now = now_ms();
  auto tx = db_.begin();
  auto rows = tx.query("SELECT revoked_at, valid_until FROM enterprise_agents WHERE id = ? AND enterprise_id = ?",
                       {authorisation_id, enterprise_id});
  if (rows.empty())
    return field_error(ErrorCode::not_found, "id",
                       "no authorisation " + std::to_string(authorisation_id) + " of this enterprise");
  if (!rows[0].is_null("revoked_at"))
    return field_error(ErrorCode::conflict, "id", "the authorisation has been revoked already");
  if (rows[0].get<std::int64_t>("valid_until") <= now)
    return field_error(ErrorCode::conflict, "id", "the authorisation has expired already");
  tx.execute("UPDATE enterprise_agents SET revoked_at = ?, revoked_by = ?, revoked_reason = ? WHERE id = ?",
             {now, db::Value(revoked_by), trimmed(reason), authorisation_id});
  tx.commit();
  return authorisation(enterprise_id, authorisation_id);
}

Result<AgentAuthorisation> EnterpriseRegistry::authorisation(std::int64_t enterprise_id,
                                                             std::int64_t authorisation_id) const {
  auto found = load("a.id = ? AND a.enterprise_id = ?", {authorisation_id, enterprise_id}, "a.id");
  if (found.empty())
    return field_error(ErrorCode::not_found, "id",
                       "no authorisation " + std::to_string(authorisation_id) + " of this enterprise");
  return std::move(found[0]);
}

AgentPage EnterpriseRegistry::agents_of(std::int64_t enterprise_id, std::optional<std::int64_t> before,
                                        std::size_t limit) const {
  limit = std::clamp<std::size_t>(limit, 1, 500);
  auto rows = load(
      "a.enterprise_id = ? AND a.id < ?",
      {enterprise_id, before.value_or(std::numeric_limits<std::int64_t>::max()), static_cast<std::int64_t>(limit + 1)},
      "a.id DESC LIMIT ?");
  AgentPage page;
  if (rows.size() > limit) {
    rows.resize(limit);
    page.next_before = rows.back().id;
  }
  page.items = std::move(rows);
  return page;
}

std::vector<AgentAuthorisation> EnterpriseRegistry::represented_by(std::int64_t agent_id) const {
  auto now = now_ms();
  return load("a.agent_id = ? AND a.revoked_at IS NULL AND a.valid_from <= ? AND a.valid_until > ? AND e.disabled = 0",
              {agent_id, now, now}, "enterprise_name, a.id");
}

std::vector<AgentAuthorisation> EnterpriseRegistry::load(std::string_view where, const db::Params& params,
                                                         std::string_view order) const {
  auto sql = std::string("SELECT ") + kAgentColumns + kAgentFrom + " WHERE " + std::string(where) + " ORDER BY " +
             std::string(order);
  auto now = now_ms();
  std::vector<AgentAuthorisation> out;
  for (const auto& r : db_.query(sql, params)) {
    AgentAuthorisation a;
    a.id = r.get<std::int64_t>("id");
    a.enterprise_id = r.get<std::int64_t>("enterprise_id");
    a.enterprise_username = r.get<std::string>("enterprise_username");
    a.enterprise_name = r.get<std::string>("enterprise_name");
    a.enterprise_uscc = r.get<std::string>("enterprise_uscc");
    a.agent_id = r.get<std::int64_t>("agent_id");
    a.agent_username = r.get<std::string>("agent_username");
    a.agent_display_name = r.get<std::string>("agent_display_name");
    a.scope = r.get<std::string>("scope");
    auto from = r.get<std::int64_t>("valid_from");
    auto until = r.get<std::int64_t>("valid_until");
    a.valid_from = from_unix_ms(from);
    a.valid_until = from_unix_ms(until);
    a.granted_by = r.opt<std::int64_t>("granted_by");
    a.granted_at = from_unix_ms(r.get<std::int64_t>("granted_at"));
    if (auto revoked = r.opt<std::int64_t>("revoked_at")) a.revoked_at = from_unix_ms(*revoked);
    a.revoked_by = r.opt<std::int64_t>("revoked_by");
    a.revoked_reason = r.opt<std::string>("revoked_reason");
    a.state = a.revoked_at   ? AgentState::revoked
              : until <= now ? AgentState::expired
              : from > now   ? AgentState::pending
                             : AgentState::live;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace zhengwu::auth
