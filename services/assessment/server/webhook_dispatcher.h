#pragma once
// Delivers the webhook outbox: a claiming thread takes due deliveries from the database (a
// claim lasts longer than an attempt can, so a dispatcher that dies mid-attempt leaves its rows
// to another after the claim runs out), and worker threads POST them with their Standard
// Webhooks headers and record each attempt. A slow receiver holds one worker, never a write.
// Several dispatchers may share one PostgreSQL database; on SQLite run one.
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "services/assessment/server/webhook_sender.h"
#include "services/assessment/store/sql_webhooks.h"

namespace socm::assessment {

struct WebhookDispatcherOptions {
  int workers = 8;
  // How often an idle dispatcher looks for due deliveries.
  int poll_ms = 100;
  // The first retry's delay; each later one doubles, up to an hour.
  int64_t retry_base_ms = 5000;
  // Finished deliveries are kept this long in the delivery log.
  int64_t keep_finished_days = 30;
};

class WebhookDispatcher {
 public:
  // `store`, `sender` and `registry` must outlive this.
  WebhookDispatcher(SqlWebhookStore& store, const WebhookSender& sender,
                    WebhookDispatcherOptions options, prometheus::Registry& registry);
  ~WebhookDispatcher() { Stop(); }
  void Start();
  // Finishes the attempts under way; what is queued but not begun stays claimed until its claim
  // runs out, then any dispatcher takes it.
  void Stop();

 private:
  void ClaimLoop();
  void WorkLoop();
  void Attempt(const ClaimedDelivery& delivery);

  SqlWebhookStore& store_;
  const WebhookSender& sender_;
  const WebhookDispatcherOptions options_;
  const std::string owner_;
  prometheus::Counter* delivered_;
  prometheus::Counter* retried_;
  prometheus::Counter* failed_;
  prometheus::Counter* lost_claims_;
  prometheus::Counter* claim_errors_;
  prometheus::Gauge* pending_;
  prometheus::Histogram* latency_;
  prometheus::Histogram* attempt_seconds_;
  std::mutex mu_;
  std::condition_variable wake_claimer_;
  std::condition_variable wake_workers_;
  std::deque<ClaimedDelivery> queue_;
  int busy_ = 0;
  bool stopping_ = false;
  std::mt19937_64 random_;
  std::thread claimer_;
  std::vector<std::thread> workers_;
};

}  // namespace socm::assessment
