#pragma once
// Metadata keys the gateway sets on every backend call.

namespace socm {

// The tenant of the authenticated key; absent for operator calls and open routes.
inline constexpr char kTenantMetadata[] = "x-socm-tenant";
// The key id (or "operator") that made the request, for the audit log.
inline constexpr char kPrincipalMetadata[] = "x-socm-principal";
inline constexpr char kRequestIdMetadata[] = "x-request-id";
inline constexpr char kClientAddressMetadata[] = "x-socm-client-address";

}  // namespace socm

namespace socm {

// Set when the key is pinned to one organisation: the only one it may see.
inline constexpr char kOrganizationMetadata[] = "x-socm-organization";
// The caller's role: "viewer", "assessor", "admin" or "operator".
inline constexpr char kRoleMetadata[] = "x-socm-role";

}  // namespace socm
