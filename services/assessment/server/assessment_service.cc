#include "services/assessment/server/assessment_service.h"

#include <google/protobuf/util/field_mask_util.h>

#include <chrono>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/assessment/domain/assessment_rules.h"
#include "services/assessment/domain/identity_rules.h"
#include "services/assessment/domain/sheet_reader.h"
#include "services/assessment/server/approved_score_service.h"
#include "services/assessment/server/handler_support.h"
#include "services/common/caller_metadata.h"
#include "services/common/crypto.h"
#include "services/common/grpc_status.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace socm::assessment {
using namespace handlers;  // NOLINT(build/namespaces): the shared handler helpers
namespace {

// The workbook routes' body limit; the gateway answers 413 past it.
constexpr size_t kMaxWorkbookBytes = 5u << 20;

// The parse of a workbook into the reply both imports share; false when it has problems.
bool FillImportReply(const SheetRead& read, const std::string& workbook,
                     pb::ImportAnswersResponse* response) {
  response->set_sha256(Sha256Hex(workbook));
  response->set_sheet_name(read.sheet_name);
  for (const auto& a : read.answers) *response->add_answers() = a;
  for (const auto& p : read.problems) {
    auto* problem = response->add_problems();
    problem->set_cell(p.cell);
    problem->set_role_code(p.role_code);
    problem->set_message(p.message);
  }
  return read.problems.empty();
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentServiceImpl::CreateTenant(
    grpc::CallbackServerContext* context, const pb::CreateTenantRequest* request,
    pb::Tenant* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kOperator);
    if (!authorized.ok()) return authorized.status();
    auto violations = ValidateTenantName(request->display_name());
    if (!request->slug().empty()) {
      for (auto& v : CheckSlug(request->slug())) violations.push_back(std::move(v));
    }
    if (!violations.empty()) return InvalidFields(violations);
    Caller caller = *authorized;
    caller.tenant = TenantId();  // a tenant belongs to no tenant
    pb::Tenant tenant;
    tenant.set_display_name(request->display_name());
    tenant.set_slug(request->slug());
    return Fill(store_.CreateTenant(caller, tenant, Write(context, *request, "CreateTenant")),
                response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ListTenants(grpc::CallbackServerContext* context,
                                                             const pb::ListTenantsRequest* request,
                                                             pb::ListTenantsResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kOperator);
    if (!authorized.ok()) return authorized.status();
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto result = store_.ListTenants(*page);
    if (!result.ok()) return result.status();
    for (auto& t : result->items) *response->add_tenants() = std::move(t);
    response->set_next_page_token(NextToken(*page, result->more));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::CreateApiKey(
    grpc::CallbackServerContext* context, const pb::CreateApiKeyRequest* request,
    pb::ApiKey* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized =
        AuthorizedCaller(*context, Need::kOperatorOrTenantAdmin, request->tenant_id());
    if (!authorized.ok()) return authorized.status();
    Caller caller = *authorized;
    if (!caller.tenant.empty() && caller.tenant.value() != request->tenant_id()) {
      return absl::NotFoundError(absl::StrCat("tenant ", request->tenant_id(), " not found"));
    }
    std::vector<FieldViolation> v;
    if (request->tenant_id().empty()) v.push_back(Violation("tenantId", "required"));
    if (request->role() == pb::KEY_ROLE_UNSPECIFIED || !pb::KeyRole_IsValid(request->role())) {
      v.push_back(Violation("role", "must be admin, assessor or viewer"));
    }
    if (request->description().size() > kMaxDisplayName) {
      v.push_back(Violation("description", absl::StrCat("at most ", kMaxDisplayName, " bytes")));
    }
    if (!v.empty()) return InvalidFields(v);
    const Caller acting = caller.ActingFor(TenantId(request->tenant_id()));
    pb::ApiKey key;
    key.set_role(request->role());
    key.set_organization_id(request->organization_id());
    key.set_description(request->description());
    // The secret is made here and leaves only in this answer; the store keeps its hash.
    const std::string secret = absl::StrCat("socm_", RandomHex(24));
    auto created = store_.CreateApiKey(acting, key, Sha256Hex(secret),
                                       Write(context, *request, "CreateApiKey"));
    if (created.ok()) created->set_key(secret);
    return Fill(std::move(created), response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ListApiKeys(grpc::CallbackServerContext* context,
                                                             const pb::ListApiKeysRequest* request,
                                                             pb::ListApiKeysResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized =
        AuthorizedCaller(*context, Need::kOperatorOrTenantAdmin, request->tenant_id());
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (!caller.tenant.empty() && caller.tenant.value() != request->tenant_id()) {
      return absl::NotFoundError(absl::StrCat("tenant ", request->tenant_id(), " not found"));
    }
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    if (auto tenant = store_.GetTenant(request->tenant_id()); !tenant.ok()) return tenant.status();
    auto result = store_.ListApiKeys(caller.ActingFor(TenantId(request->tenant_id())), *page);
    if (!result.ok()) return result.status();
    for (auto& k : result->items) *response->add_api_keys() = std::move(k);
    response->set_next_page_token(NextToken(*page, result->more));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::RevokeApiKey(
    grpc::CallbackServerContext* context, const pb::RevokeApiKeyRequest* request,
    pb::RevokeApiKeyResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized =
        AuthorizedCaller(*context, Need::kOperatorOrTenantAdmin, request->tenant_id());
    if (!authorized.ok()) return authorized.status();
    Caller caller = *authorized;
    if (!caller.tenant.empty() && caller.tenant.value() != request->tenant_id()) {
      return absl::NotFoundError(absl::StrCat("tenant ", request->tenant_id(), " not found"));
    }
    return store_.RevokeApiKey(caller.ActingFor(TenantId(request->tenant_id())), request->key_id(),
                               Write(context, *request, "RevokeApiKey"));
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::VerifyApiKey(
    grpc::CallbackServerContext* context, const pb::VerifyApiKeyRequest* request,
    pb::VerifyApiKeyResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kService);
    if (!authorized.ok()) return authorized.status();
    auto key = store_.FindApiKey(Sha256Hex(request->key()));
    if (!key.ok()) {
      if (key.status().code() == absl::StatusCode::kNotFound) {
        return absl::UnauthenticatedError("unknown or revoked API key");
      }
      return key.status();
    }
    *response->mutable_api_key() = std::move(*key);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::CreateOrganization(
    grpc::CallbackServerContext* context, const pb::CreateOrganizationRequest* request,
    pb::Organization* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = NeedTenant(caller); !s.ok()) return s;
    const auto violations = ValidateOrganization(request->organization(), "");
    if (!violations.empty()) return InvalidFields(violations);
    return Fill(store_.CreateOrganization(caller, request->organization(),
                                          Write(context, *request, "CreateOrganization")),
                response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ListOrganizations(
    grpc::CallbackServerContext* context, const pb::ListOrganizationsRequest* request,
    pb::ListOrganizationsResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = NeedTenant(caller); !s.ok()) return s;
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto result = store_.ListOrganizations(caller, *page);
    if (!result.ok()) return result.status();
    for (auto& o : result->items) *response->add_organizations() = std::move(o);
    response->set_next_page_token(NextToken(*page, result->more));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::GetOrganization(
    grpc::CallbackServerContext* context, const pb::GetOrganizationRequest* request,
    pb::Organization* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    return Fill(store_.GetOrganization(caller, request->organization_id()), response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::UpdateOrganization(
    grpc::CallbackServerContext* context, const pb::UpdateOrganizationRequest* request,
    pb::Organization* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    const std::string& id = request->organization().id();
    if (auto s = CheckOrg(caller, id); !s.ok()) return s;
    static const std::set<std::string> kUpdatable = {"display_name", "industry", "employee_count",
                                                     "labels"};
    for (const std::string& path : request->update_mask().paths()) {
      if (kUpdatable.count(path) == 0) {
        return InvalidFields({Violation("updateMask", absl::StrCat("cannot update ", path))});
      }
    }
    auto mutate = [&](pb::Organization& org) -> absl::Status {
      if (request->update_mask().paths().empty()) {
        // Without a mask every updatable field is replaced (PATCH with a full body).
        org.set_display_name(request->organization().display_name());
        org.set_industry(request->organization().industry());
        org.set_employee_count(request->organization().employee_count());
        *org.mutable_labels() = request->organization().labels();
      } else {
        google::protobuf::util::FieldMaskUtil::MergeMessageTo(request->organization(),
                                                              request->update_mask(), {}, &org);
        if (std::count(request->update_mask().paths().begin(), request->update_mask().paths().end(),
                       "labels")) {
          *org.mutable_labels() = request->organization().labels();
        }
      }
      const auto violations = ValidateOrganization(org, "");
      return violations.empty() ? absl::OkStatus() : InvalidFields(violations);
    };
    return Fill(store_.UpdateOrganization(caller, id, mutate,
                                          Write(context, *request, "UpdateOrganization")),
                response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::DeleteOrganization(
    grpc::CallbackServerContext* context, const pb::DeleteOrganizationRequest* request,
    pb::DeleteOrganizationResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    return store_.DeleteOrganization(caller, request->organization_id(), request->force(),
                                     Write(context, *request, "DeleteOrganization"));
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::CreateAssessment(
    grpc::CallbackServerContext* context, const pb::CreateAssessmentRequest* request,
    pb::Assessment* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAssessor);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    auto violations = ValidateNewAssessment(*request);
    if (!violations.empty()) return InvalidFields(violations);
    if (auto org = store_.GetOrganization(caller, request->organization_id()); !org.ok()) {
      return org.status();
    }
    auto catalogue = catalogues_.Get(caller, request->catalogue_id(), request->catalogue_version());
    if (!catalogue.ok()) return catalogue.status();
    violations = ValidateFunctionTargets(request->function_targets(), IndexRoles(**catalogue),
                                         "functionTargets");
    if (!violations.empty()) return InvalidFields(violations);

    pb::Assessment a;
    a.set_organization_id(request->organization_id());
    a.set_catalogue_id((*catalogue)->id());
    a.set_catalogue_version((*catalogue)->version());  // pinned for the assessment's life
    a.set_title(request->title());
    a.set_assessed_on(request->assessed_on());
    a.set_scoring_policy(request->scoring_policy() == pb::SCORING_POLICY_UNSPECIFIED
                             ? pb::COUNT_DECIDED_NOT_TO_AS_ZERO
                             : request->scoring_policy());
    *a.mutable_function_targets() = request->function_targets();
    return Fill(store_.CreateAssessment(caller, a, Write(context, *request, "CreateAssessment")),
                response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ListAssessments(
    grpc::CallbackServerContext* context, const pb::ListAssessmentsRequest* request,
    pb::ListAssessmentsResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto result = store_.ListAssessments(caller, request->organization_id(), *page);
    if (!result.ok()) return result.status();
    for (auto& a : result->items) *response->add_assessments() = std::move(a);
    response->set_next_page_token(NextToken(*page, result->more));
    return absl::OkStatus();
  });
}

// The one handler that answers on gRPC's thread instead of the work queue: the read that
// scoring and reporting make before nearly every answer (about 3,000 a second in the soak;
// mostly one indexed read to check a revision, a document after each write). Queued, the
// hand-off between threads made those reads slow enough under the soak's overload that
// scoring's calls expired, its cache stopped filling and the soak went over a cliff (p50
// 1.2-3.5 s and 25-40 % errors instead of 8 ms and none; BENCHMARKS.md, "One way of waiting").
grpc::ServerUnaryReactor* AssessmentServiceImpl::GetAssessment(
    grpc::CallbackServerContext* context, const pb::GetAssessmentRequest* request,
    pb::Assessment* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(ReadAssessment(*context, *request, response)));
  return reactor;
}

absl::Status AssessmentServiceImpl::ReadAssessment(grpc::CallbackServerContext& context,
                                                   const pb::GetAssessmentRequest& request,
                                                   pb::Assessment* response) {
  auto authorized = AuthorizedCaller(context, Need::kAnyKey);
  if (!authorized.ok()) return authorized.status();
  const Caller& caller = *authorized;
  if (auto s = CheckOrg(caller, request.organization_id()); !s.ok()) return s;
  if (request.known_revision() > 0) {
    auto revision =
        store_.GetAssessmentRevision(caller, request.organization_id(), request.assessment_id());
    if (!revision.ok()) return revision.status();
    OfferRevision(caller, request.organization_id(), request.assessment_id(), *revision);
    if (*revision == request.known_revision()) {
      response->set_id(request.assessment_id());
      response->set_organization_id(request.organization_id());
      response->set_revision(*revision);
      response->set_etag(Etag(request.assessment_id(), *revision));
      response->set_unchanged(true);
      return absl::OkStatus();
    }
  }
  auto assessment =
      store_.GetAssessment(caller, request.organization_id(), request.assessment_id());
  if (assessment.ok()) {
    OfferRevision(caller, request.organization_id(), request.assessment_id(),
                  assessment->revision());
  }
  return Fill(std::move(assessment), response);
}

void AssessmentServiceImpl::OfferRevision(const Caller& caller, const std::string& org,
                                          const std::string& id, int64_t revision) {
  if (board_ == nullptr || !board_->enabled()) return;
  const std::string key = absl::StrCat(caller.tenant.value(), "/", id);
  const int64_t now = absl::ToUnixMillis(absl::Now());
  if (auto last = offered_.Get(key); last && last->first == revision && now - last->second < 2000)
    return;
  offered_.Put(key, {revision, now});
  board_->Offer(caller.tenant.value(), org, id, revision);
}

namespace {

// The catalogue version an assessment is pinned to, fetched before any transaction opens: a
// cold catalogue cache then costs a network call outside the database's write lock, not in it.
// `pinned` remembers each assessment's (id, version), which never change, so only the first
// write to an assessment reads its document for them; the write itself still checks scope and
// existence, and that the assessment is pinned to what was fetched.
absl::StatusOr<std::shared_ptr<const soc::maturity::catalogue::v1::Catalogue>> PinnedCatalogue(
    AssessmentStore& store, CatalogueClient& catalogues,
    LruCache<std::string, std::pair<std::string, std::string>>& pinned, const Caller& caller,
    const std::string& org, const std::string& id) {
  const std::string key = absl::StrCat(caller.tenant.value(), "/", org, "/", id);
  std::optional<std::pair<std::string, std::string>> version = pinned.Get(key);
  if (!version) {
    auto current = store.GetAssessment(caller, org, id);
    if (!current.ok()) return current.status();
    version = std::make_pair(current->catalogue_id(), current->catalogue_version());
    pinned.Put(key, *version);
  }
  return catalogues.Get(caller, version->first, version->second);
}

// Answers for the catalogue version the stored assessment is pinned to (which never changes).
std::function<absl::Status(pb::Assessment&)> AnswerWriter(
    std::shared_ptr<const soc::maturity::catalogue::v1::Catalogue> catalogue,
    const google::protobuf::RepeatedPtrField<pb::Answer>& answers, const std::string& path) {
  return [catalogue, &answers, path](pb::Assessment& a) -> absl::Status {
    SOCM_STATUS_RETURN(CheckEditable(a));
    if (a.catalogue_id() != catalogue->id() || a.catalogue_version() != catalogue->version()) {
      return absl::AbortedError("the assessment changed while its catalogue was read; retry");
    }
    return ApplyAnswers(a, answers, IndexRoles(*catalogue), path);
  };
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentServiceImpl::SetAnswer(grpc::CallbackServerContext* context,
                                                           const pb::SetAnswerRequest* request,
                                                           pb::Assessment* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAssessor);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    auto catalogue = PinnedCatalogue(store_, catalogues_, pinned_, caller,
                                     request->organization_id(), request->assessment_id());
    if (!catalogue.ok()) return catalogue.status();
    google::protobuf::RepeatedPtrField<pb::Answer> one;
    *one.Add() = request->answer();
    // The path names the body's fields: a PUT body is the answer itself.
    auto result = store_.UpdateAssessment(
        caller, request->organization_id(), request->assessment_id(), request->etag(),
        "assessment.answer.set", AnswerWriter(*catalogue, one, "answer"),
        Write(context, *request, "SetAnswer"));
    if (!result.ok()) {
      // "answer[0].inSource" -> "inSource": the REST body is the answer itself.
      auto violations = ViolationsOf(result.status());
      if (!violations.empty()) {
        for (auto& v : violations) {
          const std::string prefix = "answer[0].";
          if (v.field().rfind(prefix, 0) == 0) v.set_field(v.field().substr(prefix.size()));
        }
        return InvalidFields(violations);
      }
    }
    return Fill(std::move(result), response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::BatchUpdateAnswers(
    grpc::CallbackServerContext* context, const pb::BatchUpdateAnswersRequest* request,
    pb::Assessment* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAssessor);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    if (request->answers_size() > 1000) {
      return InvalidFields({Violation("answers", "at most 1000 answers in one batch")});
    }
    auto catalogue = PinnedCatalogue(store_, catalogues_, pinned_, caller,
                                     request->organization_id(), request->assessment_id());
    if (!catalogue.ok()) return catalogue.status();
    return Fill(
        store_.UpdateAssessment(caller, request->organization_id(), request->assessment_id(),
                                request->etag(), "assessment.answers.batchUpdate",
                                AnswerWriter(*catalogue, request->answers(), "answers"),
                                Write(context, *request, "BatchUpdateAnswers")),
        response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ImportAnswers(
    grpc::CallbackServerContext* context, const pb::ImportAnswersRequest* request,
    pb::ImportAnswersResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAssessor);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    if (request->workbook().size() > kMaxWorkbookBytes) {
      return InvalidFields({Violation("workbook", "at most 5 MiB")});
    }
    auto current =
        store_.GetAssessment(caller, request->organization_id(), request->assessment_id());
    if (!current.ok()) return current.status();
    // The catalogue and the parse come before the write, so that no transaction waits on them.
    auto catalogue = catalogues_.Get(caller, current->catalogue_id(), current->catalogue_version());
    if (!catalogue.ok()) return catalogue.status();
    auto read = ReadSheet(request->workbook(), **catalogue);
    if (!read.ok()) return read.status();
    FillImportReply(*read, request->workbook(), response);
    if (!read->problems.empty() || request->dry_run()) {
      if (auto s = CheckEditable(*current); !s.ok() && read->problems.empty()) {
        return s;  // a dry run says now what the import would say
      }
      return absl::OkStatus();
    }
    // Every role of the catalogue: as the sheet has it, or unanswered when it has nothing.
    google::protobuf::RepeatedPtrField<pb::Answer> every;
    std::map<std::string, const pb::Answer*> by_code;
    for (const auto& a : read->answers) by_code[a.role_code()] = &a;
    for (const auto& f : (*catalogue)->functions()) {
      for (const auto& r : f.roles()) {
        pb::Answer* answer = every.Add();
        if (auto it = by_code.find(r.code()); it != by_code.end()) *answer = *it->second;
        answer->set_role_code(r.code());
      }
    }
    const RoleIndex index = IndexRoles(**catalogue);
    WriteOptions write = Write(context, *request, "ImportAnswers");
    write.audit_detail =
        absl::StrCat("sheet \"", read->sheet_name, "\" sha256=", response->sha256());
    auto updated = store_.UpdateAssessment(
        caller, request->organization_id(), request->assessment_id(), request->etag(),
        "assessment.answers.import",
        [&](pb::Assessment& a) -> absl::Status {
          SOCM_STATUS_RETURN(CheckEditable(a));
          if (a.catalogue_id() != (*catalogue)->id() ||
              a.catalogue_version() != (*catalogue)->version()) {
            return absl::AbortedError("the assessment changed while the workbook was read");
          }
          return ApplyAnswers(a, every, index, "answers");
        },
        write);
    if (!updated.ok()) return updated.status();
    *response->mutable_assessment() = std::move(*updated);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ImportAssessment(
    grpc::CallbackServerContext* context, const pb::ImportAssessmentRequest* request,
    pb::ImportAnswersResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAssessor);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    if (request->status() != pb::ASSESSMENT_STATUS_UNSPECIFIED && request->status() != pb::DRAFT &&
        request->status() != pb::APPROVED) {
      return InvalidFields({Violation("status", "must be DRAFT or APPROVED")});
    }
    if (request->status() == pb::APPROVED && caller.role != Role::kAdmin) {
      return absl::PermissionDeniedError("recording an approved assessment needs an admin key");
    }
    if (request->workbook().size() > kMaxWorkbookBytes) {
      return InvalidFields({Violation("workbook", "at most 5 MiB")});
    }
    if (auto org = store_.GetOrganization(caller, request->organization_id()); !org.ok()) {
      return org.status();
    }
    auto catalogue = catalogues_.Get(caller, request->catalogue_id(), request->catalogue_version());
    if (!catalogue.ok()) return catalogue.status();
    auto read = ReadSheet(request->workbook(), **catalogue);
    if (!read.ok()) return read.status();
    if (!FillImportReply(*read, request->workbook(), response)) {
      return absl::OkStatus();
    }

    pb::CreateAssessmentRequest create;
    create.set_catalogue_id(request->catalogue_id());
    create.set_assessed_on(request->assessed_on().empty() ? read->assessed_on
                                                          : request->assessed_on());
    create.set_title(request->title().empty()
                         ? absl::StrCat(read->sheet_name, " ", create.assessed_on())
                         : request->title());
    auto violations = ValidateNewAssessment(create);
    for (auto& v : violations) {
      if (v.field() == "assessedOn" && request->assessed_on().empty()) {
        v.set_description(v.description() + " (the sheet has no 記入日 date; pass assessedOn)");
      }
    }
    if (!violations.empty()) return InvalidFields(violations);

    pb::Assessment a;
    a.set_organization_id(request->organization_id());
    a.set_catalogue_id((*catalogue)->id());
    a.set_catalogue_version((*catalogue)->version());
    a.set_title(create.title());
    a.set_assessed_on(create.assessed_on());
    a.set_scoring_policy(pb::COUNT_DECIDED_NOT_TO_AS_ZERO);
    a.set_status(request->status() == pb::APPROVED ? pb::APPROVED : pb::DRAFT);
    google::protobuf::RepeatedPtrField<pb::Answer> answered;
    for (const auto& answer : read->answers) {
      if (!answer.levels().empty() || answer.has_target() || answer.has_note()) {
        *answered.Add() = answer;
      }
    }
    if (!answered.empty()) {
      if (auto s = ApplyAnswers(a, answered, IndexRoles(**catalogue), "answers"); !s.ok()) {
        return s;
      }
    }
    WriteOptions write = Write(context, *request, "ImportAssessment");
    write.audit_detail =
        absl::StrCat("imported from sheet \"", read->sheet_name, "\" sha256=", response->sha256(),
                     a.status() == pb::APPROVED ? " as APPROVED history" : "");
    auto created = store_.CreateAssessment(caller, a, write);
    if (!created.ok()) return created.status();
    if (created->status() == pb::APPROVED) KeepScores(store_, caller, *created, **catalogue);
    *response->mutable_assessment() = std::move(*created);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::GetCaller(grpc::CallbackServerContext* context,
                                                           const pb::GetCallerRequest*,
                                                           pb::CallerInfo* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyCaller);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (caller.is_operator()) {
      response->set_kind("operator");
      return absl::OkStatus();
    }
    if (caller.tenant.empty()) {
      return absl::UnauthenticatedError("no tenant: sign in with an API key");
    }
    response->set_tenant_id(caller.tenant.value());
    if (caller.organizations.size() == 1) response->set_organization_id(caller.organizations[0]);
    for (const std::string& org : caller.organizations) response->add_organization_ids(org);
    if (absl::StartsWith(caller.principal, kPersonIdPrefix)) {
      response->set_kind("person");
      response->set_person_id(caller.principal);
    } else {
      response->set_kind("key");
      response->set_key_id(caller.principal);
    }
    switch (caller.role) {
      case Role::kAdmin:
        response->set_role(pb::KEY_ROLE_ADMIN);
        break;
      case Role::kAssessor:
        response->set_role(pb::KEY_ROLE_ASSESSOR);
        break;
      default:
        response->set_role(pb::KEY_ROLE_VIEWER);
    }
    return absl::OkStatus();
  });
}

namespace {
TransitionActor ActorOf(const Caller& caller) {
  return {caller.principal, caller.role == Role::kAdmin || caller.role == Role::kOperator};
}
}  // namespace

absl::Status AssessmentServiceImpl::Transit(grpc::CallbackServerContext* context,
                                            const google::protobuf::Message& request,
                                            const std::string& org, const std::string& id,
                                            const std::string& etag, Transition transition,
                                            const char* action, const char* method,
                                            pb::Assessment* response) {
  // Approval is an admin's; submitting and reopening an assessor's (the transition's own rules
  // then say who may do which from which state).
  auto authorized = AuthorizedCaller(
      *context, transition == Transition::kApprove ? Need::kAdmin : Need::kAssessor);
  if (!authorized.ok()) return authorized.status();
  const Caller& caller = *authorized;
  if (auto s = CheckOrg(caller, org); !s.ok()) return s;
  // Assessments submitted before submitted_by was recorded name their submitter in the audit
  // log; an approval looks it up there once.
  std::string submitter_from_log;
  // An approval keeps the assessment's function scores (the benchmark reads them), computed on
  // its pinned catalogue version, fetched before the transaction opens.
  std::shared_ptr<const soc::maturity::catalogue::v1::Catalogue> catalogue;
  if (transition == Transition::kApprove) {
    auto current = store_.GetAssessment(caller, org, id);
    if (!current.ok()) return current.status();
    if (current->status() == pb::SUBMITTED && current->submitted_by().empty()) {
      auto actor = store_.LastAuditActor(caller, org, id, "assessment.submit");
      if (!actor.ok()) return actor.status();
      submitter_from_log = *actor;
    }
    // Without it the approval stands and the next benchmark that reads it keeps its scores.
    auto pinned = catalogues_.Get(caller, current->catalogue_id(), current->catalogue_version());
    if (pinned.ok()) {
      catalogue = *pinned;
    } else {
      Log(LogLevel::kWarn, "approval without kept scores",
          {{"assessment", id}, {"error", pinned.status().ToString()}});
    }
  }
  auto result = store_.UpdateAssessment(
      caller, org, id, etag, action,
      [&](pb::Assessment& a) {
        if (a.submitted_by().empty()) a.set_submitted_by(submitter_from_log);
        return ApplyTransition(a, transition, ActorOf(caller));
      },
      Write(context, request, method));
  if (result.ok() && catalogue != nullptr && result->status() == pb::APPROVED) {
    KeepScores(store_, caller, *result, *catalogue);
  }
  return Fill(std::move(result), response);
}

#define SOCM_TRANSITION(Method, Request, transition, action)                                    \
  grpc::ServerUnaryReactor* AssessmentServiceImpl::Method(grpc::CallbackServerContext* context, \
                                                          const pb::Request* request,           \
                                                          pb::Assessment* response) {           \
    return work_.Answer(context, [=]() -> absl::Status {                                        \
      return Transit(context, *request, request->organization_id(), request->assessment_id(),   \
                     request->etag(), transition, action, #Method, response);                   \
    });                                                                                         \
  }
SOCM_TRANSITION(SubmitAssessment, SubmitAssessmentRequest, Transition::kSubmit, "assessment.submit")
SOCM_TRANSITION(ApproveAssessment, ApproveAssessmentRequest, Transition::kApprove,
                "assessment.approve")
SOCM_TRANSITION(ReopenAssessment, ReopenAssessmentRequest, Transition::kReopen, "assessment.reopen")
#undef SOCM_TRANSITION

grpc::ServerUnaryReactor* AssessmentServiceImpl::DeleteAssessment(
    grpc::CallbackServerContext* context, const pb::DeleteAssessmentRequest* request,
    pb::DeleteAssessmentResponse*) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    return store_.DeleteAssessment(caller, request->organization_id(), request->assessment_id(),
                                   request->etag(), Write(context, *request, "DeleteAssessment"));
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ListAuditLog(
    grpc::CallbackServerContext* context, const pb::ListAuditLogRequest* request,
    pb::ListAuditLogResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (auto s = CheckOrg(caller, request->organization_id()); !s.ok()) return s;
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto result = store_.ListAuditLog(caller, request->organization_id(), *page);
    if (!result.ok()) return result.status();
    for (auto& e : result->items) *response->add_entries() = std::move(e);
    response->set_next_page_token(NextToken(*page, result->more));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ListTenantAuditLog(
    grpc::CallbackServerContext* context, const pb::ListTenantAuditLogRequest* request,
    pb::ListAuditLogResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (caller.role != Role::kAdmin) {
      return absl::PermissionDeniedError("the tenant's audit log needs an admin key");
    }
    if (!request->format().empty() && request->format() != "json") {
      return InvalidFields({Violation("format", "must be json or jsonl")});
    }
    if (request->after_sequence() != 0) {
      return InvalidFields({Violation("afterSequence", "only with format=jsonl")});
    }
    auto page = PageOfRequest(request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto result = store_.ListTenantAuditLog(caller, request->organization_id(), *page);
    if (!result.ok()) return result.status();
    for (auto& e : result->items) *response->add_entries() = std::move(e);
    response->set_next_page_token(NextToken(*page, result->more));
    return absl::OkStatus();
  });
}

namespace {

absl::Status AuditChainAvailable(const Caller& caller, const SqlAuditChain* chain) {
  if (caller.role != Role::kAdmin) {
    return absl::PermissionDeniedError("the tenant's audit log needs an admin key");
  }
  if (chain == nullptr) return absl::UnimplementedError("this process keeps no audit chain");
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentServiceImpl::ExportAuditLog(
    grpc::CallbackServerContext* context, const pb::ExportAuditLogRequest* request,
    pb::ExportAuditLogResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (absl::Status s = AuditChainAvailable(caller, audit_chain_); !s.ok()) {
      return s;
    }
    if (request->after_sequence() < 0) {
      return InvalidFields({Violation("afterSequence", "must be 0 or more")});
    }
    if (request->limit() < 0 || request->limit() > 10000) {
      return InvalidFields({Violation("pageSize", "must be 1..10000")});
    }
    const int limit = request->limit() == 0 ? 5000 : request->limit();
    auto exported = audit_chain_->Export(caller, request->after_sequence(), limit, NowMicros());
    if (!exported.ok()) return exported.status();
    response->set_content_type("application/x-ndjson");
    response->set_file_name("audit-log.jsonl");
    response->set_content(std::move(exported->jsonl));
    response->set_last_sequence(exported->last_sequence);
    response->set_more(exported->more);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::VerifyAuditLog(
    grpc::CallbackServerContext* context, const pb::VerifyAuditLogRequest*,
    pb::VerifyAuditLogResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    const Caller& caller = *authorized;
    if (absl::Status s = AuditChainAvailable(caller, audit_chain_); !s.ok()) {
      return s;
    }
    return Fill(audit_chain_->Verify(caller, NowMicros()), response);
  });
}

}  // namespace socm::assessment
