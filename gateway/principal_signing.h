#pragma once
// The gateway signs who each backend call is for (principal_token.h): the caller its
// authentication found, or the gateway itself when no caller is known yet (checking an API
// key, resolving a share link, asking whether an origin is allowed). The signer is installed
// once in main, before serving. Example:
//   InstallGatewaySigner(std::move(*signer));
//   AddCallerMetadata(SignedForBackend(call.caller), context);

#include <memory>

#include "services/common/caller.h"
#include "services/common/principal_token.h"

namespace socm::gateway {

void InstallGatewaySigner(std::shared_ptr<PrincipalSigner> signer);
// `caller` with its token set, or the gateway's own principal (Role::kService) when
// `caller` has no role. Without an installed signer the token is empty and every backend
// refuses the call.
Caller SignedForBackend(const Caller& caller);

}  // namespace socm::gateway
