// The record API with idempotency keys; see record_api.hpp.
#include "modules/data/record_api.hpp"

#include <boost/json.hpp>

#include <set>

#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/crypto/crypto.hpp"
#include "kernel/problem.hpp"
#include "modules/data/catalog_routes.hpp"
#include "modules/data/discrepancies.hpp"
#include "modules/data/import_batches.hpp"
#include "modules/data/import_run.hpp"
#include "modules/data/record_check.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {
namespace json = boost::json;

namespace {

constexpr const char* kKeyHeader = "Idempotency-Key";

Status check_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKey)
    return Error::invalid(kKeyHeader, "send a key of 1 to 200 printable ASCII characters that names this request");
  for (unsigned char c : key)
    if (c < 0x20 || c > 0x7e) return Error::invalid(kKeyHeader, "must be printable ASCII characters");
  return {};
}

// One member of a record as the checker reads JSON Lines members; nullopt for a value
// that is neither text, a number, a boolean nor null.
std::optional<JsonMember> member_of(std::string_view key, const json::value& v, std::string& text) {
  switch (v.kind()) {
    case json::kind::string: return JsonMember{key, std::string_view(v.get_string()), JsonKind::string};
    case json::kind::int64: text = std::to_string(v.get_int64()); break;
    case json::kind::uint64: text = std::to_string(v.get_uint64()); break;
    case json::kind::double_: text = json::serialize(v); break;
    case json::kind::bool_: return JsonMember{key, v.get_bool() ? "true" : "false", JsonKind::boolean};
    case json::kind::null: return JsonMember{key, "", JsonKind::null};
    default: return std::nullopt;
  }
  return JsonMember{key, text, JsonKind::number};
}

}  // namespace

std::vector<db::Migration> record_request_migrations() {
  return {{"data", 8, "record API idempotency keys", R"SQL(
CREATE TABLE data_record_requests (
  writer TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  body_sm3 TEXT NOT NULL,
  batch_id BIGINT NOT NULL REFERENCES data_import_batches (id),
  reply TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (writer, idempotency_key)
)
)SQL"}};
}

RecordApi::RecordApi(db::Database& db, const Clock& clock, const TimeZone& zone, CatalogStore& catalog,
                     const AddressResolver* addresses)
    : db_(db), clock_(clock), zone_(zone), catalog_(catalog), addresses_(addresses) {}

Result<RecordReply> RecordApi::replay(const RecordRequest& request, const std::string& digest) const {
  auto rows = db_.query("SELECT body_sm3, reply FROM data_record_requests WHERE writer = ? AND idempotency_key = ?",
                        {request.writer_org, request.idempotency_key});
  if (rows.empty()) return Error::not_found("no request with this key");
  if (rows[0].get<std::string>(0) != digest)
    return Error{ErrorCode::unprocessable,
                 "Idempotency-Key: this key was used with another body",
                 {{kKeyHeader, "was used before with another body: use a new key for a new request"}}};
  return RecordReply{rows[0].get<std::string>(1), true};
}

Result<RecordReply> RecordApi::submit(const RecordRequest& request) {
  if (auto ok = check_key(request.idempotency_key); !ok) return ok.error();
  const std::string digest = crypto::to_hex(crypto::sm3(request.body));
  if (auto earlier = replay(request, digest); earlier || earlier.error().code != ErrorCode::not_found) return earlier;

  auto resource = catalog_.get(request.resource_code);
  if (!resource) return resource.error();
  if (resource->state != ResourceState::published)
    return Error::conflict("resource " + request.resource_code + " is " + std::string(to_string(resource->state)) +
                           ": records are collected into published resources only");
  const std::vector<FieldSpec>& fields = resource->spec.fields;

  boost::system::error_code ec;
  json::value doc = json::parse(request.body, ec);
  if (ec || !doc.is_object()) return Error::invalid("body", "must be a JSON object {\"records\": [...]}");
  auto* list = doc.as_object().if_contains("records");
  if (!list || !list->is_array()) return Error::invalid("records", "must be an array of record objects");
  const auto& items = list->as_array();
  if (items.empty()) return Error::invalid("records", "send at least one record");
  if (items.size() > kMaxRecordsPerCall)
    return Error{ErrorCode::too_large,
                 "records: at most 1000 records per call",
                 {{"records", "at most 1000 records per call; send the rest in further calls"}}};

  const CodeTables tables = load_code_tables(catalog_, fields);
  const StandardiseContext context{zone_.local_date(clock_.now()), &tables, addresses_};
  RecordStore records(db_, clock_);
  const OneSourceWriter writer(records, clock_, resource->id, fields, resource->spec.provider, request.writer_org);
  auto checker = RecordChecker::for_objects(fields_to_check(fields, writer.authority()), context);
  if (!checker) return checker.error();

  // Every record is checked before anything is written.
  std::vector<RecordValues> accepted;
  ChunkProgress progress;
  progress.records = static_cast<std::int64_t>(items.size());
  progress.last_line = progress.records;
  json::array rejects;
  std::set<std::string> ignored;
  CheckedRow row;
  std::vector<JsonMember> members;
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < items.size(); ++i) {
    json::array errors;
    json::object raw;
    if (!items[i].is_object()) {
      errors.push_back(json::object{{"field", ""}, {"reason", "a record must be a JSON object of field → value"}});
    } else {
      const auto& object = items[i].as_object();
      members.clear();
      texts.assign(object.size(), std::string());
      std::size_t n = 0;
      for (const auto& kv : object) {
        auto m = member_of(kv.key(), kv.value(), texts[n++]);
        if (!m) {
          errors.push_back(json::object{{"field", kv.key()}, {"reason", "must be text, a number, true, false or null"}});
          raw[kv.key()] = json::serialize(kv.value());
          continue;
        }
        raw[kv.key()] = m->value;
        members.push_back(*m);
      }
      if (errors.empty()) {
        checker->check(members, row);
        for (auto k : row.unknown_keys) ignored.emplace(members[k].key);
        for (const auto& r : row.refusals)
          errors.push_back(json::object{{"field", r.field == kWholeRecord ? "" : fields[r.field].name}, {"reason", r.reason}});
      }
    }
    if (!errors.empty()) {
      progress.rejects.push_back({0, 0, static_cast<std::int64_t>(i + 1), json::serialize(raw), json::serialize(errors),
                                  "open", {}, {}});
      rejects.push_back(json::object{{"index", i}, {"errors", std::move(errors)}});
      continue;
    }
    RecordValues r;
    r.values.reserve(row.values.size());
    for (const auto& v : row.values) r.values.push_back(v.text.empty() ? std::nullopt : std::optional<std::string>(v.text));
    accepted.push_back(std::move(r));
  }
  progress.accepted = static_cast<std::int64_t>(accepted.size());
  std::string message;
  if (!ignored.empty()) {
    message = "members naming no field were ignored:";
    for (const auto& k : ignored) message += " " + k;
    message += "; ";
  }

  try {
    auto tx = db_.begin();
    const std::int64_t now = to_unix_ms(clock_.now());
    // The batch is written whole, in this transaction: it is done when it exists.
    const auto batch =
        tx.query("INSERT INTO data_import_batches (resource_id, resource_version, source_org, file_name, file_path, "
                 "format, encoding, state, actor, message, started_at, finished_at) "
                 "VALUES (?, ?, ?, ?, '', 'api', 'utf-8', 'done', ?, ?, ?, ?) RETURNING id",
                 {resource->id, resource->version, request.writer_org,
                  "record API, Idempotency-Key " + request.idempotency_key, request.actor, message, now, now})[0]
            .get<std::int64_t>(0);
    OneSourceCounts counts;
    if (!accepted.empty()) counts = writer.write(tx, accepted, batch);
    for (auto& r : progress.rejects) r.batch_id = batch;
    ImportBatches(db_, clock_).record_chunk(tx, batch, progress);
    if (counts.discrepancies > 0) {
      tx.execute("UPDATE data_import_batches SET message = ? WHERE id = ?",
                 {message + std::to_string(counts.discrepancies) +
                      " values of fields another department is the authority of were not applied: they wait on the "
                      "discrepancy list (一数一源); ",
                  batch});
    }
    const std::string reply = json::serialize(json::object{{"batch", batch},
                                                           {"accepted", accepted.size()},
                                                           {"rejected", progress.rejects.size()},
                                                           {"rejects", std::move(rejects)},
                                                           {"discrepancies", counts.discrepancies}});
    tx.execute("INSERT INTO data_record_requests (writer, idempotency_key, body_sm3, batch_id, reply, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               {request.writer_org, request.idempotency_key, digest, batch, reply, now});
    tx.commit();
    return RecordReply{reply, false};
  } catch (const db::Error&) {
    // The same key committed by a concurrent call: this one rolled back; answer as a retry.
    if (auto earlier = replay(request, digest); earlier || earlier.error().code != ErrorCode::not_found) return earlier;
    throw;
  }
}

void add_record_api_routes(http::Router& router, RecordApiServices s) {
  router.add(
      {.method = http::Method::post,
       .path = "/api/catalog/resources/{code}/records",
       .handler =
           [s](http::Request& req) {
             const std::string code(req.param("code"));
             auth::audit_note(req, "audit.object_id", code);
             const auto& p = auth::require_principal(req);
             RecordRequest r{code, {}, {}, {}, req.body};
             if (p.client) {
               r.writer_org = p.client->org_code;
               r.actor = "client:" + p.client->client_id;
             } else {
               if (!p.user.org_code)
                 throw Problem(Error{ErrorCode::forbidden, "records are written by departments and their systems", {}});
               auto org = take(s.orgs.by_code(*p.user.org_code));
               auth::require_permission(req, kCatalogEdit, org.path);
               r.writer_org = org.code;
               r.actor = p.user.username;
             }
             auto key = req.header(kKeyHeader);
             if (!key) throw Problem(Error::invalid(kKeyHeader, "required: a key of 1 to 200 printable characters"));
             r.idempotency_key = std::string(*key);
             auto reply = take(RecordApi(s.db, s.clock, s.zone, s.catalog, s.addresses).submit(r));
             auto out = http::Response::json(std::move(reply.json));
             if (reply.replayed) out.headers.set("Idempotent-Replayed", "true");
             return out;
           },
       .summary = "Write up to 1,000 records of a published resource in one batch (header Idempotency-Key required; "
                  "a retry with the same key and body answers the first reply, another body is 422)",
       .tag = "records",
       .request_schema = R"JSON({"type":"object","required":["records"],"properties":{
         "records":{"type":"array","minItems":1,"maxItems":1000,
           "items":{"type":"object","additionalProperties":{"type":["string","number","boolean","null"]}},
           "description":"field name or label → value; at most 1,000 records per call (413 beyond)"}}})JSON",
       .response_schema = R"JSON({"type":"object","properties":{"batch":{"type":"integer"},
         "accepted":{"type":"integer"},"rejected":{"type":"integer"},
         "rejects":{"type":"array","items":{"type":"object","properties":{"index":{"type":"integer"},
           "errors":{"type":"array","items":{"type":"object","properties":{"field":{"type":"string"},
             "reason":{"type":"string"}}}}}}},
         "discrepancies":{"type":"integer","description":"values withheld for their authority (一数一源)"}}})JSON",
       .body_limit = 16u << 20,
       .signed_in = true,
       .audit = "data.records.write"});
}

}  // namespace zhengwu::data
