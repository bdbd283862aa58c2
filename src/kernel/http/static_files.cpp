// Static files of the web app. See static_files.hpp for what is promised.
#include "kernel/http/static_files.hpp"

#include <fmt/format.h>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <sstream>

namespace zhengwu::http {
namespace fs = std::filesystem;

namespace {

struct Entry {
  std::uintmax_t size = 0;
  fs::file_time_type mtime;
  std::string content;
  std::string etag;
};

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

// Whether Accept-Encoding allows gzip: listed with a q-value above zero, or covered by
// "*" (RFC 9110 §12.5.3); "gzip;q=0", "q=0.0", "q=0.000" refuse it.
bool accepts_gzip(const Request& req) {
  auto ae = req.header("Accept-Encoding");
  if (!ae) return false;
  std::optional<bool> gzip, any;
  std::size_t start = 0;
  while (start < ae->size()) {
    auto comma = ae->find(',', start);
    auto item = ae->substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? ae->size() : comma + 1;
    auto semi = item.find(';');
    auto coding = item.substr(0, semi);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    bool allowed = true;
    if (semi != std::string_view::npos) {
      auto q = item.find("q=", semi);
      if (q != std::string_view::npos) {
        std::string value(item.substr(q + 2));
        char* end = nullptr;
        double weight = std::strtod(value.c_str(), &end);
        allowed = end != value.c_str() && weight > 0;
      }
    }
    if (coding == "gzip" || coding == "x-gzip") gzip = allowed;
    else if (coding == "*") any = allowed;
  }
  return gzip.value_or(any.value_or(false));
}

bool etag_matches(std::string_view header, std::string_view etag) {
  if (header == "*") return true;
  std::size_t start = 0;
  while (start < header.size()) {
    auto comma = header.find(',', start);
    auto item = header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

struct StaticFiles::Cache {
  mutable std::shared_mutex mutex;
  std::map<std::string, std::shared_ptr<const Entry>> entries;

  // The file's content, from cache when unchanged on disk; nullptr when not a regular file.
  std::shared_ptr<const Entry> load(const fs::path& p) {
    std::error_code ec;
    auto status = fs::status(p, ec);
    if (ec || !fs::is_regular_file(status)) return nullptr;
    auto size = fs::file_size(p, ec);
    if (ec) return nullptr;
    auto mtime = fs::last_write_time(p, ec);
    if (ec) return nullptr;
    auto key = p.string();
    {
      std::shared_lock lock(mutex);
      auto it = entries.find(key);
      if (it != entries.end() && it->second->size == size && it->second->mtime == mtime) return it->second;
    }
    auto content = read_file(p);
    if (!content) return nullptr;
    auto e = std::make_shared<Entry>();
    e->size = size;
    e->mtime = mtime;
    e->content = std::move(*content);
    e->etag = fmt::format("\"{:x}-{:x}\"", size, static_cast<std::uint64_t>(mtime.time_since_epoch().count()));
    std::unique_lock lock(mutex);
    entries[key] = e;
    return e;
  }
};

StaticFiles::StaticFiles(fs::path root) : cache_(std::make_unique<Cache>()) {
  std::error_code ec;
  auto canonical = fs::canonical(root, ec);
  root_ = ec ? root : canonical;
}

StaticFiles::~StaticFiles() = default;

std::string_view content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string_view> types{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".pdf", "application/pdf"},
      {".csv", "text/csv; charset=utf-8"},
  };
  auto it = types.find(file.extension().string());
  return it == types.end() ? std::string_view("application/octet-stream") : it->second;
}

// After symlinks are resolved the file must still lie under the root, compared by
// path components ("/srv/web-private" is not inside "/srv/web").
bool StaticFiles::inside_root(const fs::path& resolved) const {
  auto r = resolved.begin();
  for (auto it = root_.begin(); it != root_.end(); ++it, ++r) {
    if (it->empty() && std::next(it) == root_.end()) break;  // a trailing separator
    if (r == resolved.end() || *r != *it) return false;
  }
  return true;
}

std::optional<Response> StaticFiles::serve(const Request& req) const {
  if (req.method != Method::get && req.method != Method::head) return std::nullopt;
  if (req.path.starts_with("/api/") || req.path == "/api") return std::nullopt;
  auto decoded = percent_decode(req.path);
  if (!decoded) return std::nullopt;
  const std::string& path = *decoded;
  if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) return std::nullopt;

  const auto accept = req.header("Accept");
  const bool navigation = accept && accept->find("text/html") != std::string_view::npos;

  // Relative path segments; "..", "." and dot-files are refused outright.
  fs::path rel;
  bool spa_candidate = true;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    std::string seg = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!seg.empty()) {
      if (seg.front() == '.') return std::nullopt;
      rel /= seg;
    }
    if (slash == std::string::npos) {
      // A last segment with an extension names a file: no SPA fallback for a missing one —
      // unless a browser navigates there (it asks for HTML): app addresses may hold dots
      // (/workbench/catalog/gaj.population), and a reload must find the app.
      spa_candidate = seg.find('.') == std::string::npos || (navigation && !path.starts_with("/assets/"));
      break;
    }
    start = slash + 1;
  }

  fs::path file = rel.empty() ? root_ / "index.html" : root_ / rel;
  std::error_code ec;
  if (fs::is_directory(file, ec)) file /= "index.html";
  auto resolved = fs::weakly_canonical(file, ec);
  if (ec || !inside_root(resolved)) return std::nullopt;

  auto entry = cache_->load(resolved);
  if (!entry && spa_candidate) {
    resolved = root_ / "index.html";
    entry = cache_->load(resolved);
  }
  if (!entry) return std::nullopt;

  Response res;
  bool hashed_asset = req.path.starts_with("/assets/");
  res.headers.set("Content-Type", std::string(content_type_for(resolved)));
  res.headers.set("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  res.headers.set("X-Content-Type-Options", "nosniff");

  std::shared_ptr<const Entry> body = entry;
  std::string etag = entry->etag;
  if (accepts_gzip(req)) {
    auto gz = cache_->load(fs::path(resolved.string() + ".gz"));
    if (gz) {
      body = gz;
      etag = gz->etag.substr(0, gz->etag.size() - 1) + "-gz\"";
      res.headers.set("Content-Encoding", "gzip");
    }
  }
  if (fs::exists(resolved.string() + ".gz", ec)) res.headers.set("Vary", "Accept-Encoding");
  res.headers.set("ETag", etag);
  if (auto inm = req.header("If-None-Match"); inm && etag_matches(*inm, etag)) {
    res.status = 304;
    return res;
  }
  res.status = 200;
  res.body = body->content;
  return res;
}

}  // namespace zhengwu::http
