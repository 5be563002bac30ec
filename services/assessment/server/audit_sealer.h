#pragma once
// Runs the audit chain's sealing pass every interval on a thread of its own, so entries are
// sealed within seconds of their commit and no write waits for it.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/assessment/store/sql_audit_chain.h"

namespace socm::assessment {

class AuditSealer {
 public:
  AuditSealer(SqlAuditChain& chain, int interval_ms) : chain_(chain), interval_ms_(interval_ms) {}
  ~AuditSealer() { Stop(); }
  void Start();
  void Stop();

 private:
  void Loop();
  SqlAuditChain& chain_;
  const int interval_ms_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace socm::assessment
