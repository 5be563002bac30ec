#include "gateway/route_table.h"

namespace socm::gateway {
namespace {

constexpr char kAssessmentService[] = "soc.maturity.assessment.v1.AssessmentService/";
constexpr char kCatalogueService[] = "soc.maturity.catalogue.v1.CatalogueService/";
constexpr char kScoringService[] = "soc.maturity.scoring.v1.ScoringService/";
constexpr char kReportingService[] = "soc.maturity.reporting.v1.ReportingService/";

std::string Assessment(const char* method) { return std::string(kAssessmentService) + method; }

const std::string kOrg = "/v1/organizations/{orgId}";
const std::string kAssessment = kOrg + "/assessments/{assessmentId}";

const ParamBinding kOrgId{"orgId", "organization_id", "The organisation's id."};
const ParamBinding kAssessmentId{"assessmentId", "assessment_id", "The assessment's id."};
const ParamBinding kTenantId{"tenantId", "tenant_id", "The tenant's id."};
const ParamBinding kLang{"lang", "lang", "Language of names and texts: ja or en."};

// A write to an assessment: who may, and its etag check.
RouteSpec AssessmentTransition(const char* action, const char* rpc, Need need,
                               const char* summary) {
  return {.method = http::verb::post,
          .path = kAssessment + ":" + action,
          .summary = summary,
          .tag = "assessments",
          .rpc = Assessment(rpc),
          .need = need,
          .path_params = {kOrgId, kAssessmentId},
          .if_match_field = "etag",
          .etag_header = true};
}

std::vector<RouteSpec> MakeRoutes() {
  const std::vector<std::string> kUiTypes = {"text/html", "text/javascript", "text/css",
                                             "image/svg+xml", "image/png"};
  return {
      // Catalogues.
      {.method = http::verb::get,
       .path = "/v1/catalogues",
       .summary = "The catalogues the tenant sees: built-in and its own.",
       .tag = "catalogues",
       .rpc = std::string(kCatalogueService) + "ListCatalogues",
       .query = {kLang},
       .paged = true},
      {.method = http::verb::get,
       .path = "/v1/catalogues/{catalogueId}",
       .summary = "One catalogue version (the latest when none is given).",
       .tag = "catalogues",
       .rpc = std::string(kCatalogueService) + "GetCatalogue",
       .path_params = {{"catalogueId", "catalogue_id", "The catalogue's id."}},
       .query = {{"version", "version", "The version; the latest when absent."}, kLang}},
      {.method = http::verb::post,
       .path = "/v1/catalogues",
       .summary = "Publish a tenant-private catalogue or a new version of one (immutable).",
       .tag = "catalogues",
       .rpc = std::string(kCatalogueService) + "CreateCatalogue",
       .need = Need::kTenantAdmin,
       .body = "catalogue",
       .success = http::status::created},

      // Tenants and their keys.
      {.method = http::verb::post,
       .path = "/v1/tenants",
       .summary = "Create a tenant (an MSSP, or a company).",
       .tag = "tenants",
       .rpc = Assessment("CreateTenant"),
       .need = Need::kOperator,
       .body = "*",
       .success = http::status::created,
       .idempotency_key = true},
      {.method = http::verb::get,
       .path = "/v1/tenants",
       .summary = "List tenants.",
       .tag = "tenants",
       .rpc = Assessment("ListTenants"),
       .need = Need::kOperator,
       .paged = true},
      {.method = http::verb::post,
       .path = "/v1/tenants/{tenantId}/apiKeys",
       .summary = "Issue an API key; the key itself is in this reply only.",
       .tag = "tenants",
       .rpc = Assessment("CreateApiKey"),
       .need = Need::kOperatorOrTenantAdmin,
       .path_params = {kTenantId},
       .body = "*",
       .success = http::status::created,
       .idempotency_key = true},
      {.method = http::verb::get,
       .path = "/v1/tenants/{tenantId}/apiKeys",
       .summary = "List the tenant's keys (never the key itself).",
       .tag = "tenants",
       .rpc = Assessment("ListApiKeys"),
       .need = Need::kOperatorOrTenantAdmin,
       .path_params = {kTenantId},
       .paged = true},
      {.method = http::verb::delete_,
       .path = "/v1/tenants/{tenantId}/apiKeys/{keyId}",
       .summary = "Revoke a key.",
       .tag = "tenants",
       .rpc = Assessment("RevokeApiKey"),
       .need = Need::kOperatorOrTenantAdmin,
       .path_params = {kTenantId, {"keyId", "key_id", "The key's id."}},
       .reply = Reply::kNoContent},

      // Organisations.
      {.method = http::verb::post,
       .path = "/v1/organizations",
       .summary = "Create an organisation (a customer of the tenant).",
       .tag = "organizations",
       .rpc = Assessment("CreateOrganization"),
       .need = Need::kTenantAdmin,
       .body = "organization",
       .success = http::status::created,
       .idempotency_key = true},
      {.method = http::verb::get,
       .path = "/v1/organizations",
       .summary = "List the organisations the key sees.",
       .tag = "organizations",
       .rpc = Assessment("ListOrganizations"),
       .paged = true},
      {.method = http::verb::get,
       .path = kOrg,
       .summary = "One organisation.",
       .tag = "organizations",
       .rpc = Assessment("GetOrganization"),
       .path_params = {kOrgId}},
      {.method = http::verb::patch,
       .path = kOrg,
       .summary = "Change the fields the body names, and only those.",
       .tag = "organizations",
       .rpc = Assessment("UpdateOrganization"),
       .need = Need::kAdmin,
       .path_params = {{"orgId", "organization.id", "The organisation's id."}},
       .body = "organization",
       .patch_mask = "update_mask",
       .patchable = {"displayName", "industry", "employeeCount", "labels"}},
      {.method = http::verb::delete_,
       .path = kOrg,
       .summary = "Delete an organisation; keys pinned to it are revoked.",
       .tag = "organizations",
       .rpc = Assessment("DeleteOrganization"),
       .need = Need::kTenantAdmin,
       .path_params = {kOrgId},
       .reply = Reply::kNoContent},
      {.method = http::verb::get,
       .path = kOrg + "/auditLog",
       .summary = "Who changed what, newest first.",
       .tag = "organizations",
       .rpc = Assessment("ListAuditLog"),
       .need = Need::kAdmin,
       .path_params = {kOrgId},
       .paged = true},
      {.method = http::verb::get,
       .path = kOrg + "/trend",
       .summary = "Function scores of each of the organisation's assessments over time.",
       .tag = "results",
       .rpc = std::string(kScoringService) + "GetTrend",
       .path_params = {kOrgId},
       .query = {{"catalogueId", "catalogue_id", "Only assessments of this catalogue."}}},

      // Assessments.
      {.method = http::verb::post,
       .path = kOrg + "/assessments",
       .summary = "Start a draft assessment.",
       .tag = "assessments",
       .rpc = Assessment("CreateAssessment"),
       .need = Need::kAssessor,
       .path_params = {kOrgId},
       .body = "*",
       .success = http::status::created,
       .idempotency_key = true,
       .etag_header = true},
      {.method = http::verb::get,
       .path = kOrg + "/assessments",
       .summary = "The organisation's assessments, newest first.",
       .tag = "assessments",
       .rpc = Assessment("ListAssessments"),
       .path_params = {kOrgId},
       .paged = true},
      {.method = http::verb::get,
       .path = kAssessment,
       .summary = "An assessment with all its answers.",
       .tag = "assessments",
       .rpc = Assessment("GetAssessment"),
       .path_params = {kOrgId, kAssessmentId},
       .etag_header = true},
      {.method = http::verb::put,
       .path = kAssessment + "/answers/{roleCode}",
       .summary = "Set one role's answer; a field left out is unanswered.",
       .tag = "assessments",
       .rpc = Assessment("SetAnswer"),
       .need = Need::kAssessor,
       .path_params = {kOrgId,
                       kAssessmentId,
                       {"roleCode", "answer.role_code", "The role's code, e.g. A-1."}},
       .body = "answer",
       .if_match_field = "etag",
       .etag_header = true},
      {.method = http::verb::post,
       .path = kAssessment + "/answers:batchUpdate",
       .summary = "Set several answers: all or nothing.",
       .tag = "assessments",
       .rpc = Assessment("BatchUpdateAnswers"),
       .need = Need::kAssessor,
       .path_params = {kOrgId, kAssessmentId},
       .body = "*",
       .if_match_field = "etag",
       .etag_header = true},
      AssessmentTransition("submit", "SubmitAssessment", Need::kAssessor, "DRAFT to SUBMITTED."),
      AssessmentTransition("approve", "ApproveAssessment", Need::kAdmin,
                           "SUBMITTED to APPROVED; an approved assessment is read-only."),
      AssessmentTransition("reopen", "ReopenAssessment", Need::kAssessor, "Back to DRAFT."),
      {.method = http::verb::delete_,
       .path = kAssessment,
       .summary = "Delete an assessment.",
       .tag = "assessments",
       .rpc = Assessment("DeleteAssessment"),
       .need = Need::kAdmin,
       .path_params = {kOrgId, kAssessmentId},
       .reply = Reply::kNoContent,
       .if_match_field = "etag"},

      // Results.
      {.method = http::verb::get,
       .path = kAssessment + "/score",
       .summary = "The maturity per function and overall, strengths and weaknesses.",
       .tag = "results",
       .rpc = std::string(kScoringService) + "GetScore",
       .path_params = {kOrgId, kAssessmentId},
       .query = {kLang,
                 {"explain", "explain",
                  "true adds, per function, which roles counted with which level from which "
                  "dimension, what the policy left out and why, and the sum and count behind "
                  "the mean."}},
       .reply = Reply::kHandler,
       .handler = "score"},
      {.method = http::verb::get,
       .path = kAssessment + "/report",
       .summary = "The report as a file to download.",
       .tag = "results",
       .rpc = std::string(kReportingService) + "RenderReport",
       .path_params = {kOrgId, kAssessmentId},
       .query = {{"format",
                  "format",
                  "The file's format.",
                  {"html", "pdf", "json", "csv", "xlsx"},
                  "html"},
                 kLang},
       .reply = Reply::kFileDownload,
       .content_types = {"text/html", "application/pdf", "application/json", "text/csv",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}},
      {.method = http::verb::get,
       .path = kAssessment + "/radar.svg",
       .summary = "The radar chart alone, to embed.",
       .tag = "results",
       .rpc = std::string(kReportingService) + "RenderReport",
       .path_params = {kOrgId, kAssessmentId},
       .query = {kLang},
       .fixed = {{"format", "svg"}},
       .reply = Reply::kFile,
       .content_types = {"image/svg+xml"}},
      {.method = http::verb::get,
       .path = "/v1/benchmark",
       .summary = "Per function, across the tenant's organisations: count and quartiles.",
       .tag = "results",
       .rpc = std::string(kScoringService) + "GetBenchmark",
       .need = Need::kTenantWide,
       .query = {{"catalogueId", "catalogue_id", "The catalogue compared."},
                 {"industry", "industry", "Only organisations of this industry."}}},

      // Operations.
      {.method = http::verb::get,
       .path = "/healthz",
       .summary = "Liveness: the gateway answers.",
       .tag = "operations",
       .need = Need::kPublic,
       .reply = Reply::kHandler,
       .content_types = {"application/json"},
       .handler = "healthz"},
      {.method = http::verb::get,
       .path = "/readyz",
       .summary = "Readiness: every backend answers SERVING (503 otherwise).",
       .tag = "operations",
       .need = Need::kPublic,
       .reply = Reply::kHandler,
       .content_types = {"application/json"},
       .handler = "readyz"},
      {.method = http::verb::get,
       .path = "/metrics",
       .summary = "Prometheus metrics of the gateway.",
       .tag = "operations",
       .need = Need::kPublic,
       .reply = Reply::kHandler,
       .content_types = {"text/plain"},
       .handler = "metrics"},
      {.method = http::verb::get,
       .path = "/openapi.json",
       .summary = "This document.",
       .tag = "operations",
       .need = Need::kPublic,
       .reply = Reply::kHandler,
       .content_types = {"application/json"},
       .handler = "openapi"},
      {.method = http::verb::get,
       .path = "/docs",
       .summary = "A browsable reference of this document.",
       .tag = "operations",
       .need = Need::kPublic,
       .reply = Reply::kHandler,
       .content_types = {"text/html"},
       .handler = "docs"},
      {.method = http::verb::get,
       .path = "/docs/{file}",
       .summary = "The reference page's script.",
       .tag = "operations",
       .need = Need::kPublic,
       .path_params = {{"file", "", "A file of the reference page."}},
       .reply = Reply::kHandler,
       .content_types = {"text/javascript"},
       .handler = "docs_file"},
      // The web UI.
      {.method = http::verb::get,
       .path = "/",
       .summary = "The web UI.",
       .tag = "web UI",
       .need = Need::kPublic,
       .reply = Reply::kHandler,
       .content_types = {"text/html"},
       .handler = "ui_index"},
      {.method = http::verb::get,
       .path = "/ui/{file}",
       .summary = "A file of the web UI.",
       .tag = "web UI",
       .need = Need::kPublic,
       .path_params = {{"file", "", "A file of the web UI."}},
       .reply = Reply::kHandler,
       .content_types = kUiTypes,
       .handler = "ui_file"},
  };
}

}  // namespace

const std::vector<RouteSpec>& PublicRoutes() {
  static const std::vector<RouteSpec>* routes = new std::vector<RouteSpec>(MakeRoutes());
  return *routes;
}

const std::vector<std::string>& ShortEnumTypes() {
  static const std::vector<std::string>* types =
      new std::vector<std::string>{"soc.maturity.assessment.v1.KeyRole"};
  return *types;
}

const std::vector<std::string>& InternalFields() {
  // The answer to a known_revision, which no route binds.
  static const std::vector<std::string>* fields = new std::vector<std::string>{
      "soc.maturity.assessment.v1.Assessment.unchanged", "soc.maturity.scoring.v1.Score.unchanged"};
  return *fields;
}

std::vector<ParamBinding> QueryBindings(const RouteSpec& route) {
  std::vector<ParamBinding> out = route.query;
  if (route.paged) {
    out.push_back({"pageSize", "page_size", "At most this many items (default 50, at most 500)."});
    out.push_back({"pageToken", "page_token", "The nextPageToken of the previous page."});
  }
  return out;
}

}  // namespace socm::gateway
