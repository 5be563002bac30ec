#pragma once
// How the suite's RPC handlers wait: never on gRPC's callback threads. Those threads are few
// and shared by every call of the process; one handler waiting there on a database or another
// service stalls calls that need neither. So every handler is a callback reactor, and
//  - a handler that waits only on other services chains async client calls and finishes from
//    their completion (scoring's four RPCs);
//  - a handler whose work blocks (a database transaction, a blocking client call, rendering)
//    hands that work to its process's WorkQueue and finishes from there.
// One exception, measured: the assessment service's GetAssessment answers on gRPC's thread (see
// that handler). A WorkQueue is a fixed number of threads (the assessment service opens a
// database connection for each, and a few more) and a bounded queue. A call that finds
// the queue full is answered UNAVAILABLE at once (the gateway's 503 with Retry-After): an
// overload costs neither memory nor threads, and the callers learn to come back. Work whose
// caller went away, or whose deadline passed while it waited, is answered without being done.
// A blocking client call a body makes (OutgoingContext) ends with the call it serves: at the
// caller's deadline if that comes first, and when the caller cancels.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/grpc_status.h"

namespace prometheus {
class Registry;
class Counter;
class Gauge;
}  // namespace prometheus

namespace socm {

struct WorkQueueOptions {
  int threads = 8;
  // Calls waiting for a thread, beyond those being served. Below a service's
  // --max-concurrent-streams (256): a client's calls past that wait in the client until their
  // deadline, so a larger bound would never be reached by one client (the gateway has one
  // connection to each service) and overload would end in 504s instead of a prompt 503.
  int max_waiting = 128;
};

// The call this thread's body is answering, while it runs on a WorkQueue thread; null elsewhere.
const grpc::CallbackServerContext* CallBeingAnswered();

// The context for a blocking call to another service: a deadline `timeout` from now and, made
// while a body answers a call, that call's deadline if sooner and its cancellation too (a
// worker thread is not held for a caller who has gone).
std::unique_ptr<grpc::ClientContext> OutgoingContext(std::chrono::milliseconds timeout);

class WorkQueue {
 public:
  // `name` labels its metrics (socm_work_*{queue="name"}).
  WorkQueue(const std::string& name, WorkQueueOptions options, prometheus::Registry& registry);
  // Does what is queued, then joins: stop the gRPC server first, which waits for every call
  // to finish, and so for the work those calls queued.
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `task`; false, and `task` dropped, when max_waiting tasks already wait.
  bool TryPost(absl::AnyInvocable<void() &&> task);

  // The handler's reactor, finished with what `body` returns, run on one of the threads.
  // `body` fills the response and returns the call's status; it may use the context, the
  // request and the response, which gRPC keeps until the reactor is finished.
  template <typename Body>
  grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, Body body) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    const bool queued = TryPost([this, context, reactor, body = std::move(body)]() mutable {
      if (absl::Status gone = Gone(*context); !gone.ok())
        return reactor->Finish(ToGrpcStatus(gone));
      absl::Status status;
      {
        Answering answering(context);
        status = body();
      }
      reactor->Finish(ToGrpcStatus(status));
    });
    if (!queued) reactor->Finish(ToGrpcStatus(Busy()));
    return reactor;
  }

 private:
  // Marks the call this thread answers while it lives (CallBeingAnswered).
  class Answering {
   public:
    explicit Answering(const grpc::CallbackServerContext* context);
    ~Answering();
    Answering(const Answering&) = delete;
    Answering& operator=(const Answering&) = delete;

   private:
    const grpc::CallbackServerContext* before_;
  };

  void Work();
  // Why a call waited for nothing: its caller cancelled or its deadline passed.
  absl::Status Gone(grpc::CallbackServerContext& context);
  absl::Status Busy() const;

  const std::string name_;
  const size_t max_waiting_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<absl::AnyInvocable<void() &&>> waiting_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  prometheus::Gauge* waiting_gauge_;
  prometheus::Gauge* busy_gauge_;
  prometheus::Counter* refused_;
  prometheus::Counter* abandoned_;
};

// A body's answer from a store's result: the response filled when it is a value.
template <typename T>
absl::Status Fill(absl::StatusOr<T> result, T* out) {
  if (result.ok()) *out = std::move(*result);
  return result.status();
}

}  // namespace socm
