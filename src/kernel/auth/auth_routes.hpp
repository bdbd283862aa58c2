// The HTTP API of identity and access (tags "auth", "orgs", "users", "roles"):
//
//   POST /api/auth/login  POST /api/auth/logout  GET /api/me  POST /api/me/password
//   GET /api/me/sessions  DELETE /api/me/sessions/{id}
//   POST /api/me/totp/secret  POST /api/me/totp  POST /api/me/totp/recovery-codes
//   GET|POST /api/orgs  GET|PATCH|DELETE /api/orgs/{id}  POST /api/orgs/{id}/move
//   GET|POST /api/users  GET /api/users/{id}  POST /api/users/{id}/{unlock,reset-password,disable,enable}
//   POST /api/users/{id}/second-factor/reset  POST /api/users/{id}/real-name-level
//   GET|POST /api/users/{id}/grants  DELETE /api/grants/{id}
//   GET|POST /api/roles  PUT /api/roles/{id}/permissions  GET /api/permissions
//   GET /api/auth/login-attempts  GET /api/sessions  DELETE /api/sessions/{id}
//   GET|POST /api/clients  POST /api/clients/{id}/{rotate,disable,enable}
//
// Every route states its permission; organisation-scoped checks happen in the handler
// against the organisation acted on.
#pragma once

#include "kernel/auth/clients.hpp"
#include "kernel/auth/identity.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/http/router.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::auth {

void add_auth_routes(http::Router& router, Identity& identity, OrgDirectory& orgs, ClientRegistry& clients,
                     const TimeZone& zone, const Clock& clock);

}  // namespace zhengwu::auth
