#pragma once
// CatalogueClient fetches catalogue versions from the catalogue service for
// answer validation. Versions are immutable, so each one is kept in process
// after the first fetch; the latest version is asked for anew each time.

#include <grpcpp/channel.h>
#include <grpcpp/server_context.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/caller.h"
#include "services/common/lru_cache.h"
#include "soc/maturity/catalogue/v1/catalogue.grpc.pb.h"

namespace socm {

using soc::maturity::catalogue::v1::Catalogue;

class CatalogueClient {
 public:
  explicit CatalogueClient(std::shared_ptr<grpc::Channel> channel);
  // `version` "" is the latest, as `caller` (whose token goes along) sees it. NOT_FOUND
  // passes through; a catalogue service that cannot be reached is UNAVAILABLE.
  absl::StatusOr<std::shared_ptr<const Catalogue>> Get(const Caller& caller, const std::string& id,
                                                       const std::string& version);
  // The same without blocking: `done` runs at once on a cached version, else on a gRPC
  // thread. The call inherits `parent`'s deadline and cancellation.
  void GetAsync(const grpc::CallbackServerContext& parent, const Caller& caller,
                const std::string& id, const std::string& version,
                std::function<void(absl::StatusOr<std::shared_ptr<const Catalogue>>)> done);

 private:
  std::unique_ptr<soc::maturity::catalogue::v1::CatalogueService::Stub> stub_;
  LruCache<std::string, std::shared_ptr<const Catalogue>> cache_{64};
};

}  // namespace socm
