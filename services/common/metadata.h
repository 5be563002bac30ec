#pragma once
// Metadata keys the suite's components set on their calls to each other.

namespace socm {

// The caller's principal token (principal_token.h): tenant, principal, role and
// organisation scope, signed. Nothing else on the wire says who the caller is.
inline constexpr char kPrincipalTokenMetadata[] = "x-socm-principal-token";
inline constexpr char kRequestIdMetadata[] = "x-request-id";
// Where the request came from (the gateway's peer), for the audit log.
inline constexpr char kClientAddressMetadata[] = "x-socm-client-address";

}  // namespace socm
