// Prometheus metrics of the process: requests by route and status, a latency histogram
// per route, requests in flight, plus whatever collectors the platform adds (database
// pool, build info, jobs). Rendered as the Prometheus text format 0.0.4 at /metrics.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace zhengwu {

class Metrics {
 public:
  // Appends metric families in text format to `out`.
  using Collector = std::function<void(std::string& out)>;

  // `route` is the matched template ("/api/orgs/{id}"), never the raw path, so that the
  // number of series stays bounded; unmatched requests count under "(unmatched)".
  void observe_request(std::string_view route, std::string_view method, int status, double seconds);
  void in_flight(int delta) { in_flight_.fetch_add(delta); }
  void add_collector(Collector c);
  std::string render() const;

  // Escapes a label value per the text format (backslash, quote, newline).
  static std::string label(std::string_view v);

 private:
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  // Per route template: requests by (method, status) and the latency histogram. Lookups
  // by string_view find existing series without allocating; method names are the static
  // strings of http::to_string.
  struct MethodStatusLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<std::string_view, int>(a.first, a.second) < std::pair<std::string_view, int>(b.first, b.second);
    }
  };
  struct RouteSeries {
    std::map<std::pair<std::string, int>, std::uint64_t, MethodStatusLess> requests;
    Histogram latency;
  };
  mutable std::mutex mutex_;
  std::map<std::string, RouteSeries, std::less<>> routes_;
  std::vector<Collector> collectors_;
  std::atomic<long> in_flight_{0};
};

}  // namespace zhengwu
