#pragma once
// What a route asks of its caller. Kept apart from auth.h so that the route
// table, which names it, stays free of gRPC.

namespace socm::gateway {

enum class Need {
  kPublic,                 // no credential at all (health, metrics, the docs)
  kOperator,               // the operator token
  kAnyKey,                 // any API key (viewer and up)
  kAssessor,               // assessor or admin
  kAdmin,                  // admin
  kTenantAdmin,            // admin not pinned to an organisation
  kTenantWide,             // any key not pinned to an organisation
  kOperatorOrTenantAdmin,  // the operator, or an unpinned admin of the path's {tenantId}
};

}  // namespace socm::gateway
