// Pushes over HTTP and HTTPS, one connection per attempt; see make_http_push_transport in
// subscriptions.hpp. Kept apart from the delivery logic because Asio's TLS headers are
// heavy and nothing else needs them.
//
// HTTPS checks the receiver's certificate chain against the system's trusted CAs and,
// when configured, a file of further ones (a government network's own CA), and the
// certificate must name the URL's host (a DNS name, or an IP address in its subject
// alternative names). A failed check is a failed attempt, retried like any other.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <openssl/ssl.h>

#include <type_traits>

#include "modules/data/subscriptions.hpp"

namespace zhengwu::data {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

using Request = bhttp::request<bhttp::string_body>;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One attempt on a stream (plain or TLS): resolve, connect, [handshake], before_send,
// write, read the answer. Runs `io` until done or `timeout` × 2 + 1 s.
template <class Stream>
PushAttempt attempt(net::io_context& io, Stream& stream, const std::string& host, const std::string& port,
                    Request& request, const std::function<Status()>& before_send, std::chrono::milliseconds timeout) {
  constexpr bool tls = std::is_same_v<Stream, TlsStream>;
  PushAttempt out;
  tcp::resolver resolver(io);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);  // only the status matters
  bool finished = false;
  auto& socket_layer = beast::get_lowest_layer(stream);
  auto fail = [&](std::string why) {
    out.error = std::move(why);
    finished = true;
  };

  auto read_answer = [&] {
    bhttp::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
      finished = true;
      if (ec && ec != bhttp::error::body_limit) {
        out.error = ec == beast::error::timeout ? "no answer within " + std::to_string(timeout.count()) + " ms"
                                                : "reading the answer failed: " + ec.message();
        return;
      }
      const auto& response = parser.get();
      out.status = static_cast<int>(response.result_int());
      if (!out.delivered())
        out.error = "the receiver answered " + std::to_string(*out.status) + " " + std::string(response.reason());
      beast::error_code ignored;
      socket_layer.socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  };
  auto send = [&] {
    if (before_send) {
      if (auto ready = before_send(); !ready) return fail("not sent: " + ready.error().message);
    }
    socket_layer.expires_after(timeout);
    bhttp::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
      if (ec) return fail("sending failed: " + ec.message());
      out.sent = true;
      read_answer();
    });
  };

  resolver.async_resolve(host, port, [&](beast::error_code ec, const tcp::resolver::results_type& endpoints) {
    if (ec) return fail("cannot resolve " + host + ": " + ec.message());
    socket_layer.expires_after(timeout);
    socket_layer.async_connect(endpoints, [&](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return fail("cannot connect to " + host + ":" + port + ": " + ec.message());
      out.connected = true;
      if constexpr (tls) {
        stream.async_handshake(ssl::stream_base::client, [&](beast::error_code ec) {
          if (ec) return fail("TLS with " + host + ":" + port + " failed: " + ec.message());
          send();
        });
      } else {
        send();
      }
    });
  });
  // The stream's deadline covers connect, handshake, send and answer; this the resolver.
  io.run_for(timeout * 2 + std::chrono::seconds(1));
  if (!finished) {
    resolver.cancel();
    beast::error_code ignored;
    socket_layer.socket().close(ignored);
    io.restart();
    io.run();  // let the cancelled handlers finish before their captures go
    if (out.error.empty()) out.error = "no answer within " + std::to_string(timeout.count()) + " ms";
  }
  return out;
}

class HttpPushTransport final : public PushTransport {
 public:
  HttpPushTransport(std::chrono::milliseconds timeout, std::string ca_file)
      : timeout_(timeout), ca_file_(std::move(ca_file)) {}

  PushAttempt post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                   const std::string& body, const std::function<Status()>& before_send) override {
    auto parsed = boost::urls::parse_absolute_uri(url);
    const bool https = parsed && parsed->scheme() == "https";
    if (!parsed || (!https && parsed->scheme() != "http")) {
      PushAttempt out;
      out.error = "only http:// and https:// addresses can be delivered to";
      return out;
    }
    std::string host(parsed->encoded_host());
    // An IPv6 literal is written [::1] in the URL and in Host, bare for the resolver.
    const std::string bare_host = host.size() > 1 && host.front() == '[' ? host.substr(1, host.size() - 2) : host;
    const std::string port = parsed->has_port() ? std::string(parsed->port()) : https ? "443" : "80";
    std::string target(parsed->encoded_path());
    if (target.empty()) target = "/";
    if (parsed->has_query()) target += "?" + std::string(parsed->encoded_query());

    Request request{bhttp::verb::post, target, 11};
    request.set(bhttp::field::host, parsed->has_port() ? host + ":" + port : host);
    request.set(bhttp::field::user_agent, "zhengwu-push/1");
    request.set(bhttp::field::content_type, "application/json; charset=utf-8");
    request.set(bhttp::field::connection, "close");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();

    net::io_context io;
    if (!https) {
      beast::tcp_stream stream(io);
      return attempt(io, stream, bare_host, port, request, before_send, timeout_);
    }
    ssl::context context(ssl::context::tls_client);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    context.set_default_verify_paths(ec);
    if (!ca_file_.empty()) {
      context.load_verify_file(ca_file_, ec);
      if (ec) {
        PushAttempt out;
        out.error = "the trusted CA file " + ca_file_ + " cannot be read: " + ec.message();
        return out;
      }
    }
    context.set_verify_mode(ssl::verify_peer);
    TlsStream stream(io, context);
    stream.set_verify_callback(ssl::host_name_verification(bare_host));
    // SNI names a host, never an address (RFC 6066).
    boost::system::error_code not_address;
    net::ip::make_address(bare_host, not_address);
    if (not_address) SSL_set_tlsext_host_name(stream.native_handle(), bare_host.c_str());
    return attempt(io, stream, bare_host, port, request, before_send, timeout_);
  }

 private:
  std::chrono::milliseconds timeout_;
  std::string ca_file_;
};

}  // namespace

std::unique_ptr<PushTransport> make_http_push_transport(std::chrono::milliseconds timeout, std::string ca_file) {
  return std::make_unique<HttpPushTransport>(timeout, std::move(ca_file));
}

}  // namespace zhengwu::data
