#include "services/common/catalogue_client.h"

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "services/common/caller_metadata.h"
#include "services/common/grpc_status.h"
#include "services/common/status.h"

namespace socm {

CatalogueClient::CatalogueClient(std::shared_ptr<grpc::Channel> channel)
    : stub_(soc::maturity::catalogue::v1::CatalogueService::NewStub(channel)) {}

absl::StatusOr<std::shared_ptr<const Catalogue>> CatalogueClient::Get(const Caller& caller,
                                                                      const std::string& id,
                                                                      const std::string& version) {
  const TenantId& tenant = caller.tenant;
  const std::string key = absl::StrCat(tenant.value(), "/", id, "/", version);
  if (!version.empty()) {
    if (auto hit = cache_.Get(key)) return *hit;
  }
  grpc::ClientContext context;
  // Bounded: this runs on a gRPC callback thread.
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  AddCallerMetadata(caller, context);
  soc::maturity::catalogue::v1::GetCatalogueRequest request;
  request.set_catalogue_id(id);
  request.set_version(version);
  auto catalogue = std::make_shared<Catalogue>();
  const grpc::Status status = stub_->GetCatalogue(&context, request, catalogue.get());
  if (!status.ok()) {
    absl::Status out = FromGrpcStatus(status);
    if (out.code() == absl::StatusCode::kNotFound ||
        out.code() == absl::StatusCode::kInvalidArgument) {
      return InvalidFields({Violation(version.empty() ? "catalogueId" : "catalogueVersion",
                                      std::string(out.message()))});
    }
    return absl::UnavailableError(absl::StrCat("catalogue service: ", out.message()));
  }
  std::shared_ptr<const Catalogue> value = std::move(catalogue);
  cache_.Put(absl::StrCat(tenant.value(), "/", id, "/", value->version()), value);
  return value;
}

}  // namespace socm
