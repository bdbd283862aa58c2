// Enterprise accounts over HTTP; see enterprise_routes.hpp for the list.
#include "kernel/auth/enterprise_routes.hpp"

#include <memory>

#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/enterprise.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"

namespace zhengwu::auth {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr const char* kProfileSchema = R"({"type":"object","properties":{"enterprise_id":{"type":"integer"},
  "username":{"type":"string"},"uscc":{"type":"string"},"name":{"type":"string"},"legal_representative":{"type":"string"},
  "legal_representative_id_number":{"type":"string","description":"whole for the enterprise itself, masked (first 6 and last 4) for anyone else"},
  "id_number_masked":{"type":"boolean"},"id_number_converted":{"type":"boolean"},"division_code":{"type":"string"},
  "updated_at":{"type":"string","format":"date-time"}}})";
constexpr const char* kMyEnterpriseSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "username":{"type":"string"},"display_name":{"type":"string"},"uscc":{"type":["string","null"]},
  "profile":{"type":["object","null"],"description":"null until the enterprise fills it in"}}})";
constexpr const char* kAgentSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "enterprise":{"type":"object","properties":{"id":{"type":"integer"},"username":{"type":"string"},"name":{"type":"string"},"uscc":{"type":"string"}}},
  "agent":{"type":"object","properties":{"id":{"type":"integer"},"username":{"type":"string"},"display_name":{"type":"string"}}},
  "scope":{"type":"string"},"valid_from":{"type":"string","format":"date-time"},"valid_until":{"type":"string","format":"date-time"},
  "granted_at":{"type":"string","format":"date-time"},"revoked_at":{"type":["string","null"],"format":"date-time"},
  "revoked_reason":{"type":["string","null"]},"state":{"type":"string","enum":["pending","live","expired","revoked"]}}})";
constexpr const char* kListOf =
    R"({"type":"object","properties":{"items":{"type":"array"},"next_cursor":{"type":["string","null"]}}})";

Response ok_json(const json::value& v, int status = 200) {
  return Response::json(json::serialize(v), status);
}

json::value opt(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::object profile_json(const EnterpriseProfile& p, const TimeZone& zone) {
  return json::object{{"enterprise_id", p.enterprise_id},
                      {"username", p.username},
                      {"uscc", p.uscc},
                      {"name", p.name},
                      {"legal_representative", p.legal_representative},
                      {"legal_representative_id_number", p.legal_representative_id_number},
                      {"id_number_masked", p.id_number_masked},
                      {"id_number_converted", p.id_number_converted},
                      {"division_code", p.division_code},
                      {"updated_at", format_iso8601(p.updated_at, zone)}};
}

json::object agent_json(const AgentAuthorisation& a, const TimeZone& zone) {
  return json::object{
      {"id", a.id},
      {"enterprise", json::object{{"id", a.enterprise_id},
                                  {"username", a.enterprise_username},
                                  {"name", a.enterprise_name},
                                  {"uscc", a.enterprise_uscc}}},
      {"agent",
       json::object{{"id", a.agent_id}, {"username", a.agent_username}, {"display_name", a.agent_display_name}}},
      {"scope", a.scope},
      {"valid_from", format_iso8601(a.valid_from, zone)},
      {"valid_until", format_iso8601(a.valid_until, zone)},
      {"granted_at", format_iso8601(a.granted_at, zone)},
      {"revoked_at", a.revoked_at ? json::value(format_iso8601(*a.revoked_at, zone)) : json::value(nullptr)},
      {"revoked_reason", opt(a.revoked_reason)},
      {"state", to_string(a.state)}};
}

// The signed-in enterprise account, or 403 for anyone else (401 when nobody signed in).
const User& require_enterprise(const Request& req) {
  const auto& p = require_principal(req);
  if (p.client)
    throw Problem(
        Error{ErrorCode::forbidden, "a system client has no enterprise profile; sign in as the enterprise", {}});
  if (p.user.kind != "enterprise")
    throw Problem(
        Error{ErrorCode::forbidden,
              "only an enterprise account has an enterprise profile and agents (this is a " + p.user.kind + " account)",
              {}});
  return p.user;
}

// A time for a validity window: ISO 8601 with offset, or a date YYYY-MM-DD read in the
// platform's zone as the start of that day (`end_of_day`: its last millisecond).
std::optional<TimePoint> window_time(const json::object& body, std::string_view field, const TimeZone& zone,
                                     bool end_of_day) {
  auto text = http::optional_string(body, field, 40);
  if (!text) return std::nullopt;
  if (auto t = parse_iso8601(*text)) return *t;
  if (auto d = parse_date(*text)) {
    auto day = std::chrono::local_days{*d};
    if (!end_of_day) return zone.from_local(std::chrono::local_seconds{day});
    return zone.from_local(std::chrono::local_seconds{day + std::chrono::days{1}}) - std::chrono::milliseconds{1};
  }
  throw Problem(Error::invalid(std::string(field), "must be a date (YYYY-MM-DD) or a time in ISO 8601 with offset"));
}

json::object agents_page_json(const AgentPage& page, const TimeZone& zone) {
  json::array items;
  for (const auto& a : page.items) items.push_back(agent_json(a, zone));
  return json::object{
      {"items", std::move(items)},
      {"next_cursor", page.next_before ? json::value(std::to_string(*page.next_before)) : json::value(nullptr)}};
}

}  // namespace

void add_enterprise_routes(http::Router& router, db::Database& db, Identity& identity, const TimeZone& zone,
                           const Clock& clock) {
  auto registry = std::make_shared<EnterpriseRegistry>(db, clock, zone);
  const std::vector<http::QueryParam> paging{{"limit", "integer", false, "1-500, default 50"},
                                             {"cursor", "string", false, "next_cursor of the previous page"}};

  // ---- the signed-in enterprise ----
  router.add({.method = Method::get,
              .path = "/api/me/enterprise",
              .handler =
                  [registry, &zone](Request& req) {
                    const auto& e = require_enterprise(req);
                    auto profile = registry->profile(e.id, e.id);
                    if (!profile && profile.error().code != ErrorCode::not_found) throw Problem(profile.error());
                    return ok_json(json::object{
                        {"id", e.id},
                        {"username", e.username},
                        {"display_name", e.display_name},
                        {"uscc", opt(e.uscc)},
                        {"profile", profile ? json::value(profile_json(*profile, zone)) : json::value(nullptr)}});
                  },
              .summary = "My enterprise: the account and its profile (legal representative's ID number in full)",
              .tag = "enterprises",
              .response_schema = kMyEnterpriseSchema,
              .signed_in = true});
  router.add(
      {.method = Method::put,
       .path = "/api/me/enterprise",
       .handler =
           [registry, &zone](Request& req) {
             const auto& e = require_enterprise(req);
             audit_note(req, "audit.object_id", std::to_string(e.id));
             auto body = http::json_object_body(req);
             EnterpriseProfileInput in{http::required_string(body, "name", kEnterpriseNameMax),
                                       http::required_string(body, "legal_representative", kLegalRepresentativeMax),
                                       http::required_string(body, "legal_representative_id_number", 18),
                                       http::required_string(body, "division_code", 12)};
             return ok_json(profile_json(take(registry->set_profile(e.id, in)), zone));
           },
       .summary = "Fill in or replace my enterprise's profile: name, legal representative and ID number "
                  "(GB 11643, 15 digits are converted), registered division (GB/T 2260)",
       .tag = "enterprises",
       .request_schema =
           R"({"type":"object","required":["name","legal_representative","legal_representative_id_number","division_code"],
                "properties":{"name":{"type":"string","maxLength":100},"legal_representative":{"type":"string","maxLength":50},
                "legal_representative_id_number":{"type":"string","maxLength":18},"division_code":{"type":"string","maxLength":12}}})",
       .response_schema = kProfileSchema,
       .body_limit = 64 * 1024,
       .signed_in = true,
       .audit = "enterprise.profile.update"});
  router.add({.method = Method::get,
              .path = "/api/me/enterprise/agents",
              .handler =
                  [registry, &zone](Request& req) {
                    const auto& e = require_enterprise(req);
                    auto limit = http::limit_param(req, 50, 500);
                    return ok_json(agents_page_json(registry->agents_of(e.id, http::id_cursor_param(req), limit), zone));
                  },
              .summary = "The citizens my enterprise has authorised, in force and past, newest first",
              .tag = "enterprises",
              .query = paging,
              .response_schema = kListOf,
              .signed_in = true});
  router.add({.method = Method::post,
              .path = "/api/me/enterprise/agents",
              .handler =
                  [registry, &zone](Request& req) {
                    const auto& e = require_enterprise(req);
                    auto body = http::json_object_body(req);
                    AgentGrantInput in;
                    in.agent_username = http::optional_string(body, "agent", 40);
                    in.agent_id = http::optional_int(body, "agent_id");
                    in.scope = http::required_string(body, "scope", kAgentScopeMax);
                    in.valid_from = window_time(body, "valid_from", zone, false);
                    auto until = window_time(body, "valid_until", zone, true);
                    if (!until) throw Problem(Error::invalid("valid_until", "is required"));
                    in.valid_until = *until;
                    auto a = take(registry->authorise_agent(e.id, in, e.id));
                    audit_note(req, "audit.object_id", std::to_string(a.id));
                    return ok_json(agent_json(a, zone), 201);
                  },
              .summary = "Authorise a citizen to act for my enterprise, for a scope, until a time",
              .tag = "enterprises",
              .request_schema = R"json({"type":"object","required":["scope","valid_until"],"properties":{
                "agent":{"type":"string","description":"the citizen's user name (or give agent_id)"},
                "agent_id":{"type":"integer"},"scope":{"type":"string","maxLength":200},
                "valid_from":{"type":"string","description":"YYYY-MM-DD or ISO 8601 with offset; default now"},
                "valid_until":{"type":"string","description":"YYYY-MM-DD (through the end of that day) or ISO 8601 with offset"}}})json",
              .response_schema = kAgentSchema,
              .success_status = 201,
              .body_limit = 64 * 1024,
              .signed_in = true,
              .audit = "enterprise.agent.grant"});
  router.add(
      {.method = Method::delete_,
       .path = "/api/me/enterprise/agents/{id}",
       .handler =
           [registry, &zone](Request& req) {
             const auto& e = require_enterprise(req);
             auto id = http::id_param(req, "id");
             auto body = http::json_object_body(req);
             auto reason = http::required_string(body, "reason", kRevokeReasonMax);
             return ok_json(agent_json(take(registry->revoke_agent(e.id, id, reason, e.id)), zone));
           },
       .summary = "Revoke one of my enterprise's authorisations now, with a reason (body {reason})",
       .tag = "enterprises",
       .request_schema =
           R"({"type":"object","required":["reason"],"properties":{"reason":{"type":"string","maxLength":200}}})",
       .response_schema = kAgentSchema,
       .body_limit = 64 * 1024,
       .signed_in = true,
       .audit = "enterprise.agent.revoke"});

  // ---- a citizen ----
  router.add({.method = Method::get,
              .path = "/api/me/represented-enterprises",
              .handler =
                  [registry, &zone](Request& req) {
                    const auto& p = require_principal(req);
                    if (p.client || p.user.kind != "citizen")
                      throw Problem(Error{
                          ErrorCode::forbidden, "only a citizen account can be an enterprise's authorised agent", {}});
                    json::array items;
                    for (const auto& a : registry->represented_by(p.user.id)) items.push_back(agent_json(a, zone));
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "The enterprises I may act for now (authorisations in force)",
              .tag = "enterprises",
              .response_schema = kListOf,
              .signed_in = true});

  // ---- administrators ----
  router.add({.method = Method::get,
              .path = "/api/enterprises/{id}",
              .handler =
                  [registry, &identity, &zone](Request& req) {
                    const auto& p = require_principal(req);
                    // Enterprises belong to no organisation: user.read anywhere suffices,
                    // as for citizens' and enterprises' accounts in auth_routes.cpp.
                    require_permission(req, "user.read", "");
                    auto u = identity.user(http::id_param(req, "id"));
                    if (!u || u->kind != "enterprise")
                      throw Problem(Error::not_found("no enterprise account has this id"));
                    auto profile = registry->profile(u->id, p.user.id);
                    if (!profile && profile.error().code != ErrorCode::not_found) throw Problem(profile.error());
                    auto limit = http::limit_param(req, 50, 500);
                    return ok_json(json::object{
                        {"id", u->id},
                        {"username", u->username},
                        {"display_name", u->display_name},
                        {"uscc", opt(u->uscc)},
                        {"disabled", u->disabled},
                        {"profile", profile ? json::value(profile_json(*profile, zone)) : json::value(nullptr)},
                        {"agents", agents_page_json(registry->agents_of(u->id, http::id_cursor_param(req), limit), zone)}});
                  },
              .summary = "An enterprise account with its profile (ID number masked) and its authorised agents",
              .tag = "enterprises",
              .query = paging,
              .response_schema = R"({"type":"object","properties":{"id":{"type":"integer"},"username":{"type":"string"},
                "display_name":{"type":"string"},"uscc":{"type":["string","null"]},"disabled":{"type":"boolean"},
                "profile":{"type":["object","null"]},"agents":{"type":"object","properties":{"items":{"type":"array"},
                "next_cursor":{"type":["string","null"]}}}}})",
              .permission = "user.read",
              .audit = "enterprise.read"});
}

}  // namespace zhengwu::auth
