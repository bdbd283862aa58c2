// The audit trail of the HTTP API; see audit_trail.hpp.
#include "kernel/auth/audit_trail.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "kernel/auth/guard.hpp"
#include "kernel/problem.hpp"

namespace zhengwu::auth {
namespace {

std::string note(const http::Request& req, std::string_view key) {
  auto it = req.attributes.find(key);
  if (it == req.attributes.end()) return {};
  auto s = std::any_cast<std::string>(&it->second);
  return s ? *s : std::string();
}

}  // namespace

void audit_note(http::Request& req, std::string_view key, std::string value) {
  req.attributes[std::string(key)] = std::move(value);
}

http::Middleware make_audit_middleware(audit::AuditLog& log) {
  return [&log](http::Request& req, const http::Next& next) -> http::Response {
    auto res = next(req);
    if (req.audit_action.empty()) return res;
    audit::Record r;
    r.action = req.audit_action;
    r.object_type = r.action.substr(0, r.action.find('.'));
    r.object_id = std::string(req.param("id"));
    if (r.object_id.empty()) r.object_id = std::string(req.param("year"));
    if (auto noted = note(req, "audit.object_id"); !noted.empty()) r.object_id = noted;
    r.outcome = res.status < 400                        ? audit::Outcome::success
                : res.status == 401 || res.status == 403 ? audit::Outcome::denied
                                                         : audit::Outcome::failure;
    r.source = req.remote_address;
    r.request_id = req.request_id;
    if (const Principal* p = principal_of(req)) {
      if (p->client) {
        r.actor_kind = audit::ActorKind::client;
        r.actor_id = p->client->client_id;
        r.actor_name = p->client->name;
        r.actor_org = p->client->org_code;
      } else {
        r.actor_kind = audit::ActorKind::user;
        r.actor_id = std::to_string(p->user.id);
        r.actor_name = p->user.username;
        r.actor_org = p->user.org_code.value_or("");
      }
    } else if (auto id = note(req, "audit.actor_id"); !id.empty()) {
      r.actor_kind = audit::ActorKind::user;
      r.actor_id = id;
      r.actor_name = note(req, "audit.actor_name");
      r.actor_org = note(req, "audit.actor_org");
    } else {
      r.actor_kind = audit::ActorKind::anonymous;
    }
    r.purpose = note(req, "audit.purpose");
    boost::json::object details{{"method", http::to_string(req.method)}, {"route", req.route}, {"status", res.status}};
    if (auto extra = note(req, "audit.details"); !extra.empty()) {
      boost::system::error_code ec;
      auto parsed = boost::json::parse(extra, ec);
      if (!ec && parsed.is_object())
        for (auto& [k, v] : parsed.as_object()) details[k] = std::move(v);
    }
    r.details = boost::json::serialize(details);
    // The reply is held back, not the thread: the server serves other connections while
    // this record waits for the commit it shares with theirs.
    auto reply = std::make_shared<http::DeferredReply>();
    log.append_then(std::move(r), [reply, res = std::move(res), request_id = req.request_id,
                                   action = req.audit_action](Result<audit::Appended> appended) mutable {
      if (appended) return reply->settle(std::move(res));
      spdlog::error("request {}: the audit record of {} could not be written: {}", request_id, action,
                    appended.error().message);
      auto refused = problem(503, "the audit log could not record this action (request " + request_id + ")");
      refused.headers.set("Retry-After", "1");
      reply->settle(std::move(refused));
    });
    return http::Response::later(std::move(reply));
  };
}

}  // namespace zhengwu::auth
