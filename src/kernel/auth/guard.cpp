// The guard; see guard.hpp.
#include "kernel/auth/guard.hpp"

#include "kernel/problem.hpp"

namespace zhengwu::auth {
namespace {

constexpr std::string_view kAttribute = "principal";

std::optional<std::string_view> bearer_token(const http::Request& req) {
  auto h = req.header("Authorization");
  if (!h || h->size() < 8) return std::nullopt;
  auto scheme = h->substr(0, 7);
  if (scheme != "Bearer " && scheme != "bearer ") return std::nullopt;
  return h->substr(7);
}

http::Response refuse(ErrorCode code, std::string message) { return problem(Error{code, std::move(message), {}}); }

bool password_change_route(const http::Route& route) {
  return route.path == "/api/me" || route.path == "/api/me/password" || route.path == "/api/auth/logout";
}

bool second_factor_route(const http::Route& route) {
  return password_change_route(route) || route.path == "/api/me/totp/secret" || route.path == "/api/me/totp" ||
         route.path == "/api/me/sessions";
}

}  // namespace

const Principal* principal_of(const http::Request& req) {
  auto it = req.attributes.find(kAttribute);
  if (it == req.attributes.end()) return nullptr;
  auto p = std::any_cast<std::shared_ptr<Principal>>(&it->second);
  return p ? p->get() : nullptr;
}

const Principal& require_principal(const http::Request& req) {
  const Principal* p = principal_of(req);
  if (!p) throw Problem(Error{ErrorCode::unauthorized, "not signed in", {}});
  return *p;
}

void require_permission(const http::Request& req, std::string_view permission, std::string_view org_path) {
  const Principal& p = require_principal(req);
  if (!p.can(permission, org_path))
    throw Problem(Error{ErrorCode::forbidden,
                        "you do not have the permission " + std::string(permission) + " for this organisation",
                        {}});
}

http::Guard make_guard(Identity& identity, ClientRegistry* clients) {
  return [&identity, clients](http::Request& req, const http::Route& route) -> std::optional<http::Response> {
    bool needs = route.signed_in || !route.permission.empty();
    auto token = bearer_token(req);
    if (auto client_id = req.header("X-Zw-Client")) {
      // A system client: the signature is checked on every request, whatever the route.
      if (!clients) return refuse(ErrorCode::unauthorized, "system clients are not accepted here");
      auto h = [&req](const char* name) { return req.header(name).value_or(std::string_view{}); };
      std::string_view method = to_string(req.method);
      auto verified = clients->verify({method, req.path, req.query_text, req.body, *client_id, h("X-Zw-Timestamp"),
                                       h("X-Zw-Nonce"), h("X-Zw-Signature")});
      if (!verified) return problem(verified.error());
      auto p = std::make_shared<Principal>();
      p->client = std::move(*verified);
      req.attributes[std::string(kAttribute)] = std::move(p);
    } else if (token) {
      auto auth = identity.authenticate(*token);
      if (auth) {
        auto p = std::make_shared<Principal>();
        p->user = std::move(auth->second);
        p->session = std::move(auth->first);
        p->token = std::string(*token);
        p->access = identity.access_of(p->user.id, p->roles);
        if (identity.options().admin_second_factor_required && !p->user.totp_enrolled)
          for (const auto& held : p->access.held)
            if (held.role->admin_kind != AdminKind::none) p->needs_second_factor = true;
        req.attributes[std::string(kAttribute)] = std::move(p);
      } else if (needs) {
        return problem(auth.error());
      }
    }
    if (!needs) return std::nullopt;
    const Principal* p = principal_of(req);
    if (!p) return refuse(ErrorCode::unauthorized, "not signed in");
    if (!p->client && p->user.must_change_password && !password_change_route(route))
      return refuse(ErrorCode::forbidden, "change your password first (POST /api/me/password)");
    if (p->needs_second_factor && !second_factor_route(route))
      return refuse(ErrorCode::forbidden,
                    "administrators sign in with a second factor: enrol an authenticator app on your account first "
                    "(POST /api/me/totp)");
    if (!route.permission.empty() && !p->can(route.permission))
      return refuse(ErrorCode::forbidden, "you do not have the permission " + route.permission);
    return std::nullopt;
  };
}

}  // namespace zhengwu::auth
