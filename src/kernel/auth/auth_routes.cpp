// Identity and access over HTTP; see auth_routes.hpp for the list.
#include "kernel/auth/auth_routes.hpp"

#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/auth/qr_code.hpp"
#include "kernel/auth/totp.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"

namespace zhengwu::auth {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr const char* kUserSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "username":{"type":"string"},"display_name":{"type":"string"},"kind":{"type":"string","enum":["staff","citizen","enterprise"]},
  "org":{"type":["string","null"]},"position":{"type":["string","null"]},"id_number":{"type":["string","null"]},
  "must_change_password":{"type":"boolean"},"locked":{"type":"boolean"},"disabled":{"type":"boolean"},
  "totp_enrolled":{"type":"boolean"},"recovery_codes_left":{"type":"integer"},
  "real_name_level":{"type":"integer","minimum":1,"maximum":3,"description":"citizens only"}}})";
constexpr const char* kOrgSchema = R"({"type":"object","properties":{"id":{"type":"integer"},"code":{"type":"string"},
  "name":{"type":"string"},"kind":{"type":"string"},"parent_id":{"type":["integer","null"]},"path":{"type":"string"},
  "division_code":{"type":["string","null"]}}})";
constexpr const char* kListOf = R"({"type":"object","properties":{"items":{"type":"array"},"next_cursor":{"type":["string","null"]}}})";

constexpr const char* kRecoveryCodes = R"({"type":"object","properties":{"recovery_codes":{"type":"array",
  "items":{"type":"string"},"description":"single-use codes, shown this once"}}})";

json::object recovery_codes_json(const std::vector<std::string>& codes) {
  json::array items;
  for (const auto& c : codes) items.emplace_back(c);
  return json::object{{"recovery_codes", std::move(items)}};
}

Response ok_json(const json::value& v, int status = 200) { return Response::json(json::serialize(v), status); }
Response no_content() { return Response::empty(204); }

std::string iso(TimePoint t, const TimeZone& zone) { return format_iso8601(t, zone); }

json::object user_json(const User& u, const TimeZone& zone, bool with_id_number) {
  json::object o{{"id", u.id},
                 {"username", u.username},
                 {"display_name", u.display_name},
                 {"kind", u.kind},
                 {"org", u.org_code ? json::value(*u.org_code) : json::value(nullptr)},
                 {"position", u.position ? json::value(*u.position) : json::value(nullptr)},
                 {"must_change_password", u.must_change_password},
                 {"locked", u.locked},
                 {"disabled", u.disabled},
                 {"totp_enrolled", u.totp_enrolled},
                 {"recovery_codes_left", u.recovery_codes_left}};
  if (u.kind == "citizen") o["real_name_level"] = u.real_name_level;
  if (u.locked_until) o["locked_until"] = iso(*u.locked_until, zone);
  // The full ID number goes only to its owner; others see it masked (DOMAIN.md).
  if (u.id_number)
    o["id_number"] = with_id_number ? *u.id_number : u.id_number->substr(0, 6) + "********" + u.id_number->substr(14);
  return o;
}

json::object org_json(const Org& o) {
  return json::object{{"id", o.id},
                      {"code", o.code},
                      {"name", o.name},
                      {"kind", o.kind},
                      {"parent_id", o.parent_id ? json::value(*o.parent_id) : json::value(nullptr)},
                      {"path", o.path},
                      {"depth", o.depth()},
                      {"division_code", o.division_code ? json::value(*o.division_code) : json::value(nullptr)}};
}

json::object session_json(const Session& s, const TimeZone& zone, std::int64_t current) {
  return json::object{{"id", s.id},
                      {"created_at", iso(s.created_at, zone)},
                      {"last_seen_at", iso(s.last_seen_at, zone)},
                      {"expires_at", iso(s.expires_at, zone)},
                      {"source", s.source},
                      {"user_agent", s.user_agent},
                      {"current", s.id == current}};
}

json::object role_json(const Role& r) {
  json::array perms;
  for (const auto& p : r.permissions) perms.emplace_back(p);
  return json::object{{"id", r.id},
                      {"code", r.code},
                      {"name", r.name},
                      {"admin_kind", to_string(r.admin_kind)},
                      {"builtin", r.builtin},
                      {"permissions", std::move(perms)}};
}

std::vector<std::string> string_list(const json::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || !it->value().is_array()) throw Problem(Error::invalid(std::string(field), "must be a list of strings"));
  std::vector<std::string> out;
  for (const auto& v : it->value().as_array()) {
    if (!v.is_string()) throw Problem(Error::invalid(std::string(field), "must be a list of strings"));
    out.emplace_back(v.as_string());
  }
  return out;
}

Org org_or_404(OrgDirectory& orgs, std::int64_t id) { return take(orgs.get(id)); }

json::object client_json(const Client& c, const TimeZone& zone) {
  json::object o{{"id", c.id},         {"client_id", c.client_id}, {"name", c.name},
                 {"org", c.org_code},  {"org_name", c.org_name},   {"disabled", c.disabled},
                 {"created_at", format_iso8601(c.created_at, zone)}};
  if (c.rotated_at) o["rotated_at"] = format_iso8601(*c.rotated_at, zone);
  if (c.previous_valid_until) o["previous_valid_until"] = format_iso8601(*c.previous_valid_until, zone);
  return o;
}

}  // namespace

void add_auth_routes(http::Router& router, Identity& identity, OrgDirectory& orgs, ClientRegistry& clients,
                     const TimeZone& zone, const Clock& clock) {
  // ---- sign-in and the caller ----
  router.add({.method = Method::post,
              .path = "/api/auth/login",
              .handler =
                  [&identity, &zone](Request& req) {
                    auto body = http::json_object_body(req);
                    if (auto name = body.find("username"); name != body.end() && name->value().is_string())
                      audit_note(req, "audit.object_id", std::string(name->value().as_string()).substr(0, 100));
                    LoginRequest login{http::required_string(body, "username", 100),
                                       http::required_string(body, "password", 200),
                                       http::optional_string(body, "totp", 20),
                                       http::optional_string(body, "recovery_code", 40), req.remote_address,
                                       std::string(req.header("User-Agent").value_or("")).substr(0, 300)};
                    auto r = take(identity.login(login));
                    audit_note(req, "audit.actor_id", std::to_string(r.user.id));
                    audit_note(req, "audit.actor_name", r.user.username);
                    audit_note(req, "audit.actor_org", r.user.org_code.value_or(""));
                    return ok_json(json::object{{"token", r.token},
                                                {"expires_at", iso(r.session.expires_at, zone)},
                                                {"user", user_json(r.user, zone, true)}});
                  },
              .summary = "Sign in with user name, password and, for enrolled accounts, a TOTP code or a recovery code",
              .tag = "auth",
              .request_schema = R"({"type":"object","required":["username","password"],"properties":{
                "username":{"type":"string"},"password":{"type":"string"},"totp":{"type":"string"},
                "recovery_code":{"type":"string","description":"one single-use recovery code instead of totp"}}})",
              .response_schema = R"({"type":"object","properties":{"token":{"type":"string"},
                "expires_at":{"type":"string","format":"date-time"},"user":{"type":"object"}}})",
              .body_limit = 64 * 1024,
              .audit = "auth.login"});
  router.add({.method = Method::post,
              .path = "/api/auth/logout",
              .handler =
                  [&identity](Request& req) {
                    take(identity.logout(require_principal(req).token));
                    return no_content();
                  },
              .summary = "End this session",
              .tag = "auth",
              .success_status = 204,
              .signed_in = true,
              .audit = "auth.logout"});
  router.add({.method = Method::get,
              .path = "/api/me",
              .handler =
                  [&identity, &zone, &orgs](Request& req) {
                    const auto& p = require_principal(req);
                    if (p.client)
                      return ok_json(json::object{{"kind", "client"}, {"client", client_json(*p.client, zone)}});
                    json::array grants;
                    std::set<std::string> permissions;
                    for (const auto& h : p.access.held) {
                      auto org = orgs.get(h.org_id);
                      grants.push_back(json::object{{"role", h.role->code},
                                                    {"role_name", h.role->name},
                                                    {"org", org ? org->code : std::string()},
                                                    {"org_name", org ? org->name : std::string()},
                                                    {"include_subtree", h.include_subtree}});
                      permissions.insert(h.role->permissions.begin(), h.role->permissions.end());
                    }
                    json::array perms;
                    for (const auto& x : permissions) perms.emplace_back(x);
                    (void)identity;
                    return ok_json(json::object{{"kind", "user"},
                                                {"user", user_json(p.user, zone, true)},
                                                {"needs_second_factor", p.needs_second_factor},
                                                {"grants", std::move(grants)},
                                                {"permissions", std::move(perms)}});
                  },
              .summary = "Who is calling: the user with grants and permissions, or the signed system client and its org",
              .tag = "auth",
              .response_schema = R"({"type":"object","properties":{"kind":{"type":"string"},"user":{"type":"object"},
                "grants":{"type":"array"},"permissions":{"type":"array","items":{"type":"string"}}}})",
              .signed_in = true});
  router.add({.method = Method::post,
              .path = "/api/me/password",
              .handler =
                  [&identity](Request& req) {
                    const auto& p = require_principal(req);
                    auto body = http::json_object_body(req);
                    take(identity.change_password(p.user.id, http::required_string(body, "old_password", 200),
                                                  http::required_string(body, "new_password", 200)));
                    return no_content();
                  },
              .summary = "Change my password",
              .tag = "auth",
              .request_schema = R"({"type":"object","required":["old_password","new_password"],"properties":{
                "old_password":{"type":"string"},"new_password":{"type":"string"}}})",
              .success_status = 204,
              .body_limit = 64 * 1024,
              .signed_in = true,
              .audit = "auth.password.change"});
  router.add({.method = Method::get,
              .path = "/api/me/sessions",
              .handler =
                  [&identity, &zone](Request& req) {
                    const auto& p = require_principal(req);
                    json::array items;
                    for (const auto& s : identity.sessions_of(p.user.id))
                      items.push_back(session_json(s, zone, p.session.id));
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "My live sessions",
              .tag = "auth",
              .response_schema = kListOf,
              .signed_in = true});
  router.add({.method = Method::delete_,
              .path = "/api/me/sessions/{id}",
              .handler =
                  [&identity](Request& req) {
                    const auto& p = require_principal(req);
                    take(identity.revoke_session(p.user.id, http::id_param(req, "id"), "ended by the user"));
                    return no_content();
                  },
              .summary = "End one of my sessions",
              .tag = "auth",
              .success_status = 204,
              .signed_in = true,
              .audit = "auth.session.revoke"});
  router.add({.method = Method::post,
              .path = "/api/me/totp/secret",
              .handler =
                  [](Request& req) {
                    const auto& p = require_principal(req);
                    auto secret = encode_base32(new_totp_secret());
                    auto uri = otpauth_uri("政务", p.user.username, secret);
                    auto svg = take(qr_svg(uri));
                    return ok_json(json::object{{"secret", secret}, {"otpauth_uri", uri}, {"qr_svg", svg}});
                  },
              .summary = "A new TOTP secret with its otpauth URI and QR code, for enrolment",
              .tag = "auth",
              .response_schema = R"({"type":"object","properties":{"secret":{"type":"string"},
                "otpauth_uri":{"type":"string"},"qr_svg":{"type":"string"}}})",
              .signed_in = true});
  router.add({.method = Method::post,
              .path = "/api/me/totp",
              .handler =
                  [&identity](Request& req) {
                    const auto& p = require_principal(req);
                    auto body = http::json_object_body(req);
                    auto codes = take(identity.enroll_totp(p.user.id, http::required_string(body, "secret", 200),
                                                           http::required_string(body, "code", 10)));
                    return ok_json(recovery_codes_json(codes));
                  },
              .summary = "Enrol the second factor: the secret and a current code from the app; answers the recovery "
                         "codes, shown this once",
              .tag = "auth",
              .request_schema = R"({"type":"object","required":["secret","code"],"properties":{
                "secret":{"type":"string"},"code":{"type":"string"}}})",
              .response_schema = kRecoveryCodes,
              .body_limit = 64 * 1024,
              .signed_in = true,
              .audit = "auth.totp.enrol"});
  router.add({.method = Method::post,
              .path = "/api/me/totp/recovery-codes",
              .handler =
                  [&identity](Request& req) {
                    const auto& p = require_principal(req);
                    auto body = http::json_object_body(req);
                    auto codes =
                        take(identity.regenerate_recovery_codes(p.user.id, http::required_string(body, "code", 10)));
                    return ok_json(recovery_codes_json(codes));
                  },
              .summary = "A new set of recovery codes (the old set stops working), proven with a current TOTP code",
              .tag = "auth",
              .request_schema = R"({"type":"object","required":["code"],"properties":{"code":{"type":"string"}}})",
              .response_schema = kRecoveryCodes,
              .body_limit = 64 * 1024,
              .signed_in = true,
              .audit = "auth.recovery_codes.renew"});

  // ---- organisations ----
  router.add({.method = Method::get,
              .path = "/api/orgs",
              .handler =
                  [&orgs](Request& req) {
                    require_principal(req);
                    json::array items;
                    auto q = req.query("q");
                    for (const auto& o : q ? orgs.search(*q, http::limit_param(req, 200, 5000)) : orgs.all())
                      items.push_back(org_json(o));
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "The organisation tree in path order (parents before children), or a search",
              .tag = "orgs",
              .query = {{"q", "string", false, "Part of a name or code"}, {"limit", "integer", false, "With q, at most"}},
              .response_schema = kListOf,
              .permission = "org.read"});
  router.add({.method = Method::post,
              .path = "/api/orgs",
              .handler =
                  [&orgs](Request& req) {
                    auto body = http::json_object_body(req);
                    OrgInput in{http::required_string(body, "code", 40), http::required_string(body, "name", 100),
                                http::required_string(body, "kind", 40), http::optional_string(body, "parent_code", 40),
                                http::optional_string(body, "division_code", 12)};
                    if (!in.parent_code) throw Problem(Error::invalid("parent_code", "is required"));
                    auto parent = orgs.by_code(*in.parent_code);
                    if (!parent) throw Problem(Error::invalid("parent_code", "no organisation has this code"));
                    require_permission(req, "org.manage", parent->path);
                    return ok_json(org_json(take(orgs.create(in))), 201);
                  },
              .summary = "Create an organisation under a parent",
              .tag = "orgs",
              .request_schema = R"({"type":"object","required":["code","name","kind","parent_code"],"properties":{
                "code":{"type":"string","maxLength":40},"name":{"type":"string","maxLength":100},"kind":{"type":"string"},
                "parent_code":{"type":"string"},"division_code":{"type":"string"}}})",
              .response_schema = kOrgSchema,
              .success_status = 201,
              .permission = "org.manage",
              .audit = "org.create"});
  router.add({.method = Method::get,
              .path = "/api/orgs/{id}",
              .handler =
                  [&orgs](Request& req) {
                    auto org = org_or_404(orgs, http::id_param(req, "id"));
                    require_permission(req, "org.read", org.path);
                    return ok_json(org_json(org));
                  },
              .summary = "One organisation",
              .tag = "orgs",
              .response_schema = kOrgSchema,
              .permission = "org.read"});
  router.add({.method = Method::patch,
              .path = "/api/orgs/{id}",
              .handler =
                  [&orgs](Request& req) {
                    auto org = org_or_404(orgs, http::id_param(req, "id"));
                    require_permission(req, "org.manage", org.path);
                    auto body = http::json_object_body(req);
                    OrgChange change{http::optional_string(body, "name", 100), http::optional_string(body, "kind", 40),
                                     http::optional_string(body, "division_code", 12)};
                    return ok_json(org_json(take(orgs.update(org.id, change))));
                  },
              .summary = "Rename an organisation or change its kind or division code",
              .tag = "orgs",
              .request_schema = R"({"type":"object","properties":{"name":{"type":"string"},"kind":{"type":"string"},
                "division_code":{"type":"string"}}})",
              .response_schema = kOrgSchema,
              .permission = "org.manage",
              .audit = "org.update"});
  router.add({.method = Method::post,
              .path = "/api/orgs/{id}/move",
              .handler =
                  [&orgs](Request& req) {
                    auto org = org_or_404(orgs, http::id_param(req, "id"));
                    auto body = http::json_object_body(req);
                    auto parent_id = http::optional_int(body, "parent_id");
                    if (!parent_id) throw Problem(Error::invalid("parent_id", "is required"));
                    auto parent = orgs.get(*parent_id);
                    if (!parent) throw Problem(Error::invalid("parent_id", "no such organisation"));
                    require_permission(req, "org.manage", org.path);
                    require_permission(req, "org.manage", parent->path);
                    return ok_json(org_json(take(orgs.move(org.id, *parent_id))));
                  },
              .summary = "Move an organisation (with its subtree) under another",
              .tag = "orgs",
              .request_schema = R"({"type":"object","required":["parent_id"],"properties":{"parent_id":{"type":"integer"}}})",
              .response_schema = kOrgSchema,
              .permission = "org.manage",
              .audit = "org.move"});
  router.add({.method = Method::delete_,
              .path = "/api/orgs/{id}",
              .handler =
                  [&orgs](Request& req) {
                    auto org = org_or_404(orgs, http::id_param(req, "id"));
                    require_permission(req, "org.manage", org.path);
                    take(orgs.remove(org.id));
                    return no_content();
                  },
              .summary = "Remove an empty organisation",
              .tag = "orgs",
              .success_status = 204,
              .permission = "org.manage",
              .audit = "org.delete"});

  // ---- users ----
  auto user_in_scope = [&identity, &orgs](Request& req, std::string_view permission) {
    auto u = take(identity.user(http::id_param(req, "id")));
    std::string path;
    if (u.org_id) path = take(orgs.get(*u.org_id)).path;
    // Citizens and enterprises belong to no organisation: the permission anywhere suffices.
    require_permission(req, permission, path);
    return u;
  };
  router.add({.method = Method::get,
              .path = "/api/users",
              .handler =
                  [&identity, &orgs, &zone](Request& req) {
                    const auto& p = require_principal(req);
                    std::string path;
                    if (auto org = req.query("org")) path = take(orgs.by_code(*org)).path;
                    auto limit = http::limit_param(req, 50, 500);
                    // The caller's scope, from the grants that hold user.read.
                    Identity::Scope scope;
                    for (const auto& h : p.access.held) {
                      if (!h.role->permissions.contains("user.read")) continue;
                      auto org = orgs.get(h.org_id);
                      if (!org) continue;
                      if (!org->parent_id && h.include_subtree) scope.everywhere = true;
                      scope.paths.emplace_back(org->path, h.include_subtree);
                    }
                    auto users = identity.list_users(path, req.query("q").value_or(""), req.query("cursor").value_or(""),
                                                     limit + 1, &scope);
                    json::array items;
                    std::string next;
                    for (std::size_t i = 0; i < users.size() && i < limit; ++i)
                      items.push_back(user_json(users[i], zone, false));
                    if (users.size() > limit) next = users[limit - 1].username;
                    return ok_json(json::object{{"items", std::move(items)},
                                                {"next_cursor", next.empty() ? json::value(nullptr) : json::value(next)}});
                  },
              .summary = "Accounts in the caller's scope, by user name, with search and paging",
              .tag = "users",
              .query = {{"q", "string", false, "Part of a user name or display name"},
                        {"org", "string", false, "Only under this organisation code"},
                        {"limit", "integer", false, "1-500, default 50"},
                        {"cursor", "string", false, "next_cursor of the previous page"}},
              .response_schema = kListOf,
              .permission = "user.read"});
  router.add({.method = Method::post,
              .path = "/api/users",
              .handler =
                  [&identity, &orgs, &zone](Request& req) {
                    auto body = http::json_object_body(req);
                    NewUser in;
                    in.username = http::required_string(body, "username", 40);
                    in.display_name = http::required_string(body, "display_name", 50);
                    in.kind = http::optional_string(body, "kind", 20).value_or("staff");
                    in.org_code = http::optional_string(body, "org", 40);
                    in.position = http::optional_string(body, "position", 50);
                    in.id_number = http::optional_string(body, "id_number", 18);
                    if (auto level = body.find("real_name_level"); level != body.end()) {
                      if (!level->value().is_int64()) throw Problem(Error::invalid("real_name_level", "must be 1, 2 or 3"));
                      in.real_name_level = static_cast<int>(level->value().as_int64());
                    }
                    in.uscc = http::optional_string(body, "uscc", 18);
                    in.password = http::required_string(body, "password", 200);
                    in.must_change_password = http::optional_bool(body, "must_change_password").value_or(true);
                    std::string path;
                    if (in.org_code) {
                      auto org = orgs.by_code(*in.org_code);
                      if (!org) throw Problem(Error::invalid("org", "no organisation has this code"));
                      path = org->path;
                    }
                    require_permission(req, "user.manage", path);
                    return ok_json(user_json(take(identity.create_user(in)), zone, false), 201);
                  },
              .summary = "Create an account (staff in an organisation, a citizen with an ID number, an enterprise)",
              .tag = "users",
              .request_schema = R"({"type":"object","required":["username","display_name","password"],"properties":{
                "username":{"type":"string"},"display_name":{"type":"string"},"kind":{"type":"string","enum":["staff","citizen","enterprise"]},
                "org":{"type":"string"},"position":{"type":"string"},"id_number":{"type":"string"},"uscc":{"type":"string"},
                "password":{"type":"string"},"must_change_password":{"type":"boolean"}}})",
              .response_schema = kUserSchema,
              .success_status = 201,
              .body_limit = 64 * 1024,
              .permission = "user.manage",
              .audit = "user.create"});
  router.add({.method = Method::get,
              .path = "/api/users/{id}",
              .handler =
                  [user_in_scope, &zone](Request& req) {
                    return ok_json(user_json(user_in_scope(req, "user.read"), zone, false));
                  },
              .summary = "One account",
              .tag = "users",
              .response_schema = kUserSchema,
              .permission = "user.read",
              .audit = "user.read"});
  router.add({.method = Method::post,
              .path = "/api/users/{id}/unlock",
              .handler =
                  [user_in_scope, &identity](Request& req) {
                    take(identity.unlock(user_in_scope(req, "user.manage").id));
                    return no_content();
                  },
              .summary = "Unlock an account locked after failed sign-ins",
              .tag = "users",
              .success_status = 204,
              .permission = "user.manage",
              .audit = "user.unlock"});
  router.add({.method = Method::post,
              .path = "/api/users/{id}/reset-password",
              .handler =
                  [user_in_scope, &identity](Request& req) {
                    auto u = user_in_scope(req, "user.manage");
                    auto body = http::json_object_body(req);
                    take(identity.reset_password(u.id, http::required_string(body, "password", 200)));
                    return no_content();
                  },
              .summary = "Set a new password that the account must change at next sign-in",
              .tag = "users",
              .request_schema = R"({"type":"object","required":["password"],"properties":{"password":{"type":"string"}}})",
              .success_status = 204,
              .body_limit = 64 * 1024,
              .permission = "user.manage",
              .audit = "user.reset_password"});
  router.add({.method = Method::post,
              .path = "/api/users/{id}/real-name-level",
              .handler =
                  [user_in_scope, &identity](Request& req) {
                    auto u = user_in_scope(req, "user.manage");
                    auto body = http::json_object_body(req);
                    auto level = body.find("level");
                    if (level == body.end() || !level->value().is_int64())
                      throw Problem(Error::invalid("level", "must be 1, 2 or 3"));
                    take(identity.set_real_name_level(u.id, static_cast<int>(level->value().as_int64())));
                    return no_content();
                  },
              .summary = "Set a citizen's real-name level (1 declared, 2 checked against the register, 3 in person)",
              .tag = "users",
              .request_schema = R"({"type":"object","required":["level"],"properties":{
                "level":{"type":"integer","minimum":1,"maximum":3}}})",
              .success_status = 204,
              .body_limit = 4 * 1024,
              .permission = "user.manage",
              .audit = "user.real_name_level"});
  router.add({.method = Method::post,
              .path = "/api/users/{id}/second-factor/reset",
              .handler =
                  [user_in_scope, &identity](Request& req) {
                    auto u = user_in_scope(req, "user.manage");
                    if (u.id == require_principal(req).user.id)
                      throw Problem(Error{ErrorCode::unprocessable,
                                         "you cannot reset your own second factor; ask another administrator",
                                         {}});
                    take(identity.reset_second_factor(u.id));
                    return no_content();
                  },
              .summary = "Clear the second factor (TOTP and recovery codes) of an account that lost it, ending its "
                         "sessions",
              .tag = "users",
              .success_status = 204,
              .permission = "user.manage",
              .audit = "user.reset_second_factor"});
  for (bool disable : {true, false}) {
    router.add({.method = Method::post,
                .path = disable ? "/api/users/{id}/disable" : "/api/users/{id}/enable",
                .handler =
                    [user_in_scope, &identity, disable](Request& req) {
                      auto u = user_in_scope(req, "user.manage");
                      if (disable && u.id == require_principal(req).user.id)
                        throw Problem(Error::conflict("you cannot disable your own account"));
                      take(identity.set_disabled(u.id, disable));
                      return no_content();
                    },
                .summary = disable ? "Disable an account (its sessions end)" : "Enable a disabled account",
                .tag = "users",
                .success_status = 204,
                .permission = "user.manage",
                .audit = disable ? "user.disable" : "user.enable"});
  }

  // ---- grants and roles ----
  router.add({.method = Method::get,
              .path = "/api/users/{id}/grants",
              .handler =
                  [&identity, &orgs](Request& req) {
                    auto u = take(identity.user(http::id_param(req, "id")));
                    json::array items;
                    auto roles = identity.roles();
                    for (const auto& g : identity.grants_of(u.id)) {
                      auto org = orgs.get(g.org_id);
                      std::string role_code, role_name;
                      for (const auto& r : roles)
                        if (r.id == g.role_id) {
                          role_code = r.code;
                          role_name = r.name;
                        }
                      items.push_back(json::object{{"id", g.id},
                                                   {"role", role_code},
                                                   {"role_name", role_name},
                                                   {"org", org ? org->code : std::string()},
                                                   {"org_name", org ? org->name : std::string()},
                                                   {"include_subtree", g.include_subtree}});
                    }
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "The roles an account holds, and where",
              .tag = "roles",
              .response_schema = kListOf,
              .permission = "grant.manage"});
  router.add({.method = Method::post,
              .path = "/api/users/{id}/grants",
              .handler =
                  [&identity, &orgs](Request& req) {
                    const auto& p = require_principal(req);
                    auto u = take(identity.user(http::id_param(req, "id")));
                    auto body = http::json_object_body(req);
                    auto role = http::required_string(body, "role", 40);
                    auto org_code = http::required_string(body, "org", 40);
                    auto org = orgs.by_code(org_code);
                    if (!org) throw Problem(Error::invalid("org", "no organisation has this code"));
                    require_permission(req, "grant.manage", org->path);
                    auto g = take(identity.grant(u.id, role, org_code,
                                                 http::optional_bool(body, "include_subtree").value_or(true), p.user.id));
                    return ok_json(json::object{{"id", g.id}, {"role", role}, {"org", org_code},
                                                {"include_subtree", g.include_subtree}},
                                   201);
                  },
              .summary = "Grant a role over an organisation (the three administrator roles exclude each other)",
              .tag = "roles",
              .request_schema = R"({"type":"object","required":["role","org"],"properties":{"role":{"type":"string"},
                "org":{"type":"string"},"include_subtree":{"type":"boolean"}}})",
              .success_status = 201,
              .permission = "grant.manage",
              .audit = "grant.create"});
  router.add({.method = Method::delete_,
              .path = "/api/grants/{id}",
              .handler =
                  [&identity](Request& req) {
                    take(identity.revoke_grant(http::id_param(req, "id")));
                    return no_content();
                  },
              .summary = "Revoke a grant",
              .tag = "roles",
              .success_status = 204,
              .permission = "grant.manage",
              .audit = "grant.revoke"});
  router.add({.method = Method::get,
              .path = "/api/roles",
              .handler =
                  [&identity](Request&) {
                    json::array items;
                    for (const auto& r : identity.roles()) items.push_back(role_json(r));
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "Every role with its permissions",
              .tag = "roles",
              .response_schema = kListOf,
              .permission = "grant.manage"});
  router.add({.method = Method::post,
              .path = "/api/roles",
              .handler =
                  [&identity](Request& req) {
                    auto body = http::json_object_body(req);
                    auto r = take(identity.create_role(http::required_string(body, "code", 40),
                                                       http::required_string(body, "name", 50),
                                                       string_list(body, "permissions")));
                    return ok_json(role_json(r), 201);
                  },
              .summary = "Create a role from permissions",
              .tag = "roles",
              .request_schema = R"({"type":"object","required":["code","name","permissions"],"properties":{
                "code":{"type":"string"},"name":{"type":"string"},"permissions":{"type":"array","items":{"type":"string"}}}})",
              .success_status = 201,
              .permission = "role.manage",
              .audit = "role.create"});
  router.add({.method = Method::put,
              .path = "/api/roles/{id}/permissions",
              .handler =
                  [&identity](Request& req) {
                    auto body = http::json_object_body(req);
                    return ok_json(role_json(take(
                        identity.set_role_permissions(http::id_param(req, "id"), string_list(body, "permissions")))));
                  },
              .summary = "Replace a role's permissions (not for the builtin administrator roles)",
              .tag = "roles",
              .request_schema = R"({"type":"object","required":["permissions"],"properties":{
                "permissions":{"type":"array","items":{"type":"string"}}}})",
              .permission = "role.manage",
              .audit = "role.update"});
  router.add({.method = Method::get,
              .path = "/api/permissions",
              .handler =
                  [&identity](Request&) {
                    json::array items;
                    for (const auto& [name, description] : identity.permissions())
                      items.push_back(json::object{{"name", name}, {"description", description}});
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "The permission catalogue",
              .tag = "roles",
              .response_schema = kListOf,
              .permission = "role.manage"});

  // ---- for the system administrator: the login log and online users ----
  router.add({.method = Method::get,
              .path = "/api/auth/login-attempts",
              .handler =
                  [&identity, &zone](Request& req) {
                    auto limit = http::limit_param(req, 50, 500);
                    std::int64_t before = 0;
                    if (auto c = req.query("cursor")) {
                      try {
                        before = std::stoll(*c);
                      } catch (const std::exception&) {
                        throw Problem(Error::invalid("cursor", "must be the next_cursor of a previous page"));
                      }
                    }
                    auto rows = identity.login_attempts(before, limit);
                    json::array items;
                    for (const auto& a : rows)
                      items.push_back(json::object{{"id", a.id},
                                                   {"username", a.username},
                                                   {"time", iso(a.time, zone)},
                                                   {"outcome", a.outcome},
                                                   {"reason", a.reason},
                                                   {"source", a.source}});
                    json::value next = rows.size() == limit ? json::value(std::to_string(rows.back().id))
                                                            : json::value(nullptr);
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", next}});
                  },
              .summary = "Every sign-in attempt with its outcome and source address, newest first",
              .tag = "auth",
              .query = {{"limit", "integer", false, "1-500"}, {"cursor", "string", false, "next_cursor"}},
              .response_schema = kListOf,
              .permission = "login_log.read",
              .audit = "auth.login_log.read"});
  router.add({.method = Method::get,
              .path = "/api/sessions",
              .handler =
                  [&identity, &zone](Request& req) {
                    const auto& p = require_principal(req);
                    json::array items;
                    for (const auto& l : identity.live_sessions()) {
                      auto o = session_json(l.session, zone, p.session.id);
                      o["username"] = l.username;
                      o["display_name"] = l.display_name;
                      items.push_back(std::move(o));
                    }
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "Online users: every live session",
              .tag = "auth",
              .response_schema = kListOf,
              .permission = "session.manage"});
  router.add({.method = Method::delete_,
              .path = "/api/sessions/{id}",
              .handler =
                  [&identity](Request& req) {
                    take(identity.end_session(http::id_param(req, "id"), "signed out by the system administrator"));
                    return no_content();
                  },
              .summary = "Force a session to sign out",
              .tag = "auth",
              .success_status = 204,
              .permission = "session.manage",
              .audit = "auth.session.end"});

  // ---- system clients of departments ----
  auto client_in_scope = [&clients](Request& req) {
    auto c = take(clients.get(http::id_param(req, "id")));
    require_permission(req, "client.manage", c.org_path);
    return c;
  };
  router.add({.method = Method::get,
              .path = "/api/clients",
              .handler =
                  [&clients, &orgs, &zone](Request& req) {
                    const auto& p = require_principal(req);
                    std::string path;
                    if (auto org = req.query("org")) path = take(orgs.by_code(*org)).path;
                    json::array items;
                    for (const auto& c : clients.list(path))
                      if (p.can("client.manage", c.org_path)) items.push_back(client_json(c, zone));
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "Registered system clients (the secret is never shown again)",
              .tag = "clients",
              .query = {{"org", "string", false, "Only under this organisation code"}},
              .response_schema = kListOf,
              .permission = "client.manage"});
  router.add({.method = Method::post,
              .path = "/api/clients",
              .handler =
                  [&clients, &orgs, &zone](Request& req) {
                    auto body = http::json_object_body(req);
                    auto org_code = http::required_string(body, "org", 40);
                    auto name = http::required_string(body, "name", 100);
                    auto org = orgs.by_code(org_code);
                    if (!org) throw Problem(Error::invalid("org", "no organisation has this code"));
                    require_permission(req, "client.manage", org->path);
                    auto r = take(clients.register_client(org_code, name));
                    auto o = client_json(r.client, zone);
                    o["secret"] = r.secret;
                    return ok_json(o, 201);
                  },
              .summary = "Register a department's system; the answer holds its secret, shown this once",
              .tag = "clients",
              .request_schema = R"({"type":"object","required":["org","name"],"properties":{"org":{"type":"string"},
                "name":{"type":"string"}}})",
              .response_schema = R"({"type":"object","properties":{"client_id":{"type":"string"},"secret":{"type":"string"}}})",
              .success_status = 201,
              .permission = "client.manage",
              .audit = "client.create"});
  router.add({.method = Method::post,
              .path = "/api/clients/{id}/rotate",
              .handler =
                  [&clients, client_in_scope, &zone](Request& req) {
                    auto c = client_in_scope(req);
                    auto r = take(clients.rotate(c.id));
                    auto o = client_json(r.client, zone);
                    o["secret"] = r.secret;
                    return ok_json(o);
                  },
              .summary = "A new secret (shown once); the old one stays valid for the grace period",
              .tag = "clients",
              .response_schema = R"({"type":"object","properties":{"secret":{"type":"string"},
                "previous_valid_until":{"type":"string"}}})",
              .permission = "client.manage",
              .audit = "client.rotate"});
  for (bool disable : {true, false}) {
    router.add({.method = Method::post,
                .path = disable ? "/api/clients/{id}/disable" : "/api/clients/{id}/enable",
                .handler =
                    [&clients, client_in_scope, disable](Request& req) {
                      take(clients.set_disabled(client_in_scope(req).id, disable));
                      return no_content();
                    },
                .summary = disable ? "Disable a client: its requests are refused" : "Enable a disabled client",
                .tag = "clients",
                .success_status = 204,
                .permission = "client.manage",
                .audit = disable ? "client.disable" : "client.enable"});
  }
  (void)clock;
}

}  // namespace zhengwu::auth
