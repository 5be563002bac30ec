#include "services/common/catalogue_client.h"

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "services/common/caller_metadata.h"
#include "services/common/grpc_status.h"
#include "services/common/status.h"
#include "services/common/work_queue.h"

namespace socm {

namespace {

constexpr std::chrono::seconds kTimeout(3);

absl::Status Translate(const grpc::Status& status, const std::string& version) {
  absl::Status out = FromGrpcStatus(status);
  if (out.code() == absl::StatusCode::kNotFound ||
      out.code() == absl::StatusCode::kInvalidArgument) {
    return InvalidFields({Violation(version.empty() ? "catalogueId" : "catalogueVersion",
                                    std::string(out.message()))});
  }
  return absl::UnavailableError(absl::StrCat("catalogue service: ", out.message()));
}

}  // namespace

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
  // Bounded, and ended with the call it serves: this holds one of a process's few worker
  // threads (work_queue.h).
  const std::unique_ptr<grpc::ClientContext> context = OutgoingContext(kTimeout);
  AddCallerMetadata(caller, *context);
  soc::maturity::catalogue::v1::GetCatalogueRequest request;
  request.set_catalogue_id(id);
  request.set_version(version);
  auto catalogue = std::make_shared<Catalogue>();
  const grpc::Status status = stub_->GetCatalogue(context.get(), request, catalogue.get());
  if (!status.ok()) return Translate(status, version);
  std::shared_ptr<const Catalogue> value = std::move(catalogue);
  cache_.Put(absl::StrCat(tenant.value(), "/", id, "/", value->version()), value);
  return value;
}

void CatalogueClient::GetAsync(
    const grpc::CallbackServerContext& parent, const Caller& caller, const std::string& id,
    const std::string& version,
    std::function<void(absl::StatusOr<std::shared_ptr<const Catalogue>>)> done) {
  const std::string tenant = caller.tenant.value();
  if (!version.empty()) {
    if (auto hit = cache_.Get(absl::StrCat(tenant, "/", id, "/", version))) return done(*hit);
  }
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    soc::maturity::catalogue::v1::GetCatalogueRequest request;
    std::shared_ptr<Catalogue> response = std::make_shared<Catalogue>();
    std::function<void(absl::StatusOr<std::shared_ptr<const Catalogue>>)> done;
  };
  auto* call = new Call();
  call->context = grpc::ClientContext::FromCallbackServerContext(parent);
  // The earlier of this and the parent's deadline applies.
  call->context->set_deadline(std::chrono::system_clock::now() + kTimeout);
  AddCallerMetadata(caller, *call->context);
  call->request.set_catalogue_id(id);
  call->request.set_version(version);
  call->done = std::move(done);
  stub_->async()->GetCatalogue(
      call->context.get(), &call->request, call->response.get(),
      [this, call, tenant](grpc::Status status) {
        if (!status.ok()) {
          call->done(Translate(status, call->request.version()));
        } else {
          std::shared_ptr<const Catalogue> value = std::move(call->response);
          cache_.Put(absl::StrCat(tenant, "/", call->request.catalogue_id(), "/", value->version()),
                     value);
          call->done(std::move(value));
        }
        delete call;
      });
}

}  // namespace socm
