// Running an import chunk by chunk; see import_run.hpp.
#include "modules/data/import_run.hpp"

#include <boost/json.hpp>

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "modules/data/discrepancies.hpp"
#include "modules/data/record_check.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {
namespace json = boost::json;
namespace {

std::string errors_json(std::span<const Rejection> problems) {
  json::array out;
  for (const auto& p : problems) out.push_back(json::object{{"field", p.field}, {"reason", p.reason}});
  return json::serialize(out);
}

std::string raw_json(const RawRecord& raw) {
  json::object o;
  for (std::size_t i = 0; i < raw.values.size(); ++i) {
    std::string name = i < raw.names.size() ? std::string(raw.names[i]) : "column " + std::to_string(i + 1);
    o[name] = std::string(raw.values[i]);
  }
  return json::serialize(o);
}

}  // namespace

CodeTables load_code_tables(const CatalogStore& catalog, const std::vector<FieldSpec>& fields) {
  CodeTables tables;
  for (const auto& f : fields) {
    if (!f.code_table || tables.find(*f.code_table)) continue;
    CodeTable table(*f.code_table);
    for (const auto& v : catalog.code_values(*f.code_table)) table.add(v.value, v.label, v.aliases);
    tables.add(std::move(table));
  }
  return tables;
}

ImportRunner::ImportRunner(db::Database& db, const Clock& clock, const TimeZone& zone, CatalogStore& catalog,
                           const AddressResolver* addresses)
    : db_(db), clock_(clock), zone_(zone), catalog_(catalog), addresses_(addresses) {}

void ImportRunner::set_chunk_rows(std::size_t rows) { chunk_rows_ = std::max<std::size_t>(rows, 1); }

Result<ImportBatch> ImportRunner::run(const ImportRequest& request, const ImportProgress& progress) {
  auto batch = start(request);
  if (!batch) return batch.error();
  return execute(batch->id, progress);
}

Result<ImportBatch> ImportRunner::start(const ImportRequest& request) {
  auto resource = catalog_.get(request.resource_code);
  if (!resource) return resource.error();
  if (resource->state != ResourceState::published)
    return Error::conflict("resource " + request.resource_code + " is " + std::string(to_string(resource->state)) +
                           ": records are collected into published resources only");
  std::string format = request.format;
  if (format.empty()) format = std::filesystem::path(request.file_path).extension() == ".jsonl" ? "jsonl" : "csv";
  if (format != "csv" && format != "jsonl") return Error::invalid("format", "must be csv or jsonl");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(request.file_path, ec))
    return Error::invalid("file", "cannot read " + request.file_path);
  const std::string source_org = request.source_org.empty() ? resource->spec.provider : request.source_org;
  if (db_.query("SELECT 1 FROM orgs WHERE code = ?", {source_org}).empty())
    return Error::invalid("org", "no organisation has the code " + source_org);
  const std::string path = std::filesystem::absolute(request.file_path, ec).string();
  ImportBatches batches(db_, clock_);
  const auto id = batches.create({resource->id, resource->version, source_org,
                                  request.file_name.empty() ? std::filesystem::path(path).filename().string()
                                                            : request.file_name,
                                  path, format, std::string(to_string(request.encoding)), request.actor});
  return batches.get(id);
}

Result<ImportBatch> ImportRunner::resume(std::int64_t batch_id, const ImportProgress& progress) {
  ImportBatches batches(db_, clock_);
  auto batch = batches.get(batch_id);
  if (!batch) return batch.error();
  if (batch->state != BatchState::running)
    return Error::conflict("batch " + std::to_string(batch_id) + " is " + std::string(to_string(batch->state)));
  return execute(batch_id, progress);
}

Result<ImportBatch> ImportRunner::execute(std::int64_t batch_id, const ImportProgress& progress) {
  ImportBatches batches(db_, clock_);
  auto batch = batches.get(batch_id);
  if (!batch) return batch.error();
  auto code_row = db_.query("SELECT code FROM data_resources WHERE id = ?", {batch->resource_id});
  if (code_row.empty()) return Error::not_found("the batch's resource is gone");
  auto resource = catalog_.get(code_row[0].get<std::string>(0));
  if (!resource) return resource.error();
  const std::vector<FieldSpec>& fields = resource->spec.fields;

  const CodeTables tables = load_code_tables(catalog_, fields);
  const StandardiseContext context{zone_.local_date(clock_.now()), &tables, addresses_};

  std::ifstream file(batch->file_path, std::ios::binary);
  if (!file) {
    batches.finish(batch_id, BatchState::failed, "the file " + batch->file_path + " cannot be read");
    return batches.get(batch_id);
  }
  const std::int64_t resume_after = batch->last_line;
  RecordStore records(db_, clock_);
  // 一数一源 is decided here, once for the batch: when the submitting department is the
  // authority of every field (a provider's own import) each chunk goes straight to the
  // record store; otherwise values it is not the authority of become discrepancies.
  const OneSourceWriter writer(records, clock_, resource->id, fields, resource->spec.provider, batch->source_org);
  // A non-authority need not supply the required fields of others (fields_to_check).
  const std::vector<FieldSpec> checked = writer.writes_all() ? fields : fields_to_check(fields, writer.authority());
  std::size_t withheld = 0;

  // Two stages on two threads: a reader decodes, parses, standardises and checks, and
  // hands over whole chunks; this thread writes each chunk in one transaction. At most
  // two chunks wait between them, so memory stays flat; a failure on either side stops
  // the other.
  struct Chunk {
    std::vector<RecordValues> accepted;
    ChunkProgress progress;
    std::uint64_t bytes_read = 0;
  };
  struct Handover {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Chunk> ready;
    bool finished = false;  // the reader is done (or failed)
    bool abandoned = false; // the writer failed: the reader stops
    std::exception_ptr reader_error;
  } hand;
  struct Abandoned {};
  constexpr std::size_t kWaiting = 2;

  BatchReport report;
  std::thread reader([&] {
    Chunk chunk;
    std::uint64_t last_line = static_cast<std::uint64_t>(resume_after);
    auto pass_on = [&] {
      chunk.progress.last_line = static_cast<std::int64_t>(last_line);
      chunk.bytes_read = static_cast<std::uint64_t>(std::max<std::streamoff>(0, file.tellg()));
      std::unique_lock lock(hand.mutex);
      hand.changed.wait(lock, [&] { return hand.abandoned || hand.ready.size() < kWaiting; });
      if (hand.abandoned) throw Abandoned{};
      hand.ready.push_back(std::move(chunk));
      hand.changed.notify_all();
      chunk = Chunk{};
    };
    auto counted = [&](std::uint64_t line) {
      last_line = std::max(last_line, line);
      ++chunk.progress.records;
      if (static_cast<std::size_t>(chunk.progress.records) >= chunk_rows_) pass_on();
    };
    auto accept = [&](std::uint64_t line, const CheckedRow& row) {
      if (line <= static_cast<std::uint64_t>(resume_after)) return;  // applied before the interruption
      RecordValues r;
      r.values.reserve(row.values.size());
      for (const auto& v : row.values)
        r.values.push_back(v.text.empty() ? std::nullopt : std::optional<std::string>(v.text));
      chunk.accepted.push_back(std::move(r));
      ++chunk.progress.accepted;
      counted(line);
    };
    auto reject = [&](std::uint64_t line, const RawRecord& raw, std::span<const Rejection> problems) {
      if (line <= static_cast<std::uint64_t>(resume_after)) return;
      chunk.progress.rejects.push_back(
          {0, batch_id, static_cast<std::int64_t>(line), raw_json(raw), errors_json(problems), "open", {}});
      counted(line);
    };
    ImportOptions options;
    options.encoding = encoding_from(batch->encoding).value_or(Encoding::detect);
    try {
      report = batch->format == "jsonl" ? check_jsonl(file, checked, context, accept, options, reject)
                                        : check_csv(file, checked, context, accept, options, reject);
      if (chunk.progress.records > 0) pass_on();
    } catch (const Abandoned&) {
    } catch (...) {
      std::lock_guard lock(hand.mutex);
      hand.reader_error = std::current_exception();
    }
    std::lock_guard lock(hand.mutex);
    hand.finished = true;
    hand.changed.notify_all();
  });

  std::optional<std::string> stopped;
  try {
    for (;;) {
      Chunk chunk;
      {
        std::unique_lock lock(hand.mutex);
        hand.changed.wait(lock, [&] { return hand.finished || !hand.ready.empty(); });
        if (hand.ready.empty()) break;  // finished and drained
        chunk = std::move(hand.ready.front());
        hand.ready.pop_front();
        hand.changed.notify_all();
      }
      auto tx = db_.begin();
      if (!chunk.accepted.empty()) withheld += writer.write(tx, chunk.accepted, batch_id).discrepancies;
      batches.record_chunk(tx, batch_id, chunk.progress);
      tx.commit();
      if (progress) {
        auto now = batches.get(batch_id);
        if (now) progress(*now, chunk.bytes_read);
      }
    }
  } catch (const std::exception& e) {
    stopped = e.what();
  }
  {
    std::lock_guard lock(hand.mutex);
    hand.abandoned = true;
    hand.changed.notify_all();
  }
  reader.join();
  if (!stopped && hand.reader_error) {
    try {
      std::rethrow_exception(hand.reader_error);
    } catch (const std::exception& e) {
      stopped = e.what();
    }
  }
  if (stopped) {
    // Stopped mid-run (the database, the disk, the caller's progress callback): the
    // committed chunks stand and the batch stays running, to be resumed.
    auto now = batches.get(batch_id);
    return Error{ErrorCode::busy,
                 "import batch " + std::to_string(batch_id) + " stopped after line " +
                     std::to_string(now ? now->last_line : 0) + " (" + *stopped + "); resume it to continue",
                 {}};
  }
  std::string message;
  for (const auto& h : report.header) message += h.field + ": " + h.message + "; ";
  if (withheld > 0)
    message += std::to_string(withheld) + " values of fields another department is the authority of were not applied: "
               "they wait on the discrepancy list (一数一源); ";
  if (report.failure) {
    batches.finish(batch_id, BatchState::failed, message + *report.failure);
  } else {
    batches.finish(batch_id, BatchState::done, message);
  }
  return batches.get(batch_id);
}

}  // namespace zhengwu::data
