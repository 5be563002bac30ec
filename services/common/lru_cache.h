#pragma once
// LruCache is a small thread-safe in-process cache that drops the least
// recently used entry when full. For immutable values (catalogue versions):
// nothing is ever invalidated. Example:
//   socm::LruCache<std::string, std::shared_ptr<const Catalogue>> cache(256);
//   if (auto hit = cache.Get(key)) return *hit;
//   cache.Put(key, value);

#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"

namespace socm {

template <typename Key, typename Value>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  std::optional<Value> Get(const Key& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  void Erase(const Key& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
  }

  void Put(const Key& key, Value value) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return;
    }
    order_.emplace_front(key, std::move(value));
    index_[key] = order_.begin();
    if (index_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return index_.size();
  }

 private:
  using Entry = std::pair<Key, Value>;
  const size_t capacity_;
  std::mutex mu_;
  std::list<Entry> order_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<Key, typename std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace socm
