#include "services/common/assessment_client.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>

#include "services/common/caller_metadata.h"
#include "services/common/grpc_status.h"
#include "services/common/status.h"
#include "services/common/suite_tls.h"
#include "services/common/work_queue.h"

namespace socm {
namespace {

namespace pb = soc::maturity::assessment::v1;

// Backend failures other than "no such thing" or "not allowed" mean the
// system of record is unreachable: retrying the call may help.
absl::Status Translate(const grpc::Status& status) {
  absl::Status out = FromGrpcStatus(status);
  switch (out.code()) {
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kDeadlineExceeded:
      return out;
    default:
      return absl::UnavailableError(std::string("assessment service: ") +
                                    std::string(out.message()));
  }
}

}  // namespace

std::shared_ptr<grpc::Channel> LargeReplyChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(32 << 20);
  return grpc::CreateCustomChannel(address, SuiteChannelCredentials(), args);
}

AssessmentClient::AssessmentClient(std::shared_ptr<grpc::Channel> channel,
                                   std::chrono::milliseconds timeout)
    : stub_(pb::AssessmentService::NewStub(channel)),
      practice_(pb::PracticeService::NewStub(channel)),
      approved_(pb::ApprovedScoreService::NewStub(channel)),
      timeout_(timeout) {}

// On a worker thread, the call also ends with the one it serves (work_queue.h).
#define SOCM_PREPARE(context)                                                             \
  const std::unique_ptr<grpc::ClientContext> context##_owner = OutgoingContext(timeout_); \
  grpc::ClientContext& context = *context##_owner;                                        \
  AddCallerMetadata(caller, context)

absl::StatusOr<pb::Assessment> AssessmentClient::GetAssessment(const Caller& caller,
                                                               const std::string& org,
                                                               const std::string& id,
                                                               int32_t known_revision) {
  SOCM_PREPARE(context);
  pb::GetAssessmentRequest request;
  request.set_organization_id(org);
  request.set_assessment_id(id);
  request.set_known_revision(known_revision);
  pb::Assessment response;
  const grpc::Status status = stub_->GetAssessment(&context, request, &response);
  if (!status.ok()) return Translate(status);
  return response;
}

absl::StatusOr<pb::Organization> AssessmentClient::GetOrganization(const Caller& caller,
                                                                   const std::string& org) {
  SOCM_PREPARE(context);
  pb::GetOrganizationRequest request;
  request.set_organization_id(org);
  pb::Organization response;
  const grpc::Status status = stub_->GetOrganization(&context, request, &response);
  if (!status.ok()) return Translate(status);
  return response;
}

// One call on behalf of a server call: `start(context, request, response, on_done)` issues it
// through a stub's async() interface; `done` gets the answer on a gRPC thread.
template <typename Request, typename Response, typename Start>
void CallFor(const grpc::CallbackServerContext& parent, const Caller& caller,
             std::chrono::milliseconds timeout, Request request, Start start,
             std::function<void(absl::StatusOr<Response>)> done) {
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    Request request;
    Response response;
    std::function<void(absl::StatusOr<Response>)> done;
  };
  auto* call = new Call();
  call->context = grpc::ClientContext::FromCallbackServerContext(parent);
  // The earlier of this and the parent's deadline applies.
  call->context->set_deadline(std::chrono::system_clock::now() + timeout);
  AddCallerMetadata(caller, *call->context);
  call->request = std::move(request);
  call->done = std::move(done);
  start(call->context.get(), &call->request, &call->response, [call](grpc::Status status) {
    if (status.ok()) {
      call->done(std::move(call->response));
    } else {
      call->done(Translate(status));
    }
    delete call;
  });
}

void AssessmentClient::GetAssessmentAsync(
    const grpc::CallbackServerContext& parent, const Caller& caller, const std::string& org,
    const std::string& id, int32_t known_revision,
    std::function<void(absl::StatusOr<pb::Assessment>)> done) {
  pb::GetAssessmentRequest request;
  request.set_organization_id(org);
  request.set_assessment_id(id);
  request.set_known_revision(known_revision);
  CallFor<pb::GetAssessmentRequest, pb::Assessment>(
      parent, caller, timeout_, std::move(request),
      [this](auto* context, auto* req, auto* resp, auto on_done) {
        stub_->async()->GetAssessment(context, req, resp, std::move(on_done));
      },
      std::move(done));
}

void AssessmentClient::ListAssessmentsAsync(
    const grpc::CallbackServerContext& parent, const Caller& caller, const std::string& org,
    std::function<void(absl::StatusOr<std::vector<pb::Assessment>>)> done) {
  struct Listing {
    std::vector<pb::Assessment> assessments;
    std::function<void(absl::StatusOr<std::vector<pb::Assessment>>)> done;
    std::function<void(const std::string&)> next;
  };
  auto listing = std::make_shared<Listing>();
  listing->done = std::move(done);
  // Each page's answer asks for the next, and the last one answers `done`; the call in flight
  // holds the listing (`next` itself only refers to it).
  listing->next = [this, &parent, caller, org,
                   weak = std::weak_ptr<Listing>(listing)](const std::string& token) {
    pb::ListAssessmentsRequest request;
    request.set_organization_id(org);
    request.set_page_size(500);
    request.set_page_token(token);
    CallFor<pb::ListAssessmentsRequest, pb::ListAssessmentsResponse>(
        parent, caller, timeout_, std::move(request),
        [this](auto* context, auto* req, auto* resp, auto on_done) {
          stub_->async()->ListAssessments(context, req, resp, std::move(on_done));
        },
        [owner = weak.lock()](absl::StatusOr<pb::ListAssessmentsResponse> page) {
          if (!page.ok()) return owner->done(page.status());
          for (auto& a : *page->mutable_assessments()) owner->assessments.push_back(std::move(a));
          if (!page->next_page_token().empty()) return owner->next(page->next_page_token());
          owner->done(std::move(owner->assessments));
        });
  };
  listing->next("");
}

void AssessmentClient::ListPortfolioRowsAsync(
    const grpc::CallbackServerContext& parent, const Caller& caller,
    pb::ListPortfolioRowsRequest request,
    std::function<void(absl::StatusOr<pb::ListPortfolioRowsResponse>)> done) {
  CallFor<pb::ListPortfolioRowsRequest, pb::ListPortfolioRowsResponse>(
      parent, caller, timeout_, std::move(request),
      [this](auto* context, auto* req, auto* resp, auto on_done) {
        practice_->async()->ListPortfolioRows(context, req, resp, std::move(on_done));
      },
      std::move(done));
}

void AssessmentClient::ListApprovedScoresAsync(
    const grpc::CallbackServerContext& parent, const Caller& caller,
    pb::ListApprovedScoresRequest request,
    std::function<void(absl::StatusOr<pb::ListApprovedScoresResponse>)> done) {
  CallFor<pb::ListApprovedScoresRequest, pb::ListApprovedScoresResponse>(
      parent, caller, timeout_, std::move(request),
      [this](auto* context, auto* req, auto* resp, auto on_done) {
        approved_->async()->ListApprovedScores(context, req, resp, std::move(on_done));
      },
      std::move(done));
}

absl::StatusOr<std::vector<pb::Assessment>> AssessmentClient::ListAssessments(
    const Caller& caller, const std::string& org) {
  std::vector<pb::Assessment> out;
  std::string token;
  do {
    SOCM_PREPARE(context);
    pb::ListAssessmentsRequest request;
    request.set_organization_id(org);
    request.set_page_size(500);
    request.set_page_token(token);
    pb::ListAssessmentsResponse response;
    const grpc::Status status = stub_->ListAssessments(&context, request, &response);
    if (!status.ok()) return Translate(status);
    for (auto& a : *response.mutable_assessments()) out.push_back(std::move(a));
    token = response.next_page_token();
  } while (!token.empty());
  return out;
}

absl::StatusOr<std::vector<pb::RoleComment>> AssessmentClient::ListComments(
    const Caller& caller, const std::string& org, const std::string& assessment) {
  std::vector<pb::RoleComment> out;
  pb::ListCommentsRequest request;
  request.set_organization_id(org);
  request.set_assessment_id(assessment);
  request.set_page_size(500);
  do {
    SOCM_PREPARE(context);
    pb::ListCommentsResponse response;
    const grpc::Status status = practice_->ListComments(&context, request, &response);
    if (!status.ok()) return Translate(status);
    for (auto& c : *response.mutable_comments()) out.push_back(std::move(c));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<std::vector<pb::Evidence>> AssessmentClient::ListEvidence(
    const Caller& caller, const std::string& org, const std::string& assessment) {
  SOCM_PREPARE(context);
  pb::ListEvidenceRequest request;
  request.set_organization_id(org);
  request.set_assessment_id(assessment);
  pb::ListEvidenceResponse response;
  const grpc::Status status = practice_->ListEvidence(&context, request, &response);
  if (!status.ok()) return Translate(status);
  return std::vector<pb::Evidence>(std::make_move_iterator(response.mutable_evidence()->begin()),
                                   std::make_move_iterator(response.mutable_evidence()->end()));
}

absl::StatusOr<pb::ListPortfolioRowsResponse> AssessmentClient::ListPortfolioRows(
    const Caller& caller, pb::ListPortfolioRowsRequest request) {
  // Fetched in chunks, so that no one message carries hundreds of full assessments.
  constexpr int kChunk = 100;
  const int want = request.page_size();  // 0: every row
  pb::ListPortfolioRowsResponse out;
  do {
    SOCM_PREPARE(context);
    request.set_page_size(want == 0 ? kChunk : std::min(kChunk, want - out.rows_size()));
    pb::ListPortfolioRowsResponse response;
    const grpc::Status status = practice_->ListPortfolioRows(&context, request, &response);
    if (!status.ok()) return Translate(status);
    for (auto& row : *response.mutable_rows()) *out.add_rows() = std::move(row);
    out.set_next_page_token(response.next_page_token());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() && (want == 0 || out.rows_size() < want));
  return out;
}

#undef SOCM_PREPARE

}  // namespace socm
