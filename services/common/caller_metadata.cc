#include "services/common/caller_metadata.h"

#include <atomic>

#include "services/common/log.h"
#include "services/common/metadata.h"

namespace socm {
namespace {

std::shared_ptr<PrincipalVerifier>& Installed() {
  static std::shared_ptr<PrincipalVerifier> verifier;
  return verifier;
}

std::string Value(const grpc::CallbackServerContext& context, const char* name) {
  const auto& md = context.client_metadata();
  auto it = md.find(name);
  return it == md.end() ? "" : std::string(it->second.data(), it->second.size());
}

}  // namespace

void InstallPrincipalVerifier(std::shared_ptr<PrincipalVerifier> verifier) {
  std::atomic_store(&Installed(), std::move(verifier));
}

bool InstallPrincipalVerifierOrLog(const std::string& path) {
  if (path.empty()) {
    Log(LogLevel::kError,
        "--principal-public-key-file (SOCM_PRINCIPAL_PUBLIC_KEY_FILE) is required: the public "
        "key that checks who the suite's calls are for");
    return false;
  }
  auto verifier = PrincipalVerifier::FromPemFile(path);
  if (!verifier.ok()) {
    Log(LogLevel::kError, "cannot load the principal public key",
        {{"error", std::string(verifier.status().message())}});
    return false;
  }
  InstallPrincipalVerifier(std::move(*verifier));
  return true;
}

std::shared_ptr<PrincipalSigner> LoadPrincipalSignerOrLog(const std::string& path) {
  if (path.empty()) {
    Log(LogLevel::kError,
        "--principal-key-file (SOCM_PRINCIPAL_KEY_FILE) is required: the private key that "
        "signs who the suite's calls are for");
    return nullptr;
  }
  auto signer = PrincipalSigner::FromPemFile(path);
  if (!signer.ok()) {
    Log(LogLevel::kError, "cannot load the principal signing key",
        {{"error", std::string(signer.status().message())}});
    return nullptr;
  }
  return std::move(*signer);
}

absl::StatusOr<Caller> AuthorizedCaller(const grpc::CallbackServerContext& context, Need need,
                                        const std::string& path_tenant) {
  std::shared_ptr<PrincipalVerifier> verifier = std::atomic_load(&Installed());
  if (verifier == nullptr) {
    return absl::UnauthenticatedError("this service has no key to check callers with");
  }
  auto caller = verifier->Verify(Value(context, kPrincipalTokenMetadata));
  if (!caller.ok()) return caller.status();
  if (absl::Status s = Require(*caller, need, path_tenant); !s.ok()) return s;
  caller->request_id = Value(context, kRequestIdMetadata);
  caller->client_address = Value(context, kClientAddressMetadata);
  return caller;
}

void AddCallerMetadata(const Caller& caller, grpc::ClientContext& context) {
  if (!caller.token.empty()) context.AddMetadata(kPrincipalTokenMetadata, caller.token);
  if (!caller.request_id.empty()) context.AddMetadata(kRequestIdMetadata, caller.request_id);
  if (!caller.client_address.empty()) {
    context.AddMetadata(kClientAddressMetadata, caller.client_address);
  }
}

}  // namespace socm
