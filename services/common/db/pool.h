#pragma once
// Internal to socm_db: the fixed-size pool both engines lend their
// connections from. A caller that finds every connection lent out waits for
// one to come back, but only for a bounded time, so a leaked or stuck
// connection turns into UNAVAILABLE (retry later) instead of a hung request.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace socm::db::internal {

template <typename Conn>
class Pool {
 public:
  // Gives the connection back when it goes out of scope, whatever path the
  // caller leaves by.
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (conn_) pool_->Return(std::move(conn_));
    }
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  explicit Pool(std::vector<std::unique_ptr<Conn>> conns) : idle_(std::move(conns)) {}

  absl::StatusOr<Lease> Acquire(std::chrono::milliseconds wait) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!available_.wait_for(lock, wait, [this] { return !idle_.empty(); })) {
      return absl::UnavailableError("no free database connection in the pool");
    }
    // Most recently returned first: it is the one most likely still warm, and
    // the others may idle out on the server side without anyone noticing.
    std::unique_ptr<Conn> conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }

 private:
  void Return(std::unique_ptr<Conn> conn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      idle_.push_back(std::move(conn));
    }
    available_.notify_one();
  }

  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Conn>> idle_;
};

}  // namespace socm::db::internal
