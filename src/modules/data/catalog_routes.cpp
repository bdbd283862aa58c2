// The catalog routes; see catalog_routes.hpp.
#include "modules/data/catalog_routes.hpp"

#include <boost/json.hpp>

#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"

namespace zhengwu::data {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr const char* kResourceSchema = R"({"type":"object","properties":{"code":{"type":"string"},
  "name":{"type":"string"},"provider":{"type":"string"},"provider_name":{"type":"string"},
  "category":{"type":"string","enum":["base","thematic","departmental"]},"summary":{"type":"string"},
  "share_type":{"type":"string","enum":["unconditional","conditional","none"]},
  "open_type":{"type":"string","enum":["open","conditional","closed"]},
  "update_cycle":{"type":"string","enum":["realtime","daily","weekly","monthly","quarterly","yearly"]},
  "state":{"type":"string","enum":["draft","submitted","published","retired"]},"version":{"type":"integer"},
  "fields":{"type":"array"},"events":{"type":"array"}}})";
constexpr const char* kSpecSchema = R"({"type":"object","required":["code","name","provider","category",
  "share_type","open_type","update_cycle","fields"],"properties":{"code":{"type":"string"},"name":{"type":"string"},
  "provider":{"type":"string","description":"org code"},"category":{"type":"string"},"summary":{"type":"string"},
  "share_type":{"type":"string"},"open_type":{"type":"string"},"update_cycle":{"type":"string"},
  "fields":{"type":"array","items":{"type":"object","required":["name","label","type","sensitivity"],
  "properties":{"name":{"type":"string"},"label":{"type":"string"},"type":{"type":"string"},
  "length":{"type":"integer"},"required":{"type":"boolean"},"key":{"type":"boolean"},
  "sensitivity":{"type":"string","enum":["public","internal","personal","sensitive"]},
  "authority":{"type":"string"},"code_table":{"type":"string"}}}}}})";

Response ok_json(const json::value& v, int status = 200) { return Response::json(json::serialize(v), status); }

json::value opt_time(const std::optional<TimePoint>& t, const TimeZone& zone) {
  return t ? json::value(format_iso8601(*t, zone)) : json::value(nullptr);
}

json::object summary_json(const CatalogResource& r, const TimeZone& zone) {
  const auto& s = r.spec;
  return json::object{{"code", s.code},
                      {"name", s.name},
                      {"provider", s.provider},
                      {"provider_name", r.provider_name},
                      {"category", to_string(s.category)},
                      {"summary", s.summary},
                      {"share_type", to_string(s.share_type)},
                      {"open_type", to_string(s.open_type)},
                      {"update_cycle", to_string(s.update_cycle)},
                      {"state", to_string(r.state)},
                      {"version", r.version},
                      {"field_count", s.fields.size()},
                      {"updated_at", format_iso8601(r.updated_at, zone)},
                      {"published_at", opt_time(r.published_at, zone)}};
}

json::object resource_json(const CatalogResource& r, const std::vector<LifecycleEvent>& events, const TimeZone& zone) {
  json::object o = summary_json(r, zone);
  json::array fields;
  for (const auto& f : r.spec.fields) {
    json::object x{{"name", f.name},
                   {"label", f.label},
                   {"type", to_string(f.type)},
                   {"required", f.required},
                   {"key", f.key},
                   {"sensitivity", to_string(f.sensitivity)},
                   {"length", f.length ? json::value(*f.length) : json::value(nullptr)},
                   {"authority", f.authority ? json::value(*f.authority) : json::value(nullptr)},
                   {"code_table", f.code_table ? json::value(*f.code_table) : json::value(nullptr)}};
    fields.push_back(std::move(x));
  }
  o["fields"] = std::move(fields);
  o["review_note"] = r.review_note;
  o["created_at"] = format_iso8601(r.created_at, zone);
  json::array history;
  for (const auto& e : events)
    history.push_back(json::object{{"from", e.from ? json::value(to_string(*e.from)) : json::value(nullptr)},
                                   {"to", to_string(e.to)},
                                   {"actor", e.actor},
                                   {"note", e.note},
                                   {"at", format_iso8601(e.at, zone)}});
  o["events"] = std::move(history);
  return o;
}

std::string actor_of(const Request& req) {
  const auto& p = auth::require_principal(req);
  return p.client ? "client:" + p.client->client_id : p.user.username;
}

// The body as a spec; `publish` is never taken from a request: publishing is review's.
ResourceSpec spec_body(const Request& req) {
  auto body = http::json_object_body(req);
  auto spec = take(parse_resource_spec(body));
  spec.publish = false;
  return spec;
}

std::string org_path(auth::OrgDirectory& orgs, const std::string& code, const char* field) {
  auto org = orgs.by_code(code);
  if (!org) throw Problem(Error::invalid(field, "no organisation has the code " + code));
  return org->path;
}

}  // namespace

void register_catalog_permissions(auth::Identity& identity) {
  identity.register_permission(kCatalogRead, "浏览和检索数据资源目录");
  identity.register_permission(kCatalogEdit, "编制本单位的数据资源目录并提交审核");
  identity.register_permission(kCatalogPublish, "审核、发布和停用数据资源目录（大数据中心）");
}

void add_catalog_routes(http::Router& router, CatalogStore& store, auth::Identity& identity, auth::OrgDirectory& orgs,
                        const TimeZone& zone) {
  register_catalog_permissions(identity);

  router.add({.method = Method::get,
              .path = "/api/catalog/resources",
              .handler =
                  [&store, &orgs, &zone](Request& req) {
                    const auto& p = auth::require_principal(req);
                    CatalogQuery q;
                    q.text = req.query("q").value_or("");
                    if (q.text.size() > 200) throw Problem(Error::invalid("q", "must have at most 200 bytes"));
                    q.providers = http::list_param(req, "provider");
                    q.share_types = http::list_param(req, "share_type");
                    q.open_types = http::list_param(req, "open_type");
                    q.categories = http::list_param(req, "category");
                    q.states = http::list_param(req, "state");
                    q.limit = http::limit_param(req, 20, 100);
                    if (auto offset = req.query("offset")) {
                      try {
                        q.offset = static_cast<std::size_t>(std::stoull(*offset));
                      } catch (const std::exception&) {
                        throw Problem(Error::invalid("offset", "must be a whole number"));
                      }
                    }
                    // Drafts and resources under review belong to their provider and the
                    // reviewers: others see the published (and retired) catalog.
                    if (!p.can(kCatalogPublish)) {
                      const bool unpublished = q.states.empty() || std::any_of(q.states.begin(), q.states.end(), [](auto& s) {
                                                 return s == "draft" || s == "submitted";
                                               });
                      if (unpublished && q.states.empty()) {
                        q.states = {"published", "retired"};
                      } else if (unpublished) {
                        if (q.providers.empty())
                          throw Problem(Error::invalid("provider", "name your organisation to see its drafts"));
                        for (const auto& code : q.providers)
                          if (!p.can(kCatalogEdit, org_path(orgs, code, "provider")))
                            throw Problem(Error{ErrorCode::forbidden,
                                                "only " + code + "'s catalog editors and the reviewers see its drafts",
                                                {}});
                      }
                    }
                    auto page = store.search(q);
                    json::array items;
                    for (std::size_t i = 0; i < page.items.size(); ++i) {
                      auto o = summary_json(page.items[i], zone);
                      o["score"] = page.scores[i];
                      items.push_back(std::move(o));
                    }
                    json::object facets;
                    for (const auto& [facet, counts] : page.facets) {
                      json::object c;
                      for (const auto& [value, n] : counts) c[value] = n;
                      facets[facet] = std::move(c);
                    }
                    const std::size_t next = q.offset + page.items.size();
                    return ok_json(json::object{{"items", std::move(items)},
                                                {"total", page.total},
                                                {"facets", std::move(facets)},
                                                {"next_offset", next < page.total ? json::value(next) : json::value(nullptr)}});
                  },
              .summary = "Search the catalog (Chinese full text over names, summaries and fields) with filters",
              .tag = "catalog",
              .query = {{"q", "string", false, "Words to find (社保, 户籍); ranked by relevance"},
                        {"provider", "string", false, "Provider org codes, comma-separated"},
                        {"share_type", "string", false, "unconditional, conditional, none (comma-separated)"},
                        {"open_type", "string", false, "open, conditional, closed"},
                        {"category", "string", false, "base, thematic, departmental"},
                        {"state", "string", false, "draft, submitted, published, retired"},
                        {"offset", "integer", false, "Results to skip"},
                        {"limit", "integer", false, "At most 100"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array"},"total":{"type":"integer"},
                "facets":{"type":"object"},"next_offset":{"type":["integer","null"]}}})",
              .permission = kCatalogRead});

  router.add({.method = Method::get,
              .path = "/api/catalog/resources/{code}",
              .handler =
                  [&store, &orgs, &zone](Request& req) {
                    const auto& p = auth::require_principal(req);
                    auto r = take(store.get(req.param("code")));
                    if ((r.state == ResourceState::draft || r.state == ResourceState::submitted) &&
                        !p.can(kCatalogPublish) && !p.can(kCatalogEdit, org_path(orgs, r.spec.provider, "provider")))
                      throw Problem(Error::not_found("no resource " + r.spec.code + " in the catalog"));
                    return ok_json(resource_json(r, store.events(r.spec.code), zone));
                  },
              .summary = "One resource: its description, fields (type, sensitivity, authority, key) and history",
              .tag = "catalog",
              .response_schema = kResourceSchema,
              .permission = kCatalogRead});

  router.add({.method = Method::get,
              .path = "/api/catalog/resources/{code}/versions",
              .handler =
                  [&store, &zone](Request& req) {
                    take(store.get(req.param("code")));
                    json::array items;
                    for (const auto& v : store.versions(req.param("code"))) {
                      json::array fields;
                      for (const auto& f : v.spec.fields)
                        fields.push_back(json::object{{"name", f.name}, {"label", f.label}, {"type", to_string(f.type)}});
                      items.push_back(json::object{{"version", v.version},
                                                   {"change", v.change},
                                                   {"actor", v.actor},
                                                   {"created_at", format_iso8601(v.created_at, zone)},
                                                   {"fields", std::move(fields)}});
                    }
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "Every version of a resource's schema, oldest first",
              .tag = "catalog",
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array"}}})",
              .permission = kCatalogRead});

  router.add({.method = Method::post,
              .path = "/api/catalog/resources",
              .handler =
                  [&store, &orgs, &zone](Request& req) {
                    auto spec = spec_body(req);
                    auth::audit_note(req, "audit.object_id", spec.code);
                    auth::require_permission(req, kCatalogEdit, org_path(orgs, spec.provider, "provider"));
                    if (store.get(spec.code))
                      throw Problem(Error{ErrorCode::conflict, "the catalog has a resource " + spec.code + " already",
                                          {{"code", "is taken"}}});
                    take(store.apply(spec, actor_of(req)));
                    auto r = take(store.get(spec.code));
                    return ok_json(resource_json(r, store.events(spec.code), zone), 201);
                  },
              .summary = "Describe a new resource (a draft of the provider)",
              .tag = "catalog",
              .request_schema = kSpecSchema,
              .response_schema = kResourceSchema,
              .success_status = 201,
              .body_limit = 1024 * 1024,
              .permission = kCatalogEdit,
              .audit = "catalog.resource.create"});

  router.add({.method = Method::put,
              .path = "/api/catalog/resources/{code}",
              .handler =
                  [&store, &orgs, &zone](Request& req) {
                    const std::string code(req.param("code"));
                    auth::audit_note(req, "audit.object_id", code);
                    auto current = take(store.get(code));
                    auth::require_permission(req, kCatalogEdit, org_path(orgs, current.spec.provider, "provider"));
                    auto spec = spec_body(req);
                    if (spec.code != code) throw Problem(Error::invalid("code", "must be " + code + ", the resource edited"));
                    if (spec.provider != current.spec.provider)
                      auth::require_permission(req, kCatalogEdit, org_path(orgs, spec.provider, "provider"));
                    if (current.state == ResourceState::submitted)
                      throw Problem(Error::conflict("resource " + code + " is under review; edit it after the decision"));
                    if (current.state == ResourceState::retired)
                      throw Problem(Error::conflict("resource " + code + " is retired"));
                    auto applied = take(store.apply(spec, actor_of(req)));
                    auto r = take(store.get(code));
                    auto o = resource_json(r, store.events(code), zone);
                    o["outcome"] = to_string(applied.outcome);
                    return ok_json(o);
                  },
              .summary = "Edit a resource: a draft freely; a published one by additive changes (a new version)",
              .tag = "catalog",
              .request_schema = kSpecSchema,
              .response_schema = kResourceSchema,
              .body_limit = 1024 * 1024,
              .permission = kCatalogEdit,
              .audit = "catalog.resource.update"});

  struct Step {
    const char* path;
    const char* summary;
    const char* permission;
    const char* audit;
  };
  const Step steps[] = {
      {"/api/catalog/resources/{code}/submit", "Submit a draft for review by the big-data centre", kCatalogEdit,
       "catalog.resource.submit"},
      {"/api/catalog/resources/{code}/review",
       "Decide on a submitted resource: approve (publish) or reject with a note (back to draft)", kCatalogPublish,
       "catalog.resource.review"},
      {"/api/catalog/resources/{code}/retire", "Retire a published resource, with the reason", kCatalogPublish,
       "catalog.resource.retire"},
  };
  for (const auto& step : steps) {
    const std::string path = step.path;
    router.add({.method = Method::post,
                .path = path,
                .handler =
                    [&store, &orgs, &zone, path](Request& req) {
                      const std::string code(req.param("code"));
                      auth::audit_note(req, "audit.object_id", code);
                      auto current = take(store.get(code));
                      auto body = req.body.empty() ? json::object{} : http::json_object_body(req);
                      auto note = http::optional_string(body, "note", 500).value_or("");
                      ResourceState from = current.state, to = current.state;
                      if (path.ends_with("/submit")) {
                        auth::require_permission(req, kCatalogEdit, org_path(orgs, current.spec.provider, "provider"));
                        from = ResourceState::draft;
                        to = ResourceState::submitted;
                      } else if (path.ends_with("/review")) {
                        auto decision = http::required_string(body, "decision", 10);
                        if (decision != "approve" && decision != "reject")
                          throw Problem(Error::invalid("decision", "must be approve or reject"));
                        from = ResourceState::submitted;
                        to = decision == "approve" ? ResourceState::published : ResourceState::draft;
                      } else {
                        from = ResourceState::published;
                        to = ResourceState::retired;
                      }
                      auto r = take(store.transition(code, from, to, actor_of(req), note));
                      return ok_json(resource_json(r, store.events(code), zone));
                    },
                .summary = step.summary,
                .tag = "catalog",
                .request_schema = path.ends_with("/review")
                                      ? R"({"type":"object","required":["decision"],"properties":{
                                          "decision":{"type":"string","enum":["approve","reject"]},"note":{"type":"string"}}})"
                                      : R"({"type":"object","properties":{"note":{"type":"string"}}})",
                .response_schema = kResourceSchema,
                .body_limit = 16 * 1024,
                .permission = step.permission,
                .audit = step.audit});
  }

  router.add({.method = Method::get,
              .path = "/api/catalog/code-tables/{code}",
              .handler =
                  [&store](Request& req) {
                    auto values = store.code_values(req.param("code"));
                    if (values.empty()) throw Problem(Error::not_found("no code table " + std::string(req.param("code"))));
                    json::array items;
                    for (const auto& v : values) {
                      json::array aliases;
                      for (const auto& a : v.aliases) aliases.emplace_back(a);
                      items.push_back(json::object{{"value", v.value}, {"label", v.label}, {"aliases", std::move(aliases)}});
                    }
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
                  },
              .summary = "The values of a code table (代码表) with their labels and accepted spellings",
              .tag = "catalog",
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array"}}})",
              .permission = kCatalogRead});
}

}  // namespace zhengwu::data
