#include "services/common/health_client.h"

#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <future>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/status.h"

namespace socm {
namespace {

constexpr char kCheckMethod[] = "/grpc.health.v1.Health/Check";
constexpr int kServing = 1;

// HealthCheckRequest { string service = 1; }
std::string EncodeRequest(const std::string& service) {
  std::string out;
  if (service.empty()) return out;
  out.push_back('\x0a');
  size_t n = service.size();
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
  return out + service;
}

// HealthCheckResponse { ServingStatus status = 1; } -> status, or -1.
int DecodeStatus(const grpc::ByteBuffer& buffer) {
  grpc::Slice slice;
  if (!buffer.DumpToSingleSlice(&slice).ok()) return -1;
  const uint8_t* p = slice.begin();
  const uint8_t* end = slice.end();
  if (p == end) return 0;  // every field at its default: UNKNOWN
  if (*p != 0x08 || p + 1 >= end) return -1;
  return p[1] & 0x7f;
}

struct Call {
  grpc::ClientContext context;
  std::unique_ptr<grpc::GenericStub> stub;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  std::function<void(absl::Status)> done;
};

}  // namespace

void CheckHealthAsync(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                      std::chrono::milliseconds timeout, std::function<void(absl::Status)> done) {
  auto* call = new Call();
  call->done = std::move(done);
  call->stub = std::make_unique<grpc::GenericStub>(channel);
  call->context.set_deadline(std::chrono::system_clock::now() + timeout);
  const std::string bytes = EncodeRequest(service);
  grpc::Slice slice(bytes);
  call->request = grpc::ByteBuffer(&slice, 1);
  call->stub->UnaryCall(&call->context, kCheckMethod, grpc::StubOptions(), &call->request,
                        &call->response, [call](grpc::Status status) {
                          absl::Status result = FromGrpcStatus(status);
                          if (status.ok()) {
                            const int serving = DecodeStatus(call->response);
                            if (serving != kServing) {
                              result = absl::UnavailableError(
                                  absl::StrCat("health status ", serving, ", not SERVING"));
                            }
                          } else if (status.error_code() != grpc::StatusCode::NOT_FOUND) {
                            result = absl::UnavailableError(status.error_message());
                          }
                          auto done = std::move(call->done);
                          delete call;
                          done(result);
                        });
}

absl::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         std::chrono::milliseconds timeout) {
  std::promise<absl::Status> promise;
  auto future = promise.get_future();
  CheckHealthAsync(channel, service, timeout,
                   [&promise](absl::Status status) { promise.set_value(std::move(status)); });
  return future.get();
}

}  // namespace socm
