// Checking imported records against a catalog resource (归集 数据校验): which column is
// which field, every value standardised (standardise.hpp), and every problem of a record
// named, not only the first, so that a clerk fixes a row in one go.
//
// A RecordChecker is built once per import:
//   - for CSV from the header: a column names a field by its name or its label
//     (信息项名称), ASCII case, surrounding spaces and full-width forms ignored. A column
//     naming no field is ignored and reported once; two columns naming the same field, a
//     required (or key) field without a column, or a code field whose code table was not
//     loaded make the header unusable (ErrorCode::invalid, every problem listed).
//   - for JSON Lines from the resource alone: each object's keys are looked up the same
//     way, a key naming no field is ignored and reported once by the batch.
// Then check() fills a CheckedRow, reused by the caller: the canonical value of every
// field in field order, or the refusals. check() is const: one checker serves any number
// of threads, each with its own CheckedRow.
//
// check_csv() and check_jsonl() are the whole front half of an import: bytes → text
// (text_decoder.hpp) → records (csv_reader.hpp, jsonl_reader.hpp) → checked rows, with
// the batch report: counts, the header problems, and every rejected record with its line,
// field and reason. They touch no database: the caller stores what `accept` receives and
// may keep what `reject` receives (the record as read) until it is corrected.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kernel/result.hpp"
#include "modules/data/catalog_spec.hpp"
#include "modules/data/csv_reader.hpp"
#include "modules/data/jsonl_reader.hpp"
#include "modules/data/standardise.hpp"
#include "modules/data/text_decoder.hpp"

namespace zhengwu::data {

inline constexpr std::size_t kWholeRecord = static_cast<std::size_t>(-1);

struct FieldRefusal {
  std::size_t field = kWholeRecord;  // index into the resource's fields, or kWholeRecord
  std::string reason;
};

// One record's outcome. Keep one per thread and pass it to every check(): its strings and
// vectors keep their capacity.
struct CheckedRow {
  std::vector<StandardisedValue> values;  // per field, in field order; values[i].text is canonical
  std::vector<FieldRefusal> refusals;     // every problem; empty when the record is accepted
  std::vector<std::size_t> unknown_keys;  // JSON: members naming no field (indexes into the members)
  std::uint32_t converted_from_15 = 0;    // ID numbers converted from 15 digits
  std::uint32_t code_mappings = 0;        // code values given as a label or alias
  std::uint32_t addresses_resolved = 0;   // division values read from an address
  bool ok() const { return refusals.empty(); }
};

class RecordChecker {
 public:
  // For CSV. The context is copied; the code tables and resolver it points to must
  // outlive the checker.
  static Result<RecordChecker> for_header(std::vector<FieldSpec> fields, std::span<const std::string_view> header,
                                          const StandardiseContext& context);
  // For JSON objects.
  static Result<RecordChecker> for_objects(std::vector<FieldSpec> fields, const StandardiseContext& context);

  const std::vector<FieldSpec>& fields() const { return fields_; }
  // The number of columns of the header (0 for JSON): a record with another number of
  // fields is the caller's to refuse.
  std::size_t column_count() const { return column_count_; }
  // Header columns that name no field and are ignored ({"header[4]", "column 5 'remark'
  // names no field of the resource; it is ignored"}).
  const std::vector<FieldError>& ignored_columns() const { return ignored_; }

  // Checks a CSV record; columns past the end of a short record count as empty.
  void check(std::span<const std::string_view> record, CheckedRow& out) const;
  // Checks a JSON object; a missing member or null is an empty value.
  void check(std::span<const JsonMember> members, CheckedRow& out) const;

 private:
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const;
  };
  struct NameEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };

  RecordChecker(std::vector<FieldSpec> fields, const StandardiseContext& context);
  // The tables of code fields and the checks every import needs; the problems found.
  void prepare(std::vector<FieldError>& problems);
  void begin(CheckedRow& out) const;
  void finish_field(std::size_t i, CheckedRow& out) const;

  std::vector<FieldSpec> fields_;
  StandardiseContext context_;
  std::vector<const CodeTable*> tables_;    // per field
  std::vector<std::size_t> column_of_;      // per field: its CSV column, or kWholeRecord for none
  std::size_t column_count_ = 0;
  std::vector<FieldError> ignored_;
  std::unordered_map<std::string, std::size_t, NameHash, NameEqual> by_name_;  // name or label → field
};

struct Rejection {
  std::uint64_t line = 0;
  std::string field;  // the field's name; empty for a problem of the whole record
  std::string reason;
};

struct BatchReport {
  Encoding encoding = Encoding::utf8;  // the encoding read (detection resolved)
  std::uint64_t records = 0;           // records read, the header not counted
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t converted_from_15 = 0;
  std::uint64_t code_mappings = 0;
  std::uint64_t addresses_resolved = 0;
  std::vector<FieldError> header;       // ignored columns and keys, or why the header is unusable
  std::vector<Rejection> rejections;    // every problem of every rejected record, by line
  std::vector<Rejection> warnings;      // accepted records with a doubt (USCC GB 11714 check)
  std::optional<std::string> failure;   // why reading stopped early; records before it stand
};

// Receives each accepted record: its line and the checked values (row.values[i].text).
using AcceptRecord = std::function<void(std::uint64_t line, const CheckedRow& row)>;

// A rejected record as it was read, for keeping it until it is fixed: CSV columns by
// their header names (no values when the record could not be split into fields), or a
// JSON object's keys and values (none for a line that is not an object). Valid during the
// call only.
struct RawRecord {
  std::span<const std::string_view> names;
  std::span<const std::string_view> values;
};
// Receives each rejected record with its problems (the same entries as the report's).
using RejectRecord =
    std::function<void(std::uint64_t line, const RawRecord& raw, std::span<const Rejection> problems)>;

struct ImportOptions {
  Encoding encoding = Encoding::detect;
  std::size_t decode_chunk_bytes = 64 * 1024;
  CsvOptions csv;
  JsonlOptions jsonl;
};

// Reads CSV bytes with a header line. An unusable header, an empty file or bytes that
// cannot be decoded end the batch with `failure`; a record cut short by undecodable bytes
// is dropped, not reported.
BatchReport check_csv(std::istream& bytes, const std::vector<FieldSpec>& fields, const StandardiseContext& context,
                      const AcceptRecord& accept, const ImportOptions& options = {},
                      const RejectRecord& reject = nullptr);
// Reads JSON Lines bytes.
BatchReport check_jsonl(std::istream& bytes, const std::vector<FieldSpec>& fields, const StandardiseContext& context,
                        const AcceptRecord& accept, const ImportOptions& options = {},
                        const RejectRecord& reject = nullptr);

}  // namespace zhengwu::data
