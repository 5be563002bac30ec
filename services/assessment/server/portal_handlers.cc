// The portal RPCs of PracticeService. Share links: made, listed and revoked by a key within its
// scope (the gateway lets any key, viewer and up, do it), and resolved from a token for the
// gateway's /share routes, which carry no key. Tenant settings (a tenant-wide admin's, checked
// by the gateway) and the origin lookup of the gateway's CORS preflights.
#include "services/assessment/server/handler_support.h"
#include "services/assessment/server/practice_service.h"
#include "services/common/caller_metadata.h"

namespace socm::assessment {
using namespace handlers;  // NOLINT(build/namespaces): the shared handler helpers
namespace {

absl::Status NoShareLinks() {
  return absl::UnimplementedError("this assessment service keeps no share links");
}

absl::Status NoSettings() {
  return absl::UnimplementedError("this assessment service keeps no tenant settings");
}

}  // namespace

grpc::ServerUnaryReactor* PracticeServiceImpl::CreateShareLink(
    grpc::CallbackServerContext* context, const pb::CreateShareLinkRequest* request,
    pb::ShareLink* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    if (share_links_ == nullptr) return NoShareLinks();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    WriteOptions write;
    write.now_micros = NowMicros();
    auto link = share_links_->Create(
        caller, request->organization_id(), request->assessment_id(), request->ttl_seconds(),
        std::vector<std::string>(request->views().begin(), request->views().end()), write);
    if (link.ok()) *response = std::move(*link);
    return link.status();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::ListShareLinks(
    grpc::CallbackServerContext* context, const pb::ListShareLinksRequest* request,
    pb::ListShareLinksResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    if (share_links_ == nullptr) return NoShareLinks();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    auto links = share_links_->List(caller, request->organization_id(), request->assessment_id());
    if (!links.ok()) return links.status();
    for (auto& link : *links) *response->add_share_links() = std::move(link);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::DeleteShareLink(
    grpc::CallbackServerContext* context, const pb::DeleteShareLinkRequest* request,
    pb::DeleteShareLinkResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    if (share_links_ == nullptr) return NoShareLinks();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    WriteOptions write;
    write.now_micros = NowMicros();
    return share_links_->Delete(caller, request->organization_id(), request->assessment_id(),
                                request->share_link_id(), write);
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::ResolveShareLink(
    grpc::CallbackServerContext* context, const pb::ResolveShareLinkRequest* request,
    pb::ResolvedShareLink* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kService);
    if (!authorized.ok()) return authorized.status();
    if (share_links_ == nullptr) return NoShareLinks();
    auto resolved = share_links_->Resolve(request->token(), NowMicros());
    if (resolved.ok()) *response = std::move(*resolved);
    return resolved.status();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::GetTenantSettings(
    grpc::CallbackServerContext* context, const pb::GetTenantSettingsRequest*,
    pb::TenantSettings* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    if (tenant_settings_ == nullptr) return NoSettings();
    const Caller& caller = *authorized;
    if (auto s = NeedTenant(caller); !s.ok()) return s;
    auto settings = tenant_settings_->Get(caller);
    if (settings.ok()) *response = std::move(*settings);
    return settings.status();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::UpdateTenantSettings(
    grpc::CallbackServerContext* context, const pb::UpdateTenantSettingsRequest* request,
    pb::TenantSettings* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    if (tenant_settings_ == nullptr) return NoSettings();
    const Caller& caller = *authorized;
    if (auto s = NeedTenant(caller); !s.ok()) return s;
    WriteOptions write;
    write.now_micros = NowMicros();
    auto settings = tenant_settings_->Update(caller, request->settings(), write);
    if (settings.ok()) *response = std::move(*settings);
    return settings.status();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::CheckOrigin(grpc::CallbackServerContext* context,
                                                           const pb::CheckOriginRequest* request,
                                                           pb::CheckOriginResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kService);
    if (!authorized.ok()) return authorized.status();
    if (tenant_settings_ == nullptr) return NoSettings();
    auto allowed = tenant_settings_->OriginAllowed(request->origin(), request->tenant_id());
    if (allowed.ok()) response->set_allowed(*allowed);
    return allowed.status();
  });
}

}  // namespace socm::assessment
