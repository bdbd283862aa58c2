// The data-use ledger; see data_use.hpp.
#include "modules/data/data_use.hpp"

#include <boost/json.hpp>

#include <map>

namespace zhengwu::data {
namespace json = boost::json;

namespace {
// Reads per transaction: small, so that the write lock is held briefly between the audit
// writer's commits.
constexpr std::int64_t kReadsPerStep = 250;
}

std::vector<db::Migration> data_use_migrations() {
  return {{"data", 6, "data-use ledger", R"SQL(
CREATE TABLE data_use (
  audit_seq BIGINT NOT NULL,
  subject TEXT NOT NULL,
  at BIGINT NOT NULL,
  org TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_name TEXT NOT NULL,
  resource TEXT NOT NULL,
  purpose TEXT NOT NULL,
  records INTEGER NOT NULL,
  PRIMARY KEY (audit_seq, subject)
);
CREATE INDEX data_use_subject ON data_use (subject, audit_seq);
CREATE TABLE data_use_cursor (
  id INTEGER PRIMARY KEY,
  last_seq BIGINT NOT NULL
);
INSERT INTO data_use_cursor (id, last_seq) VALUES (1, 0);
)SQL"}};
}

DataUseLedger::DataUseLedger(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

std::int64_t DataUseLedger::catch_up() {
  std::int64_t projected = 0;
  for (;;) {
    auto tx = db_.begin();
    const auto last = tx.query("SELECT last_seq FROM data_use_cursor WHERE id = 1")[0].get<std::int64_t>(0);
    auto rows = tx.query(
        "SELECT seq, time_ms, actor_org, actor_id, actor_name, object_id, purpose, details FROM audit_records "
        "WHERE action = ? AND seq > ? ORDER BY seq LIMIT ?",
        {kExchangeReadAction, last, kReadsPerStep});
    if (rows.empty()) return projected;
    std::int64_t top = last;
    for (const auto& r : rows) {
      top = r.get<std::int64_t>(0);
      const std::string details = r.get<std::string>(7);
      boost::system::error_code ec;
      auto doc = json::parse(details, ec);
      if (ec || !doc.is_object()) continue;
      const auto* subjects = doc.as_object().if_contains("subjects");
      if (!subjects || !subjects->is_object()) continue;  // a refused read returned nothing
      for (const auto& [subject, count] : subjects->as_object()) {
        tx.execute(
            "INSERT INTO data_use (audit_seq, subject, at, org, client_id, client_name, resource, purpose, records) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (audit_seq, subject) DO NOTHING",
            {top, std::string(subject), r.get<std::int64_t>(1), r.get<std::string>(2), r.get<std::string>(3),
             r.get<std::string>(4), r.get<std::string>(5), r.get<std::string>(6),
             count.is_int64() ? count.as_int64() : std::int64_t{1}});
      }
      ++projected;
    }
    tx.execute("UPDATE data_use_cursor SET last_seq = ? WHERE id = 1 AND last_seq < ?", {top, top});
    tx.commit();
    if (static_cast<std::int64_t>(rows.size()) < kReadsPerStep) return projected;
  }
}

DataUsePage DataUseLedger::list(const DataUseQuery& q) const {
  std::string sql =
      "SELECT u.audit_seq, u.at, u.org, COALESCE(o.name, u.org), u.client_id, u.client_name, u.resource, "
      "r.spec, u.purpose, u.records FROM data_use u LEFT JOIN orgs o ON o.code = u.org "
      "LEFT JOIN data_resources r ON r.code = u.resource WHERE u.subject = ?";
  db::Params p{q.subject};
  if (q.org) {
    sql += " AND u.org = ?";
    p.emplace_back(*q.org);
  }
  if (q.resource) {
    sql += " AND u.resource = ?";
    p.emplace_back(*q.resource);
  }
  if (q.from) {
    sql += " AND u.at >= ?";
    p.emplace_back(to_unix_ms(*q.from));
  }
  if (q.to) {
    sql += " AND u.at < ?";
    p.emplace_back(to_unix_ms(*q.to));
  }
  if (q.before_seq) {
    sql += " AND u.audit_seq < ?";
    p.emplace_back(*q.before_seq);
  }
  sql += " ORDER BY u.audit_seq DESC LIMIT ?";
  p.emplace_back(static_cast<std::int64_t>(q.limit + 1));
  DataUsePage page;
  for (const auto& r : db_.query(sql, p)) {
    DataUse u;
    u.audit_seq = r.get<std::int64_t>(0);
    u.at = from_unix_ms(r.get<std::int64_t>(1));
    u.org = r.get<std::string>(2);
    u.org_name = r.get<std::string>(3);
    u.client_id = r.get<std::string>(4);
    u.client_name = r.get<std::string>(5);
    u.resource = r.get<std::string>(6);
    u.resource_name = u.resource;
    if (!r.at(7).is_null()) {
      boost::system::error_code ec;
      auto spec = json::parse(r.at(7).as_text(), ec);
      if (!ec && spec.is_object())
        if (const auto* name = spec.as_object().if_contains("name"); name && name->is_string())
          u.resource_name = std::string(name->as_string());
    }
    u.purpose = r.get<std::string>(8);
    u.records = r.get<std::int64_t>(9);
    page.items.push_back(std::move(u));
  }
  if (page.items.size() > q.limit) {
    page.items.resize(q.limit);
    page.next_cursor = page.items.back().audit_seq;
  }
  return page;
}

}  // namespace zhengwu::data
