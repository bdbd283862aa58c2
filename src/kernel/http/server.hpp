// The HTTP/1.1 server: sockets, parsing, limits, keep-alive, graceful shutdown.
//
// It knows nothing of routes or business logic: each complete request is handed to the
// `App` callback (the dispatcher) on the connection's strand, and the returned Response
// is written back. Defences live here because they must hold before any handler runs:
// header and body size limits, header/body/idle timeouts, a connection cap, and
// answering malformed input with 400 instead of dying.
//
// Thread-safety: `stop()` may be called from any thread (and from a signal handler via
// the server's own signal_set). Everything else is called from the owning thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "kernel/http/message.hpp"

namespace zhengwu::http {

struct ServerLimits {
  std::size_t body_limit = 16u << 20;
  std::size_t header_limit = 64u << 10;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{60'000};
  std::chrono::milliseconds idle_timeout{75'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::size_t max_connections = 4096;
  std::chrono::milliseconds shutdown_grace{4'000};
};

class Server {
 public:
  using App = std::function<Response(Request&)>;
  // The body limit for a request, asked before its body is read; nullopt: the default.
  using BodyLimit = std::function<std::optional<std::size_t>(Method, std::string_view path)>;
  // Told of requests refused at the protocol level (status 400/408/413/431/503), which
  // never reach the App, so that metrics and logs still see them.
  using ProtocolEvent = std::function<void(int status, std::string_view reason, std::string_view remote)>;

  Server(ServerLimits limits, App app, BodyLimit body_limit, ProtocolEvent on_protocol_event);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens on "host:port" ("0.0.0.0:8080", "127.0.0.1:0", "[::1]:0").
  // Throws std::runtime_error naming the address when it cannot.
  void listen(const std::string& host_port);
  // The bound address with the real port ("127.0.0.1:40123").
  std::string local_address() const;

  // Serves on `threads` threads until stop() (or SIGTERM/SIGINT when `handle_signals`).
  // Then stops accepting, lets in-flight requests finish for up to shutdown_grace,
  // closes idle connections, and returns.
  void run(unsigned threads, bool handle_signals);
  void stop();

  // Called once when a stop begins (signal or stop()), before connections drain.
  void on_stopping(std::function<void()> callback);

  // Requests that `which` selects (asked once their header is read) have their body
  // written to a new file under `dir` as it arrives, instead of into memory: the handler
  // finds its path in Request::body_file (and Request::body empty). The file is removed
  // once the handler returned, unless the handler moved it away; a body that fails half
  // way (too large, too slow, the peer gone) leaves no file. The body timeout then counts
  // from the last bytes received, so a large upload may take as long as it keeps moving.
  // Call before run().
  using SpoolBody = std::function<bool(Method, std::string_view path)>;
  void spool_bodies(std::filesystem::path dir, SpoolBody which);

  std::size_t open_connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhengwu::http
