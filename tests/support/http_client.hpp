// A deliberately small HTTP/1.1 client over plain sockets for integration tests. It can
// send exactly the bytes a test wants (malformed requests, half headers, huge bodies) and
// read what the server answers, including whether it closed the connection.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace zhengwu::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpConnection {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit HttpConnection(int port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Writes all of `bytes`; false when the peer closed or reset the connection.
  bool send(const std::string& bytes);
  // Reads one response (HEAD responses: pass head=true, no body is read). nullopt when
  // the connection closed or `timeout` passed before a whole response arrived.
  std::optional<HttpResponse> read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                            bool head = false);
  // Waits until the server closes the connection; true if it did within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout);

  // Sends a request with Content-Length and reads the response.
  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                       const std::map<std::string, std::string>& headers = {});

 private:
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection (Connection: close).
HttpResponse http_request(int port, const std::string& method, const std::string& target,
                          const std::string& body = {}, const std::map<std::string, std::string>& headers = {});
inline HttpResponse http_get(int port, const std::string& target,
                             const std::map<std::string, std::string>& headers = {}) {
  return http_request(port, "GET", target, {}, headers);
}

}  // namespace zhengwu::testing
