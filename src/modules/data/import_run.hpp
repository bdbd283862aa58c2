// Running an import (归集): a file of records into a published resource's table, chunk by
// chunk, so that memory stays flat and an interrupted run resumes where it stopped. A
// reader thread decodes, parses and checks while the calling thread writes the previous
// chunk (at most two chunks wait between them).
//
// The file is read by the front half (record_check.hpp: decoding, CSV or JSON Lines,
// standardisation, checks). Accepted and rejected records are gathered into chunks of
// `chunk_rows`; each chunk is ONE transaction that upserts its accepted records
// (record_store.hpp, provenance: the source organisation and the batch), stores its
// rejected records with their raw values and reasons, and advances the batch's
// `last_line` (import_batches.hpp). One data, one source applies (discrepancies.hpp):
// values of fields the submitting department is not the authority of are not applied but
// recorded as discrepancies, in the chunk's transaction; the batch's message counts them.
// A provider's own import, the authority of every field, pays nothing for this.
// A crash between chunks leaves whole chunks only;
// `resume` reads the file again and skips every record up to `last_line`, so nothing is
// applied twice and nothing is lost.
//
// Ownership: borrows everything it is given. Thread-safety: one run per object at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/result.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/catalog_store.hpp"
#include "modules/data/import_batches.hpp"
#include "modules/data/standardise.hpp"
#include "modules/data/text_decoder.hpp"

namespace zhengwu::data {

struct ImportRequest {
  std::string resource_code;
  std::string file_path;  // read (again, when resumed) from here: keep the file until the batch ends
  std::string file_name;  // as shown; default: the path's file name
  std::string format;     // csv or jsonl; empty: by the extension (.jsonl → jsonl, else csv)
  Encoding encoding = Encoding::detect;
  std::string source_org;  // the submitting department; empty: the provider
  std::string actor;
};

// The code tables the fields of a resource name, loaded for standardisation.
CodeTables load_code_tables(const CatalogStore& catalog, const std::vector<FieldSpec>& fields);

// Told after every committed chunk: the batch as stored, and how far into the file the
// reader is (bytes), for a progress bar.
using ImportProgress = std::function<void(const ImportBatch& batch, std::uint64_t bytes_read)>;

class ImportRunner {
 public:
  // `addresses` may be null (division fields then take codes only).
  ImportRunner(db::Database& db, const Clock& clock, const TimeZone& zone, CatalogStore& catalog,
               const AddressResolver* addresses);

  // Starts a batch and runs it to its end. Fails before starting (ErrorCode::not_found
  // for an unknown resource, conflict when it is not published, invalid naming the
  // request member for a bad format, encoding or organisation, or a file that cannot be
  // opened); once started, what happens is in the batch (state done, or failed with
  // its message, e.g. an unusable header), rejected records included.
  Result<ImportBatch> run(const ImportRequest& request, const ImportProgress& progress = nullptr);
  // The checks and the batch of `run`, without running it (a job runs it with `resume`).
  Result<ImportBatch> start(const ImportRequest& request);
  // Continues an unfinished batch after its last committed line. A run or resume that
  // stops midway (the database fails, the progress callback throws) answers
  // ErrorCode::busy and leaves the batch running with its committed chunks.
  Result<ImportBatch> resume(std::int64_t batch_id, const ImportProgress& progress = nullptr);

  // Records per transaction (default 5000).
  void set_chunk_rows(std::size_t rows);

 private:
  Result<ImportBatch> execute(std::int64_t batch_id, const ImportProgress& progress);

  db::Database& db_;
  const Clock& clock_;
  const TimeZone& zone_;
  CatalogStore& catalog_;
  const AddressResolver* addresses_;
  std::size_t chunk_rows_ = 5000;
};

}  // namespace zhengwu::data
