#include "gateway/principal_signing.h"

#include <atomic>

namespace socm::gateway {
namespace {

std::shared_ptr<PrincipalSigner>& Installed() {
  static std::shared_ptr<PrincipalSigner> signer;
  return signer;
}

}  // namespace

void InstallGatewaySigner(std::shared_ptr<PrincipalSigner> signer) {
  std::atomic_store(&Installed(), std::move(signer));
}

Caller SignedForBackend(const Caller& caller) {
  Caller out = caller.role == Role::kNone ? ServiceCaller(kGatewayServicePrincipal) : caller;
  out.request_id = caller.request_id;
  out.client_address = caller.client_address;
  std::shared_ptr<PrincipalSigner> signer = std::atomic_load(&Installed());
  out.token = signer ? signer->TokenFor(out) : "";
  return out;
}

}  // namespace socm::gateway
