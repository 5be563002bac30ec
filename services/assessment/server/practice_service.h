#pragma once
// The PracticeService RPCs: the portfolio's rows, campaigns, comments and evidence per role, and
// share links, translated between the wire and the stores. Roles are checked by the gateway; the
// tenant and scope come from the caller's metadata.

#include "services/assessment/store/assessment_store.h"
#include "services/assessment/store/practice_store.h"
#include "services/assessment/store/sql_share_links.h"
#include "services/assessment/store/sql_tenant_settings.h"
#include "services/assessment/store/sql_webhooks.h"
#include "services/common/catalogue_client.h"
#include "services/common/work_queue.h"
#include "soc/maturity/assessment/v1/practice.grpc.pb.h"

namespace socm::assessment {

class PracticeServiceImpl final : public pb::PracticeService::CallbackService {
 public:
  // Every argument must outlive the service.
  PracticeServiceImpl(WorkQueue& work, AssessmentStore& assessments, PracticeStore& store,
                      CatalogueClient& catalogues)
      : work_(work), assessments_(assessments), store_(store), catalogues_(catalogues) {}

#define SOCM_RPC(Method, Request, Response)                              \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const pb::Request* request, pb::Response* response) override;
  SOCM_RPC(ListPortfolioRows, ListPortfolioRowsRequest, ListPortfolioRowsResponse)
  SOCM_RPC(CreateCampaign, CreateCampaignRequest, Campaign)
  SOCM_RPC(ListCampaigns, ListCampaignsRequest, ListCampaignsResponse)
  SOCM_RPC(GetCampaign, GetCampaignRequest, Campaign)
  SOCM_RPC(CreateComment, CreateCommentRequest, RoleComment)
  SOCM_RPC(ListComments, ListCommentsRequest, ListCommentsResponse)
  SOCM_RPC(UploadEvidence, UploadEvidenceRequest, Evidence)
  SOCM_RPC(ListEvidence, ListEvidenceRequest, ListEvidenceResponse)
  SOCM_RPC(GetEvidence, GetEvidenceRequest, EvidenceFile)
  SOCM_RPC(DeleteEvidence, DeleteEvidenceRequest, DeleteEvidenceResponse)
  // In portal_handlers.cc.
  SOCM_RPC(CreateShareLink, CreateShareLinkRequest, ShareLink)
  SOCM_RPC(ListShareLinks, ListShareLinksRequest, ListShareLinksResponse)
  SOCM_RPC(DeleteShareLink, DeleteShareLinkRequest, DeleteShareLinkResponse)
  SOCM_RPC(ResolveShareLink, ResolveShareLinkRequest, ResolvedShareLink)
  SOCM_RPC(GetTenantSettings, GetTenantSettingsRequest, TenantSettings)
  SOCM_RPC(UpdateTenantSettings, UpdateTenantSettingsRequest, TenantSettings)
  SOCM_RPC(CheckOrigin, CheckOriginRequest, CheckOriginResponse)
  SOCM_RPC(CreateWebhook, CreateWebhookRequest, Webhook)
  SOCM_RPC(ListWebhooks, ListWebhooksRequest, ListWebhooksResponse)
  SOCM_RPC(DeleteWebhook, DeleteWebhookRequest, DeleteWebhookResponse)
  SOCM_RPC(ListWebhookDeliveries, ListWebhookDeliveriesRequest, ListWebhookDeliveriesResponse)
  SOCM_RPC(TestWebhook, TestWebhookRequest, WebhookDelivery)
#undef SOCM_RPC

  // Both must outlive the service; without them the portal RPCs are UNIMPLEMENTED.
  void set_portal(SqlShareLinkStore* links, SqlTenantSettingsStore* settings) {
    share_links_ = links;
    tenant_settings_ = settings;
  }
  void set_webhooks(SqlWebhookStore* webhooks) { webhooks_ = webhooks; }

 private:
  // NOT_FOUND unless the assessment exists in the caller's scope and its catalogue has `role`.
  absl::Status CheckRole(const Caller& caller, const std::string& org,
                         const std::string& assessment, const std::string& role);

  WorkQueue& work_;
  AssessmentStore& assessments_;
  PracticeStore& store_;
  CatalogueClient& catalogues_;
  SqlShareLinkStore* share_links_ = nullptr;
  SqlTenantSettingsStore* tenant_settings_ = nullptr;
  SqlWebhookStore* webhooks_ = nullptr;
};

}  // namespace socm::assessment
