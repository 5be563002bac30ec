#pragma once
// A client for the standard grpc.health.v1.Health/Check, which every service
// serves. Debian ships no health.proto, so the two tiny messages are encoded
// by hand (field 1 of each). Example:
//   absl::Status s = socm::CheckHealth(channel, "", std::chrono::seconds(1));
//   // OK when SERVING; UNAVAILABLE when not serving or unreachable.

#include <grpcpp/channel.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"

namespace socm {

// Calls `done` on a gRPC thread when the answer (or the deadline) comes.
void CheckHealthAsync(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                      std::chrono::milliseconds timeout, std::function<void(absl::Status)> done);

absl::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         std::chrono::milliseconds timeout);

}  // namespace socm
