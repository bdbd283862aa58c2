// The HTTP API of enterprise accounts (tag "enterprises"):
//
//   GET|PUT /api/me/enterprise                 the signed-in enterprise's profile
//   GET|POST /api/me/enterprise/agents         its authorised agents (all, newest first) / authorise one
//   DELETE /api/me/enterprise/agents/{id}      revoke an authorisation, with a reason
//   GET /api/me/represented-enterprises        a citizen: the enterprises they may act for now
//   GET /api/enterprises/{id}                  an administrator (user.read): profile and agents
//
// The /api/me/enterprise routes answer 403 to any caller that is not an enterprise account
// (staff, citizens, system clients), and act only on the caller's own enterprise: there is
// no way to name another one. The legal representative's ID number is whole only in the
// enterprise's own answers (EnterpriseRegistry masks it for everyone else).
#pragma once

#include "kernel/auth/identity.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/http/router.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::auth {

// Adds the routes; they share one EnterpriseRegistry on `db`. Everything passed in must
// outlive the router.
void add_enterprise_routes(http::Router& router, db::Database& db, Identity& identity, const TimeZone& zone,
                           const Clock& clock);

}  // namespace zhengwu::auth
