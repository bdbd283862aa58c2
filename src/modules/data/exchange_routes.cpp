// Exchange and data-use routes; see exchange_routes.hpp.
#include "modules/data/exchange_routes.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <memory>

#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/crypto/crypto.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"
#include "modules/data/exchange_view.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxPageSize = 500;

Response ok_json(const json::value& v) { return Response::json(json::serialize(v)); }

Problem forbidden(std::string message) { return Problem(Error{ErrorCode::forbidden, std::move(message), {}}); }

const auth::Client& calling_client(const Request& req) {
  const auto& p = auth::require_principal(req);
  if (!p.client) throw forbidden("the exchange serves signed system clients (X-Zw-Client, X-Zw-Signature)");
  return *p.client;
}

std::string stated_purpose(Request& req) {
  auto raw = req.header("X-Zw-Purpose");
  if (!raw || raw->empty())
    throw Problem(Error::invalid("X-Zw-Purpose", "state the purpose of the read (percent-encoded UTF-8)"));
  auto decoded = http::percent_decode(*raw);
  auto chars = decoded ? http::utf8_chars(*decoded) : std::nullopt;
  if (!chars || *chars > kMaxPurposeChars)
    throw Problem(Error::invalid("X-Zw-Purpose", "must be percent-encoded UTF-8 of at most " +
                                                     std::to_string(kMaxPurposeChars) + " characters"));
  auth::audit_note(req, "audit.purpose", *decoded);
  return *decoded;
}

std::shared_ptr<const CatalogResource> published(PublishedResources& resources, Request& req) {
  const std::string code(req.param("code"));
  auth::audit_note(req, "audit.object_id", code);
  auto r = resources.get(code);
  if (!r) throw Problem(Error::not_found("no published resource " + code));
  return r;
}

// What every exchange read checks first: a signed client, its stated purpose, the
// published resource and the grant that lets the client's department see it for that
// purpose (403 otherwise).
struct GrantedRead {
  std::shared_ptr<const CatalogResource> resource;
  Visibility v;
};
GrantedRead granted_read(const ExchangeServices& s, PublishedResources& resources, Request& req) {
  const auto& client = calling_client(req);
  const auto purpose = stated_purpose(req);
  auto resource = published(resources, req);
  auto v = take(visibility_for(s.sharing, *resource, client.org_code, purpose));
  return {std::move(resource), std::move(v)};
}

// The audit details of a read: the grant, the keys returned and their subjects.
void note_read(Request& req, const CatalogResource& resource, const Visibility& v,
               const std::vector<StoredRecord>& records) {
  auth::audit_note(req, "audit.details", json::serialize(read_details(resource, v, records)));
}

bool is_text_column(FieldType t) {
  switch (t) {
    case FieldType::string:
    case FieldType::code:
    case FieldType::id_number:
    case FieldType::uscc:
    case FieldType::division:
    case FieldType::phone: return true;
    default: return false;
  }
}

// Checks one filter value against the field's canonical form, so that a bad value is a
// 400 naming the parameter and never a database error.
void check_value(const FieldSpec& f, const std::string& param, const std::string& v) {
  auto bad = [&](const std::string& what) { throw Problem(Error::invalid(param, what)); };
  if (v.size() > 400) bad("is too long");
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  switch (f.type) {
    case FieldType::integer: {
      std::string_view s = v;
      if (!s.empty() && s[0] == '-') s.remove_prefix(1);
      if (!digits(s) || s.size() > 18) bad("must be an integer");
      break;
    }
    case FieldType::decimal: {
      std::string_view s = v;
      if (!s.empty() && s[0] == '-') s.remove_prefix(1);
      auto dot = s.find('.');
      if (!digits(s.substr(0, dot)) || (dot != std::string_view::npos && !digits(s.substr(dot + 1))))
        bad("must be a decimal number (12.50)");
      break;
    }
    case FieldType::date:
      if (!parse_date(v)) bad("must be a date YYYY-MM-DD");
      break;
    case FieldType::boolean:
      if (v != "true" && v != "false") bad("must be true or false");
      break;
    default:
      if (!http::utf8_chars(v)) bad("must be UTF-8 text");
  }
}

std::vector<RecordFilter> filters_of(const Request& req, const CatalogResource& resource, const Visibility& v) {
  std::vector<RecordFilter> out;
  const auto& fields = resource.spec.fields;
  for (const auto& [name, value] : req.query_pairs()) {
    if (name == "limit" || name == "cursor") continue;
    const auto dot = name.find('.');
    const std::string field_name = name.substr(0, dot);
    const std::string op = dot == std::string::npos ? "" : name.substr(dot + 1);
    std::size_t index = fields.size();
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (fields[i].name == field_name) index = i;
    if (index == fields.size()) throw Problem(Error::invalid(name, "the resource has no field " + field_name));
    if (std::find(v.fields.begin(), v.fields.end(), index) == v.fields.end())
      throw forbidden(name + ": " + field_name + " is not among the granted fields");
    RecordFilter f;
    f.field = index;
    if (op.empty()) {
      f.op = RecordFilter::Op::equals;
      f.values = {value};
    } else if (op == "in") {
      f.op = RecordFilter::Op::in;
      std::size_t at = 0;
      while (at <= value.size()) {
        auto comma = value.find(',', at);
        if (comma == std::string::npos) comma = value.size();
        f.values.push_back(value.substr(at, comma - at));
        at = comma + 1;
      }
      if (f.values.size() > 100) throw Problem(Error::invalid(name, "at most 100 values"));
    } else if (op == "from" || op == "to" || op == "prefix") {
      if (!v.clear[index])
        throw forbidden(name + ": " + field_name + " is masked for this grant; filter it with = or .in only");
      if (fields[index].type == FieldType::boolean || fields[index].type == FieldType::geo_point)
        throw Problem(Error::invalid(name, "a " + std::string(op) + " filter needs an ordered field"));
      if (op == "prefix" && !is_text_column(fields[index].type))
        throw Problem(Error::invalid(name, "prefix filters apply to text fields; use .from and .to"));
      f.op = op == "from" ? RecordFilter::Op::from : op == "to" ? RecordFilter::Op::to : RecordFilter::Op::prefix;
      f.values = {value};
    } else {
      throw Problem(Error::invalid(name, "unknown operator ." + op + " (use =, .in, .from, .to or .prefix)"));
    }
    for (const auto& one : f.values)
      if (f.op != RecordFilter::Op::prefix) check_value(fields[index], name, one);
    out.push_back(std::move(f));
  }
  return out;
}

// Cursors are the last key of a page in hex, so that any key travels in a URL.
std::string encode_cursor(const std::string& key) { return crypto::to_hex(std::string_view(key)); }
std::string decode_cursor(const std::string& cursor) {
  auto key = crypto::from_hex(cursor);
  if (!key) throw Problem(Error::invalid("cursor", "is not a cursor this list gave"));
  return std::string(key->begin(), key->end());
}

// The change feed's cursor: a change sequence number in decimal ("0": from the start).
std::int64_t since_param(const Request& req) {
  auto c = req.query("since");
  if (!c || c->empty()) return 0;
  const bool digits = c->size() <= 18 && std::all_of(c->begin(), c->end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!digits) throw Problem(Error::invalid("since", "is not a cursor this feed gave (a next_cursor, or 0)"));
  return std::stoll(*c);
}

constexpr const char* kRecordSchema = R"({"type":"object","properties":{
  "record":{"type":"object","additionalProperties":true,"description":"granted fields only; masked ones as strings"},
  "provenance":{"type":"object","properties":{"resource":{"type":"string"},"version":{"type":"integer"},
    "provider":{"type":"string"},"source_org":{"type":"string"},"batch":{"type":["integer","null"]},
    "updated_at":{"type":"string"},"revision":{"type":"integer"}}},
  "grant":{"type":"object"}}})";

}  // namespace

void add_exchange_routes(http::Router& router, ExchangeServices s) {
  auto resources = std::make_shared<PublishedResources>(s.db, s.catalog);
  auto records = std::make_shared<RecordStore>(s.db, s.clock);

  router.add({.method = Method::get,
              .path = "/api/exchange/resources/{code}/records/{key}",
              .handler =
                  [s, resources, records](Request& req) {
                    const auto [resource, v] = granted_read(s, *resources, req);
                    auto record = records->get(resource->id, resource->spec.fields, req.param("key"));
                    note_read(req, *resource, v, record ? std::vector<StoredRecord>{*record} : std::vector<StoredRecord>{});
                    if (!record) throw Problem(Error::not_found("no record with this key in " + resource->spec.code));
                    return ok_json(json::object{{"record", record_json(*resource, v, *record)},
                                                {"provenance", provenance_json(*resource, *record, s.zone)},
                                                {"grant", grant_ref(v, s.zone)}});
                  },
              .summary = "Read one record by its key under a grant (signed clients; header X-Zw-Purpose)",
              .tag = "exchange",
              .response_schema = kRecordSchema,
              .audit = kExchangeReadAction});

  router.add({.method = Method::get,
              .path = "/api/exchange/resources/{code}/records",
              .handler =
                  [s, resources, records](Request& req) {
                    const auto [resource, v] = granted_read(s, *resources, req);
                    auto filters = filters_of(req, *resource, v);
                    const auto limit = http::limit_param(req, 100, kMaxPageSize);
                    std::optional<std::string> after;
                    if (auto c = req.query("cursor"); c && !c->empty()) after = decode_cursor(*c);
                    auto page = records->query(resource->id, resource->spec.fields, filters, after, limit + 1);
                    const bool more = page.size() > limit;
                    if (more) page.resize(limit);
                    note_read(req, *resource, v, page);
                    json::array items;
                    for (const auto& r : page)
                      items.push_back(json::object{{"record", record_json(*resource, v, r)},
                                                   {"provenance", provenance_json(*resource, r, s.zone)}});
                    return ok_json(json::object{
                        {"items", std::move(items)},
                        {"next_cursor", more ? json::value(encode_cursor(page.back().key)) : json::value(nullptr)},
                        {"grant", grant_ref(v, s.zone)}});
                  },
              .summary = "Query records under a grant: FIELD=V, FIELD.in=a,b, FIELD.from=, FIELD.to=, FIELD.prefix= "
                         "(signed clients; header X-Zw-Purpose); keyset pages in key order",
              .tag = "exchange",
              .query = {{"limit", "integer", false, "page size, at most 500 (default 100)"},
                        {"cursor", "string", false, "next_cursor of the previous page"},
                        {"FIELD", "string", false, "equals; FIELD.in (comma list), .from/.to (inclusive), .prefix"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object",
                "properties":{"record":{"type":"object"},"provenance":{"type":"object"}}}},
                "next_cursor":{"type":["string","null"]},"grant":{"type":"object"}}})",
              .audit = kExchangeReadAction});

  router.add({.method = Method::get,
              .path = "/api/exchange/resources/{code}/changes",
              .handler =
                  [s, resources, records](Request& req) {
                    const auto [resource, v] = granted_read(s, *resources, req);
                    const auto since = since_param(req);
                    const auto limit = http::limit_param(req, 100, kMaxPageSize);
                    auto page = records->changes(resource->id, resource->spec.fields, since, limit);
                    note_read(req, *resource, v, page);
                    json::array items;
                    for (const auto& r : page) items.push_back(change_json(*resource, v, r, s.zone));
                    // Nothing new: the same cursor again, so that a client polls with it.
                    const auto next = page.empty() ? since : page.back().seq;
                    return ok_json(json::object{{"items", std::move(items)},
                                                {"next_cursor", std::to_string(next)},
                                                {"grant", grant_ref(v, s.zone)}});
                  },
              .summary = "The change feed: records changed after `since`, in change order, each once with its current "
                         "granted (masked) values and provenance (signed clients; header X-Zw-Purpose); poll with "
                         "next_cursor",
              .tag = "exchange",
              .query = {{"since", "string", false,
                         "next_cursor of the previous call; absent or 0: from the first change"},
                        {"limit", "integer", false, "page size, at most 500 (default 100)"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object",
                "properties":{"key":{"type":"string"},"seq":{"type":"integer"},"revision":{"type":"integer"},
                "record":{"type":"object","additionalProperties":true},"provenance":{"type":"object"}}}},
                "next_cursor":{"type":"string","description":"the last seq returned; the same as since when nothing is new"},
                "grant":{"type":"object"}}})",
              .audit = kExchangeReadAction});

  router.add({.method = Method::get,
              .path = "/api/me/data-use",
              .handler =
                  [s](Request& req) {
                    const auto& p = auth::require_principal(req);
                    std::optional<std::string> subject;
                    if (!p.client) subject = p.user.id_number ? p.user.id_number : p.user.uscc;
                    if (!subject)
                      throw forbidden("the data-use record is kept for citizens and enterprises (their own records)");
                    s.ledger.catch_up();  // every read audited up to now is listed
                    DataUseQuery q;
                    q.subject = *subject;
                    if (auto v = req.query("org"); v && !v->empty()) q.org = *v;
                    if (auto v = req.query("resource"); v && !v->empty()) q.resource = *v;
                    for (const char* bound : {"from", "to"}) {
                      auto v = req.query(bound);
                      if (!v || v->empty()) continue;
                      auto t = parse_iso8601(*v);
                      if (!t) {
                        auto d = parse_date(*v);
                        if (!d) throw Problem(Error::invalid(bound, "must be a date or an ISO 8601 time"));
                        t = s.zone.from_local(std::chrono::local_seconds(std::chrono::local_days(*d).time_since_epoch()));
                        if (std::string_view(bound) == "to") *t += std::chrono::days(1);  // through that day
                      }
                      (std::string_view(bound) == "from" ? q.from : q.to) = *t;
                    }
                    q.limit = http::limit_param(req, 50, 200);
                    q.before_seq = http::id_cursor_param(req);
                    auto page = s.ledger.list(q);
                    json::array items;
                    for (const auto& u : page.items)
                      items.push_back(json::object{{"time", format_iso8601(u.at, s.zone)},
                                                   {"org", u.org},
                                                   {"org_name", u.org_name},
                                                   {"client", u.client_name},
                                                   {"client_id", u.client_id},
                                                   {"resource", u.resource},
                                                   {"resource_name", u.resource_name},
                                                   {"purpose", u.purpose},
                                                   {"records", u.records},
                                                   {"audit_seq", u.audit_seq}});
                    return ok_json(json::object{
                        {"items", std::move(items)},
                        {"next_cursor", http::id_cursor_json(page.next_cursor)}});
                  },
              .summary = "My data-use record: every exchange read of my records (citizens and enterprises)",
              .tag = "me",
              .query = {{"org", "string", false, "the reading department's code"},
                        {"resource", "string", false, "a resource code"},
                        {"from", "string", false, "date or ISO 8601 time, inclusive"},
                        {"to", "string", false, "date (through that day) or ISO 8601 time, exclusive"},
                        {"limit", "integer", false, "page size, at most 200 (default 50)"},
                        {"cursor", "string", false, "next_cursor of the previous page"}},
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object",
                "properties":{"time":{"type":"string"},"org":{"type":"string"},"org_name":{"type":"string"},
                "client":{"type":"string"},"resource":{"type":"string"},"resource_name":{"type":"string"},
                "purpose":{"type":"string"},"records":{"type":"integer"}}}},
                "next_cursor":{"type":["string","null"]}}})",
              .signed_in = true});
}

}  // namespace zhengwu::data
