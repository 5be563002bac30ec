#include "services/assessment/server/practice_service.h"

#include "services/assessment/domain/assessment_rules.h"
#include "services/assessment/domain/practice_rules.h"
#include "services/assessment/server/handler_support.h"
#include "services/common/caller_metadata.h"

namespace socm::assessment {
using namespace handlers;  // NOLINT(build/namespaces): the shared handler helpers
namespace {

absl::StatusOr<OrganizationFilter> FilterOf(
    const std::string& industry, const std::string& label,
    const google::protobuf::RepeatedPtrField<std::string>* ids) {
  OrganizationFilter filter;
  filter.industry = industry;
  if (!label.empty() && !ParseLabelFilter(label, &filter.label_key, &filter.label_value)) {
    return InvalidFields({Violation("label", "must be key=value")});
  }
  if (ids != nullptr) filter.ids.assign(ids->begin(), ids->end());
  return filter;
}

int RoleCount(const soc::maturity::catalogue::v1::Catalogue& catalogue) {
  int n = 0;
  for (const auto& f : catalogue.functions()) n += f.roles_size();
  return n;
}

}  // namespace

absl::Status PracticeServiceImpl::CheckRole(const Caller& caller, const std::string& org,
                                            const std::string& assessment,
                                            const std::string& role) {
  SOCM_STATUS_RETURN(CheckOrg(caller, org));
  auto current = assessments_.GetAssessment(caller, org, assessment);
  if (!current.ok()) return current.status();
  auto catalogue = catalogues_.Get(caller, current->catalogue_id(), current->catalogue_version());
  if (!catalogue.ok()) return catalogue.status();
  if (IndexRoles(**catalogue).roles.count(role) == 0) {
    return absl::NotFoundError(absl::StrCat("role ", role, " is not in catalogue ",
                                            current->catalogue_id(), " ",
                                            current->catalogue_version()));
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* PracticeServiceImpl::ListPortfolioRows(
    grpc::CallbackServerContext* context, const pb::ListPortfolioRowsRequest* request,
    pb::ListPortfolioRowsResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = NeedTenant(caller); !s.ok()) return s;
    if (request->catalogue_id().empty()) {
      return InvalidFields({Violation("catalogueId", "required")});
    }
    auto filter = FilterOf(request->industry(), request->label(), nullptr);
    if (!filter.ok()) return filter.status();
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto rows = store_.ListPortfolioRows(caller, request->catalogue_id(), *filter, *page,
                                         request->headers_only());
    if (!rows.ok()) return rows.status();
    for (auto& row : rows->items) *response->add_rows() = std::move(row);
    response->set_next_page_token(NextToken(*page, rows->more));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::CreateCampaign(
    grpc::CallbackServerContext* context, const pb::CreateCampaignRequest* request,
    pb::Campaign* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAssessor);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = NeedTenant(caller); !s.ok()) return s;
    const auto violations = ValidateNewCampaign(*request);
    if (!violations.empty()) return InvalidFields(violations);
    auto filter = FilterOf(request->industry(), request->label(), &request->organization_ids());
    if (!filter.ok()) return filter.status();
    // The catalogue is read before the transaction opens; every assessment pins its version.
    auto catalogue = catalogues_.Get(caller, request->catalogue_id(), request->catalogue_version());
    if (!catalogue.ok()) return catalogue.status();
    pb::Assessment templ;
    templ.set_catalogue_id((*catalogue)->id());
    templ.set_catalogue_version((*catalogue)->version());
    templ.set_title(request->title());
    templ.set_assessed_on(request->assessed_on());
    templ.set_scoring_policy(pb::COUNT_DECIDED_NOT_TO_AS_ZERO);
    pb::Campaign campaign;
    campaign.set_title(request->title());
    campaign.set_catalogue_id(templ.catalogue_id());
    campaign.set_catalogue_version(templ.catalogue_version());
    campaign.set_assessed_on(request->assessed_on());
    campaign.set_due_on(request->due_on());
    *campaign.mutable_organization_ids() = request->organization_ids();
    campaign.set_industry(request->industry());
    campaign.set_label(request->label());
    return Fill(store_.CreateCampaign(caller, campaign, *filter, templ, RoleCount(**catalogue),
                                      Write(context, *request, "CreateCampaign")),
                response);
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::ListCampaigns(
    grpc::CallbackServerContext* context, const pb::ListCampaignsRequest* request,
    pb::ListCampaignsResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = NeedTenant(caller); !s.ok()) return s;
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto list = store_.ListCampaigns(caller, *page);
    if (!list.ok()) return list.status();
    for (auto& c : list->items) *response->add_campaigns() = std::move(c);
    response->set_next_page_token(NextToken(*page, list->more));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::GetCampaign(grpc::CallbackServerContext* context,
                                                           const pb::GetCampaignRequest* request,
                                                           pb::Campaign* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = NeedTenant(caller); !s.ok()) return s;
    return Fill(store_.GetCampaign(caller, request->campaign_id()), response);
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::CreateComment(
    grpc::CallbackServerContext* context, const pb::CreateCommentRequest* request,
    pb::RoleComment* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAssessor);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckRole(caller, request->organization_id(), request->assessment_id(),
                           request->role_code());
        !s.ok()) {
      return s;
    }
    const auto violations = ValidateComment(request->body());
    if (!violations.empty()) return InvalidFields(violations);
    pb::RoleComment comment;
    comment.set_role_code(request->role_code());
    comment.set_body(request->body());
    return Fill(store_.CreateComment(caller, request->organization_id(), request->assessment_id(),
                                     comment, Write(context, *request, "CreateComment")),
                response);
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::ListComments(grpc::CallbackServerContext* context,
                                                            const pb::ListCommentsRequest* request,
                                                            pb::ListCommentsResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto list = store_.ListComments(caller, request->organization_id(), request->assessment_id(),
                                    request->role_code(), *page);
    if (!list.ok()) return list.status();
    for (auto& c : list->items) *response->add_comments() = std::move(c);
    response->set_next_page_token(NextToken(*page, list->more));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::UploadEvidence(
    grpc::CallbackServerContext* context, const pb::UploadEvidenceRequest* request,
    pb::Evidence* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAssessor);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckRole(caller, request->organization_id(), request->assessment_id(),
                           request->role_code());
        !s.ok()) {
      return s;
    }
    const std::string content_type =
        request->content_type().empty() ? "application/octet-stream" : request->content_type();
    const auto violations =
        ValidateEvidence(request->filename(), content_type, request->content().size());
    if (!violations.empty()) return InvalidFields(violations);
    pb::Evidence evidence;
    evidence.set_role_code(request->role_code());
    evidence.set_filename(request->filename());
    evidence.set_content_type(content_type);
    evidence.set_sha256(Sha256Hex(request->content()));
    // No idempotency key: the bytes are not kept in the replay table.
    WriteOptions write;
    write.now_micros = NowMicros();
    return Fill(store_.AddEvidence(caller, request->organization_id(), request->assessment_id(),
                                   evidence, request->content(), write),
                response);
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::ListEvidence(grpc::CallbackServerContext* context,
                                                            const pb::ListEvidenceRequest* request,
                                                            pb::ListEvidenceResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    auto list = store_.ListEvidence(caller, request->organization_id(), request->assessment_id(),
                                    request->role_code());
    if (!list.ok()) return list.status();
    for (auto& e : *list) *response->add_evidence() = std::move(e);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::GetEvidence(grpc::CallbackServerContext* context,
                                                           const pb::GetEvidenceRequest* request,
                                                           pb::EvidenceFile* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    auto found = store_.GetEvidence(caller, request->organization_id(), request->assessment_id(),
                                    request->role_code(), request->evidence_id());
    if (!found.ok()) return found.status();
    response->set_content_type(found->first.content_type());
    response->set_file_name(SafeFileName(found->first.filename()));
    response->set_content(std::move(found->second));
    response->set_revision(1);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PracticeServiceImpl::DeleteEvidence(
    grpc::CallbackServerContext* context, const pb::DeleteEvidenceRequest* request,
    pb::DeleteEvidenceResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAssessor);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    WriteOptions write;
    write.now_micros = NowMicros();
    return store_.DeleteEvidence(caller, request->organization_id(), request->assessment_id(),
                                 request->role_code(), request->evidence_id(), write);
  });
}

}  // namespace socm::assessment
