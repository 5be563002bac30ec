#include "services/common/work_queue.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "absl/strings/str_cat.h"

namespace socm {
namespace {

thread_local const grpc::CallbackServerContext* answering = nullptr;

}  // namespace

const grpc::CallbackServerContext* CallBeingAnswered() { return answering; }

std::unique_ptr<grpc::ClientContext> OutgoingContext(std::chrono::milliseconds timeout) {
  std::unique_ptr<grpc::ClientContext> context =
      answering != nullptr ? grpc::ClientContext::FromCallbackServerContext(*answering)
                           : std::make_unique<grpc::ClientContext>();
  // Propagated, the earlier of this and the caller's deadline applies.
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

WorkQueue::Answering::Answering(const grpc::CallbackServerContext* context) : before_(answering) {
  answering = context;
}

WorkQueue::Answering::~Answering() { answering = before_; }

WorkQueue::WorkQueue(const std::string& name, WorkQueueOptions options,
                     prometheus::Registry& registry)
    : name_(name), max_waiting_(static_cast<size_t>(std::max(options.max_waiting, 0))) {
  const std::map<std::string, std::string> labels{{"queue", name}};
  waiting_gauge_ = &prometheus::BuildGauge()
                        .Name("socm_work_waiting")
                        .Help("Calls whose blocking work waits for a worker thread")
                        .Register(registry)
                        .Add(labels);
  busy_gauge_ = &prometheus::BuildGauge()
                     .Name("socm_work_busy_threads")
                     .Help("Worker threads doing a call's blocking work")
                     .Register(registry)
                     .Add(labels);
  refused_ = &prometheus::BuildCounter()
                  .Name("socm_work_refused_total")
                  .Help("Calls answered UNAVAILABLE because the work queue was full")
                  .Register(registry)
                  .Add(labels);
  abandoned_ = &prometheus::BuildCounter()
                    .Name("socm_work_abandoned_total")
                    .Help("Calls whose caller left or whose deadline passed while they waited")
                    .Register(registry)
                    .Add(labels);
  const int n = std::max(options.threads, 1);
  threads_.reserve(n);
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { Work(); });
}

WorkQueue::~WorkQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

bool WorkQueue::TryPost(absl::AnyInvocable<void() &&> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || waiting_.size() >= max_waiting_) {
      refused_->Increment();
      return false;
    }
    waiting_.push_back(std::move(task));
    waiting_gauge_->Set(static_cast<double>(waiting_.size()));
  }
  ready_.notify_one();
  return true;
}

void WorkQueue::Work() {
  for (;;) {
    absl::AnyInvocable<void() &&> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (waiting_.empty()) return;  // stopping, and nothing left to do
      task = std::move(waiting_.front());
      waiting_.pop_front();
      waiting_gauge_->Set(static_cast<double>(waiting_.size()));
    }
    busy_gauge_->Increment();
    std::move(task)();
    busy_gauge_->Decrement();
  }
}

absl::Status WorkQueue::Gone(grpc::CallbackServerContext& context) {
  if (context.IsCancelled()) {
    abandoned_->Increment();
    return absl::CancelledError("the caller went away while the call waited");
  }
  if (context.deadline() < std::chrono::system_clock::now()) {
    abandoned_->Increment();
    return absl::DeadlineExceededError("the deadline passed while the call waited");
  }
  return absl::OkStatus();
}

absl::Status WorkQueue::Busy() const {
  return absl::UnavailableError(
      absl::StrCat("the ", name_, " service is busy (", max_waiting_, " calls wait); retry"));
}

}  // namespace socm
