#pragma once
// The counters of one cache in cache_requests_total{cache, result}, the family every
// service and the gateway share, so one dashboard panel reads every cache's hit ratio.

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <string>

namespace socm {

struct CacheCounters {
  prometheus::Counter* hit;
  prometheus::Counter* miss;
  // Lookups the cache could not answer (Redis down); null for an in-process cache, which
  // cannot fail, so that no series that never moves is exported.
  prometheus::Counter* error;
};

inline CacheCounters CacheCountersFor(prometheus::Registry& registry, const std::string& cache,
                                      bool can_fail = false) {
  auto& family = prometheus::BuildCounter()
                     .Name("cache_requests_total")
                     .Help("Cache lookups by cache and result (hit, miss, error).")
                     .Register(registry);
  return {&family.Add({{"cache", cache}, {"result", "hit"}}),
          &family.Add({{"cache", cache}, {"result", "miss"}}),
          can_fail ? &family.Add({{"cache", cache}, {"result", "error"}}) : nullptr};
}

}  // namespace socm
