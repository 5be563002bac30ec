// The webhook RPCs of PracticeService: a tenant-wide admin's (the gateway checks the role; the
// handlers check it again, and the store refuses a key pinned to one organisation).
#include "services/assessment/server/handler_support.h"
#include "services/assessment/server/practice_service.h"
#include "services/common/caller_metadata.h"

namespace socm::assessment {
using namespace handlers;  // NOLINT(build/namespaces): the shared handler helpers
namespace {

absl::Status Admin(const Caller& caller, const SqlWebhookStore* webhooks) {
  if (webhooks == nullptr) {
    return absl::UnimplementedError("this assessment service keeps no webhooks");
  }
  SOCM_STATUS_RETURN(NeedTenant(caller));
  if (caller.role != Role::kAdmin) {
    return absl::PermissionDeniedError("webhooks are a tenant admin's");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* PracticeServiceImpl::CreateWebhook(
    grpc::CallbackServerContext* context, const pb::CreateWebhookRequest* request,
    pb::Webhook* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = Admin(caller, webhooks_); !s.ok()) return s;
    WriteOptions write;
    write.now_micros = NowMicros();
    return Fill(webhooks_->Create(caller, request->url(),
                                  {request->events().begin(), request->events().end()}, write),
                response);
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::ListWebhooks(grpc::CallbackServerContext* context,
                                                            const pb::ListWebhooksRequest*,
                                                            pb::ListWebhooksResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = Admin(caller, webhooks_); !s.ok()) return s;
    auto hooks = webhooks_->List(caller);
    if (!hooks.ok()) return hooks.status();
    for (auto& hook : *hooks) *response->add_webhooks() = std::move(hook);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::DeleteWebhook(
    grpc::CallbackServerContext* context, const pb::DeleteWebhookRequest* request,
    pb::DeleteWebhookResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = Admin(caller, webhooks_); !s.ok()) return s;
    WriteOptions write;
    write.now_micros = NowMicros();
    return webhooks_->Delete(caller, request->webhook_id(), write);
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::ListWebhookDeliveries(
    grpc::CallbackServerContext* context, const pb::ListWebhookDeliveriesRequest* request,
    pb::ListWebhookDeliveriesResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = Admin(caller, webhooks_); !s.ok()) return s;
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto deliveries = webhooks_->ListDeliveries(caller, request->webhook_id(), *page);
    if (!deliveries.ok()) return deliveries.status();
    for (auto& d : deliveries->items) *response->add_deliveries() = std::move(d);
    response->set_next_page_token(NextToken(*page, deliveries->more));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::TestWebhook(grpc::CallbackServerContext* context,
                                                           const pb::TestWebhookRequest* request,
                                                           pb::WebhookDelivery* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = Admin(caller, webhooks_); !s.ok()) return s;
    WriteOptions write;
    write.now_micros = NowMicros();
    return Fill(webhooks_->SendTest(caller, request->webhook_id(), write), response);
  });
}

}  // namespace socm::assessment
