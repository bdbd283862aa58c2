// Request and Response as plain values.
//
// Handlers see only these types: no Beast, no Asio, no sockets. The session code in
// server.cpp converts from and to the wire. Keep this header light: every module's
// routes include it.
#pragma once

#include <any>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zhengwu::http {

enum class Method { get, head, post, put, patch, delete_, options, other };

std::string_view to_string(Method m);
// Unknown names map to Method::other (answered 400 by the server).
Method method_from_string(std::string_view name);

// Header names compare case-insensitively (RFC 9110 §5.1).
class Headers {
 public:
  void set(std::string name, std::string value);  // replaces
  void add(std::string name, std::string value);  // appends
  std::optional<std::string_view> get(std::string_view name) const;
  void remove(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  Method method = Method::get;
  std::string target;      // as sent: "/api/x?y=1" (still percent-encoded)
  std::string path;        // target without the query, still percent-encoded
  std::string query_text;  // after '?', percent-encoded; empty when none
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1" or "::1"
  std::string request_id;      // set by the request-id middleware
  unsigned version = 11;       // 10 or 11
  bool keep_alive = true;

  // Filled by the router: `{id}` segments of the matched template, percent-decoded.
  std::map<std::string, std::string, std::less<>> path_params;
  // The matched route template ("/api/orgs/{id}"), for metrics and logs.
  std::string route;
  // The matched route's audit action, empty when it is not audited.
  std::string audit_action;
  // Per-request values set by middleware for handlers (the authenticated principal, ...),
  // keyed by a name the setter documents.
  std::map<std::string, std::any, std::less<>> attributes;

  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
  // The first value of a query parameter, percent-decoded ('+' is a space).
  std::optional<std::string> query(std::string_view name) const;
  // Every query pair in order, decoded.
  std::vector<std::pair<std::string, std::string>> query_pairs() const;
  // A path parameter; empty when the route has none by that name.
  std::string_view param(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response json(std::string body, int status = 200);
  static Response text(std::string body, std::string content_type = "text/plain; charset=utf-8",
                       int status = 200);
  static Response empty(int status);
};

// RFC 3986 percent-decoding; returns nullopt on a bad escape. With `plus_is_space`,
// '+' decodes to ' ' (application/x-www-form-urlencoded).
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space = false);

}  // namespace zhengwu::http
