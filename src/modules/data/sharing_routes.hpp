// Sharing over HTTP (tag "sharing"):
//
//   POST /api/sharing/applications              ask for a resource: a grant at once or an application
//   GET  /api/sharing/applications              ?side=consumer|provider|escalated|all&state=&resource=
//   GET  /api/sharing/applications/{id}
//   POST /api/sharing/applications/{id}/decide  approve (possibly fewer fields) or refuse with a reason
//   POST /api/sharing/applications/{id}/withdraw
//   GET  /api/sharing/grants                    ?side=consumer|provider|all&resource=&active=
//   POST /api/sharing/grants/{id}/revoke        with the reason
//
// Permissions, over the caller's own organisation: `sharing.apply` (a consumer's staff
// ask, follow and withdraw), `sharing.review` (a provider's staff decide on its
// resources and revoke their grants); `sharing.oversee` (the big-data centre) sees every
// application and grant, decides escalated applications and revokes any grant.
// Applications carry their deadline on the working-day calendar: the due day, the
// working days left and a status (on_time, due_soon, due_today, overdue).
#pragma once

#include "kernel/auth/identity.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/http/router.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/sharing.hpp"

namespace zhengwu::data {

inline constexpr const char* kSharingApply = "sharing.apply";
inline constexpr const char* kSharingReview = "sharing.review";
inline constexpr const char* kSharingOversee = "sharing.oversee";

void register_sharing_permissions(auth::Identity& identity);

// A grant as the API shows it (JSON text), for the CLI's `zhengwu grant add`.
std::string grant_json_text(const Grant& grant, auth::OrgDirectory& orgs, const TimeZone& zone, TimePoint now);

// `sharing` and `orgs` must outlive the router.
void add_sharing_routes(http::Router& router, SharingStore& sharing, auth::Identity& identity,
                        auth::OrgDirectory& orgs, const TimeZone& zone);

}  // namespace zhengwu::data
