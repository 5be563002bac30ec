#include "services/common/caller_metadata.h"

#include "services/common/metadata.h"

namespace socm {
namespace {

std::string Value(const grpc::CallbackServerContext& context, const char* name) {
  const auto& md = context.client_metadata();
  auto it = md.find(name);
  return it == md.end() ? "" : std::string(it->second.data(), it->second.size());
}

}  // namespace

Caller CallerFromMetadata(const grpc::CallbackServerContext& context) {
  Caller caller;
  caller.tenant = TenantId(Value(context, kTenantMetadata));
  caller.principal = Value(context, kPrincipalMetadata);
  if (caller.principal.empty()) caller.principal = "unknown";
  caller.role = RoleNamed(Value(context, kRoleMetadata));
  caller.organization = Value(context, kOrganizationMetadata);
  caller.request_id = Value(context, kRequestIdMetadata);
  caller.client_address = Value(context, kClientAddressMetadata);
  return caller;
}

void AddCallerMetadata(const Caller& caller, grpc::ClientContext& context) {
  if (!caller.tenant.empty()) context.AddMetadata(kTenantMetadata, caller.tenant.value());
  if (!caller.principal.empty()) context.AddMetadata(kPrincipalMetadata, caller.principal);
  if (caller.role != Role::kNone) context.AddMetadata(kRoleMetadata, RoleName(caller.role));
  if (!caller.organization.empty()) context.AddMetadata(kOrganizationMetadata, caller.organization);
  if (!caller.request_id.empty()) context.AddMetadata(kRequestIdMetadata, caller.request_id);
  if (!caller.client_address.empty()) {
    context.AddMetadata(kClientAddressMetadata, caller.client_address);
  }
}

}  // namespace socm
