// Assessments and their answers: /v1/organizations/{orgId}/assessments/...
#include "gateway/backend_call.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"

namespace socm::gateway {
namespace {

namespace pb = soc::maturity::assessment::v1;

constexpr char kBase[] = "/v1/organizations/{orgId}/assessments";

// An assessment answers with its entity tag in the ETag header too.
Response AssessmentResponse(const pb::Assessment& a) {
  Response response = ProtoResponse(a);
  response.set(http::field::etag, a.etag());
  return response;
}

std::string IfMatch(const Call& call) {
  auto it = call.request.find(http::field::if_match);
  if (it == call.request.end()) return "";
  std::string value(it->value());
  if (value.rfind("W/", 0) == 0) value = value.substr(2);
  return value;
}

std::string Path(const char* suffix) { return std::string(kBase) + suffix; }

}  // namespace

void AddAssessmentRoutes(Router& router, const RouteContext& context) {
  std::shared_ptr<pb::AssessmentService::Stub> stub =
      pb::AssessmentService::NewStub(context.backends.assessment());

  router.Add(
      http::verb::post, kBase,
      Authed(context, Need::kAssessor, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::CreateAssessmentRequest request;
        absl::Status s = ParseJsonBody(call->request.body(), &request);
        if (s.ok()) s = TakeIdempotencyKey(*call);
        if (s.ok() && !request.organization_id().empty() &&
            request.organization_id() != call->params.at("orgId")) {
          s = InvalidFields({Violation("organizationId", "must match the path")});
        }
        if (!s.ok()) return respond(ErrorResponse(s));
        request.set_organization_id(call->params.at("orgId"));
        Forward<pb::Assessment>(call, std::move(request), SOCM_ASYNC(stub, CreateAssessment),
                                respond, http::status::created, AssessmentResponse);
      }));

  router.Add(
      http::verb::get, kBase,
      Authed(context, Need::kAnyKey, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::ListAssessmentsRequest request;
        if (absl::Status s = PageQuery(*call, &request); !s.ok()) return respond(ErrorResponse(s));
        request.set_organization_id(call->params.at("orgId"));
        Forward<pb::ListAssessmentsResponse>(call, std::move(request),
                                             SOCM_ASYNC(stub, ListAssessments), respond);
      }));

  router.Add(
      http::verb::get, Path("/{assessmentId}"),
      Authed(context, Need::kAnyKey, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::GetAssessmentRequest request;
        request.set_organization_id(call->params.at("orgId"));
        request.set_assessment_id(call->params.at("assessmentId"));
        Forward<pb::Assessment>(call, std::move(request), SOCM_ASYNC(stub, GetAssessment), respond,
                                http::status::ok, AssessmentResponse);
      }));

  router.Add(
      http::verb::put, Path("/{assessmentId}/answers/{roleCode}"),
      Authed(context, Need::kAssessor, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::SetAnswerRequest request;
        absl::Status s = ParseJsonBody(call->request.body(), request.mutable_answer());
        const std::string& role = call->params.at("roleCode");
        if (s.ok() && !request.answer().role_code().empty() &&
            request.answer().role_code() != role) {
          s = InvalidFields({Violation("roleCode", "must match the path")});
        }
        if (!s.ok()) return respond(ErrorResponse(s));
        request.mutable_answer()->set_role_code(role);
        request.set_organization_id(call->params.at("orgId"));
        request.set_assessment_id(call->params.at("assessmentId"));
        request.set_etag(IfMatch(*call));
        Forward<pb::Assessment>(call, std::move(request), SOCM_ASYNC(stub, SetAnswer), respond,
                                http::status::ok, AssessmentResponse);
      }));

  router.Add(
      http::verb::post, Path("/{assessmentId}/answers:batchUpdate"),
      Authed(context, Need::kAssessor, [stub](CallPtr call, const Principal&, Respond respond) {
        pb::BatchUpdateAnswersRequest request;
        if (absl::Status s = ParseJsonBody(call->request.body(), &request); !s.ok()) {
          return respond(ErrorResponse(s));
        }
        request.set_organization_id(call->params.at("orgId"));
        request.set_assessment_id(call->params.at("assessmentId"));
        request.set_etag(IfMatch(*call));
        Forward<pb::Assessment>(call, std::move(request), SOCM_ASYNC(stub, BatchUpdateAnswers),
                                respond, http::status::ok, AssessmentResponse);
      }));

#define SOCM_TRANSITION_ROUTE(action, need, Request, Method)                                 \
  router.Add(http::verb::post, Path("/{assessmentId}:" action),                              \
             Authed(context, need, [stub](CallPtr call, const Principal&, Respond respond) { \
               pb::Request request;                                                          \
               request.set_organization_id(call->params.at("orgId"));                        \
               request.set_assessment_id(call->params.at("assessmentId"));                   \
               request.set_etag(IfMatch(*call));                                             \
               Forward<pb::Assessment>(call, std::move(request), SOCM_ASYNC(stub, Method),   \
                                       respond, http::status::ok, AssessmentResponse);       \
             }))
  SOCM_TRANSITION_ROUTE("submit", Need::kAssessor, SubmitAssessmentRequest, SubmitAssessment);
  SOCM_TRANSITION_ROUTE("approve", Need::kAdmin, ApproveAssessmentRequest, ApproveAssessment);
  SOCM_TRANSITION_ROUTE("reopen", Need::kAssessor, ReopenAssessmentRequest, ReopenAssessment);
#undef SOCM_TRANSITION_ROUTE

  router.Add(http::verb::delete_, Path("/{assessmentId}"),
             Authed(context, Need::kAdmin, [stub](CallPtr call, const Principal&, Respond respond) {
               pb::DeleteAssessmentRequest request;
               request.set_organization_id(call->params.at("orgId"));
               request.set_assessment_id(call->params.at("assessmentId"));
               request.set_etag(IfMatch(*call));
               Forward<pb::DeleteAssessmentResponse>(
                   call, std::move(request), SOCM_ASYNC(stub, DeleteAssessment), respond,
                   http::status::ok, [](const pb::DeleteAssessmentResponse&) {
                     return Response{http::status::no_content, 11};
                   });
             }));
}

}  // namespace socm::gateway
