// Push subscriptions over HTTP (tag "subscriptions"; subscriptions.hpp has the rules):
//
//   POST   /api/exchange/subscriptions                       register one: {resource, purpose, url, client_id?}
//                                                            → 201 with the secret, shown this once
//   GET    /api/exchange/subscriptions?side=mine|all         with their delivery state
//   GET    /api/exchange/subscriptions/{id}
//   POST   /api/exchange/subscriptions/{id}/pause            {reason?}
//   POST   /api/exchange/subscriptions/{id}/resume           checks the grant again
//   POST   /api/exchange/subscriptions/{id}/cancel           for good (DELETE does the same)
//   GET    /api/exchange/subscriptions/{id}/dead-letters
//   POST   /api/exchange/subscriptions/dead-letters/{id}/redeliver   one attempt at once
//
// People only (a system client is refused): staff with `sharing.apply` over their own
// organisation register and manage their organisation's subscriptions; `sharing.oversee`
// (the big-data centre) lists and reads every organisation's (side=all) but changes
// none. A subscription of another organisation is a 404 to anyone else. Every change is
// audited (subscription.create, .pause, .resume, .cancel, .redeliver); the pushes
// themselves are audited as exchange reads by the delivery (subscriptions.hpp).
#pragma once

#include "kernel/auth/clients.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/http/router.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/subscriptions.hpp"

namespace zhengwu::data {

struct SubscriptionServices {
  SubscriptionStore& store;
  SubscriptionDelivery& delivery;
  auth::OrgDirectory& orgs;
  auth::ClientRegistry& clients;
  const TimeZone& zone;
};

// The services must outlive the router.
void add_subscription_routes(http::Router& router, SubscriptionServices services);

}  // namespace zhengwu::data
