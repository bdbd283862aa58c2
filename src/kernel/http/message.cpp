// Request/Response helpers: header lookup, query decoding, percent-decoding.
#include "kernel/http/message.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>

#include <algorithm>
#include <array>
#include <cctype>

namespace zhengwu::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::array<std::pair<Method, std::string_view>, 7> kMethods{{
    {Method::get, "GET"},
    {Method::head, "HEAD"},
    {Method::post, "POST"},
    {Method::put, "PUT"},
    {Method::patch, "PATCH"},
    {Method::delete_, "DELETE"},
    {Method::options, "OPTIONS"},
}};

}  // namespace

std::string_view to_string(Method m) {
  for (const auto& [method, name] : kMethods)
    if (method == m) return name;
  return "OTHER";
}

Method method_from_string(std::string_view name) {
  for (const auto& [method, text] : kMethods)
    if (text == name) return method;
  return Method::other;
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  items_.emplace_back(std::move(name), std::move(value));
}

void Headers::add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

void Headers::remove(std::string_view name) {
  std::erase_if(items_, [&](const auto& kv) { return iequals(kv.first, name); });
}

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Request::query_pairs() const {
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view rest = query_text;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    // A pair with a malformed escape is dropped rather than half-decoded.
    if (key && value) out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

std::optional<std::string> Request::query(std::string_view name) const {
  for (auto& [k, v] : query_pairs())
    if (k == name) return v;
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string_view{} : std::string_view(it->second);
}

Response Response::json(std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::text(std::string body, std::string content_type, int status) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

Response Response::later(std::shared_ptr<DeferredReply> reply) {
  Response r;
  r.status = 0;
  r.deferred = std::move(reply);
  return r;
}

void DeferredReply::settle(Response answer) {
  std::unique_lock lock(mutex_);
  if (settled_) {
    lock.unlock();
    spdlog::error("a deferred reply was settled twice; the second answer ({}) is dropped", answer.status);
    return;
  }
  settled_ = true;
  answer_.emplace(std::move(answer));
  flush(lock);
}

void DeferredReply::then(std::function<void(Response&)> step) {
  std::unique_lock lock(mutex_);
  steps_.push_back(std::move(step));
}

void DeferredReply::deliver(std::function<void(Response)> sink, Executor run_on) {
  std::unique_lock lock(mutex_);
  sink_ = std::move(sink);
  run_on_ = std::move(run_on);
  flush(lock);
}

void DeferredReply::flush(std::unique_lock<std::mutex>& lock) {
  if (!answer_ || !sink_) return;
  Work work = [out = std::move(*answer_), steps = std::move(steps_), sink = std::move(sink_)]() mutable {
    for (auto& step : steps) step(out);
    sink(std::move(out));
  };
  answer_.reset();
  auto run_on = std::move(run_on_);
  lock.unlock();
  if (run_on) {
    run_on(std::move(work));
  } else {
    work();
  }
}

Response wait_for(Response res) {
  if (!res.deferred) return res;
  std::mutex m;
  std::condition_variable cv;
  std::optional<Response> got;
  res.deferred->deliver([&](Response r) {
    std::lock_guard lock(m);
    got.emplace(std::move(r));
    cv.notify_one();
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return got.has_value(); });
  return std::move(*got);
}

}  // namespace zhengwu::http
