#pragma once
// Runs the audit chain's sealing pass every interval on a thread of its own, so entries are
// sealed within seconds of their commit and no write waits for it. Before each pass it brings
// in the catalogue service's records, when it has a puller.
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "services/assessment/server/catalogue_audit_pull.h"
#include "services/assessment/store/sql_audit_chain.h"

namespace socm::assessment {

class AuditSealer {
 public:
  // `chain`, `registry` and `pull` (may be null) must outlive this.
  AuditSealer(SqlAuditChain& chain, int interval_ms, prometheus::Registry& registry,
              CatalogueAuditPull* pull = nullptr);
  ~AuditSealer() { Stop(); }
  void Start();
  void Stop();

 private:
  void Loop();
  void Pass(bool& failing);
  SqlAuditChain& chain_;
  const int interval_ms_;
  CatalogueAuditPull* pull_;
  prometheus::Counter* passes_ok_;
  prometheus::Counter* passes_failed_;
  prometheus::Counter* sealed_;
  prometheus::Counter* thinned_;
  prometheus::Gauge* last_success_;
  int64_t last_thinned_ = 0;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace socm::assessment
