// The audit log over HTTP; see audit_routes.hpp.
#include "kernel/auth/audit_routes.hpp"

#include <boost/json.hpp>
#include <sstream>

#include "kernel/audit/audit_query.hpp"
#include "kernel/audit/verify.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/problem.hpp"

namespace zhengwu::auth {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

const std::vector<http::QueryParam> kFilters{
    {"from", "string", false, "ISO 8601 time with offset: records at or after"},
    {"to", "string", false, "ISO 8601 time with offset: records before"},
    {"actor", "string", false, "Actor id (user id or client id)"},
    {"org", "string", false, "Actor's organisation code"},
    {"action", "string", false, "Action prefix, e.g. auth. or user.create"},
    {"object_type", "string", false, "Object type"},
    {"object_id", "string", false, "Object id"},
    {"outcome", "string", false, "success, failure or denied"},
    {"request_id", "string", false, "Request id"}};

audit::AuditFilter filter_of(const Request& req) {
  audit::AuditFilter f;
  auto time = [&](const char* name) -> std::optional<TimePoint> {
    auto v = req.query(name);
    if (!v) return std::nullopt;
    auto t = parse_iso8601(*v);
    if (!t) throw Problem(Error::invalid(name, t.error().message));
    return *t;
  };
  f.from = time("from");
  f.to = time("to");
  f.actor_id = req.query("actor");
  f.actor_org = req.query("org");
  f.action_prefix = req.query("action");
  f.object_type = req.query("object_type");
  f.object_id = req.query("object_id");
  f.request_id = req.query("request_id");
  if (auto o = req.query("outcome")) {
    if (*o == "success") f.outcome = audit::Outcome::success;
    else if (*o == "failure") f.outcome = audit::Outcome::failure;
    else if (*o == "denied") f.outcome = audit::Outcome::denied;
    else throw Problem(Error::invalid("outcome", "must be success, failure or denied"));
  }
  return f;
}

}  // namespace

void add_audit_routes(http::Router& router, db::Database& db, audit::Signer* signer, const TimeZone& zone) {
  router.add({.method = Method::get,
              .path = "/api/audit/records",
              .handler =
                  [&db, &zone](Request& req) {
                    auto limit = static_cast<int>(http::limit_param(req, 50, audit::kMaxAuditPage));
                    auto page = take(audit::query_audit(db, filter_of(req), limit, req.query("cursor").value_or("")));
                    json::array items;
                    for (const auto& r : page.items) {
                      boost::system::error_code ec;
                      auto v = json::parse(audit::json_line(r, zone), ec);
                      if (!ec) items.push_back(std::move(v));
                    }
                    return Response::json(json::serialize(json::object{
                        {"items", std::move(items)},
                        {"next_cursor", page.next_cursor ? json::value(*page.next_cursor) : json::value(nullptr)}}));
                  },
              .summary = "Audit records, newest first, with filters and keyset paging",
              .tag = "audit",
              .query = [] {
                auto q = kFilters;
                q.push_back({"limit", "integer", false, "1-1000, default 50"});
                q.push_back({"cursor", "string", false, "next_cursor of the previous page"});
                return q;
              }(),
              .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}},
                "next_cursor":{"type":["string","null"]}}})",
              .permission = "audit.read",
              .audit = "audit.read"});
  router.add({.method = Method::get,
              .path = "/api/audit/export",
              .handler =
                  [&db, &zone](Request& req) {
                    auto format = req.query("format").value_or("csv");
                    if (format != "csv" && format != "jsonl")
                      throw Problem(Error::invalid("format", "must be csv or jsonl"));
                    std::ostringstream out;
                    take(audit::export_audit(db, filter_of(req),
                                             format == "csv" ? audit::ExportFormat::csv : audit::ExportFormat::jsonl,
                                             zone, out));
                    auto res = Response::text(out.str(), format == "csv" ? "text/csv; charset=utf-8"
                                                                         : "application/x-ndjson; charset=utf-8");
                    res.headers.set("Content-Disposition",
                                    std::string("attachment; filename=\"audit.") + std::string(format) + "\"");
                    return res;
                  },
              .summary = "Export the matching audit records as CSV (UTF-8 with BOM) or JSON Lines",
              .tag = "audit",
              .query = [] {
                auto q = kFilters;
                q.push_back({"format", "string", false, "csv (default) or jsonl"});
                return q;
              }(),
              .response_schema = R"({"type":"string"})",
              .response_content_type = "text/csv",
              .permission = "audit.export",
              .audit = "audit.export"});
  router.add({.method = Method::get,
              .path = "/api/audit/verify",
              .handler =
                  [&db, signer](Request&) {
                    auto report = audit::verify_chain(db, signer);
                    json::object o{{"ok", report.ok},
                                   {"records", report.records},
                                   {"first_seq", report.first_seq},
                                   {"last_seq", report.last_seq},
                                   {"checkpoints", report.checkpoints},
                                   {"signatures_checked", report.signatures_checked}};
                    if (!report.ok) {
                      o["bad_seq"] = report.bad_seq;
                      o["problem"] = std::string(audit::to_string(report.problem));
                      o["message"] = report.message;
                    }
                    return Response::json(json::serialize(o));
                  },
              .summary = "Walk the hash chain and the signed checkpoints; name the first bad record",
              .tag = "audit",
              .response_schema = R"({"type":"object","properties":{"ok":{"type":"boolean"},"records":{"type":"integer"},
                "bad_seq":{"type":"integer"},"message":{"type":"string"}}})",
              .permission = "audit.read",
              .audit = "audit.verify"});
}

}  // namespace zhengwu::auth
