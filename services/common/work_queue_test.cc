#include "services/common/work_queue.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "soc/maturity/catalogue/v1/catalogue.grpc.pb.h"

namespace socm {
namespace {

namespace pb = soc::maturity::catalogue::v1;
using namespace std::chrono_literals;

TEST(WorkQueueTest, RefusesPastItsBoundAndDoesWhatItQueuedBeforeStopping) {
  prometheus::Registry registry;
  std::atomic<int> done{0};
  absl::Notification release;
  {
    WorkQueue queue("test", WorkQueueOptions{1, 2}, registry);
    absl::Notification started;
    ASSERT_TRUE(queue.TryPost([&] {
      started.Notify();
      release.WaitForNotification();
      ++done;
    }));
    started.WaitForNotification();  // the one thread is busy from here
    EXPECT_TRUE(queue.TryPost([&] { ++done; }));
    EXPECT_TRUE(queue.TryPost([&] { ++done; }));
    EXPECT_FALSE(queue.TryPost([&] { ++done; })) << "two wait already";
    release.Notify();
  }  // the destructor runs the two that waited
  EXPECT_EQ(done.load(), 3);
}

// A catalogue service whose GetCatalogue blocks until the test lets it go, answered through a
// WorkQueue of one thread with room for one waiting call: over real gRPC on a real socket.
class Blocking final : public pb::CatalogueService::CallbackService {
 public:
  explicit Blocking(WorkQueue& work) : work_(work) {}
  grpc::ServerUnaryReactor* GetCatalogue(grpc::CallbackServerContext* context,
                                         const pb::GetCatalogueRequest* request,
                                         pb::Catalogue* response) override {
    return work_.Answer(context, [=]() -> absl::Status {
      ++started;
      if (request->catalogue_id() == "block") gate.get_future().wait();
      if (request->catalogue_id() == "relay") {
        // A blocking call on the caller's behalf with a generous timeout of its own, to this
        // server, whose one thread this body holds: only the caller's deadline can end it.
        const auto before = std::chrono::steady_clock::now();
        auto inner = OutgoingContext(10s);
        pb::GetCatalogueRequest relayed;
        relayed.set_catalogue_id("relayed");
        pb::Catalogue reply;
        relay_status = self->GetCatalogue(inner.get(), relayed, &reply);
        relay_took = std::chrono::steady_clock::now() - before;
        relay_done.set_value();
      }
      response->set_id(request->catalogue_id());
      return absl::OkStatus();
    });
  }
  std::atomic<int> started{0};
  std::promise<void> gate;
  pb::CatalogueService::Stub* self = nullptr;
  grpc::Status relay_status;
  std::chrono::steady_clock::duration relay_took{};
  std::promise<void> relay_done;

 private:
  WorkQueue& work_;
};

class WorkQueueServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    queue_ = std::make_unique<WorkQueue>("test", WorkQueueOptions{1, 1}, registry_);
    service_ = std::make_unique<Blocking>(*queue_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = pb::CatalogueService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
    service_->self = stub_.get();
  }
  void TearDown() override {
    server_->Shutdown(std::chrono::system_clock::now() + 2s);
    server_.reset();
    queue_.reset();
  }
  // Starts GetCatalogue(id) with a deadline; its status when it ends.
  std::future<grpc::Status> Call(const std::string& id, std::chrono::milliseconds deadline) {
    return std::async(std::launch::async, [this, id, deadline] {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + deadline);
      pb::GetCatalogueRequest request;
      request.set_catalogue_id(id);
      pb::Catalogue reply;
      return stub_->GetCatalogue(&context, request, &reply);
    });
  }
  void WaitForStarted(int n) {
    for (int i = 0; i < 500 && service_->started.load() < n; ++i) std::this_thread::sleep_for(10ms);
  }
  prometheus::Registry registry_;
  std::unique_ptr<WorkQueue> queue_;
  std::unique_ptr<Blocking> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<pb::CatalogueService::Stub> stub_;
};

TEST_F(WorkQueueServerTest, AFullQueueAnswersUnavailableAtOnceAndAnExpiredCallIsNotDone) {
  auto busy = Call("block", 10s);
  WaitForStarted(1);
  // Waits for the one thread; its deadline passes meanwhile.
  auto expires = Call("expires", 300ms);
  std::this_thread::sleep_for(100ms);
  // Finds the one waiting place taken.
  const auto before = std::chrono::steady_clock::now();
  grpc::Status refused = Call("refused", 10s).get();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_NE(refused.error_message().find("busy"), std::string::npos) << refused.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s) << "refused without waiting";
  // The blocking call never stopped the gRPC server's own threads: the refusal came back
  // while the worker was still held.
  EXPECT_EQ(expires.get().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  service_->gate.set_value();
  EXPECT_TRUE(busy.get().ok());
  // The expired call reached the worker only after its caller had stopped waiting: answered
  // without its work being done.
  EXPECT_TRUE(Call("after", 5s).get().ok());
  EXPECT_EQ(service_->started.load(), 2) << "block and after ran; expires did not";
}

TEST_F(WorkQueueServerTest, ABlockingCallMadeForACallerEndsAtTheCallersDeadline) {
  EXPECT_EQ(CallBeingAnswered(), nullptr) << "no call is answered on the test's thread";
  grpc::Status outer = Call("relay", 300ms).get();
  EXPECT_EQ(outer.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  ASSERT_EQ(service_->relay_done.get_future().wait_for(5s), std::future_status::ready)
      << "the relayed call still holds the worker after its caller's deadline";
  EXPECT_EQ(service_->relay_status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << service_->relay_status.error_message();
  EXPECT_LT(service_->relay_took, 2s) << "it took its own 10 s timeout, not the caller's 300 ms";
  // The worker is free again, and a call made outside any answer keeps its own timeout.
  EXPECT_TRUE(Call("after", 5s).get().ok());
}

}  // namespace
}  // namespace socm
