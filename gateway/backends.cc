#include "gateway/backends.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <mutex>

#include "services/common/health_client.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/common/suite_tls.h"

namespace socm::gateway {

Backends::Backends(const BackendAddresses& addresses) {
  const std::map<std::string, std::string> named = {{"catalogue", addresses.catalogue},
                                                    {"assessment", addresses.assessment},
                                                    {"scoring", addresses.scoring},
                                                    {"reporting", addresses.reporting}};
  for (const auto& [name, address] : named) {
    grpc::ChannelArguments args;
    // Reconnect quickly after a backend restarts.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    // Evidence files of up to 10 MiB come back whole.
    args.SetMaxReceiveMessageSize(16 << 20);
    channels_[name] = grpc::CreateCustomChannel(address, SuiteChannelCredentials(), args);
  }
}

const std::shared_ptr<grpc::Channel>& Backends::ForRpc(const std::string& rpc) const {
  // "soc.maturity.assessment.v1.AssessmentService/GetOrganization" -> "assessment"
  const size_t start = std::string("soc.maturity.").size();
  return channels_.at(rpc.substr(start, rpc.find('.', start) - start));
}

void Backends::CheckAll(std::chrono::milliseconds timeout,
                        std::function<void(bool, std::map<std::string, std::string>)> done) const {
  struct Pending {
    std::mutex mu;
    size_t left;
    bool ready = true;
    std::map<std::string, std::string> answers;
    std::function<void(bool, std::map<std::string, std::string>)> done;
  };
  auto pending = std::make_shared<Pending>();
  pending->left = channels_.size();
  pending->done = std::move(done);
  for (const auto& [name, channel] : channels_) {
    CheckHealthAsync(channel, "", timeout, [pending, name = name](absl::Status status) {
      bool last;
      {
        std::lock_guard<std::mutex> lock(pending->mu);
        // /readyz is public: the reason (addresses, transport errors) goes to the log.
        if (!status.ok()) {
          Log(LogLevel::kWarn, "backend not ready",
              {{"backend", name}, {"error", std::string(status.message())}});
        }
        pending->answers[name] = status.ok() ? "SERVING" : CodeName(status.code());
        pending->ready = pending->ready && status.ok();
        last = --pending->left == 0;
      }
      if (last) pending->done(pending->ready, pending->answers);
    });
  }
}

}  // namespace socm::gateway
