// Filtered, keyset-paginated reads of audit_records and the CSV / JSON Lines exports.
// See audit_query.hpp for the formats.
#include "kernel/audit/audit_query.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <ostream>

#include "kernel/audit/audit_store.hpp"
#include "kernel/db/database.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::audit {
namespace {

struct Where {
  std::string sql;  // " AND ..." conditions, possibly empty
  db::Params params;
};

Result<Where> build_where(const AuditFilter& f, db::Kind engine) {
  Where w;
  auto equal = [&](std::string_view column, const std::optional<std::string>& value) {
    if (!value) return;
    w.sql.append(" AND ").append(column).append(" = ?");
    w.params.emplace_back(*value);
  };
  if (f.from) {
    w.sql.append(" AND time_ms >= ?");
    w.params.emplace_back(to_millis(*f.from));
  }
  if (f.to) {
    w.sql.append(" AND time_ms < ?");
    w.params.emplace_back(to_millis(*f.to));
  }
  equal("actor_id", f.actor_id);
  equal("actor_org", f.actor_org);
  if (f.action_prefix) {
    std::string prefix = *f.action_prefix;
    while (!prefix.empty() && prefix.back() == '.') prefix.pop_back();
    if (prefix.empty()) return Error::invalid("action", "an action prefix such as auth or auth.login");
    // Whole dotted words, byte for byte on both engines (LIKE differs in case rules and
    // escaping between them; substr does not). SQLite compares text bytewise, so a range
    // from "p" to "p/" ('/' follows '.') also lets it use the action index; a
    // PostgreSQL collation need not be bytewise, so there substr alone decides.
    std::string with_dot = prefix + ".";
    if (engine == db::Kind::sqlite) {
      w.sql.append(" AND action >= ? AND action < ?");
      w.params.emplace_back(prefix);
      w.params.emplace_back(prefix + "/");
    }
    w.sql.append(" AND (action = ? OR substr(action, 1, ?) = ?)");
    w.params.emplace_back(prefix);
    w.params.emplace_back(static_cast<std::int64_t>(with_dot.size()));
    w.params.emplace_back(with_dot);
  }
  equal("object_type", f.object_type);
  equal("object_id", f.object_id);
  if (f.outcome) {
    w.sql.append(" AND outcome = ?");
    w.params.emplace_back(to_string(*f.outcome));
  }
  equal("request_id", f.request_id);
  return w;
}

Result<std::int64_t> parse_cursor(std::string_view cursor) {
  std::int64_t seq = 0;
  auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), seq);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || seq <= 0)
    return Error::invalid("cursor", "not a cursor this list returned");
  return seq;
}

std::string select_records() { return "SELECT " + std::string(store::kRecordColumns) + " FROM audit_records"; }

// Rows of audit_records to records; a row the log could not have written (edited enum
// columns) is shown as read, with the unknown name kept in details, rather than hidden.
StoredRecord to_record(const db::Row& row) {
  auto r = store::record_from_row(row);
  if (r) return std::move(r).value();
  StoredRecord s;
  s.seq = row.get<std::int64_t>("seq");
  s.record.time = from_millis(row.get<std::int64_t>("time_ms"));
  s.record.action = row.get<std::string>("action");
  s.record.details = row.get<std::string>("details");
  s.prev_hash = row.get<std::string>("prev_hash");
  s.hash = row.get<std::string>("hash");
  s.record.outcome = Outcome::failure;
  s.record.purpose = "unreadable row: " + r.error().message;
  return s;
}

const char* const kColumns[] = {"seq",         "time",      "time_ms", "actor_kind", "actor_id", "actor_name",
                                "actor_org",   "action",    "object_type", "object_id", "outcome", "source",
                                "request_id",  "purpose",   "details", "prev_hash",  "hash"};

}  // namespace

Result<AuditPage> query_audit(db::Database& db, const AuditFilter& filter, int limit, std::string_view cursor) {
  if (limit < 1 || limit > kMaxAuditPage)
    return Error::invalid("limit", "between 1 and " + std::to_string(kMaxAuditPage));
  auto where = build_where(filter, db.kind());
  if (!where) return where.error();
  std::string sql = select_records() + " WHERE 1 = 1" + where->sql;
  db::Params params = std::move(where->params);
  if (!cursor.empty()) {
    auto below = parse_cursor(cursor);
    if (!below) return below.error();
    sql.append(" AND seq < ?");
    params.emplace_back(*below);
  }
  sql.append(" ORDER BY seq DESC LIMIT ?");
  params.emplace_back(static_cast<std::int64_t>(limit) + 1);  // one more tells whether a next page exists
  auto rows = db.query(sql, params);
  AuditPage page;
  for (const auto& row : rows) {
    if (page.items.size() == static_cast<std::size_t>(limit)) {
      page.next_cursor = std::to_string(page.items.back().seq);
      break;
    }
    page.items.push_back(to_record(row));
  }
  return page;
}

Result<std::int64_t> export_audit(db::Database& db, const AuditFilter& filter, ExportFormat format,
                                  const TimeZone& zone, std::ostream& out, std::size_t page_size) {
  if (page_size == 0) page_size = 1000;
  auto where = build_where(filter, db.kind());
  if (!where) return where.error();
  auto tail = db.query("SELECT max(seq) FROM audit_records");
  const std::int64_t last = tail[0].at(0).is_null() ? 0 : tail[0].at(0).as_int();
  const std::string sql = select_records() + " WHERE seq > ? AND seq <= ?" + where->sql + " ORDER BY seq LIMIT ?";

  if (format == ExportFormat::csv) out << kUtf8Bom << csv_header();
  std::int64_t count = 0;
  std::int64_t after = 0;
  std::string chunk;
  for (;;) {
    db::Params params{after, last};
    params.insert(params.end(), where->params.begin(), where->params.end());
    params.emplace_back(static_cast<std::int64_t>(page_size));
    auto rows = db.query(sql, params);
    chunk.clear();
    for (const auto& row : rows) {
      StoredRecord r = to_record(row);
      chunk += format == ExportFormat::csv ? csv_row(r, zone) : json_line(r, zone);
      after = r.seq;
      ++count;
    }
    out << chunk;
    if (rows.size() < page_size) break;
  }
  out.flush();
  return count;
}

std::string csv_field(std::string_view value) {
  std::string text;
  if (!value.empty() && (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
                         value.front() == '@' || value.front() == '\t' || value.front() == '\r'))
    text.push_back('\'');
  text.append(value);
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string csv_header() {
  std::string out;
  for (const char* c : kColumns) {
    if (!out.empty()) out.push_back(',');
    out.append(c);
  }
  out.append("\r\n");
  return out;
}

std::string csv_row(const StoredRecord& s, const TimeZone& zone) {
  const Record& r = s.record;
  const std::string fields[] = {std::to_string(s.seq),
                                format_audit_time(r.time, zone),
                                std::to_string(to_millis(r.time)),
                                std::string(to_string(r.actor_kind)),
                                r.actor_id,
                                r.actor_name,
                                r.actor_org,
                                r.action,
                                r.object_type,
                                r.object_id,
                                std::string(to_string(r.outcome)),
                                r.source,
                                r.request_id,
                                r.purpose,
                                r.details,
                                s.prev_hash,
                                s.hash};
  std::string out;
  for (const auto& f : fields) {
    if (&f != &fields[0]) out.push_back(',');
    out.append(csv_field(f));
  }
  out.append("\r\n");
  return out;
}

std::string json_line(const StoredRecord& s, const TimeZone& zone) {
  const Record& r = s.record;
  boost::json::object o;
  o["seq"] = s.seq;
  o["time"] = format_audit_time(r.time, zone);
  o["time_ms"] = to_millis(r.time);
  o["actor_kind"] = to_string(r.actor_kind);
  o["actor_id"] = r.actor_id;
  o["actor_name"] = r.actor_name;
  o["actor_org"] = r.actor_org;
  o["action"] = r.action;
  o["object_type"] = r.object_type;
  o["object_id"] = r.object_id;
  o["outcome"] = to_string(r.outcome);
  o["source"] = r.source;
  o["request_id"] = r.request_id;
  o["purpose"] = r.purpose;
  o["details"] = r.details;
  o["prev_hash"] = s.prev_hash;
  o["hash"] = s.hash;
  std::string line = boost::json::serialize(o);
  line.push_back('\n');
  return line;
}

Result<StoredRecord> parse_json_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) return Error::invalid("line", "not a JSON object");
  const auto& o = v.get_object();
  std::optional<Error> problem;
  auto text = [&](const char* key) -> std::string {
    const auto* f = o.if_contains(key);
    if (!f || !f->is_string()) {
      if (!problem) problem = Error::invalid(key, "missing or not a string");
      return {};
    }
    return std::string(f->get_string());
  };
  auto integer = [&](const char* key) -> std::int64_t {
    const auto* f = o.if_contains(key);
    if (!f || !f->is_int64()) {
      if (!problem) problem = Error::invalid(key, "missing or not an integer");
      return 0;
    }
    return f->get_int64();
  };
  StoredRecord s;
  s.seq = integer("seq");
  s.record.time = from_millis(integer("time_ms"));
  auto kind = parse_actor_kind(text("actor_kind"));
  s.record.actor_id = text("actor_id");
  s.record.actor_name = text("actor_name");
  s.record.actor_org = text("actor_org");
  s.record.action = text("action");
  s.record.object_type = text("object_type");
  s.record.object_id = text("object_id");
  auto outcome = parse_outcome(text("outcome"));
  s.record.source = text("source");
  s.record.request_id = text("request_id");
  s.record.purpose = text("purpose");
  s.record.details = text("details");
  s.prev_hash = text("prev_hash");
  s.hash = text("hash");
  if (problem) return *problem;
  if (!kind) return Error::invalid("actor_kind", "unknown actor kind");
  if (!outcome) return Error::invalid("outcome", "unknown outcome");
  s.record.actor_kind = *kind;
  s.record.outcome = *outcome;
  return s;
}

}  // namespace zhengwu::audit
