// The HTTP API of the audit log, for audit administrators (tag "audit"):
//
//   GET /api/audit/records?from=&to=&actor=&org=&action=&object_type=&object_id=&outcome=&request_id=&limit=&cursor=
//   GET /api/audit/export?format=csv|jsonl&(the same filters)     permission audit.export
//   GET /api/audit/verify                                          the chain's status
//
// Reading the audit log is itself audited (audit.read, audit.export).
#pragma once

#include "kernel/audit/signer.hpp"
#include "kernel/db/database.hpp"
#include "kernel/http/router.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::auth {

void add_audit_routes(http::Router& router, db::Database& db, audit::Signer* signer, const TimeZone& zone);

}  // namespace zhengwu::auth
