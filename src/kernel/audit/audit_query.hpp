// Reading the audit log: filtered pages for the admin console, and streaming exports for
// the audit administrator (GB/T 22239-2019 gives that role the reading and export of the
// audit records, and nothing else).
//
// - `query_audit` returns newest first, keyset-paginated by seq: `next_cursor` is the
//   seq to continue below, as decimal text, absent on the last page. Pages stay correct
//   while records are appended (new records never shift older pages).
// - `export_audit` writes every matching record, oldest first, to a std::ostream one page
//   at a time (memory stays flat), as of the moment the export began:
//     CSV (RFC 4180): CRLF line ends, a header row, fields with a comma, quote, CR or LF
//     quoted with inner quotes doubled; UTF-8 with a byte order mark first, so that
//     Excel opens Chinese text correctly. A cell that would start a formula (= + - @ TAB
//     CR) gets a leading apostrophe against spreadsheet formula injection, so CSV is
//     for reading, not byte-exact: re-verify hashes from JSON Lines.
//     JSON Lines: one object per line, keys in the column order of the CSV; `details` is
//     the exact stored text (a string), so each line carries what was hashed and
//     `parse_json_line` gives back a record whose hash can be recomputed.
// Both print `time` in the platform zone with milliseconds, beside `time_ms` (UTC).
//
// Filters: time range [from, to), actor id, actor org, action prefix (whole dotted words:
// "auth" matches "auth" and "auth.login", not "authz.x"), object type and id, outcome,
// request id; all given ones must match.
//
// Thread-safety: the functions may run on any thread, beside appenders.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/audit/audit_record.hpp"
#include "kernel/result.hpp"

namespace zhengwu::db {
class Database;
}

namespace zhengwu::audit {

struct AuditFilter {
  std::optional<TimePoint> from;  // time >= from
  std::optional<TimePoint> to;    // time < to
  std::optional<std::string> actor_id;
  std::optional<std::string> actor_org;
  std::optional<std::string> action_prefix;
  std::optional<std::string> object_type;
  std::optional<std::string> object_id;
  std::optional<Outcome> outcome;
  std::optional<std::string> request_id;
};

struct AuditPage {
  std::vector<StoredRecord> items;         // seq descending
  std::optional<std::string> next_cursor;  // pass back as `cursor` for the next page
};

inline constexpr int kMaxAuditPage = 1000;

// Fails with ErrorCode::invalid for a limit outside 1..kMaxAuditPage, a malformed cursor
// or an empty action prefix. Throws db::Error when the database fails.
Result<AuditPage> query_audit(db::Database& db, const AuditFilter& filter, int limit = 50,
                              std::string_view cursor = {});

enum class ExportFormat { csv, jsonl };

// Writes the matching records to `out`; returns how many. Fails as query_audit does for
// a bad filter (nothing written then). Throws db::Error when the database fails.
Result<std::int64_t> export_audit(db::Database& db, const AuditFilter& filter, ExportFormat format,
                                  const TimeZone& zone, std::ostream& out, std::size_t page_size = 1000);

// The pieces of the export formats, for tests and other writers.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
std::string csv_header();  // with CRLF, without the BOM
std::string csv_row(const StoredRecord& record, const TimeZone& zone);  // with CRLF
// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF (inner quotes
// doubled); a leading = + - @ TAB or CR is prefixed with an apostrophe.
std::string csv_field(std::string_view value);
std::string json_line(const StoredRecord& record, const TimeZone& zone);  // with '\n'
// The inverse of json_line (the trailing newline optional). Fails with
// ErrorCode::invalid naming the field that is missing or of the wrong type.
Result<StoredRecord> parse_json_line(std::string_view line);

}  // namespace zhengwu::audit
