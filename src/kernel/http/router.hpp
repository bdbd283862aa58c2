// The route table: path templates with `{param}` segments, matched per method.
//
// Every endpoint of the platform is one `Route` here; the OpenAPI document is built from
// this table (kernel/http/openapi.cpp), so a route's description lives beside its handler.
//
// Thread-safety: routes are added at start-up, before the server runs; afterwards the
// router is read-only and `match` may be called from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/http/message.hpp"

namespace zhengwu::http {

using Handler = std::function<Response(Request&)>;

// A documented query parameter; `type` is a JSON Schema type ("string", "integer", ...).
struct QueryParam {
  std::string name;
  std::string type = "string";
  bool required = false;
  std::string description;
};

struct Route {
  Method method = Method::get;
  std::string path;  // "/api/orgs/{id}"
  Handler handler;

  // --- documentation (OpenAPI) ---
  std::string summary;
  std::string tag;
  std::vector<QueryParam> query;
  std::string request_schema;   // JSON Schema as JSON text; empty: no body
  std::string response_schema;  // JSON Schema of the 2xx body as JSON text
  int success_status = 200;
  std::string response_content_type = "application/json";

  // --- policy ---
  // Overrides the server's request body limit for this route (uploads).
  std::optional<std::size_t> body_limit;
  // The body is written to a file as it arrives, not held in memory (large uploads): the
  // handler reads Request::body_file (see Server::spool_bodies).
  bool spool_body = false;
  // Routes that must never be rate limited or authenticated (health probes).
  bool infrastructure = false;
  // The permission a caller needs; empty: no particular one. Enforced by the guard.
  std::string permission;
  // Requires a signed-in caller even without a permission (e.g. /api/me).
  bool signed_in = false;
  // The audit action recorded for every call of this route ("user.create"), with the
  // caller, the object (the `{id}` parameter), the outcome and the request id; the reply
  // waits until the record is durable. Empty: not audited.
  std::string audit;
};

struct Match {
  const Route* route = nullptr;  // null: no route for this method
  std::map<std::string, std::string, std::less<>> params;
  // When the path matched a template but not for this method: the methods it has,
  // for the `Allow` header of a 405. Empty when no template matched the path at all.
  std::vector<Method> allowed;
};

class Router {
 public:
  // Adds a route; throws std::invalid_argument on a malformed template or a duplicate
  // (same method and same template shape), which is a programming error at start-up.
  void add(Route route);

  // Matches an encoded request path. Parameters are percent-decoded; a segment whose
  // escape is malformed matches nothing.
  Match match(Method method, std::string_view path) const;

  // The body limit for a request, looked up before the body is read.
  std::optional<std::size_t> body_limit(Method method, std::string_view path) const;
  // Whether the route matched by method and path spools its body to a file.
  bool spools_body(Method method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{x}" marks a parameter
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace zhengwu::http
