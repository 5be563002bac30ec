#pragma once
// The AssessmentService RPCs: the wire <-> the rules and the store. The
// caller's tenant, key id and organisation pin come from the metadata the
// gateway sets from the authenticated key; the gateway checks roles.

#include <memory>

#include "services/assessment/domain/assessment_rules.h"
#include "services/assessment/store/assessment_store.h"
#include "services/assessment/store/sql_audit_chain.h"
#include "services/common/catalogue_client.h"
#include "services/common/lru_cache.h"
#include "services/common/revision_board.h"
#include "services/common/work_queue.h"
#include "soc/maturity/assessment/v1/assessment.grpc.pb.h"

namespace socm::assessment {

class AssessmentServiceImpl final : public pb::AssessmentService::CallbackService {
 public:
  // `work`, `store` and `catalogues` must outlive the service.
  AssessmentServiceImpl(WorkQueue& work, AssessmentStore& store, CatalogueClient& catalogues)
      : work_(work), store_(store), catalogues_(catalogues) {}
  // The audit chain the verify and export calls read; without one they are UNIMPLEMENTED.
  void set_audit_chain(SqlAuditChain* chain) { audit_chain_ = chain; }
  // The board a read offers the revision it found to (revision_board.h); null: none.
  void set_revision_board(RevisionBoard* board) { board_ = board; }

#define SOCM_RPC(Method, Request, Response)                              \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const pb::Request* request, pb::Response* response) override;
  SOCM_RPC(CreateTenant, CreateTenantRequest, Tenant)
  SOCM_RPC(ListTenants, ListTenantsRequest, ListTenantsResponse)
  SOCM_RPC(CreateApiKey, CreateApiKeyRequest, ApiKey)
  SOCM_RPC(ListApiKeys, ListApiKeysRequest, ListApiKeysResponse)
  SOCM_RPC(RevokeApiKey, RevokeApiKeyRequest, RevokeApiKeyResponse)
  SOCM_RPC(VerifyApiKey, VerifyApiKeyRequest, VerifyApiKeyResponse)
  SOCM_RPC(CreateOrganization, CreateOrganizationRequest, Organization)
  SOCM_RPC(ListOrganizations, ListOrganizationsRequest, ListOrganizationsResponse)
  SOCM_RPC(GetOrganization, GetOrganizationRequest, Organization)
  SOCM_RPC(UpdateOrganization, UpdateOrganizationRequest, Organization)
  SOCM_RPC(DeleteOrganization, DeleteOrganizationRequest, DeleteOrganizationResponse)
  SOCM_RPC(CreateAssessment, CreateAssessmentRequest, Assessment)
  SOCM_RPC(ListAssessments, ListAssessmentsRequest, ListAssessmentsResponse)
  SOCM_RPC(GetAssessment, GetAssessmentRequest, Assessment)
  SOCM_RPC(SetAnswer, SetAnswerRequest, Assessment)
  SOCM_RPC(BatchUpdateAnswers, BatchUpdateAnswersRequest, Assessment)
  SOCM_RPC(ImportAnswers, ImportAnswersRequest, ImportAnswersResponse)
  SOCM_RPC(ImportAssessment, ImportAssessmentRequest, ImportAnswersResponse)
  SOCM_RPC(GetCaller, GetCallerRequest, CallerInfo)
  SOCM_RPC(SubmitAssessment, SubmitAssessmentRequest, Assessment)
  SOCM_RPC(ApproveAssessment, ApproveAssessmentRequest, Assessment)
  SOCM_RPC(ReopenAssessment, ReopenAssessmentRequest, Assessment)
  SOCM_RPC(DeleteAssessment, DeleteAssessmentRequest, DeleteAssessmentResponse)
  SOCM_RPC(ListAuditLog, ListAuditLogRequest, ListAuditLogResponse)
  SOCM_RPC(ListTenantAuditLog, ListTenantAuditLogRequest, ListAuditLogResponse)
  SOCM_RPC(ExportAuditLog, ExportAuditLogRequest, ExportAuditLogResponse)
  SOCM_RPC(VerifyAuditLog, VerifyAuditLogRequest, VerifyAuditLogResponse)
#undef SOCM_RPC

 private:
  // Submit, approve and reopen: the status machine with its separation of duties.
  // GetAssessment's body, which runs on gRPC's thread (see the handler).
  absl::Status ReadAssessment(grpc::CallbackServerContext& context,
                              const pb::GetAssessmentRequest& request, pb::Assessment* response);
  absl::Status Transit(grpc::CallbackServerContext* context,
                       const google::protobuf::Message& request, const std::string& org,
                       const std::string& id, const std::string& etag, Transition transition,
                       const char* action, const char* method, pb::Assessment* response);

  WorkQueue& work_;
  AssessmentStore& store_;
  CatalogueClient& catalogues_;
  SqlAuditChain* audit_chain_ = nullptr;
  // The catalogue (id, version) each assessment is pinned to, which never changes: after an
  // assessment's first write, finding its catalogue needs no read of the document.
  LruCache<std::string, std::pair<std::string, std::string>> pinned_{16384};
  RevisionBoard* board_ = nullptr;
  // What this replica last offered per assessment, and when: a revision is offered again
  // only after a while (a write that did not commit leaves the board empty until then).
  LruCache<std::string, std::pair<int64_t, int64_t>> offered_{16384};
  void OfferRevision(const Caller& caller, const std::string& org, const std::string& id,
                     int64_t revision);
};

}  // namespace socm::assessment
