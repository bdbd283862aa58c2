// The demo's exchange: two department systems, their reads and a system's push
// subscriptions.
//
// Reads: the systems read people's and an enterprise's
// records under their grants, so that 张三 (three reads, by two departments) and 杭州西湖数智科技
// find entries in 我的数据使用记录 and the audit log shows what the exchange leaves behind.
// 李四's record is read by nobody: his page shows the empty list.
//
// Each read goes through the exchange's own steps — the published resource, the grant for
// the stated purpose, the record by its key, the details of what was returned — and is
// appended to the audit log as exchange.read, the action the HTTP route records. Only the
// transport is missing: the systems are registered as signed clients, but the seed calls
// the steps directly instead of sending signed requests to a server that is not running
// yet.
//
// Subscriptions: 公积金综合业务系统 is pushed the changes of the population register, and a
// second subscription of it is paused while its receiver is upgraded (the big-data
// centre's 数据订阅 lists both). Nothing listens at the receiver's address in the demo: a
// change of the register shows how a push that cannot be delivered is retried and, at
// last, kept as a dead letter for redelivery.
#pragma once

#include "kernel/audit/audit_log.hpp"
#include "kernel/auth/clients.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "modules/data/catalog_store.hpp"
#include "modules/data/sharing.hpp"
#include "modules/data/subscriptions.hpp"

namespace zhengwu::data {

// Throws std::runtime_error when a step is refused (no grant, no record): the demo must
// not half-seed. Run after the records and the sharing of the demo.
void seed_demo_exchange(db::Database& db, const Clock& clock, const CatalogStore& catalog, const SharingStore& sharing,
                        SubscriptionStore& subscriptions, auth::ClientRegistry& clients, audit::AuditLog& audit);

}  // namespace zhengwu::data
