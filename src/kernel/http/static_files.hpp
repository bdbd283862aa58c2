// Serving the built web app (web/dist): ETag/If-None-Match → 304, precompressed `.gz`
// siblings when the client accepts gzip, long-lived caching for hashed assets, and the
// single-page-app fallback to index.html for client-side routes. Paths are decoded and
// confined to the root: `..`, backslashes, NUL and dot-files are refused, and the
// resolved file must lie inside the root after symlinks are followed.
//
// Thread-safety: `serve` may be called from any thread; file contents are cached and
// re-read when their size or modification time changes.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "kernel/http/message.hpp"

namespace zhengwu::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  ~StaticFiles();

  // Answers a GET/HEAD for `req.path`, or nullopt when nothing under the root fits and
  // there is no index.html to fall back to. Paths under /api/ are never answered here.
  std::optional<Response> serve(const Request& req) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  struct Cache;
  bool inside_root(const std::filesystem::path& resolved) const;
  std::filesystem::path root_;
  std::unique_ptr<Cache> cache_;
};

// The media type for a file name's extension ("application/octet-stream" when unknown).
std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace zhengwu::http
