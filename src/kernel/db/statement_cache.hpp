// A least-recently-used cache of prepared statements, shared by both drivers.
//
// Each driver connection keeps one cache keyed by SQL text. The cache only orders and
// bounds the handles; the driver owns what a handle refers to (a sqlite3_stmt*, the name
// of a server-side prepared statement) and frees it when the cache hands it back on
// eviction or clear. Capacity 0 disables caching: `insert` then returns the handle at
// once as evicted, so the caller frees it after its single use.
//
// Thread-safety: none; a cache belongs to one connection, which one thread uses at a time.
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace zhengwu::db {

template <class Handle>
class StatementCache {
 public:
  explicit StatementCache(std::size_t capacity) : capacity_(capacity) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The handle cached under `key`, now the most recently used; nullptr when absent.
  // The pointer stays valid until the next insert/erase/clear.
  Handle* find(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // Caches `handle` under `key` (which must not be cached yet). Returns the handle that
  // no longer fits (the least recently used one, or `handle` itself when the capacity is
  // 0); the caller must free it.
  std::optional<Handle> insert(std::string key, Handle handle) {
    if (capacity_ == 0) return handle;
    order_.emplace_front(std::move(key), std::move(handle));
    index_.emplace(std::string_view(order_.front().first), order_.begin());
    if (order_.size() <= capacity_) return std::nullopt;
    Handle evicted = std::move(order_.back().second);
    index_.erase(std::string_view(order_.back().first));
    order_.pop_back();
    return evicted;
  }

  // Removes `key` and returns its handle for the caller to free.
  std::optional<Handle> erase(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    auto node = it->second;
    index_.erase(it);
    Handle h = std::move(node->second);
    order_.erase(node);
    return h;
  }

  // Hands every cached handle to `dispose` and empties the cache.
  template <class Dispose>
  void clear(Dispose&& dispose) {
    index_.clear();
    for (auto& entry : order_) dispose(entry.second);
    order_.clear();
  }

  std::size_t size() const { return order_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  // Most recently used first. List nodes never move, so the index may hold views of
  // their keys.
  std::list<std::pair<std::string, Handle>> order_;
  std::unordered_map<std::string_view, typename std::list<std::pair<std::string, Handle>>::iterator> index_;
};

}  // namespace zhengwu::db
