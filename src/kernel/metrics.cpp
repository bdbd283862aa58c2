// Prometheus text exposition (https://prometheus.io/docs/instrumenting/exposition_formats/).
#include "kernel/metrics.hpp"

#include <fmt/format.h>

namespace zhengwu {

std::string Metrics::label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void Metrics::observe_request(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.emplace(std::string(route), RouteSeries{}).first;
  auto& requests = it->second.requests;
  auto r = requests.find(std::pair<std::string_view, int>(method, status));
  if (r == requests.end()) r = requests.emplace(std::pair<std::string, int>(method, status), 0).first;
  ++r->second;
  auto& h = it->second.latency;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_collector(Collector c) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(c));
}

std::string Metrics::render() const {
  std::string out;
  std::vector<Collector> collectors;
  {
    std::lock_guard lock(mutex_);
    out += "# HELP zhengwu_http_requests_total HTTP requests answered, by route template, method and status.\n";
    out += "# TYPE zhengwu_http_requests_total counter\n";
    for (const auto& [route, series] : routes_)
      for (const auto& [key, n] : series.requests)
        out += fmt::format("zhengwu_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                           label(route), label(key.first), key.second, n);
    out += "# HELP zhengwu_http_request_duration_seconds Time from a complete request to its response.\n";
    out += "# TYPE zhengwu_http_request_duration_seconds histogram\n";
    for (const auto& [route, series] : routes_) {
      const auto& h = series.latency;
      auto l = label(route);
      for (std::size_t i = 0; i < kBuckets.size(); ++i)
        out += fmt::format("zhengwu_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", l,
                           kBuckets[i], h.buckets[i]);
      out += fmt::format("zhengwu_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", l, h.count);
      out += fmt::format("zhengwu_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", l, h.sum);
      out += fmt::format("zhengwu_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", l, h.count);
    }
    collectors = collectors_;
  }
  out += "# HELP zhengwu_http_requests_in_flight Requests being handled now.\n";
  out += "# TYPE zhengwu_http_requests_in_flight gauge\n";
  out += fmt::format("zhengwu_http_requests_in_flight {}\n", in_flight_.load());
  for (const auto& c : collectors) c(out);
  return out;
}

}  // namespace zhengwu
