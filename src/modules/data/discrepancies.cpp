// One data, one source: the authority split of a write, and the governance list of
// discrepancies; see discrepancies.hpp.
#include "modules/data/discrepancies.hpp"

#include <array>
#include <unordered_map>

#include "kernel/crypto/crypto.hpp"

namespace zhengwu::data {
namespace {

constexpr std::array<std::string_view, 3> kStates{"open", "accepted", "rejected"};
// 13 parameters a row; well under both engines' limit per statement.
constexpr std::size_t kRowsPerInsert = 200;

constexpr const char* kColumns =
    "d.id, d.resource_id, d.record_key, d.field, d.authority_org, d.authoritative_value, d.proposed_value, "
    "d.proposer_org, d.batch_id, d.created_at, d.state, d.resolved_by, d.resolved_at, d.reason, r.code AS resource_code, "
    "ao.name AS authority_name, po.name AS proposer_name";
constexpr const char* kFrom =
    " FROM data_discrepancies d JOIN data_resources r ON r.id = d.resource_id"
    " LEFT JOIN orgs ao ON ao.code = d.authority_org LEFT JOIN orgs po ON po.code = d.proposer_org";

Discrepancy discrepancy_from(const db::Row& r) {
  Discrepancy d;
  d.id = r.get<std::int64_t>("id");
  d.resource_id = r.get<std::int64_t>("resource_id");
  d.record_key = r.get<std::string>("record_key");
  d.field = r.get<std::string>("field");
  d.authority_org = r.get<std::string>("authority_org");
  d.authoritative_value = r.opt<std::string>("authoritative_value");
  d.proposed_value = r.get<std::string>("proposed_value");
  d.proposer_org = r.get<std::string>("proposer_org");
  d.batch = r.opt<std::int64_t>("batch_id");
  d.created_at = from_unix_ms(r.get<std::int64_t>("created_at"));
  d.state = discrepancy_state_from(r.get<std::string>("state")).value_or(DiscrepancyState::open);
  d.resolved_by = r.opt<std::string>("resolved_by");
  if (auto at = r.opt<std::int64_t>("resolved_at")) d.resolved_at = from_unix_ms(*at);
  d.reason = r.get<std::string>("reason");
  d.resource_code = r.get<std::string>("resource_code");
  d.authority_name = r.opt<std::string>("authority_name").value_or("");
  d.proposer_name = r.opt<std::string>("proposer_name").value_or("");
  return d;
}

std::string key_of(const std::vector<FieldSpec>& fields, const RecordValues& r) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].key) parts.push_back(r.values[i].value_or(""));
  return record_key(parts);
}

// A proposal withheld from a record, before it is stored.
struct Proposal {
  const std::string* key;
  std::size_t field;
  std::optional<std::string> stored;
  const std::string* proposed;
};

}  // namespace

std::vector<db::Migration> discrepancy_migrations() {
  // The open-duplicate check is a partial unique index over a digest of the proposed
  // value: values may be long (4,000 characters), too long for a PostgreSQL index entry.
  return {{"data", 7, "one data one source: discrepancies", R"SQL(
CREATE TABLE data_discrepancies (
  id {{pk}},
  resource_id BIGINT NOT NULL REFERENCES data_resources (id),
  record_key TEXT NOT NULL,
  field TEXT NOT NULL,
  authority_org TEXT NOT NULL,
  authoritative_value TEXT,
  proposed_value TEXT NOT NULL,
  proposed_digest TEXT NOT NULL,
  proposer_org TEXT NOT NULL,
  batch_id BIGINT REFERENCES data_import_batches (id),
  created_at BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'rejected')),
  resolved_by TEXT,
  resolved_at BIGINT,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX data_discrepancies_open ON data_discrepancies (resource_id, record_key, field, proposer_org, proposed_digest) WHERE state = 'open';
CREATE INDEX data_discrepancies_authority ON data_discrepancies (authority_org, state, id);
CREATE INDEX data_discrepancies_proposer ON data_discrepancies (proposer_org, state, id);
CREATE INDEX data_discrepancies_resource ON data_discrepancies (resource_id, state, id)
)SQL"}};
}

std::string_view authority_of(const FieldSpec& field, std::string_view provider) {
  return field.authority ? std::string_view(*field.authority) : provider;
}

FieldAuthority::FieldAuthority(const std::vector<FieldSpec>& fields, std::string_view provider,
                               std::string_view writer) {
  writable_.reserve(fields.size());
  authorities_.reserve(fields.size());
  for (const auto& f : fields) {
    const auto authority = authority_of(f, provider);
    authorities_.emplace_back(authority);
    const bool own = f.key || authority == writer;
    writable_.push_back(own);
    if (!own) writes_all_ = false;
  }
}

std::vector<FieldSpec> fields_to_check(const std::vector<FieldSpec>& fields, const FieldAuthority& authority) {
  std::vector<FieldSpec> out = fields;
  for (std::size_t f = 0; f < out.size(); ++f)
    if (!authority.writes(f)) out[f].required = false;
  return out;
}

std::string_view to_string(DiscrepancyState s) { return kStates[static_cast<std::size_t>(s)]; }

std::optional<DiscrepancyState> discrepancy_state_from(std::string_view s) {
  for (std::size_t i = 0; i < kStates.size(); ++i)
    if (kStates[i] == s) return static_cast<DiscrepancyState>(i);
  return std::nullopt;
}

OneSourceWriter::OneSourceWriter(RecordStore& records, const Clock& clock, std::int64_t resource_id,
                                 const std::vector<FieldSpec>& fields, std::string_view provider, std::string writer)
    : records_(records),
      clock_(clock),
      resource_id_(resource_id),
      fields_(fields),
      writer_(std::move(writer)),
      authority_(fields, provider, writer_) {}

OneSourceCounts OneSourceWriter::write(db::Transaction& tx, const std::vector<RecordValues>& values,
                                       std::optional<std::int64_t> batch) const {
  OneSourceCounts out;
  if (authority_.writes_all()) {
    // The provider's own import: exactly the path it always took.
    out.records = records_.upsert(tx, resource_id_, fields_, values, writer_, batch);
    return out;
  }
  // Later duplicates of a key win, as in RecordStore::upsert.
  std::unordered_map<std::string, std::size_t> latest;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto key = key_of(fields_, values[i]);
    auto [it, added] = latest.try_emplace(key, i);
    if (added) {
      order.push_back(std::move(key));
    } else {
      it->second = i;
    }
  }
  const auto stored = records_.find(tx, resource_id_, fields_, order);
  std::vector<RecordValues> own;
  own.reserve(order.size());
  std::vector<Proposal> proposals;
  for (const auto& key : order) {
    const RecordValues& given = values[latest.at(key)];
    auto found = stored.find(key);
    RecordValues mine;
    mine.values.resize(fields_.size());
    for (std::size_t f = 0; f < fields_.size(); ++f) {
      if (authority_.writes(f)) {
        mine.values[f] = given.values[f];
        continue;
      }
      // Withheld: a new record leaves it empty, a stored one keeps it (upsert's mask).
      if (!given.values[f]) continue;
      std::optional<std::string> current = found == stored.end() ? std::nullopt : found->second.values[f];
      if (current != given.values[f]) proposals.push_back({&key, f, std::move(current), &*given.values[f]});
    }
    own.push_back(std::move(mine));
  }
  out.records = records_.upsert(tx, resource_id_, fields_, own, writer_, batch, &authority_.writable());

  const std::int64_t now = to_unix_ms(clock_.now());
  const std::string head =
      std::string(db::bulk_insert(tx.kind())) +
      " INTO data_discrepancies (resource_id, record_key, field, authority_org, authoritative_value, "
      "proposed_value, proposed_digest, proposer_org, batch_id, created_at, state, resolved_by, resolved_at, reason) "
      "VALUES ";
  for (std::size_t at = 0; at < proposals.size(); at += kRowsPerInsert) {
    const std::size_t m = std::min(kRowsPerInsert, proposals.size() - at);
    std::string sql = head;
    db::Params p;
    p.reserve(m * 10);
    for (std::size_t k = 0; k < m; ++k) {
      const Proposal& x = proposals[at + k];
      sql += k ? ",(?,?,?,?,?,?,?,?,?,?,'open',NULL,NULL,'')" : "(?,?,?,?,?,?,?,?,?,?,'open',NULL,NULL,'')";
      p.emplace_back(resource_id_);
      p.emplace_back(*x.key);
      p.emplace_back(fields_[x.field].name);
      p.emplace_back(authority_.authority(x.field));
      p.emplace_back(x.stored);
      p.emplace_back(*x.proposed);
      p.emplace_back(crypto::to_hex(crypto::sm3(*x.proposed)));
      p.emplace_back(writer_);
      p.emplace_back(batch);
      p.emplace_back(now);
    }
    // An identical open proposal stands already (the partial unique index): not again.
    out.discrepancies += tx.query(sql + " ON CONFLICT DO NOTHING RETURNING id", p).size();
  }
  return out;
}

Discrepancies::Discrepancies(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Result<Discrepancy> Discrepancies::get(std::int64_t id) const {
  auto rows = db_.query(std::string("SELECT ") + kColumns + kFrom + " WHERE d.id = ?", {id});
  if (rows.empty()) return Error::not_found("no discrepancy " + std::to_string(id));
  return discrepancy_from(rows[0]);
}

std::vector<Discrepancy> Discrepancies::list(const DiscrepancyQuery& q) const {
  std::string sql = std::string("SELECT ") + kColumns + kFrom + " WHERE d.id < ?";
  db::Params p{q.before_id > 0 ? q.before_id : INT64_MAX};
  auto in_list = [](std::size_t n) {
    std::string s = "(";
    for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
    return s + ")";
  };
  if (q.resource_id) {
    sql += " AND d.resource_id = ?";
    p.emplace_back(*q.resource_id);
  }
  if (!q.visible_to.empty()) {
    const auto list = in_list(q.visible_to.size());
    sql += " AND (d.authority_org IN " + list + " OR d.proposer_org IN " + list + ")";
    for (int twice = 0; twice < 2; ++twice)
      for (const auto& o : q.visible_to) p.emplace_back(o);
  }
  if (q.org || !q.side.empty()) {
    if (q.side == "authority") {
      sql += " AND d.authority_org = ?";
    } else if (q.side == "proposer") {
      sql += " AND d.proposer_org = ?";
    } else {
      sql += " AND (d.authority_org = ? OR d.proposer_org = ?)";
      p.emplace_back(q.org.value_or(""));
    }
    p.emplace_back(q.org.value_or(""));
  }
  if (q.state) {
    sql += " AND d.state = ?";
    p.emplace_back(to_string(*q.state));
  }
  sql += " ORDER BY d.id DESC LIMIT ?";
  p.emplace_back(static_cast<std::int64_t>(q.limit));
  std::vector<Discrepancy> out;
  for (const auto& r : db_.query(sql, p)) out.push_back(discrepancy_from(r));
  return out;
}

Result<Discrepancy> Discrepancies::accept(std::int64_t id, const std::vector<FieldSpec>& fields, std::string_view actor,
                                          std::string_view reason) {
  auto d = get(id);
  if (!d) return d.error();
  if (d->state != DiscrepancyState::open)
    return Error::conflict("discrepancy " + std::to_string(id) + " is " + std::string(to_string(d->state)) + " already");
  std::optional<std::size_t> field;
  for (std::size_t f = 0; f < fields.size(); ++f)
    if (fields[f].name == d->field) field = f;
  if (!field) return Error::conflict("the resource has no field " + d->field + " any more");

  auto tx = db_.begin();
  // The state changes only from open, so that of two resolutions at once one wins.
  if (tx.execute("UPDATE data_discrepancies SET state = 'accepted', resolved_by = ?, resolved_at = ?, reason = ? "
                 "WHERE id = ? AND state = 'open'",
                 {actor, to_unix_ms(clock_.now()), reason, id}) != 1)
    return Error::conflict("discrepancy " + std::to_string(id) + " was resolved meanwhile");
  RecordStore records(db_, clock_);
  auto found = records.find(tx, d->resource_id, fields, {d->record_key});
  if (found.empty()) return Error::conflict("the record " + d->record_key + " is gone");
  RecordValues value{found.begin()->second.values};
  value.values[*field] = d->proposed_value;
  // Only this field is written: the others keep what is stored now.
  std::vector<bool> only(fields.size(), false);
  for (std::size_t f = 0; f < fields.size(); ++f) only[f] = fields[f].key || f == *field;
  records.upsert(tx, d->resource_id, fields, {value}, d->authority_org, d->batch, &only);
  tx.commit();
  return get(id);
}

Result<Discrepancy> Discrepancies::reject(std::int64_t id, std::string_view actor, std::string_view reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Error::invalid("reason", "say why the proposed value is rejected");
  auto d = get(id);
  if (!d) return d.error();
  if (db_.execute("UPDATE data_discrepancies SET state = 'rejected', resolved_by = ?, resolved_at = ?, reason = ? "
                  "WHERE id = ? AND state = 'open'",
                  {actor, to_unix_ms(clock_.now()), reason, id}) != 1)
    return Error::conflict("discrepancy " + std::to_string(id) + " is " + std::string(to_string(d->state)) + " already");
  return get(id);
}

}  // namespace zhengwu::data
