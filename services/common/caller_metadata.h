#pragma once
// A Caller on the wire between the suite's components: the gateway signs it into a call's
// metadata once the credential is verified (principal_token.h), every service checks it
// with AuthorizedCaller against what the RPC needs, and a service calling another for the
// caller passes the same token on with AddCallerMetadata. A call without a valid token is
// UNAUTHENTICATED; one whose caller lacks the RPC's need is PERMISSION_DENIED. Example:
//   auto caller = AuthorizedCaller(*context, Need::kAssessor);
//   if (!caller.ok()) return caller.status();   // a handler body on the WorkQueue
//   grpc::ClientContext next;
//   AddCallerMetadata(*caller, next);

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>

#include <memory>

#include "absl/status/statusor.h"
#include "services/common/access.h"
#include "services/common/caller.h"
#include "services/common/principal_token.h"

namespace socm {

// The process's verifier, set once in main before serving. Without one, every call is
// refused.
void InstallPrincipalVerifier(std::shared_ptr<PrincipalVerifier> verifier);
// Loads --principal-public-key-file and installs it; false (logged) when it is not set or
// cannot be read: the process must not serve.
bool InstallPrincipalVerifierOrLog(const std::string& path);
// Loads --principal-key-file; null (logged) when it is not set or cannot be read.
std::shared_ptr<PrincipalSigner> LoadPrincipalSignerOrLog(const std::string& path);

// The caller the call's token names, when the token is good and the caller has `need`.
// `path_tenant` is the tenant the request names, for Need::kOperatorOrTenantAdmin.
absl::StatusOr<Caller> AuthorizedCaller(const grpc::CallbackServerContext& context, Need need,
                                        const std::string& path_tenant = "");
void AddCallerMetadata(const Caller& caller, grpc::ClientContext& context);

}  // namespace socm
