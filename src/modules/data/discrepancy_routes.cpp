// The discrepancy routes; see discrepancy_routes.hpp.
#include "modules/data/discrepancy_routes.hpp"

#include <boost/json.hpp>

#include <map>

#include "kernel/auth/guard.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"
#include "modules/data/catalog_routes.hpp"
#include "modules/data/discrepancies.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr const char* kItemSchema = R"JSON({"type":"object","properties":{
  "id":{"type":"integer"},
  "resource":{"type":"object","properties":{"code":{"type":"string"},"name":{"type":"string"}}},
  "key":{"type":"string","description":"the record key (key fields joined by U+001F)"},
  "field":{"type":"object","properties":{"name":{"type":"string"},"label":{"type":"string"}}},
  "authority":{"type":"object","properties":{"code":{"type":"string"},"name":{"type":"string"}}},
  "authoritative_value":{"type":["string","null"],"description":"as stored when proposed; null: none yet"},
  "proposed_value":{"type":"string"},
  "current_value":{"type":["string","null"],"description":"what the record holds now"},
  "proposer":{"type":"object","properties":{"code":{"type":"string"},"name":{"type":"string"}}},
  "batch":{"type":["integer","null"]},
  "created_at":{"type":"string"},
  "state":{"type":"string","enum":["open","accepted","rejected"]},
  "resolution":{"type":["object","null"],"properties":{"by":{"type":"string"},"at":{"type":"string"},
    "reason":{"type":"string"}}},
  "can_resolve":{"type":"boolean","description":"the caller may accept or reject it"}}})JSON";

// Resources by id, read once per request for their names and field labels.
class ResourceNames {
 public:
  explicit ResourceNames(CatalogStore& catalog) : catalog_(catalog) {}
  const CatalogResource* get(const std::string& code) {
    auto it = cache_.find(code);
    if (it == cache_.end()) {
      auto r = catalog_.get(code);
      it = cache_.emplace(code, r ? std::optional<CatalogResource>(std::move(*r)) : std::nullopt).first;
    }
    return it->second ? &*it->second : nullptr;
  }

 private:
  CatalogStore& catalog_;
  std::map<std::string, std::optional<CatalogResource>> cache_;
};

// Staff of the authority with catalog.resource.edit over it.
bool may_resolve(const DiscrepancyServices& s, const auth::Principal& p, const Discrepancy& d) {
  if (p.client || p.user.org_code != d.authority_org) return false;
  auto org = s.orgs.by_code(d.authority_org);
  return org && p.can(kCatalogEdit, org->path);
}

bool may_see(const auth::Principal& p, const Discrepancy& d) {
  if (p.can(kCatalogPublish)) return true;
  return !p.client && p.user.org_code && (*p.user.org_code == d.authority_org || *p.user.org_code == d.proposer_org);
}

json::object item_json(const DiscrepancyServices& s, const auth::Principal& p, const Discrepancy& d,
                       ResourceNames& names) {
  const CatalogResource* resource = names.get(d.resource_code);
  std::string label = d.field;
  // What the record holds now, so that an accepted value (or a later write by the
  // authority) shows beside what was proposed.
  json::value current = nullptr;
  if (resource) {
    for (std::size_t f = 0; f < resource->spec.fields.size(); ++f) {
      if (resource->spec.fields[f].name != d.field) continue;
      label = resource->spec.fields[f].label;
      if (auto r = RecordStore(s.db, s.clock).get(resource->id, resource->spec.fields, d.record_key); r && r->values[f])
        current = json::value(*r->values[f]);
    }
  }
  json::value resolution = nullptr;
  if (d.state != DiscrepancyState::open)
    resolution = json::object{{"by", d.resolved_by.value_or("")},
                              {"at", d.resolved_at ? format_iso8601(*d.resolved_at, s.zone) : ""},
                              {"reason", d.reason}};
  return json::object{
      {"id", d.id},
      {"resource", json::object{{"code", d.resource_code}, {"name", resource ? resource->spec.name : ""}}},
      {"key", d.record_key},
      {"field", json::object{{"name", d.field}, {"label", label}}},
      {"authority", json::object{{"code", d.authority_org}, {"name", d.authority_name}}},
      {"authoritative_value", d.authoritative_value ? json::value(*d.authoritative_value) : json::value(nullptr)},
      {"proposed_value", d.proposed_value},
      {"current_value", std::move(current)},
      {"proposer", json::object{{"code", d.proposer_org}, {"name", d.proposer_name}}},
      {"batch", d.batch ? json::value(*d.batch) : json::value(nullptr)},
      {"created_at", format_iso8601(d.created_at, s.zone)},
      {"state", to_string(d.state)},
      {"resolution", std::move(resolution)},
      {"can_resolve", d.state == DiscrepancyState::open && may_resolve(s, p, d)}};
}

// The discrepancy, when the caller is its authority's editor: 404 when they may not see
// it, 403 when they see it but do not resolve it.
Discrepancy resolvable(const DiscrepancyServices& s, const Request& req, std::int64_t id) {
  const auto& p = auth::require_principal(req);
  auto d = take(Discrepancies(s.db, s.clock).get(id));
  if (!may_see(p, d)) throw Problem(Error::not_found("no discrepancy " + std::to_string(id)));
  if (!may_resolve(s, p, d))
    throw Problem(Error{ErrorCode::forbidden,
                        "only the authority of " + d.field + " (" + d.authority_org + ") resolves this discrepancy",
                        {}});
  return d;
}

Response reply(const DiscrepancyServices& s, const Request& req, const Discrepancy& d) {
  ResourceNames names(s.catalog);
  return Response::json(json::serialize(item_json(s, auth::require_principal(req), d, names)));
}

}  // namespace

void add_discrepancy_routes(http::Router& router, DiscrepancyServices s) {
  router.add({.method = Method::get,
              .path = "/api/discrepancies",
              .handler =
                  [s](Request& req) {
                    const auto& p = auth::require_principal(req);
                    DiscrepancyQuery q;
                    if (!p.can(kCatalogPublish)) {
                      if (p.client || !p.user.org_code)
                        throw Problem(Error{ErrorCode::forbidden, "discrepancies are listed for department staff", {}});
                      q.visible_to = {*p.user.org_code};
                    }
                    ResourceNames names(s.catalog);
                    if (auto code = req.query("resource")) {
                      auto r = s.catalog.get(*code);
                      if (!r) throw Problem(Error::invalid("resource", "no resource has the code " + std::string(*code)));
                      q.resource_id = r->id;
                    }
                    if (auto org = req.query("org"); org && !org->empty()) q.org = std::string(*org);
                    q.side = std::string(req.query("side").value_or(""));
                    if (!q.side.empty() && q.side != "authority" && q.side != "proposer")
                      throw Problem(Error::invalid("side", "must be authority or proposer"));
                    if (!q.side.empty() && !q.org) {
                      if (!p.user.org_code) throw Problem(Error::invalid("org", "name the organisation of the side"));
                      q.org = *p.user.org_code;
                    }
                    if (auto st = req.query("state"); st && !st->empty() && *st != "all") {
                      q.state = discrepancy_state_from(*st);
                      if (!q.state) throw Problem(Error::invalid("state", "must be open, accepted, rejected or all"));
                    }
                    q.before_id = http::id_cursor_param(req).value_or(0);
                    q.limit = http::limit_param(req, 50, 200);
                    auto rows = Discrepancies(s.db, s.clock).list(q);
                    json::array items;
                    for (const auto& d : rows) items.push_back(item_json(s, p, d, names));
                    return Response::json(json::serialize(json::object{
                        {"items", std::move(items)},
                        {"next_cursor",
                         rows.size() == q.limit ? json::value(std::to_string(rows.back().id)) : json::value(nullptr)}}));
                  },
              .summary = "Discrepancies (一数一源): values proposed by a department that is not the field's authority, "
                         "newest first — the caller's organisation's to resolve and to follow; all for the big-data centre",
              .tag = "discrepancies",
              .query = {{"resource", "string", false, "A resource's code"},
                        {"org", "string", false, "An organisation's code: where it is the authority or the proposer"},
                        {"side", "string", false, "authority or proposer: narrows `org` (default: the caller's) to one side"},
                        {"state", "string", false, "open, accepted, rejected or all (default)"},
                        {"cursor", "string", false, "next_cursor of the previous page"},
                        {"limit", "integer", false, "At most 200 (default 50)"}},
              .response_schema = std::string(R"({"type":"object","properties":{"items":{"type":"array","items":)") +
                                 kItemSchema + R"(},"next_cursor":{"type":["string","null"]}}})",
              .permission = kCatalogRead});

  router.add({.method = Method::post,
              .path = "/api/discrepancies/{id}/accept",
              .handler =
                  [s](Request& req) {
                    auto d = resolvable(s, req, http::id_param(req, "id"));
                    auto body = req.body.empty() ? json::object{} : http::json_object_body(req);
                    auto reason = http::optional_string(body, "reason", 500).value_or("");
                    auto resource = take(s.catalog.get(d.resource_code));
                    const auto& p = auth::require_principal(req);
                    return reply(s, req,
                                 take(Discrepancies(s.db, s.clock).accept(d.id, resource.spec.fields, p.user.username, reason)));
                  },
              .summary = "Accept a proposed value: it is written into the record as the authority's (new revision, "
                         "history kept), with the state change in one transaction",
              .tag = "discrepancies",
              .request_schema = R"({"type":"object","properties":{"reason":{"type":"string","maxLength":500}}})",
              .response_schema = kItemSchema,
              .body_limit = 16 * 1024,
              .permission = kCatalogEdit,
              .audit = "data.discrepancy.accept"});

  router.add({.method = Method::post,
              .path = "/api/discrepancies/{id}/reject",
              .handler =
                  [s](Request& req) {
                    auto d = resolvable(s, req, http::id_param(req, "id"));
                    auto body = http::json_object_body(req);
                    auto reason = http::required_string(body, "reason", 500);
                    const auto& p = auth::require_principal(req);
                    return reply(s, req, take(Discrepancies(s.db, s.clock).reject(d.id, p.user.username, reason)));
                  },
              .summary = "Reject a proposed value, saying why; the authoritative value stays",
              .tag = "discrepancies",
              .request_schema = R"({"type":"object","required":["reason"],"properties":{
                "reason":{"type":"string","minLength":1,"maxLength":500}}})",
              .response_schema = kItemSchema,
              .body_limit = 16 * 1024,
              .permission = kCatalogEdit,
              .audit = "data.discrepancy.reject"});
}

}  // namespace zhengwu::data
