// The guard: who is calling, and may they call this route.
//
// A request with X-Zw-Client is a system client's and must be signed (clients.hpp);
// otherwise the guard reads `Authorization: Bearer <token>`, finds the live session, loads the caller's
// grants once, and leaves a `Principal` on the request (attribute "principal") for the
// handler. A route with a `permission` or `signed_in` requires a session (401 otherwise)
// and the permission somewhere in the caller's grants (403 otherwise); a handler then
// checks the organisation it acts on with `Principal::can(permission, org_path)`. An
// account that must change its password may only reach /api/me, its password and logout;
// an administrator without a second factor (when required) only its own account pages.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernel/auth/clients.hpp"
#include "kernel/auth/identity.hpp"
#include "kernel/http/dispatcher.hpp"

namespace zhengwu::auth {

struct Principal {
  // A signed system client instead of a person: `user` is empty, `client` is set.
  std::optional<Client> client;
  User user;
  Session session;
  std::string token;
  ActorAccess access;
  std::vector<std::unique_ptr<Role>> roles;

  bool can(std::string_view permission, std::string_view org_path = {}) const {
    return auth::can(access, permission, org_path);
  }
  // An administrator role held without a second factor enrolled.
  bool needs_second_factor = false;
};

// The caller of a request, or null when none signed in.
const Principal* principal_of(const http::Request& req);
// The caller, or throws Problem 401.
const Principal& require_principal(const http::Request& req);
// Throws Problem 403 unless the caller holds `permission` over the organisation whose
// path is `org_path`.
void require_permission(const http::Request& req, std::string_view permission, std::string_view org_path);

// `clients` may be null (no signed clients accepted).
http::Guard make_guard(Identity& identity, ClientRegistry* clients);

}  // namespace zhengwu::auth
