#pragma once
// The JSON a route last sent per key, with the version of what it showed (an assessment's
// revision, a catalogue's version). The route passes that version to its backend, which
// answers "still that one" with a header alone; then the kept JSON goes out again, and
// neither side serialises the document.
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "gateway/responses.h"
#include "services/common/cache_metrics.h"
#include "services/common/lru_cache.h"

namespace socm::gateway {

template <typename Version>
class KeptBodies {
 public:
  struct Body {
    Version version;
    std::string json;
  };
  // `name` labels cache_requests_total.
  KeptBodies(prometheus::Registry& registry, const char* name, size_t capacity)
      : bodies_(capacity) {
    const CacheCounters counters = CacheCountersFor(registry, name);
    hit_ = counters.hit;
    miss_ = counters.miss;
  }
  std::shared_ptr<const Body> Get(const std::string& key) {
    return bodies_.Get(key).value_or(nullptr);
  }
  // The kept body, sent again.
  Response Hit(const Body& body) {
    hit_->Increment();
    return JsonResponse(http::status::ok, body.json);
  }
  // A whole reply of `version`: sent, and kept when it is a success.
  template <typename Message>
  Response Fresh(const std::string& key, Version version, const Message& reply) {
    miss_->Increment();
    Response response = ProtoResponse(reply);
    if (response.result() == http::status::ok) {
      bodies_.Put(key, std::make_shared<const Body>(Body{std::move(version), response.body()}));
    }
    return response;
  }

 private:
  LruCache<std::string, std::shared_ptr<const Body>> bodies_;
  prometheus::Counter* hit_;
  prometheus::Counter* miss_;
};

}  // namespace socm::gateway
