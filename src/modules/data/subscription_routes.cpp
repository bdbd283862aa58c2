// Push subscription routes; see subscription_routes.hpp.
#include "modules/data/subscription_routes.hpp"

#include <boost/json.hpp>

#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"
#include "modules/data/sharing_routes.hpp"

namespace zhengwu::data {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

Response ok_json(const json::value& v, int status = 200) { return Response::json(json::serialize(v), status); }

json::value time_or_null(const std::optional<TimePoint>& t, const TimeZone& zone) {
  return t ? json::value(format_iso8601(*t, zone)) : json::value(nullptr);
}
json::value int_or_null(const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); }

Problem forbidden(std::string message) { return Problem(Error{ErrorCode::forbidden, std::move(message), {}}); }

struct Caller {
  std::string actor;
  std::optional<auth::Org> org;
  bool apply = false, oversee = false;
};

Caller caller_of(const Request& req, auth::OrgDirectory& orgs) {
  const auto& p = auth::require_principal(req);
  if (p.client) throw forbidden("subscriptions are registered by people, not system clients");
  Caller c;
  c.actor = p.user.username;
  if (p.user.org_code)
    if (auto o = orgs.by_code(*p.user.org_code)) c.org = *o;
  c.oversee = p.can(kSharingOversee);
  if (c.org) c.apply = p.can(kSharingApply, c.org->path);
  if (!c.apply && !c.oversee) throw forbidden("needs sharing.apply in the subscribing department, or sharing.oversee");
  return c;
}

json::object subscription_json(const Subscription& s, const TimeZone& zone, std::optional<std::int64_t> pending) {
  return json::object{
      {"id", s.id},
      {"resource", s.resource_code},
      {"resource_name", s.resource_name},
      {"org", s.org},
      {"purpose", s.purpose},
      {"url", s.url},
      {"client_id", s.client_id ? json::value(*s.client_id) : json::value(nullptr)},
      {"client_name", s.client_name},
      {"state", to_string(s.state)},
      {"health", delivery_health(s)},
      {"paused_reason", s.paused_reason},
      {"paused_by", s.paused_by},
      {"cursor", std::to_string(s.cursor)},
      {"pending_changes", pending ? json::value(*pending) : json::value(nullptr)},
      {"attempts", s.attempts},
      {"next_attempt_at", s.state == SubscriptionState::active ? json::value(format_iso8601(s.next_attempt_at, zone))
                                                               : json::value(nullptr)},
      {"last_attempt_at", time_or_null(s.last_attempt_at, zone)},
      {"last_status", int_or_null(s.last_status)},
      {"last_error", s.last_error},
      {"last_delivered_at", time_or_null(s.last_delivered_at, zone)},
      {"delivered", s.delivered},
      {"dead_letters", s.dead_letters},
      {"created_by", s.created_by},
      {"created_at", format_iso8601(s.created_at, zone)},
  };
}

json::object dead_letter_json(const DeadLetter& d, const TimeZone& zone) {
  return json::object{{"id", d.id},
                      {"subscription_id", d.subscription_id},
                      {"delivery_id", d.delivery_id},
                      {"from_seq", std::to_string(d.from_seq)},
                      {"to_seq", std::to_string(d.to_seq)},
                      {"records", d.records},
                      {"attempts", d.attempts},
                      {"last_status", int_or_null(d.last_status)},
                      {"last_error", d.last_error},
                      {"created_at", format_iso8601(d.created_at, zone)},
                      {"redeliveries", d.redeliveries},
                      {"redelivered_at", time_or_null(d.redelivered_at, zone)},
                      {"redelivered_by", d.redelivered_by},
                      {"redelivery_status", int_or_null(d.redelivery_status)},
                      {"redelivery_error", d.redelivery_error},
                      {"delivered_at", time_or_null(d.delivered_at, zone)},
                      {"state", d.delivered_at ? "redelivered" : "dead"}};
}

constexpr const char* kSubscriptionSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "resource":{"type":"string"},"resource_name":{"type":"string"},"org":{"type":"string"},"purpose":{"type":"string"},
  "url":{"type":"string"},"client_id":{"type":["string","null"]},"client_name":{"type":"string"},
  "state":{"type":"string","enum":["active","paused","cancelled"]},
  "health":{"type":"string","enum":["ok","retrying","dead_letters","paused","cancelled"]},
  "paused_reason":{"type":"string"},"paused_by":{"type":"string"},
  "cursor":{"type":"string","description":"the last change seq delivered or given up"},
  "pending_changes":{"type":["integer","null"],"description":"records changed after the cursor"},
  "attempts":{"type":"integer","description":"failed attempts of the payload in hand"},
  "next_attempt_at":{"type":["string","null"]},"last_attempt_at":{"type":["string","null"]},
  "last_status":{"type":["integer","null"]},"last_error":{"type":"string"},
  "last_delivered_at":{"type":["string","null"]},"delivered":{"type":"integer"},
  "dead_letters":{"type":"integer","description":"payloads given up and not redelivered"},
  "created_by":{"type":"string"},"created_at":{"type":"string"}}})";

constexpr const char* kDeadLetterSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "subscription_id":{"type":"integer"},"delivery_id":{"type":"string"},"from_seq":{"type":"string"},
  "to_seq":{"type":"string"},"records":{"type":"integer"},"attempts":{"type":"integer"},
  "last_status":{"type":["integer","null"]},"last_error":{"type":"string"},"created_at":{"type":"string"},
  "redeliveries":{"type":"integer"},"redelivered_at":{"type":["string","null"]},"redelivered_by":{"type":"string"},
  "redelivery_status":{"type":["integer","null"]},"redelivery_error":{"type":"string"},
  "delivered_at":{"type":["string","null"]},"state":{"type":"string","enum":["dead","redelivered"]}}})";

}  // namespace

void add_subscription_routes(http::Router& router, SubscriptionServices s) {
  // Who may read one subscription: its department's staff, the centre; anyone else gets
  // a 404, so that ids do not tell what other departments subscribe to.
  auto readable = [s](const Request& req, const Caller& c) {
    auto sub = take(s.store.get(http::id_param(req, "id")));
    const bool mine = c.org && c.apply && sub.org == c.org->code;
    if (!mine && !c.oversee) throw Problem(Error::not_found("no subscription " + std::to_string(sub.id)));
    return sub;
  };
  auto managed = [s, readable](const Request& req, const Caller& c) {
    auto sub = readable(req, c);
    if (!c.org || !c.apply || sub.org != c.org->code)
      throw forbidden("only the subscribing department (sharing.apply) changes its subscription");
    return sub;
  };
  auto one = [s](const Subscription& sub) {
    return ok_json(subscription_json(sub, s.zone, s.store.pending_changes(sub)));
  };

  router.add({.method = Method::post,
              .path = "/api/exchange/subscriptions",
              .handler =
                  [s](Request& req) {
                    auto c = caller_of(req, s.orgs);
                    if (!c.apply || !c.org)
                      throw forbidden("needs sharing.apply in the subscribing department");
                    auto body = http::json_object_body(req);
                    NewSubscription in;
                    in.resource_code = http::required_string(body, "resource", 64);
                    auth::audit_note(req, "audit.object_id", in.resource_code);
                    in.purpose = http::required_string(body, "purpose", kMaxPurposeChars);
                    in.url = http::required_string(body, "url", kMaxSubscriptionUrlChars);
                    in.org = c.org->code;
                    in.actor = c.actor;
                    if (auto id = http::optional_string(body, "client_id", 64); id && !id->empty()) {
                      for (const auto& client : s.clients.list(c.org->path))
                        if (client.client_id == *id && client.org_code == c.org->code && !client.disabled) {
                          in.client_id = client.client_id;
                          in.client_name = client.name;
                        }
                      if (!in.client_id)
                        throw Problem(Error::invalid("client_id", "is not an enabled system client of " + c.org->code));
                    }
                    auto made = take(s.store.create(in));
                    auth::audit_note(req, "audit.purpose", in.purpose);
                    auto out = subscription_json(made.subscription, s.zone, std::int64_t{0});
                    out["secret"] = made.secret;
                    return ok_json(out, 201);
                  },
              .summary = "Subscribe my department to a resource's changes: they are POSTed to `url`, signed with the "
                         "secret returned here once (X-Zw-Signature = hex HMAC-SM3(secret, X-Zw-Timestamp + \"\\n\" + "
                         "body)); the purpose must be that of a grant in force; http:// only for now",
              .tag = "subscriptions",
              .request_schema = R"({"type":"object","required":["resource","purpose","url"],"properties":{
                "resource":{"type":"string"},"purpose":{"type":"string","maxLength":200},
                "url":{"type":"string","maxLength":500,"description":"http://host[:port]/path; https:// is not supported yet"},
                "client_id":{"type":"string","description":"which of the department's system clients it serves"}}})",
              .response_schema = R"({"type":"object","description":"the subscription, plus its secret, shown this once",
                "properties":{"id":{"type":"integer"},"secret":{"type":"string"},"state":{"type":"string"}}})",
              .success_status = 201,
              .body_limit = 16 * 1024,
              .signed_in = true,
              .audit = "subscription.create"});

  router.add({.method = Method::get,
              .path = "/api/exchange/subscriptions",
              .handler =
                  [s](Request& req) {
                    auto c = caller_of(req, s.orgs);
                    const auto side = req.query("side").value_or(c.apply && c.org ? "mine" : "all");
                    if (side != "mine" && side != "all") throw Problem(Error::invalid("side", "must be mine or all"));
                    if (side == "all" && !c.oversee)
                      throw forbidden("only the big-data centre (sharing.oversee) lists every department's");
                    if (side == "mine" && (!c.org || !c.apply))
                      throw Problem(Error::invalid("side", "the caller subscribes for no department"));
                    SubscriptionQuery q;
                    if (side == "mine") q.org = c.org->code;
                    if (auto v = req.query("cancelled"); v && !v->empty()) {
                      if (*v != "true" && *v != "false")
                        throw Problem(Error::invalid("cancelled", "must be true or false"));
                      q.include_cancelled = *v == "true";
                    }
                    q.limit = http::limit_param(req, 50, 200);
                    q.before_id = http::id_cursor_param(req);
                    auto page = s.store.list(q);
                    json::array items;
                    for (const auto& sub : page.items)
                      items.push_back(subscription_json(sub, s.zone,
                                                        sub.state == SubscriptionState::cancelled
                                                            ? std::nullopt
                                                            : std::optional(s.store.pending_changes(sub))));
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", http::id_cursor_json(page.next_cursor)}});
                  },
              .summary = "My department's subscriptions (side=mine) or, for the big-data centre, every one (side=all), "
                         "with their delivery state; newest first",
              .tag = "subscriptions",
              .query = {{"side", "string", false, "mine (default for department staff) or all"},
                        {"cancelled", "boolean", false, "true: cancelled ones too"},
                        {"limit", "integer", false, "page size, at most 200"},
                        {"cursor", "string", false, "next_cursor of the previous page"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}},
                "next_cursor":{"type":["string","null"]}}})",
              .signed_in = true});

  router.add({.method = Method::get,
              .path = "/api/exchange/subscriptions/{id}",
              .handler = [s, readable, one](Request& req) { return one(readable(req, caller_of(req, s.orgs))); },
              .summary = "One subscription with its delivery state",
              .tag = "subscriptions",
              .response_schema = kSubscriptionSchema,
              .signed_in = true});

  router.add({.method = Method::post,
              .path = "/api/exchange/subscriptions/{id}/pause",
              .handler =
                  [s, managed, one](Request& req) {
                    auto c = caller_of(req, s.orgs);
                    auto sub = managed(req, c);
                    std::string reason;
                    if (!req.body.empty()) {
                      auto body = http::json_object_body(req);
                      reason = http::optional_string(body, "reason", 500).value_or("");
                    }
                    return one(take(s.store.pause(sub.id, c.actor, reason)));
                  },
              .summary = "Pause deliveries (changes keep waiting after the cursor)",
              .tag = "subscriptions",
              .request_schema = R"({"type":"object","properties":{"reason":{"type":"string","maxLength":500}}})",
              .response_schema = kSubscriptionSchema,
              .body_limit = 16 * 1024,
              .signed_in = true,
              .audit = "subscription.pause"});

  router.add({.method = Method::post,
              .path = "/api/exchange/subscriptions/{id}/resume",
              .handler =
                  [s, managed, one](Request& req) {
                    auto c = caller_of(req, s.orgs);
                    auto sub = managed(req, c);
                    return one(take(s.store.resume(sub.id, c.actor)));
                  },
              .summary = "Resume deliveries; refused (403) while no grant for the purpose is in force",
              .tag = "subscriptions",
              .response_schema = kSubscriptionSchema,
              .signed_in = true,
              .audit = "subscription.resume"});

  auto cancel = [s, managed, one](Request& req) {
    auto c = caller_of(req, s.orgs);
    auto sub = managed(req, c);
    return one(take(s.store.cancel(sub.id, c.actor)));
  };
  router.add({.method = Method::post,
              .path = "/api/exchange/subscriptions/{id}/cancel",
              .handler = cancel,
              .summary = "Cancel for good: no more deliveries (the subscription and its dead letters stay listed "
                         "with cancelled=true)",
              .tag = "subscriptions",
              .response_schema = kSubscriptionSchema,
              .signed_in = true,
              .audit = "subscription.cancel"});
  router.add({.method = Method::delete_,
              .path = "/api/exchange/subscriptions/{id}",
              .handler = cancel,
              .summary = "The same as POST .../cancel",
              .tag = "subscriptions",
              .response_schema = kSubscriptionSchema,
              .signed_in = true,
              .audit = "subscription.cancel"});

  router.add({.method = Method::get,
              .path = "/api/exchange/subscriptions/{id}/dead-letters",
              .handler =
                  [s, readable](Request& req) {
                    auto sub = readable(req, caller_of(req, s.orgs));
                    auto page = s.store.dead_letters(sub.id, http::id_cursor_param(req), http::limit_param(req, 50, 200));
                    json::array items;
                    for (const auto& d : page.items) items.push_back(dead_letter_json(d, s.zone));
                    return ok_json(json::object{{"items", std::move(items)}, {"next_cursor", http::id_cursor_json(page.next_cursor)}});
                  },
              .summary = "Payloads given up after the last retry, newest first (without their records: what they held "
                         "is in the audit trail)",
              .tag = "subscriptions",
              .query = {{"limit", "integer", false, "page size, at most 200"},
                        {"cursor", "string", false, "next_cursor of the previous page"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}},
                "next_cursor":{"type":["string","null"]}}})",
              .signed_in = true});

  router.add({.method = Method::post,
              .path = "/api/exchange/subscriptions/dead-letters/{id}/redeliver",
              .handler =
                  [s](Request& req) {
                    auto c = caller_of(req, s.orgs);
                    auto letter = take(s.store.dead_letter(http::id_param(req, "id")));
                    auto sub = take(s.store.get(letter.subscription_id));
                    const bool mine = c.org && c.apply && sub.org == c.org->code;
                    if (!mine) {
                      if (c.oversee) throw forbidden("only the subscribing department (sharing.apply) redelivers");
                      throw Problem(Error::not_found("no dead letter " + std::to_string(letter.id)));
                    }
                    return ok_json(dead_letter_json(take(s.delivery.redeliver(letter.id, c.actor)), s.zone));
                  },
              .summary = "Send a dead letter again: one attempt at once (up to 5 s), its outcome kept on it; refused "
                         "(409) when the grant it was released under is no longer in force",
              .tag = "subscriptions",
              .response_schema = kDeadLetterSchema,
              .signed_in = true,
              .audit = "subscription.redeliver"});
}

}  // namespace zhengwu::data
