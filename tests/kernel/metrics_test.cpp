// Prometheus text output: request counters, cumulative latency buckets, label escaping, in-flight gauge, collectors.
#include "kernel/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace zhengwu {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.starts_with(line + "\n") || text.find("\n" + line + "\n") != std::string::npos;
}

std::vector<std::string> lines_starting_with(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(prefix)) out.push_back(line);
  return out;
}

struct Bucket {
  double le;
  std::uint64_t count;
};

// The histogram buckets of one route, in output order; `le="+Inf"` reads as infinity.
std::vector<Bucket> buckets(const std::string& text, const std::string& route_label) {
  const std::string prefix = "zhengwu_http_request_duration_seconds_bucket{route=\"" + route_label + "\",le=\"";
  std::vector<Bucket> out;
  for (const auto& line : lines_starting_with(text, prefix)) {
    auto rest = line.substr(prefix.size());
    auto quote = rest.find('"');
    auto le_text = rest.substr(0, quote);
    auto value_text = rest.substr(rest.find("} ") + 2);
    double le = le_text == "+Inf" ? std::numeric_limits<double>::infinity() : std::stod(le_text);
    out.push_back({le, std::stoull(value_text)});
  }
  return out;
}

TEST(MetricsTest, EmptyRenderHasFamiliesAndNoSeries) {
  Metrics m;
  auto text = m.render();
  for (std::string line : {
           "# TYPE zhengwu_http_requests_total counter",
           "# TYPE zhengwu_http_request_duration_seconds histogram",
           "# TYPE zhengwu_http_requests_in_flight gauge",
           "zhengwu_http_requests_in_flight 0",
       })
    EXPECT_TRUE(has_line(text, line)) << line << "\n" << text;
  EXPECT_TRUE(lines_starting_with(text, "zhengwu_http_requests_total{").empty());
  EXPECT_TRUE(lines_starting_with(text, "zhengwu_http_request_duration_seconds_bucket{").empty());
  EXPECT_TRUE(text.ends_with("\n"));
}

TEST(MetricsTest, CountersAreKeyedByRouteMethodAndStatus) {
  struct Observation {
    std::string route;
    std::string method;
    int status;
  };
  const std::vector<Observation> observations = {
      {"/api/orgs/{id}", "GET", 200}, {"/api/orgs/{id}", "GET", 200}, {"/api/orgs/{id}", "GET", 404},
      {"/api/orgs/{id}", "PUT", 200}, {"/api/orgs", "POST", 201},     {"(unmatched)", "GET", 404},
  };
  Metrics m;
  for (const auto& o : observations) m.observe_request(o.route, o.method, o.status, 0.001);
  const std::vector<std::string> expected = {
      R"m(zhengwu_http_requests_total{route="(unmatched)",method="GET",status="404"} 1)m",
      R"(zhengwu_http_requests_total{route="/api/orgs",method="POST",status="201"} 1)",
      R"(zhengwu_http_requests_total{route="/api/orgs/{id}",method="GET",status="200"} 2)",
      R"(zhengwu_http_requests_total{route="/api/orgs/{id}",method="GET",status="404"} 1)",
      R"(zhengwu_http_requests_total{route="/api/orgs/{id}",method="PUT",status="200"} 1)",
  };
  EXPECT_EQ(lines_starting_with(m.render(), "zhengwu_http_requests_total{"), expected);
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  // Prometheus: the bucket `le=x` counts every observation <= x, so counts never
  // decrease with `le` and the `+Inf` bucket equals `_count`.
  const std::vector<double> observations = {0.0003, 0.0005, 0.001, 0.002, 0.002, 0.02, 0.2, 0.7, 3.0, 10.0, 0.0};
  Metrics m;
  for (double s : observations) m.observe_request("/api/x", "GET", 200, s);
  auto text = m.render();
  auto got = buckets(text, "/api/x");

  struct Row {
    double le;
    std::uint64_t expected;
  };
  const std::vector<Row> rows = {
      {0.0005, 3},
      {0.001, 4},
      {0.0025, 6},
      {0.005, 6},
      {0.01, 6},
      {0.025, 7},
      {0.05, 7},
      {0.1, 7},
      {0.25, 8},
      {0.5, 8},
      {1.0, 9},
      {5.0, 10},
      {std::numeric_limits<double>::infinity(), 11},
  };
  ASSERT_EQ(got.size(), rows.size()) << text;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_DOUBLE_EQ(got[i].le, rows[i].le) << "bucket " << i;
    EXPECT_EQ(got[i].count, rows[i].expected) << "le=" << rows[i].le;
    // Cross-check against the definition rather than the table alone.
    std::uint64_t at_most = 0;
    for (double s : observations) at_most += s <= got[i].le ? 1 : 0;
    EXPECT_EQ(got[i].count, at_most) << "le=" << got[i].le;
    if (i > 0) {
      EXPECT_GE(got[i].count, got[i - 1].count) << "le=" << got[i].le;
    }
  }
  EXPECT_TRUE(has_line(text, R"(zhengwu_http_request_duration_seconds_count{route="/api/x"} 11)")) << text;
  auto sum_lines = lines_starting_with(text, R"(zhengwu_http_request_duration_seconds_sum{route="/api/x"} )");
  ASSERT_EQ(sum_lines.size(), 1u);
  double sum = std::stod(sum_lines[0].substr(sum_lines[0].rfind(' ') + 1));
  double expected_sum = 0;
  for (double s : observations) expected_sum += s;
  EXPECT_NEAR(sum, expected_sum, 1e-9);
}

TEST(MetricsTest, EachRouteHasItsOwnHistogram) {
  Metrics m;
  m.observe_request("/a", "GET", 200, 0.001);
  m.observe_request("/a", "POST", 500, 0.001);  // methods and statuses share the route's histogram
  m.observe_request("/b", "GET", 200, 2.0);
  auto text = m.render();
  EXPECT_TRUE(has_line(text, R"(zhengwu_http_request_duration_seconds_count{route="/a"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(zhengwu_http_request_duration_seconds_count{route="/b"} 1)")) << text;
  auto a = buckets(text, "/a");
  auto b = buckets(text, "/b");
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(a.front().count, 0u);  // le=0.0005
  EXPECT_EQ(a.back().count, 2u);
  EXPECT_EQ(b[b.size() - 2].count, 1u);  // le=5
  EXPECT_EQ(b[b.size() - 3].count, 0u);  // le=1
}

TEST(MetricsTest, LabelEscapesBackslashQuoteAndNewline) {
  struct Row {
    std::string input;
    std::string expected;
  };
  const std::vector<Row> rows = {
      {"", ""},
      {"/api/orgs/{id}", "/api/orgs/{id}"},
      {R"(a\b)", R"(a\\b)"},
      {R"(say "hi")", R"(say \"hi\")"},
      {"line\nbreak", R"(line\nbreak)"},
      {R"(\"
)",
       R"(\\\"\n)"},
      {"tab\there", "tab\there"},  // only the three escapes of the text format
      {"杭州", "杭州"},
  };
  for (const auto& row : rows) EXPECT_EQ(Metrics::label(row.input), row.expected) << row.input;
}

TEST(MetricsTest, RenderedLabelsAreEscaped) {
  Metrics m;
  m.observe_request("/x\"y\\z\n", "GET", 200, 0.001);
  auto text = m.render();
  EXPECT_TRUE(has_line(text, R"(zhengwu_http_requests_total{route="/x\"y\\z\n",method="GET",status="200"} 1)")) << text;
  EXPECT_TRUE(has_line(text, R"(zhengwu_http_request_duration_seconds_count{route="/x\"y\\z\n"} 1)")) << text;
  // A raw newline inside a label would split a sample across lines.
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    EXPECT_TRUE(line.starts_with("# ") || line.starts_with("zhengwu_")) << "stray line: " << line;
}

TEST(MetricsTest, InFlightFollowsDeltas) {
  struct Row {
    std::vector<int> deltas;
    std::string expected;
  };
  const std::vector<Row> rows = {
      {{}, "zhengwu_http_requests_in_flight 0"},
      {{1}, "zhengwu_http_requests_in_flight 1"},
      {{1, 1, 1, -1}, "zhengwu_http_requests_in_flight 2"},
      {{1, -1}, "zhengwu_http_requests_in_flight 0"},
  };
  for (const auto& row : rows) {
    Metrics m;
    for (int d : row.deltas) m.in_flight(d);
    EXPECT_TRUE(has_line(m.render(), row.expected)) << row.expected;
  }
}

TEST(MetricsTest, CollectorsAreAppendedInOrderAfterTheBuiltIns) {
  Metrics m;
  m.add_collector([](std::string& out) { out += "# TYPE zhengwu_db_pool_size gauge\nzhengwu_db_pool_size 16\n"; });
  m.add_collector([](std::string& out) { out += "zhengwu_build_info{version=\"0.1.0\"} 1\n"; });
  m.observe_request("/a", "GET", 200, 0.01);
  auto text = m.render();
  auto builtin = text.find("zhengwu_http_requests_in_flight 0\n");
  auto first = text.find("zhengwu_db_pool_size 16\n");
  auto second = text.find("zhengwu_build_info{version=\"0.1.0\"} 1\n");
  ASSERT_NE(builtin, std::string::npos) << text;
  ASSERT_NE(first, std::string::npos) << text;
  ASSERT_NE(second, std::string::npos) << text;
  EXPECT_LT(builtin, first);
  EXPECT_LT(first, second);
  EXPECT_TRUE(text.ends_with("zhengwu_build_info{version=\"0.1.0\"} 1\n"));
  // Collectors run on every render, not once.
  EXPECT_EQ(m.render(), text);
}

}  // namespace
}  // namespace zhengwu
