// Route matching: templates are split into segments once at start-up; a request path is
// split and compared segment by segment. Literal segments win over parameters when two
// templates could both match ("/api/orgs/tree" before "/api/orgs/{id}").
#include "kernel/http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace zhengwu::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  std::size_t start = 1;
  while (true) {
    auto slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool is_param(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

// Number of literal segments: the more, the more specific.
int specificity(const std::vector<std::string>& segs) {
  return static_cast<int>(std::count_if(segs.begin(), segs.end(), [](const auto& s) { return !is_param(s); }));
}

}  // namespace

void Router::add(Route route) {
  if (route.path.empty() || route.path.front() != '/')
    throw std::invalid_argument("route path must start with '/': " + route.path);
  if (!route.handler) throw std::invalid_argument("route without handler: " + route.path);
  Compiled c;
  for (auto seg : split_path(route.path)) {
    if ((seg.find('{') != std::string_view::npos || seg.find('}') != std::string_view::npos) && !is_param(seg))
      throw std::invalid_argument("malformed parameter segment in " + route.path);
    c.segments.emplace_back(seg);
  }
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method != route.method || compiled_[i].segments.size() != c.segments.size()) continue;
    bool same = true;
    for (std::size_t s = 0; s < c.segments.size() && same; ++s) {
      const auto& a = compiled_[i].segments[s];
      const auto& b = c.segments[s];
      same = (is_param(a) && is_param(b)) || a == b;
    }
    if (same) throw std::invalid_argument("duplicate route " + std::string(to_string(route.method)) + " " + route.path);
  }
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

Match Router::match(Method method, std::string_view path) const {
  Match result;
  auto segs = split_path(path);
  if (segs.empty()) return result;
  int best = -1;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& tpl = compiled_[i].segments;
    if (tpl.size() != segs.size()) continue;
    std::map<std::string, std::string, std::less<>> params;
    bool ok = true;
    for (std::size_t s = 0; s < tpl.size() && ok; ++s) {
      if (is_param(tpl[s])) {
        auto decoded = percent_decode(segs[s]);
        ok = decoded && !decoded->empty();
        if (ok) params.emplace(tpl[s].substr(1, tpl[s].size() - 2), std::move(*decoded));
      } else {
        ok = tpl[s] == segs[s];
      }
    }
    if (!ok) continue;
    if (routes_[i].method != method) {
      if (std::find(result.allowed.begin(), result.allowed.end(), routes_[i].method) == result.allowed.end())
        result.allowed.push_back(routes_[i].method);
      continue;
    }
    int spec = specificity(tpl);
    if (spec > best) {
      best = spec;
      result.route = &routes_[i];
      result.params = std::move(params);
    }
  }
  if (result.route) {
    // The method is allowed; keep the list for OPTIONS answers.
    result.allowed.push_back(method);
  }
  return result;
}

std::optional<std::size_t> Router::body_limit(Method method, std::string_view path) const {
  auto m = match(method, path);
  if (!m.route) return std::nullopt;
  return m.route->body_limit;
}

bool Router::spools_body(Method method, std::string_view path) const {
  auto m = match(method, path);
  return m.route && m.route->spool_body;
}

}  // namespace zhengwu::http
