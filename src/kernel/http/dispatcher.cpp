// The dispatcher; see dispatcher.hpp for the chain and the promises.
#include "kernel/http/dispatcher.hpp"

#include <chrono>
#include <fmt/format.h>
#include <mutex>
#include <random>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <unordered_map>

#include "kernel/db/database.hpp"
#include "kernel/http/static_files.hpp"
#include "kernel/metrics.hpp"
#include "kernel/problem.hpp"

namespace zhengwu::http {
namespace {

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

// 16 hex digits: the milliseconds since the epoch (11 digits, good until the year 2527),
// then 5 random ones. Ids that grow with time are appended to the audit log's request-id
// index instead of landing on a random page of it, which for a busy log meant one page
// read and written per request.
std::string new_request_id() {
  thread_local std::mt19937 rng{std::random_device{}()};
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return fmt::format("{:011x}{:05x}", static_cast<std::uint64_t>(ms) & 0xFFFFFFFFFFFull, rng() & 0xFFFFFu);
}

std::string allow_header(std::vector<Method> methods) {
  // GET implies HEAD; OPTIONS is always answered.
  if (std::find(methods.begin(), methods.end(), Method::get) != methods.end() &&
      std::find(methods.begin(), methods.end(), Method::head) == methods.end())
    methods.push_back(Method::head);
  if (std::find(methods.begin(), methods.end(), Method::options) == methods.end()) methods.push_back(Method::options);
  std::string out;
  for (auto m : methods) {
    if (!out.empty()) out += ", ";
    out += to_string(m);
  }
  return out;
}

class TokenBucketLimiter final : public RateLimiter {
 public:
  TokenBucketLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  bool allow(std::string_view key) override {
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    // Forget idle clients now and then so the table stays small.
    if (buckets_.size() > 100'000) buckets_.clear();
    auto [it, fresh] = buckets_.try_emplace(std::string(key), Bucket{burst_, now});
    auto& b = it->second;
    if (!fresh) {
      double elapsed = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
      b.last = now;
    }
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace

std::unique_ptr<RateLimiter> make_token_bucket_limiter(double rate, double burst) {
  return std::make_unique<TokenBucketLimiter>(rate, burst);
}

Dispatcher::Dispatcher(const Router& router, Metrics& metrics, DispatcherOptions options)
    : router_(router), metrics_(metrics), options_(std::move(options)) {}

Dispatcher::~Dispatcher() = default;

void Dispatcher::use(Middleware m) {
  check_configurable();
  middleware_.push_back(std::move(m));
}
void Dispatcher::set_guard(Guard g) {
  check_configurable();
  guard_ = std::move(g);
}
void Dispatcher::set_rate_limiter(std::unique_ptr<RateLimiter> limiter) {
  check_configurable();
  limiter_ = std::move(limiter);
}
void Dispatcher::set_static_files(std::unique_ptr<StaticFiles> files) {
  check_configurable();
  static_files_ = std::move(files);
}

void Dispatcher::build_chain() {
  // Failures of handlers become responses at the innermost level, so that every
  // middleware (the audit trail above all) sees the answer the client gets.
  Next next = [this](Request& r) { return map_failures(r, [this](Request& q) { return route(q); }); };
  for (auto it = middleware_.rbegin(); it != middleware_.rend(); ++it)
    next = [mw = &*it, inner = std::move(next)](Request& r) { return (*mw)(r, inner); };
  chain_ = [this, inner = std::move(next)](Request& r) { return rate_limited(r, inner); };
  // Routes that promise never to be throttled (health probes), when their path is fixed.
  for (const auto& r : router_.routes())
    if (r.infrastructure && r.path.find('{') == std::string::npos) unthrottled_.insert(r.path);
}

void Dispatcher::check_configurable() const {
  // The chain holds pointers into middleware_: changing it after the first request
  // would be ignored at best.
  if (chain_) throw std::logic_error("the dispatcher is configured after it started handling requests");
}

Response Dispatcher::run_chain(Request& req) { return map_failures(req, chain_); }

Response Dispatcher::map_failures(Request& req, const Next& next) {
  try {
    return next(req);
  } catch (const Problem& p) {
    return problem(p.error());
  } catch (const db::Error& e) {
    if (e.kind() == db::Error::Kind::busy) {
      auto res = problem(503, "the database is busy; try again");
      res.headers.set("Retry-After", "1");
      return res;
    }
    spdlog::error("request {} {} {}: database error: {}", req.request_id, to_string(req.method), req.path, e.what());
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {}: {}", req.request_id, to_string(req.method), req.path, e.what());
  }
  return problem(500, "internal error (request " + req.request_id + ")");
}

Response Dispatcher::handle(Request& req) {
  auto started = std::chrono::steady_clock::now();
  auto incoming = req.header("X-Request-Id");
  req.request_id = incoming && valid_request_id(*incoming) ? std::string(*incoming) : new_request_id();
  metrics_.in_flight(1);
  std::call_once(chain_once_, [this] { build_chain(); });

  // CORS decorates every answer, error answers included, so that a browser app can read
  // a problem's detail and request id; a preflight is answered before anything else
  // (browsers send it without credentials).
  auto origin = allowed_origin(req);
  Response res = origin && req.method == Method::options && req.header("Access-Control-Request-Method")
                     ? preflight(req, *origin)
                     : run_chain(req);
  // What every answer gets, now or, for a deferred one, when it is settled (the request
  // may be gone by then: what is needed is copied).
  auto finish = [this, origin, started, request_id = req.request_id, remote = req.remote_address,
                 method = req.method, path = req.path,
                 route = req.route.empty() ? std::string("(unmatched)") : req.route](Response& r) {
    if (origin) {
      r.headers.set("Access-Control-Allow-Origin", *origin);
      r.headers.set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
      r.headers.add("Vary", "Origin");
    }
    r.headers.set("X-Request-Id", request_id);
    if (!r.headers.get("X-Content-Type-Options")) r.headers.set("X-Content-Type-Options", "nosniff");

    metrics_.in_flight(-1);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.observe_request(route, to_string(method), r.status, seconds);
    if (options_.access_log) {
      // The path without its query: queries can carry personal data (ID numbers, names).
      spdlog::info("{} {} {} {} {}B {:.2f}ms {}", remote, to_string(method), path, r.status, r.body.size(),
                   seconds * 1000, request_id);
    }
  };
  if (res.deferred) {
    res.deferred->then(std::move(finish));
  } else {
    finish(res);
  }
  return res;
}

std::optional<std::string> Dispatcher::allowed_origin(const Request& req) const {
  auto origin = req.header("Origin");
  if (!origin) return std::nullopt;
  for (const auto& o : options_.cors_origins)
    if (o == "*" || o == *origin) return std::string(*origin);
  return std::nullopt;
}

Response Dispatcher::preflight(Request& req, const std::string& origin) const {
  auto res = Response::empty(204);
  res.headers.set("Access-Control-Allow-Origin", origin);
  res.headers.set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
  auto requested = req.header("Access-Control-Request-Headers");
  res.headers.set("Access-Control-Allow-Headers",
                  requested ? std::string(*requested) : std::string("Authorization, Content-Type"));
  res.headers.set("Access-Control-Max-Age", "600");
  req.route = "(preflight)";
  return res;
}

Response Dispatcher::rate_limited(Request& req, const Next& next) {
  if (!limiter_ || unthrottled_.contains(req.path)) return next(req);
  if (limiter_->allow(req.remote_address)) return next(req);
  auto res = problem(429, "too many requests from this address; slow down");
  res.headers.set("Retry-After", "1");
  return res;
}

Response Dispatcher::route(Request& req) {
  auto m = router_.match(req.method, req.path);
  if (!m.route && req.method == Method::head) {
    // HEAD is answered by the GET route (the server drops the body).
    auto get = router_.match(Method::get, req.path);
    if (get.route) m = std::move(get);
  }
  if (m.route) {
    req.route = m.route->path;
    req.audit_action = m.route->audit;
    req.path_params = std::move(m.params);
    if (guard_ && !m.route->infrastructure) {
      if (auto refused = guard_(req, *m.route)) return std::move(*refused);
    }
    return m.route->handler(req);
  }
  if (req.method == Method::options && !m.allowed.empty()) {
    auto res = Response::empty(204);
    res.headers.set("Allow", allow_header(m.allowed));
    req.route = "(options)";
    return res;
  }
  if (!m.allowed.empty()) {
    auto res = problem(405, fmt::format("{} is not allowed on {}", to_string(req.method), req.path));
    res.headers.set("Allow", allow_header(m.allowed));
    return res;
  }
  if (static_files_ && (req.method == Method::get || req.method == Method::head)) {
    if (auto res = static_files_->serve(req)) {
      req.route = "(static)";
      return std::move(*res);
    }
  }
  return problem(404, "no such resource: " + req.path);
}

}  // namespace zhengwu::http
