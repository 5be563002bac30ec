#pragma once
// Backends holds one gRPC channel per backend service and answers whether all
// of them are ready (their health service says SERVING).

#include <grpcpp/channel.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace socm::gateway {

struct BackendAddresses {
  std::string catalogue = "127.0.0.1:7101";
  std::string assessment = "127.0.0.1:7102";
  std::string scoring = "127.0.0.1:7103";
  std::string reporting = "127.0.0.1:7104";
};

class Backends {
 public:
  explicit Backends(const BackendAddresses& addresses);

  const std::shared_ptr<grpc::Channel>& catalogue() const { return channels_.at("catalogue"); }
  const std::shared_ptr<grpc::Channel>& assessment() const { return channels_.at("assessment"); }
  const std::shared_ptr<grpc::Channel>& scoring() const { return channels_.at("scoring"); }
  const std::shared_ptr<grpc::Channel>& reporting() const { return channels_.at("reporting"); }

  // The channel of the service that serves `rpc` ("soc.maturity.<name>.v1.Service/Method").
  const std::shared_ptr<grpc::Channel>& ForRpc(const std::string& rpc) const;

  // Asks every backend's health service at once; `done` gets each backend's
  // answer ("SERVING", or the code of the failure, e.g. "UNAVAILABLE"; the
  // failure's text is logged, never answered).
  void CheckAll(std::chrono::milliseconds timeout,
                std::function<void(bool ready, std::map<std::string, std::string>)> done) const;

 private:
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

}  // namespace socm::gateway
