// Boost.Beast HTTP/1.1 server. One io_context per thread; the acceptor hands each new
// connection to the next context, where it stays. A connection goes through:
//
//   wait_request (idle timeout, first bytes) → read_header (header timeout, header limit)
//   → [body limit known: 413 early] → [100-continue] → read_body (body timeout, limit)
//   → App → write (write timeout) → wait_request | close
//
// Errors answer with the right status and close: a malformed request → 400, an unknown
// method → 400, header too large → 431, body too large → 413. A header or body not
// complete in time closes the connection (counted as 408 in the metrics; the timed-out
// stream is already closed, so nothing can be sent). After an error answer the connection half-closes and drains what the client is
// still sending for a moment, so the client can read the answer instead of a reset.
#include "kernel/http/server.hpp"

#include <atomic>
#include <random>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <set>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <thread>
#include <vector>

namespace zhengwu::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// Drain at most this long after an error answer before closing (lingering close).
constexpr auto kLinger = std::chrono::milliseconds(1000);

Method to_method(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get: return Method::get;
    case bhttp::verb::head: return Method::head;
    case bhttp::verb::post: return Method::post;
    case bhttp::verb::put: return Method::put;
    case bhttp::verb::patch: return Method::patch;
    case bhttp::verb::delete_: return Method::delete_;
    case bhttp::verb::options: return Method::options;
    default: return Method::other;
  }
}

std::string problem_body(int status, std::string_view title, std::string_view detail) {
  std::string out = R"({"type":"about:blank","title":")";
  out += title;
  out += R"(","status":)";
  out += std::to_string(status);
  out += R"(,"detail":")";
  out += detail;  // callers pass fixed ASCII text without quotes
  out += "\"}";
  return out;
}

std::pair<std::string, std::string> split_host_port(const std::string& hp) {
  if (!hp.empty() && hp.front() == '[') {
    auto close = hp.find(']');
    if (close == std::string::npos || close + 1 >= hp.size() || hp[close + 1] != ':')
      throw std::runtime_error("listen address '" + hp + "' must look like [::1]:8080");
    return {hp.substr(1, close - 1), hp.substr(close + 2)};
  }
  auto colon = hp.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("listen address '" + hp + "' must look like host:port");
  return {hp.substr(0, colon), hp.substr(colon + 1)};
}

std::vector<std::unique_ptr<net::io_context>> first_context() {
  std::vector<std::unique_ptr<net::io_context>> v;
  v.push_back(std::make_unique<net::io_context>(1));
  return v;
}

}  // namespace

class Server::Impl {
 public:
  class Session;

  Impl(ServerLimits limits, App app, BodyLimit body_limit, ProtocolEvent on_event)
      : limits_(limits),
        app_(std::move(app)),
        body_limit_(std::move(body_limit)),
        on_event_(std::move(on_event)),
        contexts_(first_context()),
        acceptor_(*contexts_.front()),
        signals_(*contexts_.front()) {}

  void listen(const std::string& host_port) {
    auto [host, port_text] = split_host_port(host_port);
    boost::system::error_code ec;
    auto address = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
    if (ec) throw std::runtime_error("listen address '" + host_port + "': '" + host + "' is not an IP address");
    unsigned long port = 0;
    try {
      std::size_t used = 0;
      port = std::stoul(port_text, &used);
      if (used != port_text.size() || port > 65535) throw std::invalid_argument("port");
    } catch (const std::exception&) {
      throw std::runtime_error("listen address '" + host_port + "': port must be 0-65535");
    }
    tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + host_port + ": " + ec.message());
    local_ = acceptor_.local_endpoint();
  }

  std::string local_address() const {
    auto a = local_.address();
    std::string host = a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
    return host + ":" + std::to_string(local_.port());
  }

  void run(unsigned threads, bool handle_signals) {
    if (handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        spdlog::info("signal {} received: stopping", sig);
        stop();
      });
    }
    // One io_context per thread, each run by its own thread: a connection lives on one
    // context for its whole life, so its handlers never need a strand and threads never
    // wake each other to hand work over.
    threads = std::max(1u, threads);
    while (contexts_.size() < threads) contexts_.push_back(std::make_unique<net::io_context>(1));
    for (auto& c : contexts_) guards_.emplace_back(net::make_work_guard(*c));
    do_accept();
    std::vector<std::thread> pool;
    for (std::size_t i = 1; i < contexts_.size(); ++i) pool.emplace_back([this, i] { contexts_[i]->run(); });
    contexts_.front()->run();
    for (auto& t : pool) t.join();
  }

  void stop() {
    net::post(acceptor_.get_executor(), [this] { begin_stop(); });
  }

  void on_stopping(std::function<void()> cb) { stopping_callback_ = std::move(cb); }

  std::size_t open_connections() const { return connections_.load(); }

  bool stopping() const { return stopping_.load(); }
  const ServerLimits& limits() const { return limits_; }
  void event(int status, std::string_view reason, std::string_view remote) {
    if (on_event_) on_event_(status, reason, remote);
  }
  std::optional<std::size_t> body_limit_for(Method m, std::string_view path) const {
    return body_limit_ ? body_limit_(m, path) : std::nullopt;
  }
  void spool_bodies(std::filesystem::path dir, SpoolBody which) {
    spool_dir_ = std::move(dir);
    spool_ = std::move(which);
  }
  bool spools(Method m, std::string_view path) const { return spool_ && spool_(m, path); }
  // A new file name under the spool directory (created when missing); empty when the
  // directory cannot be made.
  std::string spool_file() {
    std::error_code ec;
    std::filesystem::create_directories(spool_dir_, ec);
    if (ec) return {};
    thread_local std::mt19937_64 rng{std::random_device{}()};
    char name[40];
    std::snprintf(name, sizeof name, "body-%016llx", static_cast<unsigned long long>(rng()));
    return (spool_dir_ / name).string();
  }
  Response call_app(Request& r) { return app_(r); }

  void add_session(const std::shared_ptr<Session>& s) {
    std::lock_guard lock(sessions_mutex_);
    sessions_.insert(s);
  }
  void remove_session(Session* s);

 private:
  void do_accept() {
    auto& context = *contexts_[next_context_++ % contexts_.size()];
    acceptor_.async_accept(context, [this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
        // Out of file descriptors or similar: log and keep accepting after a pause.
        spdlog::warn("accept failed: {}", ec.message());
        auto timer = std::make_shared<net::steady_timer>(acceptor_.get_executor(), std::chrono::milliseconds(50));
        timer->async_wait([this, timer](auto) {
          if (!stopping_) do_accept();
        });
        return;
      }
      start_session(std::move(socket));
      if (!stopping_) do_accept();
    });
  }

  void start_session(tcp::socket socket);

  void begin_stop() {
    if (stopping_.exchange(true)) return;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    signals_.cancel(ignored);
    if (stopping_callback_) stopping_callback_();
    close_idle_sessions();
    // After the grace period whatever is still running is cut off.
    grace_timer_ = std::make_unique<net::steady_timer>(*contexts_.front(), limits_.shutdown_grace);
    grace_timer_->async_wait([this](const boost::system::error_code& ec) {
      // Drained in time (cancelled): let the contexts run out of work and return.
      guards_.clear();
      if (ec) return;
      spdlog::warn("shutdown grace of {} ms over with {} connections open: closing them",
                   limits_.shutdown_grace.count(), connections_.load());
      for (auto& c : contexts_) c->stop();
    });
    check_drained();
  }

 public:
  ~Impl() {
    destroying_ = true;
    std::lock_guard lock(sessions_mutex_);
    sessions_.clear();
  }

  void check_drained() {
    if (destroying_ || !stopping_) return;
    // On the acceptor's context, where begin_stop created the grace timer.
    net::post(acceptor_.get_executor(), [this] {
      if (connections_.load() == 0 && grace_timer_) grace_timer_->cancel();
    });
  }

 private:
  void close_idle_sessions();

  // Members used by sessions come first: sessions still queued in the io_context are
  // destroyed with it, and must find these alive.
  ServerLimits limits_;
  App app_;
  BodyLimit body_limit_;
  SpoolBody spool_;
  std::filesystem::path spool_dir_;
  ProtocolEvent on_event_;
  std::function<void()> stopping_callback_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> destroying_{false};

 public:
  std::atomic<std::size_t> connections_{0};

 private:
  std::mutex sessions_mutex_;
  std::vector<std::unique_ptr<net::io_context>> contexts_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  std::size_t next_context_ = 0;  // used on the acceptor's context only
  tcp::acceptor acceptor_;
  tcp::endpoint local_;
  net::signal_set signals_;
  std::unique_ptr<net::steady_timer> grace_timer_;
  std::set<std::shared_ptr<Session>> sessions_;
};

class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Impl& server) : stream_(std::move(socket)), server_(server) {
    boost::system::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }

  void start(bool overloaded) {
    net::dispatch(stream_.get_executor(), [self = shared_from_this(), overloaded] {
      if (overloaded) {
        self->server_.event(503, "connection limit reached", self->remote_);
        self->send_error(503, "Service Unavailable", "too many connections");
      } else {
        self->wait_request();
      }
    });
  }

  // Called (on the connection's context) when the server stops: an idle connection closes now,
  // a busy one after its current response.
  void shutdown_if_idle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->close();
    });
  }

  ~Session() {
    forget_spooled();
    server_.connections_.fetch_sub(1);
    server_.check_drained();
  }

 private:
  void wait_request() {
    if (server_.stopping()) return close();
    if (buffer_.size() > 0) return read_header();  // pipelined bytes already here
    idle_ = true;
    stream_.expires_after(server_.limits().idle_timeout);
    auto buf = buffer_.prepare(4096);
    stream_.async_read_some(buf, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->idle_ = false;
      if (ec) return self->close();  // idle timeout, peer closed, or stop
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(server_.limits().header_limit, UINT32_MAX)));
    parser_->body_limit(boost::none);  // set once the route is known
    stream_.expires_after(server_.limits().header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == beast::error::timeout) {
      // tcp_stream has closed the socket already: a slow client gets no answer.
      server_.event(408, "header timeout", remote_);
      return close();
    }
    if (ec == bhttp::error::header_limit) {
      server_.event(431, "header too large", remote_);
      return send_error(431, "Request Header Fields Too Large", "the request header is too large");
    }
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
        ec == net::error::operation_aborted)
      return close();
    if (ec) {
      server_.event(400, ec.message(), remote_);
      return send_error(400, "Bad Request", "malformed HTTP request");
    }
    auto& req = parser_->get();
    if (to_method(req.method()) == Method::other) {
      server_.event(400, "unknown method", remote_);
      return send_error(400, "Bad Request", "unknown HTTP method");
    }
    std::string_view target(req.target().data(), req.target().size());
    if (target.empty() || target.front() != '/') {
      server_.event(400, "bad target", remote_);
      return send_error(400, "Bad Request", "the request target must be an absolute path");
    }
    auto path = target.substr(0, target.find('?'));
    std::size_t limit = server_.body_limit_for(to_method(req.method()), path).value_or(server_.limits().body_limit);
    if (auto len = parser_->content_length(); len && *len > limit) {
      server_.event(413, "body too large", remote_);
      return send_error(413, "Content Too Large", "the request body is larger than this endpoint accepts");
    }
    parser_->body_limit(limit);
    const bool continue_expected = beast::iequals(req[bhttp::field::expect], "100-continue");
    const bool has_body = parser_->chunked() || parser_->content_length().value_or(0) > 0;
    if (has_body && server_.spools(to_method(req.method()), path)) {
      // The body goes to a file as it arrives: the parser takes over the header read so
      // far with a file body.
      spool_path_ = server_.spool_file();
      file_parser_.emplace(std::move(*parser_));
      parser_.reset();
      beast::error_code opened;
      if (!spool_path_.empty()) file_parser_->get().body().open(spool_path_.c_str(), beast::file_mode::write_new, opened);
      if (spool_path_.empty() || opened) {
        spdlog::error("cannot spool a request body to {}: {}", spool_path_.empty() ? "the spool directory" : spool_path_,
                      opened ? opened.message() : "the directory cannot be made");
        forget_spooled();
        return send_error(503, "Service Unavailable", "the request body cannot be stored now");
      }
      file_parser_->body_limit(limit);
    }
    if (body_done()) return dispatch();
    if (continue_expected) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      stream_.expires_after(server_.limits().write_timeout);
      bhttp::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  bool body_done() const { return file_parser_ ? file_parser_->is_done() : parser_->is_done(); }

  // Drops a spooled body: the file closes with the parser and is removed.
  void forget_spooled() {
    file_parser_.reset();
    if (spool_path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(spool_path_, ec);
    spool_path_.clear();
  }

  // A failed body read: the answer (413, 400) or the close it calls for. False when `ec`
  // is no failure.
  bool body_failed(beast::error_code ec) {
    if (!ec) return false;
    forget_spooled();
    if (ec == bhttp::error::body_limit) {
      server_.event(413, "body too large", remote_);
      send_error(413, "Content Too Large", "the request body is larger than this endpoint accepts");
      return true;
    }
    if (ec == beast::error::timeout) {
      server_.event(408, "body timeout", remote_);
      close();
      return true;
    }
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset) {
      close();
      return true;
    }
    server_.event(400, ec.message(), remote_);
    send_error(400, "Bad Request", "malformed HTTP request body");
    return true;
  }

  // A spooled body, piece by piece: the body timeout restarts with every piece.
  void read_spooled() {
    stream_.expires_after(server_.limits().body_timeout);
    bhttp::async_read_some(stream_, buffer_, *file_parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (self->body_failed(ec)) return;
      if (!self->file_parser_->is_done()) return self->read_spooled();
      self->dispatch();
    });
  }

  void read_body() {
    if (file_parser_) return read_spooled();
    stream_.expires_after(server_.limits().body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (self->body_failed(ec)) return;
      self->dispatch();
    });
  }

  template <class Message>
  void take_header(const Message& m, Request& req) {
    req.method = to_method(m.method());
    req.target = std::string(m.target());
    auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) req.query_text = req.target.substr(q + 1);
    for (const auto& field : m) req.headers.add(std::string(field.name_string()), std::string(field.value()));
    req.remote_address = remote_;
    req.version = m.version();
    req.keep_alive = m.keep_alive();
  }

  void dispatch() {
    Request req;
    if (file_parser_) {
      {
        auto breq = file_parser_->release();  // closes the file when it goes
        take_header(breq, req);
      }
      file_parser_.reset();
      req.body_file = spool_path_;
    } else {
      auto breq = parser_->release();
      take_header(breq, req);
      req.body = std::move(breq.body());
    }

    Response res;
    try {
      res = server_.call_app(req);
    } catch (const std::exception& e) {
      // The dispatcher maps every failure itself; this only guards the connection.
      spdlog::error("unhandled error for {} {}: {}", to_string(req.method), req.path, e.what());
      res = Response::json(problem_body(500, "Internal Server Error", "internal error"), 500);
      res.headers.set("Content-Type", "application/problem+json; charset=utf-8");
    }
    // The handler has moved the spooled body where it keeps it, or it is not wanted.
    forget_spooled();
    Reply reply{req.version, req.keep_alive, req.method == Method::head};
    if (!res.deferred) return send(std::move(res), reply);
    // Held back (the audit trail waits for its record): this connection reads nothing
    // more until the answer comes, and the thread serves other connections meanwhile.
    auto deferred = std::move(res.deferred);
    deferred->deliver([self = shared_from_this(), reply](Response settled) { self->send(std::move(settled), reply); },
                      [executor = stream_.get_executor()](DeferredReply::Work work) {
                        net::post(executor, std::move(work));
                      });
  }

  // What the answer needs of its request.
  struct Reply {
    unsigned version = 11;
    bool keep_alive = true;
    bool head = false;
  };

  void send(Response res, Reply reply) {
    bool keep = reply.keep_alive && !server_.stopping();
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
    out->version(reply.version);
    out->result(static_cast<unsigned>(res.status));
    for (const auto& [k, v] : res.headers.items()) out->insert(k, v);
    out->keep_alive(keep);
    bool no_body = res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
    if (reply.head) {
      out->content_length(res.body.size());
    } else if (!no_body) {
      out->body() = std::move(res.body);
      out->prepare_payload();
    }
    write(out, !keep, false);
  }

  void send_error(int status, std::string_view title, std::string_view detail) {
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
    out->version(11);
    out->result(static_cast<unsigned>(status));
    out->set(bhttp::field::content_type, "application/problem+json; charset=utf-8");
    out->keep_alive(false);
    out->body() = problem_body(status, title, detail);
    out->prepare_payload();
    write(out, true, true);
  }

  void write(std::shared_ptr<bhttp::response<bhttp::string_body>> out, bool close_after, bool linger) {
    stream_.expires_after(server_.limits().write_timeout);
    bhttp::async_write(stream_, *out, [self = shared_from_this(), out, close_after, linger](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (linger) return self->linger_close();
      if (close_after) return self->graceful_close();
      self->wait_request();
    });
  }

  // Half-close, then discard what the client still sends for a moment so that it reads
  // our answer rather than a connection reset.
  void linger_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    linger_deadline_ = std::chrono::steady_clock::now() + kLinger;
    drain();
  }

  void drain() {
    auto left = linger_deadline_ - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return close();
    stream_.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(left));
    stream_.async_read_some(net::buffer(discard_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->drain();
    });
  }

  void graceful_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    close();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ignored;
    stream_.socket().close(ignored);
    server_.remove_session(this);
  }

  beast::tcp_stream stream_;
  Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::request_parser<bhttp::file_body>> file_parser_;  // a spooled body
  std::string spool_path_;
  std::string remote_;
  std::array<char, 8192> discard_{};
  std::chrono::steady_clock::time_point linger_deadline_;
  std::atomic<bool> idle_{false};
  bool closed_ = false;
};

void Server::Impl::start_session(tcp::socket socket) {
  bool overloaded = connections_.load() >= limits_.max_connections;
  connections_.fetch_add(1);
  auto session = std::make_shared<Session>(std::move(socket), *this);
  add_session(session);
  session->start(overloaded);
}

void Server::Impl::remove_session(Session* s) {
  std::shared_ptr<Session> keep;  // destroyed outside the lock
  std::lock_guard lock(sessions_mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->get() == s) {
      keep = *it;
      sessions_.erase(it);
      break;
    }
  }
}

void Server::Impl::close_idle_sessions() {
  std::vector<std::shared_ptr<Session>> all;
  {
    std::lock_guard lock(sessions_mutex_);
    all.assign(sessions_.begin(), sessions_.end());
  }
  for (auto& s : all) s->shutdown_if_idle();
}

Server::Server(ServerLimits limits, App app, BodyLimit body_limit, ProtocolEvent on_protocol_event)
    : impl_(std::make_unique<Impl>(limits, std::move(app), std::move(body_limit), std::move(on_protocol_event))) {}
Server::~Server() = default;
void Server::spool_bodies(std::filesystem::path dir, SpoolBody which) { impl_->spool_bodies(std::move(dir), std::move(which)); }
void Server::listen(const std::string& host_port) { impl_->listen(host_port); }
std::string Server::local_address() const { return impl_->local_address(); }
void Server::run(unsigned threads, bool handle_signals) { impl_->run(threads, handle_signals); }
void Server::stop() { impl_->stop(); }
void Server::on_stopping(std::function<void()> callback) { impl_->on_stopping(std::move(callback)); }
std::size_t Server::open_connections() const { return impl_->open_connections(); }

}  // namespace zhengwu::http
