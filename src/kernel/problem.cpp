// Error → RFC 9457 problem+json, the single place where status codes are decided.
#include "kernel/problem.hpp"

#include <boost/json.hpp>

namespace zhengwu {
namespace {

std::string_view title_for(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

}  // namespace

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid: return 400;
    case ErrorCode::unauthorized: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict: return 409;
    case ErrorCode::too_large: return 413;
    case ErrorCode::unprocessable: return 422;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::busy: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

http::Response problem(const Error& error) {
  int status = http_status(error.code);
  boost::json::object o;
  // `type` is "about:blank" per RFC 9457 §4.2.1: the status code says it all.
  o["type"] = "about:blank";
  o["title"] = title_for(status);
  o["status"] = status;
  o["detail"] = error.message;
  if (!error.fields.empty()) {
    boost::json::array errors;
    for (const auto& f : error.fields) errors.push_back(boost::json::object{{"field", f.field}, {"message", f.message}});
    o["errors"] = std::move(errors);
  }
  http::Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/problem+json; charset=utf-8");
  r.body = boost::json::serialize(o);
  return r;
}

http::Response problem(int status, std::string detail) {
  boost::json::object o{{"type", "about:blank"}, {"title", title_for(status)}, {"status", status}, {"detail", std::move(detail)}};
  http::Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/problem+json; charset=utf-8");
  r.body = boost::json::serialize(o);
  return r;
}

}  // namespace zhengwu
