// From a parsed Request to a Response: the middleware chain around the router and the
// static files of the web app.
//
//   request id → CORS (preflight, headers) → rate limit → middleware → route → guard → handler
//                                                          ↘ no route: static files / 404 / 405
//
// Middleware is a function `(Request&, next) -> Response`; the platform installs the
// kernel's and later issues add theirs (authentication plugs in through `set_guard`).
// Handler failures are mapped here: `Problem` to its status, a busy database to 503,
// anything else to 500 with the request id in the log and nothing internal in the reply.
//
// Thread-safety: configure before the first `handle` (later changes throw
// std::logic_error); `handle` may then run on any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kernel/http/message.hpp"
#include "kernel/http/router.hpp"

namespace zhengwu {
class Metrics;
}

namespace zhengwu::http {

class StaticFiles;

using Next = std::function<Response(Request&)>;
using Middleware = std::function<Response(Request&, const Next&)>;

// Decides whether a matched route may run for this request: nullopt lets it through, a
// Response (401/403 problem) ends it. Installed by the identity module.
using Guard = std::function<std::optional<Response>(Request&, const Route&)>;

// Whether a client may make one more request now (token bucket or similar).
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // `key` identifies the client (its address, later its account). Thread-safe.
  virtual bool allow(std::string_view key) = 0;
};

// A token bucket per key: `rate` requests per second on average, bursts up to `burst`.
std::unique_ptr<RateLimiter> make_token_bucket_limiter(double rate, double burst);

struct DispatcherOptions {
  std::vector<std::string> cors_origins;  // empty: no CORS headers; "*": any origin
  bool access_log = true;
};

class Dispatcher {
 public:
  Dispatcher(const Router& router, Metrics& metrics, DispatcherOptions options);
  ~Dispatcher();

  void use(Middleware m);  // runs inside the kernel's middleware, in the order added
  void set_guard(Guard g);
  void set_rate_limiter(std::unique_ptr<RateLimiter> limiter);
  void set_static_files(std::unique_ptr<StaticFiles> files);

  // The answer, or a deferred one (Response::deferred) when a middleware holds it back;
  // the finishing steps (CORS, X-Request-Id, metrics, access log) then run when it is
  // settled, so the dispatcher must outlive every reply it deferred.
  Response handle(Request& req);

 private:
  void build_chain();
  void check_configurable() const;
  Response run_chain(Request& req);
  static Response map_failures(Request& req, const Next& next);
  Response route(Request& req);
  std::optional<std::string> allowed_origin(const Request& req) const;
  Response preflight(Request& req, const std::string& origin) const;
  Response rate_limited(Request& req, const Next& next);

  const Router& router_;
  Metrics& metrics_;
  DispatcherOptions options_;
  std::vector<Middleware> middleware_;
  Guard guard_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<StaticFiles> static_files_;
  std::once_flag chain_once_;
  Next chain_;
  std::set<std::string, std::less<>> unthrottled_;
};

}  // namespace zhengwu::http
