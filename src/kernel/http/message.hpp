// Request and Response as plain values.
//
// Handlers see only these types: no Beast, no Asio, no sockets. The session code in
// server.cpp converts from and to the wire. Keep this header light: every module's
// routes include it.
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
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
  // Routes whose body is spooled to disk (Route::spool_body): the file holding the body,
  // removed after the handler returns unless the handler moved it; `body` is then empty.
  std::string body_file;
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

class DeferredReply;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Set when the answer is not ready yet (see DeferredReply); then status, headers and
  // body above mean nothing and the deferred reply delivers the real answer.
  std::shared_ptr<DeferredReply> deferred;

  static Response json(std::string body, int status = 200);
  static Response text(std::string body, std::string content_type = "text/plain; charset=utf-8",
                       int status = 200);
  static Response empty(int status);
  // A response whose answer `reply` delivers later.
  static Response later(std::shared_ptr<DeferredReply> reply);
};

// An answer that is settled after the handler has returned, from any thread: the audit
// trail holds a reply back until its record is durable, without holding the server's
// thread (so that many requests share one commit; see audit_log.hpp).
//
// The protocol, in order: whoever returns Response::later adds nothing; the dispatcher
// registers its finishing steps with `then` (headers, metrics, access log); the server
// registers where the answer goes with `deliver`. `settle` may come at any point of this,
// before or after either registration, on any thread; once both the answer and the
// destination are known, the finishing steps and then the sink run — on the thread
// `deliver` names (the server: the connection's own), so that the settling thread (the
// audit writer) only hands the answer over. Settling twice is a logic error (the second
// answer is ignored and logged); the answer itself is never deferred.
class DeferredReply {
 public:
  using Work = std::function<void()>;
  // Runs `work` where the answer belongs; nullptr: at once, on the settling thread.
  using Executor = std::function<void(Work)>;

  void settle(Response answer);
  void then(std::function<void(Response&)> step);  // before deliver()
  void deliver(std::function<void(Response)> sink, Executor run_on = nullptr);  // once

 private:
  void flush(std::unique_lock<std::mutex>& lock);

  std::mutex mutex_;
  std::optional<Response> answer_;
  std::vector<std::function<void(Response&)>> steps_;
  std::function<void(Response)> sink_;
  Executor run_on_;
  bool settled_ = false;
};

// Blocks until `res` is settled when it is deferred (for callers without an event loop:
// tests and tools); otherwise returns it as it is.
Response wait_for(Response res);

// RFC 3986 percent-decoding; returns nullopt on a bad escape. With `plus_is_space`,
// '+' decodes to ' ' (application/x-www-form-urlencoded).
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space = false);

}  // namespace zhengwu::http
