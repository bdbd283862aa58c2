// Import batches (归集批次) and their rejected records: what was submitted, by whom, how far
// it got, and every record that was not stored, kept until it is corrected or dismissed
// ("nothing is silently dropped").
//
// A batch advances chunk by chunk: `record_chunk` stores, in the caller's transaction
// (the same one that wrote the chunk's accepted records), the chunk's counts, its
// rejected records and the last line it covered. A batch interrupted between chunks
// (a crash, kill -9) therefore has exactly the chunks before `last_line` applied, and a
// resumed run starts after it.
//
// Ownership: borrows the Database and the Clock. Thread-safety: any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/result.hpp"

namespace zhengwu::data {

// Tables data_import_batches, data_import_rejects (module "data", versions 3 and 4).
std::vector<db::Migration> import_migrations();

enum class BatchState { running, done, failed };
std::string_view to_string(BatchState s);

struct ImportBatch {
  std::int64_t id = 0;
  std::int64_t resource_id = 0;
  int resource_version = 0;
  std::string source_org;
  std::string file_name;
  std::string file_path;  // the kept copy a resumed run reads again; "" for the record API
  std::string format;     // csv, jsonl, api
  std::string encoding;   // as asked: auto, utf-8, gb18030
  BatchState state = BatchState::running;
  std::int64_t records = 0;  // read so far, the header not counted
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::int64_t last_line = 0;  // every record up to this line is stored or rejected
  std::string actor;
  std::string message;  // why it failed, or the batch's notes
  TimePoint started_at;
  std::optional<TimePoint> finished_at;
};

struct RejectedRecord {
  std::int64_t id = 0;
  std::int64_t batch_id = 0;
  std::int64_t line = 0;
  std::string raw;     // JSON object: column or member → the text as read
  std::string errors;  // JSON array of {"field", "reason"}
  std::string state;   // open, fixed, dismissed
  std::optional<std::int64_t> fixed_by_batch;
  std::string note;    // why it was dismissed
};

struct NewBatch {
  std::int64_t resource_id = 0;
  int resource_version = 0;
  std::string source_org;
  std::string file_name;
  std::string file_path;
  std::string format;
  std::string encoding;
  std::string actor;
};

struct ChunkProgress {
  std::int64_t last_line = 0;
  std::int64_t records = 0;  // in this chunk
  std::int64_t accepted = 0;
  std::vector<RejectedRecord> rejects;  // line, raw, errors
};

class ImportBatches {
 public:
  ImportBatches(db::Database& db, const Clock& clock);

  std::int64_t create(const NewBatch& batch);
  // Adds a chunk's progress and rejects, in the caller's transaction.
  void record_chunk(db::Transaction& tx, std::int64_t batch_id, const ChunkProgress& chunk);
  void finish(std::int64_t batch_id, BatchState state, std::string_view message);

  Result<ImportBatch> get(std::int64_t batch_id) const;
  // Batches of a resource, newest first, before `before_id` (0: from the newest).
  std::vector<ImportBatch> of_resource(std::int64_t resource_id, std::int64_t before_id, std::size_t limit) const;
  // Batches left running by a process that stopped (to resume at start-up).
  std::vector<ImportBatch> unfinished() const;
  // Rejected records of a batch by line, after `after_line`; `open_only` hides fixed ones.
  std::vector<RejectedRecord> rejects(std::int64_t batch_id, std::int64_t after_line, std::size_t limit,
                                      bool open_only) const;
  Result<RejectedRecord> reject(std::int64_t reject_id) const;
  // Marks a rejected record fixed (by the batch that stored its correction) or dismissed
  // (with the reason in `note`).
  Status close_reject(db::Transaction& tx, std::int64_t reject_id, std::string_view state,
                      std::optional<std::int64_t> fixed_by_batch, std::string_view note = {});

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace zhengwu::data
