// Test HTTP client over POSIX sockets.
#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace zhengwu::testing {

HttpConnection::HttpConnection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd_);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) close(fd_);
}

bool HttpConnection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

namespace {
// Reads more bytes into `buffer`; false on close, error or timeout.
bool read_more(int fd, std::string& buffer, std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd pfd{fd, POLLIN, 0};
  if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
  char buf[16384];
  ssize_t n = recv(fd, buf, sizeof(buf), 0);
  if (n <= 0) return false;
  buffer.append(buf, static_cast<std::size_t>(n));
  return true;
}
}  // namespace

std::optional<HttpResponse> HttpConnection::read_response(std::chrono::milliseconds timeout, bool head) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto end = buffer_.find("\r\n\r\n");
    if (end != std::string::npos) {
      // 1xx interim responses are skipped.
      if (buffer_.compare(0, 10, "HTTP/1.1 1") == 0) {
        buffer_.erase(0, end + 4);
        continue;
      }
      break;
    }
    if (!read_more(fd_, buffer_, deadline)) return std::nullopt;
  }
  auto end = buffer_.find("\r\n\r\n");
  std::string head_text = buffer_.substr(0, end);
  HttpResponse r;
  auto line_end = head_text.find("\r\n");
  std::string status_line = head_text.substr(0, line_end);
  if (status_line.size() < 12) return std::nullopt;
  r.status = std::stoi(status_line.substr(9, 3));
  std::size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
  while (pos < head_text.size()) {
    auto next = head_text.find("\r\n", pos);
    auto line = head_text.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    if (next == std::string::npos) break;
    pos = next + 2;
  }
  buffer_.erase(0, end + 4);
  std::size_t length = 0;
  bool no_body = head || r.status == 204 || r.status == 304;
  if (!no_body && r.headers.count("content-length")) length = std::stoul(r.headers["content-length"]);
  while (buffer_.size() < length)
    if (!read_more(fd_, buffer_, deadline)) return std::nullopt;
  r.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return r;
}

bool HttpConnection::wait_closed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{fd_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[4096];
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return true;
    buffer_.append(buf, static_cast<std::size_t>(n));
  }
}

HttpResponse HttpConnection::request(const std::string& method, const std::string& target, const std::string& body,
                                     const std::map<std::string, std::string>& headers) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  if (!send(req)) throw std::runtime_error("send failed for " + method + " " + target);
  auto r = read_response(std::chrono::seconds(30), method == "HEAD");
  if (!r) throw std::runtime_error("no response to " + method + " " + target);
  return *r;
}

HttpResponse http_request(int port, const std::string& method, const std::string& target, const std::string& body,
                          const std::map<std::string, std::string>& headers) {
  HttpConnection c(port);
  auto h = headers;
  h.emplace("Connection", "close");
  return c.request(method, target, body, h);
}

}  // namespace zhengwu::testing
