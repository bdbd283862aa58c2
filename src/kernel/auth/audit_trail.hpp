// The audit trail of the HTTP API: every call of a route that declares an `audit` action
// appends one record to the audit log — who (the signed-in user or system client, with
// their organisation), what (the action, the object type and the `{id}` it acted on), the
// outcome (success below 400, denied for 401/403, failure otherwise), the source address
// and the request id — and the reply waits until the record is durable (group commit,
// kernel/audit/audit_log.hpp): the middleware answers with a deferred reply
// (http::DeferredReply) that the audit writer settles after the commit, so no server
// thread waits for the disk. If the record cannot be written the caller gets 503: an
// action the platform cannot account for is not reported as done.
//
// Handlers of routes without a caller (sign-in) name the actor and object through the
// request attributes "audit.actor_id", "audit.actor_name", "audit.actor_org" and
// "audit.object_id" (std::string values). Any handler may add "audit.purpose" (the
// declared purpose of a personal-data read) and "audit.details" (a JSON object as text
// whose members join the record's details, e.g. the keys a read returned).
#pragma once

#include "kernel/audit/audit_log.hpp"
#include "kernel/http/dispatcher.hpp"

namespace zhengwu::auth {

http::Middleware make_audit_middleware(audit::AuditLog& log);

// Sets an "audit.*" attribute for the audit trail.
void audit_note(http::Request& req, std::string_view key, std::string value);

}  // namespace zhengwu::auth
