// Sharing routes; see sharing_routes.hpp.
#include "modules/data/sharing_routes.hpp"

#include <boost/json.hpp>

#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"

namespace zhengwu::data {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

Response ok_json(const json::value& v, int status = 200) { return Response::json(json::serialize(v), status); }

json::array names_json(const std::vector<std::string>& names) {
  json::array a;
  for (const auto& n : names) a.emplace_back(n);
  return a;
}

json::value time_or_null(const std::optional<TimePoint>& t, const TimeZone& zone) {
  return t ? json::value(format_iso8601(*t, zone)) : json::value(nullptr);
}

std::string org_name(auth::OrgDirectory& orgs, const std::string& code) {
  auto o = orgs.by_code(code);
  return o ? o->name : code;
}

struct Caller {
  std::string actor;
  std::optional<auth::Org> org;
  bool apply = false, review = false, oversee = false;
};

Caller caller_of(const Request& req, auth::OrgDirectory& orgs) {
  const auto& p = auth::require_principal(req);
  if (p.client) throw Problem(Error{ErrorCode::forbidden, "sharing is decided by people, not system clients", {}});
  Caller c;
  c.actor = p.user.username;
  if (p.user.org_code)
    if (auto o = orgs.by_code(*p.user.org_code)) c.org = *o;
  c.oversee = p.can(kSharingOversee);
  if (c.org) {
    c.apply = p.can(kSharingApply, c.org->path);
    c.review = p.can(kSharingReview, c.org->path);
  }
  if (!c.apply && !c.review && !c.oversee)
    throw Problem(Error{ErrorCode::forbidden, "needs sharing.apply, sharing.review or sharing.oversee", {}});
  return c;
}

json::object grant_json(const Grant& g, auth::OrgDirectory& orgs, const TimeZone& zone, TimePoint now) {
  return json::object{{"id", g.id},
                      {"resource", g.resource_code},
                      {"resource_name", g.resource_name},
                      {"provider", g.provider},
                      {"provider_name", org_name(orgs, g.provider)},
                      {"consumer_org", g.consumer_org},
                      {"consumer_name", org_name(orgs, g.consumer_org)},
                      {"fields", names_json(g.fields)},
                      {"clear_fields", names_json(g.clear_fields)},
                      {"purpose", g.purpose},
                      {"valid_until", time_or_null(g.valid_until, zone)},
                      {"origin", g.origin},
                      {"application_id", g.application_id ? json::value(*g.application_id) : json::value(nullptr)},
                      {"created_by", g.created_by},
                      {"created_at", format_iso8601(g.created_at, zone)},
                      {"revoked_at", time_or_null(g.revoked_at, zone)},
                      {"revoked_by", g.revoked_by},
                      {"revoke_reason", g.revoke_reason},
                      {"active", g.active_at(now)}};
}

json::object application_json(const ShareApplication& a, const SharingStore& sharing, auth::OrgDirectory& orgs,
                              const TimeZone& zone) {
  json::object o{{"id", a.id},
                 {"resource", a.resource_code},
                 {"resource_name", a.resource_name},
                 {"provider", a.provider},
                 {"provider_name", org_name(orgs, a.provider)},
                 {"consumer_org", a.consumer_org},
                 {"consumer_name", org_name(orgs, a.consumer_org)},
                 {"fields", names_json(a.fields)},
                 {"clear_fields", names_json(a.clear_fields)},
                 {"purpose", a.purpose},
                 {"legal_basis", a.legal_basis},
                 {"duration_days", a.duration_days},
                 {"state", to_string(a.state)},
                 {"applied_by", a.applied_by},
                 {"applied_at", format_iso8601(a.applied_at, zone)},
                 {"due_on", format_date(a.due_on)},
                 {"escalated", a.escalated_at.has_value()},
                 {"escalated_at", time_or_null(a.escalated_at, zone)},
                 {"decided_by", a.decided_by},
                 {"decided_at", time_or_null(a.decided_at, zone)},
                 {"decision_note", a.decision_note},
                 {"grant_id", a.grant_id ? json::value(*a.grant_id) : json::value(nullptr)}};
  if (a.state == ApplicationState::pending) {
    const auto calendar = sharing.working_calendar();
    const auto today = sharing.today();
    o["working_days_left"] = working_days_left(*calendar, today, a.due_on);
    o["deadline"] = to_string(deadline_status(*calendar, today, a.due_on));
  } else {
    o["working_days_left"] = nullptr;
    o["deadline"] = nullptr;
  }
  return o;
}

std::vector<std::string> string_list(const json::object& body, std::string_view name, bool required) {
  std::vector<std::string> out;
  const auto* v = body.if_contains(name);
  if (!v || v->is_null()) {
    if (required) throw Problem(Error::invalid(std::string(name), "is required: a list of field names"));
    return out;
  }
  if (!v->is_array()) throw Problem(Error::invalid(std::string(name), "must be a list of field names"));
  const auto& a = v->as_array();
  if (a.size() > 500) throw Problem(Error::invalid(std::string(name), "at most 500 names"));
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string() || a[i].as_string().size() > 64)
      throw Problem(Error::invalid(std::string(name) + "[" + std::to_string(i) + "]", "must be a field name"));
    out.emplace_back(a[i].as_string());
  }
  return out;
}

std::optional<int> duration_of(const json::object& body) {
  auto d = http::optional_int(body, "duration_days");
  if (!d) return std::nullopt;
  if (*d < 1 || *d > kMaxGrantDays)
    throw Problem(Error::invalid("duration_days", "must be 1 to " + std::to_string(kMaxGrantDays) + " days"));
  return static_cast<int>(*d);
}

std::string side_of(const Request& req, const Caller& c) {
  auto side = req.query("side").value_or(c.oversee && !c.org ? "all" : "consumer");
  if (side != "consumer" && side != "provider" && side != "escalated" && side != "all")
    throw Problem(Error::invalid("side", "must be consumer, provider, escalated or all"));
  if ((side == "all" || side == "escalated") && !c.oversee)
    throw Problem(Error{ErrorCode::forbidden, "only the big-data centre (sharing.oversee) lists every side", {}});
  if ((side == "consumer" || side == "provider") && !c.org)
    throw Problem(Error::invalid("side", "the caller belongs to no organisation"));
  return side;
}

constexpr const char* kApplicationSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "resource":{"type":"string"},"consumer_org":{"type":"string"},"fields":{"type":"array","items":{"type":"string"}},
  "clear_fields":{"type":"array","items":{"type":"string"}},"purpose":{"type":"string"},"legal_basis":{"type":"string"},
  "duration_days":{"type":"integer"},"state":{"type":"string","enum":["pending","approved","refused","withdrawn"]},
  "due_on":{"type":"string","format":"date"},"working_days_left":{"type":["integer","null"]},
  "deadline":{"type":["string","null"],"enum":["on_time","due_soon","due_today","overdue",null]},
  "escalated":{"type":"boolean"},"decision_note":{"type":"string"},"grant_id":{"type":["integer","null"]}}})";
constexpr const char* kGrantSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "resource":{"type":"string"},"consumer_org":{"type":"string"},"fields":{"type":"array","items":{"type":"string"}},
  "clear_fields":{"type":"array","items":{"type":"string"}},"purpose":{"type":"string"},
  "valid_until":{"type":["string","null"]},"origin":{"type":"string","enum":["request","application","operator"]},
  "revoked_at":{"type":["string","null"]},"revoke_reason":{"type":"string"},"active":{"type":"boolean"}}})";

}  // namespace

std::string grant_json_text(const Grant& grant, auth::OrgDirectory& orgs, const TimeZone& zone, TimePoint now) {
  return json::serialize(grant_json(grant, orgs, zone, now));
}

void register_sharing_permissions(auth::Identity& identity) {
  identity.register_permission(kSharingApply, "申请使用其他部门的共享数据");
  identity.register_permission(kSharingReview, "审批本单位数据资源的共享申请、撤销授权");
  identity.register_permission(kSharingOversee, "监督全部共享申请与授权、处理超期申请（大数据中心）");
}

void add_sharing_routes(http::Router& router, SharingStore& sharing, auth::Identity& identity,
                        auth::OrgDirectory& orgs, const TimeZone& zone) {
  register_sharing_permissions(identity);
  SharingStore* store = &sharing;
  auth::OrgDirectory* dir = &orgs;
  const TimeZone* tz = &zone;

  router.add({.method = Method::post,
              .path = "/api/sharing/applications",
              .handler =
                  [store, dir, tz](Request& req) {
                    auto c = caller_of(req, *dir);
                    if (!c.apply || !c.org)
                      throw Problem(Error{ErrorCode::forbidden, "needs sharing.apply in the consumer department", {}});
                    auto body = http::json_object_body(req);
                    ShareRequest r;
                    r.resource_code = http::required_string(body, "resource", 64);
                    r.consumer_org = c.org->code;
                    r.fields = string_list(body, "fields", true);
                    r.clear_fields = string_list(body, "clear_fields", false);
                    r.purpose = http::required_string(body, "purpose", kMaxPurposeChars);
                    r.legal_basis = http::optional_string(body, "legal_basis", 500).value_or("");
                    r.duration_days = duration_of(body).value_or(365);
                    r.actor = c.actor;
                    auto out = take(store->request(r));
                    auth::audit_note(req, "audit.object_id", r.resource_code);
                    if (out.grant)
                      return ok_json(json::object{{"outcome", "granted"},
                                                  {"grant", grant_json(*out.grant, *dir, *tz, out.grant->created_at)}},
                                     201);
                    return ok_json(json::object{{"outcome", "pending"},
                                                {"application", application_json(*out.application, *store, *dir, *tz)}},
                                   201);
                  },
              .summary = "Ask for a shared resource: unconditional ones are granted at once, conditional ones "
                         "(or personal fields in clear) become an application due in 10 working days",
              .tag = "sharing",
              .request_schema = R"({"type":"object","required":["resource","fields","purpose"],"properties":{
                "resource":{"type":"string"},"fields":{"type":"array","items":{"type":"string"}},
                "clear_fields":{"type":"array","items":{"type":"string"}},"purpose":{"type":"string","maxLength":200},
                "legal_basis":{"type":"string","maxLength":500},"duration_days":{"type":"integer","minimum":1,"maximum":1826}}})",
              .response_schema = R"({"type":"object","properties":{"outcome":{"type":"string","enum":["granted","pending"]},
                "grant":{"type":"object"},"application":{"type":"object"}}})",
              .success_status = 201,
              .body_limit = 64 * 1024,
              .signed_in = true,
              .audit = "sharing.apply"});

  router.add({.method = Method::get,
              .path = "/api/sharing/applications",
              .handler =
                  [store, dir, tz](Request& req) {
                    auto c = caller_of(req, *dir);
                    const auto side = side_of(req, c);
                    ApplicationQuery q;
                    if (side == "consumer") q.consumer_org = c.org->code;
                    if (side == "provider") q.provider_org = c.org->code;
                    if (side == "escalated") q.escalated = true;
                    if (auto st = req.query("state"); st && !st->empty()) {
                      for (auto s : {ApplicationState::pending, ApplicationState::approved, ApplicationState::refused,
                                     ApplicationState::withdrawn})
                        if (to_string(s) == *st) q.state = s;
                      if (!q.state) throw Problem(Error::invalid("state", "must be pending, approved, refused or withdrawn"));
                    }
                    if (auto r = req.query("resource"); r && !r->empty()) q.resource_code = *r;
                    q.limit = http::limit_param(req, 50, 200);
                    q.before_id = http::id_cursor_param(req);
                    auto page = store->applications(q);
                    json::array items;
                    for (const auto& a : page.items) items.push_back(application_json(a, *store, *dir, *tz));
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", http::id_cursor_json(page.next_cursor)}});
                  },
              .summary = "Sharing applications of my department (side=consumer or provider) or, for the big-data "
                         "centre, every or the escalated ones; newest first",
              .tag = "sharing",
              .query = {{"side", "string", false, "consumer (default), provider, escalated, all"},
                        {"state", "string", false, "pending, approved, refused, withdrawn"},
                        {"resource", "string", false, "a resource code"},
                        {"limit", "integer", false, "page size, at most 200"},
                        {"cursor", "string", false, "next_cursor of the previous page"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}},
                "next_cursor":{"type":["string","null"]}}})",
              .signed_in = true});

  // Who may read one application: its consumer, its provider, the centre.
  auto readable = [store, dir](const Request& req, const Caller& c) {
    auto a = take(store->application(http::id_param(req, "id")));
    const bool mine = c.org && (a.consumer_org == c.org->code || a.provider == c.org->code);
    if (!mine && !c.oversee) throw Problem(Error::not_found("no sharing application " + std::to_string(a.id)));
    return a;
  };

  router.add({.method = Method::get,
              .path = "/api/sharing/applications/{id}",
              .handler =
                  [store, dir, tz, readable](Request& req) {
                    auto c = caller_of(req, *dir);
                    return ok_json(application_json(readable(req, c), *store, *dir, *tz));
                  },
              .summary = "One sharing application with its deadline",
              .tag = "sharing",
              .response_schema = kApplicationSchema,
              .signed_in = true});

  router.add({.method = Method::post,
              .path = "/api/sharing/applications/{id}/decide",
              .handler =
                  [store, dir, tz, readable](Request& req) {
                    auto c = caller_of(req, *dir);
                    auto a = readable(req, c);
                    const bool provider = c.org && c.org->code == a.provider && c.review;
                    if (!provider && !c.oversee)
                      throw Problem(Error{ErrorCode::forbidden, "the provider (sharing.review) decides this application", {}});
                    auto body = http::json_object_body(req);
                    const auto decision = http::required_string(body, "decision", 10);
                    if (decision != "approve" && decision != "refuse")
                      throw Problem(Error::invalid("decision", "must be approve or refuse"));
                    ShareDecision d;
                    d.approve = decision == "approve";
                    if (body.contains("fields")) d.fields = string_list(body, "fields", true);
                    if (body.contains("clear_fields")) d.clear_fields = string_list(body, "clear_fields", false);
                    d.duration_days = duration_of(body);
                    d.note = http::optional_string(body, "note", 1000).value_or("");
                    d.actor = c.actor;
                    d.as_centre = !provider;
                    return ok_json(application_json(take(store->decide(a.id, d)), *store, *dir, *tz));
                  },
              .summary = "Approve an application (possibly fewer fields, fewer in clear, a shorter duration) or "
                         "refuse it with the reason",
              .tag = "sharing",
              .request_schema = R"({"type":"object","required":["decision"],"properties":{
                "decision":{"type":"string","enum":["approve","refuse"]},"fields":{"type":"array","items":{"type":"string"}},
                "clear_fields":{"type":"array","items":{"type":"string"}},"duration_days":{"type":"integer"},
                "note":{"type":"string","maxLength":1000}}})",
              .response_schema = kApplicationSchema,
              .body_limit = 64 * 1024,
              .signed_in = true,
              .audit = "sharing.decide"});

  router.add({.method = Method::post,
              .path = "/api/sharing/applications/{id}/withdraw",
              .handler =
                  [store, dir, tz, readable](Request& req) {
                    auto c = caller_of(req, *dir);
                    auto a = readable(req, c);
                    if (!c.org || c.org->code != a.consumer_org || !c.apply)
                      throw Problem(Error{ErrorCode::forbidden, "the applying department withdraws its application", {}});
                    return ok_json(application_json(take(store->withdraw(a.id, c.actor)), *store, *dir, *tz));
                  },
              .summary = "Withdraw a pending application (the applying department)",
              .tag = "sharing",
              .response_schema = kApplicationSchema,
              .signed_in = true,
              .audit = "sharing.withdraw"});

  router.add({.method = Method::get,
              .path = "/api/sharing/grants",
              .handler =
                  [store, dir, tz](Request& req) {
                    auto c = caller_of(req, *dir);
                    auto side = side_of(req, c);
                    if (side == "escalated") throw Problem(Error::invalid("side", "must be consumer, provider or all"));
                    GrantQuery q;
                    if (side == "consumer") q.consumer_org = c.org->code;
                    if (side == "provider") q.provider_org = c.org->code;
                    if (auto r = req.query("resource"); r && !r->empty()) q.resource_code = *r;
                    if (auto a = req.query("active"); a && !a->empty()) {
                      if (*a != "true" && *a != "false") throw Problem(Error::invalid("active", "must be true or false"));
                      q.active = *a == "true";
                    }
                    q.limit = http::limit_param(req, 50, 200);
                    q.before_id = http::id_cursor_param(req);
                    auto page = store->grants(q);
                    const auto now = store->now();
                    json::array items;
                    for (const auto& g : page.items) items.push_back(grant_json(g, *dir, *tz, now));
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", http::id_cursor_json(page.next_cursor)}});
                  },
              .summary = "Grants my department holds (side=consumer) or gave on its resources (side=provider); "
                         "every grant for the big-data centre (side=all)",
              .tag = "sharing",
              .query = {{"side", "string", false, "consumer (default), provider, all"},
                        {"resource", "string", false, "a resource code"},
                        {"active", "boolean", false, "true: in force; false: revoked or expired"},
                        {"limit", "integer", false, "page size, at most 200"},
                        {"cursor", "string", false, "next_cursor of the previous page"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}},
                "next_cursor":{"type":["string","null"]}}})",
              .signed_in = true});

  router.add({.method = Method::post,
              .path = "/api/sharing/grants/{id}/revoke",
              .handler =
                  [store, dir, tz](Request& req) {
                    auto c = caller_of(req, *dir);
                    auto g = take(store->grant(http::id_param(req, "id")));
                    const bool provider = c.org && c.org->code == g.provider && c.review;
                    if (!provider && !c.oversee) {
                      if (c.org && c.org->code == g.consumer_org)
                        throw Problem(Error{ErrorCode::forbidden, "the provider (sharing.review) revokes a grant", {}});
                      throw Problem(Error::not_found("no grant " + std::to_string(g.id)));
                    }
                    auto body = http::json_object_body(req);
                    auto reason = http::required_string(body, "reason", 500);
                    auto revoked = take(store->revoke(g.id, reason, c.actor));
                    return ok_json(grant_json(revoked, *dir, *tz, store->now()));
                  },
              .summary = "Revoke a grant with the reason (its provider, or the big-data centre); the exchange "
                         "refuses it from then on",
              .tag = "sharing",
              .request_schema = R"({"type":"object","required":["reason"],"properties":{"reason":{"type":"string","maxLength":500}}})",
              .response_schema = kGrantSchema,
              .body_limit = 16 * 1024,
              .signed_in = true,
              .audit = "sharing.revoke"});
}

}  // namespace zhengwu::data
