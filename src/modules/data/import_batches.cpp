// Import batches and rejected records in tables; see import_batches.hpp.
#include "modules/data/import_batches.hpp"

#include <array>

namespace zhengwu::data {
namespace {

constexpr std::array<std::string_view, 3> kStates{"running", "done", "failed"};
constexpr const char* kBatchColumns =
    "id, resource_id, resource_version, source_org, file_name, file_path, format, encoding, state, records, accepted, "
    "rejected, last_line, actor, message, started_at, finished_at";

ImportBatch batch_from(const db::Row& r) {
  ImportBatch b;
  b.id = r.get<std::int64_t>("id");
  b.resource_id = r.get<std::int64_t>("resource_id");
  b.resource_version = r.get<int>("resource_version");
  b.source_org = r.get<std::string>("source_org");
  b.file_name = r.get<std::string>("file_name");
  b.file_path = r.get<std::string>("file_path");
  b.format = r.get<std::string>("format");
  b.encoding = r.get<std::string>("encoding");
  const auto state = r.get<std::string>("state");
  b.state = state == "done" ? BatchState::done : state == "failed" ? BatchState::failed : BatchState::running;
  b.records = r.get<std::int64_t>("records");
  b.accepted = r.get<std::int64_t>("accepted");
  b.rejected = r.get<std::int64_t>("rejected");
  b.last_line = r.get<std::int64_t>("last_line");
  b.actor = r.get<std::string>("actor");
  b.message = r.get<std::string>("message");
  b.started_at = from_unix_ms(r.get<std::int64_t>("started_at"));
  if (auto f = r.opt<std::int64_t>("finished_at")) b.finished_at = from_unix_ms(*f);
  return b;
}

RejectedRecord reject_from(const db::Row& r) {
  RejectedRecord x;
  x.id = r.get<std::int64_t>("id");
  x.batch_id = r.get<std::int64_t>("batch_id");
  x.line = r.get<std::int64_t>("line");
  x.raw = r.get<std::string>("raw");
  x.errors = r.get<std::string>("errors");
  x.state = r.get<std::string>("state");
  x.fixed_by_batch = r.opt<std::int64_t>("fixed_by_batch");
  x.note = r.get<std::string>("note");
  return x;
}

}  // namespace

std::string_view to_string(BatchState s) { return kStates[static_cast<std::size_t>(s)]; }

std::vector<db::Migration> import_migrations() {
  return {{"data", 3, "import batches and rejected records", R"SQL(
CREATE TABLE data_import_batches (
  id {{pk}},
  resource_id BIGINT NOT NULL REFERENCES data_resources (id),
  resource_version INTEGER NOT NULL,
  source_org TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_path TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'jsonl', 'api')),
  encoding TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  records BIGINT NOT NULL DEFAULT 0,
  accepted BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  last_line BIGINT NOT NULL DEFAULT 0,
  actor TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  started_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX data_import_batches_resource ON data_import_batches (resource_id, id);
CREATE TABLE data_import_rejects (
  id {{pk}},
  batch_id BIGINT NOT NULL REFERENCES data_import_batches (id),
  line BIGINT NOT NULL,
  raw TEXT NOT NULL,
  errors TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'fixed', 'dismissed')),
  fixed_by_batch BIGINT,
  UNIQUE (batch_id, line)
)
)SQL"},
          {"data", 4, "the reason a rejected record was dismissed",
           "ALTER TABLE data_import_rejects ADD COLUMN note TEXT NOT NULL DEFAULT ''"}};
}

ImportBatches::ImportBatches(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

std::int64_t ImportBatches::create(const NewBatch& b) {
  return db_
      .query("INSERT INTO data_import_batches (resource_id, resource_version, source_org, file_name, file_path, format, "
             "encoding, state, actor, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?) RETURNING id",
             {b.resource_id, b.resource_version, b.source_org, b.file_name, b.file_path, b.format, b.encoding, b.actor,
              to_unix_ms(clock_.now())})[0]
      .get<std::int64_t>(0);
}

void ImportBatches::record_chunk(db::Transaction& tx, std::int64_t batch_id, const ChunkProgress& chunk) {
  for (const auto& r : chunk.rejects)
    tx.execute("INSERT INTO data_import_rejects (batch_id, line, raw, errors, state) VALUES (?, ?, ?, ?, 'open')",
               {batch_id, r.line, r.raw, r.errors});
  tx.execute("UPDATE data_import_batches SET records = records + ?, accepted = accepted + ?, rejected = rejected + ?, "
             "last_line = ? WHERE id = ?",
             {chunk.records, chunk.accepted, static_cast<std::int64_t>(chunk.rejects.size()), chunk.last_line, batch_id});
}

void ImportBatches::finish(std::int64_t batch_id, BatchState state, std::string_view message) {
  db_.execute("UPDATE data_import_batches SET state = ?, message = ?, finished_at = ? WHERE id = ?",
              {to_string(state), message, to_unix_ms(clock_.now()), batch_id});
}

Result<ImportBatch> ImportBatches::get(std::int64_t batch_id) const {
  auto rows = db_.query(std::string("SELECT ") + kBatchColumns + " FROM data_import_batches WHERE id = ?", {batch_id});
  if (rows.empty()) return Error::not_found("no import batch " + std::to_string(batch_id));
  return batch_from(rows[0]);
}

std::vector<ImportBatch> ImportBatches::of_resource(std::int64_t resource_id, std::int64_t before_id,
                                                    std::size_t limit) const {
  std::vector<ImportBatch> out;
  for (const auto& r : db_.query(std::string("SELECT ") + kBatchColumns +
                                     " FROM data_import_batches WHERE resource_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                                 {resource_id, before_id > 0 ? before_id : INT64_MAX, static_cast<std::int64_t>(limit)}))
    out.push_back(batch_from(r));
  return out;
}

std::vector<ImportBatch> ImportBatches::unfinished() const {
  std::vector<ImportBatch> out;
  for (const auto& r :
       db_.query(std::string("SELECT ") + kBatchColumns + " FROM data_import_batches WHERE state = 'running' ORDER BY id"))
    out.push_back(batch_from(r));
  return out;
}

std::vector<RejectedRecord> ImportBatches::rejects(std::int64_t batch_id, std::int64_t after_line, std::size_t limit,
                                                   bool open_only) const {
  std::vector<RejectedRecord> out;
  for (const auto& r : db_.query(std::string("SELECT id, batch_id, line, raw, errors, state, fixed_by_batch, note FROM "
                                             "data_import_rejects WHERE batch_id = ? AND line > ?") +
                                     (open_only ? " AND state = 'open'" : "") + " ORDER BY line LIMIT ?",
                                 {batch_id, after_line, static_cast<std::int64_t>(limit)}))
    out.push_back(reject_from(r));
  return out;
}

Result<RejectedRecord> ImportBatches::reject(std::int64_t reject_id) const {
  auto rows = db_.query("SELECT id, batch_id, line, raw, errors, state, fixed_by_batch, note FROM data_import_rejects "
                        "WHERE id = ?",
                        {reject_id});
  if (rows.empty()) return Error::not_found("no rejected record " + std::to_string(reject_id));
  return reject_from(rows[0]);
}

Status ImportBatches::close_reject(db::Transaction& tx, std::int64_t reject_id, std::string_view state,
                                   std::optional<std::int64_t> fixed_by_batch, std::string_view note) {
  if (state != "fixed" && state != "dismissed") return Error::invalid("state", "must be fixed or dismissed");
  if (tx.execute("UPDATE data_import_rejects SET state = ?, fixed_by_batch = ?, note = ? WHERE id = ? AND state = 'open'",
                 {state, db::Value(fixed_by_batch), note, reject_id}) != 1)
    return Error::conflict("rejected record " + std::to_string(reject_id) + " is not open (fixed or dismissed already)");
  return {};
}

}  // namespace zhengwu::data
