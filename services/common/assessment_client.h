#pragma once
// AssessmentClient reads the system of record for the scoring and reporting
// services, on behalf of the caller: it forwards the caller's tenant,
// principal and organisation pin, so the assessment service applies the same
// tenant scope as for a direct call. A deadline on every call; the ...Async calls block no
// thread, and are what a server's handler uses.

#include <grpcpp/channel.h>
#include <grpcpp/server_context.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/caller.h"
#include "soc/maturity/assessment/v1/approved_scores.grpc.pb.h"
#include "soc/maturity/assessment/v1/assessment.grpc.pb.h"
#include "soc/maturity/assessment/v1/practice.grpc.pb.h"

namespace socm {

// A channel to the assessment service whose replies may be large (a portfolio chunk of
// assessments with their notes): up to 32 MiB instead of gRPC's default 4.
std::shared_ptr<grpc::Channel> LargeReplyChannel(const std::string& address);

class AssessmentClient {
 public:
  explicit AssessmentClient(std::shared_ptr<grpc::Channel> channel,
                            std::chrono::milliseconds timeout = std::chrono::seconds(3));

  // With `known_revision` above 0, an assessment still at that revision comes back marked
  // unchanged, as its header only (id, organization_id, revision, etag).
  absl::StatusOr<soc::maturity::assessment::v1::Assessment> GetAssessment(
      const Caller& caller, const std::string& org, const std::string& id,
      int32_t known_revision = 0);
  absl::StatusOr<soc::maturity::assessment::v1::Organization> GetOrganization(
      const Caller& caller, const std::string& org);
  // The same, without blocking: `done` runs on a gRPC thread. With `known_revision` above 0,
  // an assessment still at that revision comes back marked unchanged, header only.
  // The call inherits `parent`'s deadline and cancellation: when the caller gives up, so does
  // this call, instead of piling up behind the service's stream limit.
  void GetAssessmentAsync(
      const grpc::CallbackServerContext& parent, const Caller& caller, const std::string& org,
      const std::string& id, int32_t known_revision,
      std::function<void(absl::StatusOr<soc::maturity::assessment::v1::Assessment>)> done);
  // Each organisation's latest approved assessment's scores on a catalogue, in one call, without
  // blocking; like GetAssessmentAsync, it inherits `parent`'s deadline and cancellation.
  void ListApprovedScoresAsync(
      const grpc::CallbackServerContext& parent, const Caller& caller,
      soc::maturity::assessment::v1::ListApprovedScoresRequest request,
      std::function<void(absl::StatusOr<soc::maturity::assessment::v1::ListApprovedScoresResponse>)>
          done);
  // Every assessment of the organisation (newest first), page after page, without blocking;
  // like GetAssessmentAsync, each page's call inherits `parent`'s deadline and cancellation.
  void ListAssessmentsAsync(
      const grpc::CallbackServerContext& parent, const Caller& caller, const std::string& org,
      std::function<void(absl::StatusOr<std::vector<soc::maturity::assessment::v1::Assessment>>)>
          done);
  // One call for request.page_size() rows (1..500; headers only is what keeps it small),
  // without blocking.
  void ListPortfolioRowsAsync(
      const grpc::CallbackServerContext& parent, const Caller& caller,
      soc::maturity::assessment::v1::ListPortfolioRowsRequest request,
      std::function<void(absl::StatusOr<soc::maturity::assessment::v1::ListPortfolioRowsResponse>)>
          done);
  // Every page.
  absl::StatusOr<std::vector<soc::maturity::assessment::v1::Assessment>> ListAssessments(
      const Caller& caller, const std::string& org);
  // Every comment of the assessment (all roles, oldest first), and every evidence record.
  absl::StatusOr<std::vector<soc::maturity::assessment::v1::RoleComment>> ListComments(
      const Caller& caller, const std::string& org, const std::string& assessment);
  absl::StatusOr<std::vector<soc::maturity::assessment::v1::Evidence>> ListEvidence(
      const Caller& caller, const std::string& org, const std::string& assessment);
  // request.page_size() rows of the portfolio from request.page_token(), or every row when the
  // size is 0; fetched in chunks of 100.
  absl::StatusOr<soc::maturity::assessment::v1::ListPortfolioRowsResponse> ListPortfolioRows(
      const Caller& caller, soc::maturity::assessment::v1::ListPortfolioRowsRequest request);

 private:
  std::unique_ptr<soc::maturity::assessment::v1::AssessmentService::Stub> stub_;
  std::unique_ptr<soc::maturity::assessment::v1::PracticeService::Stub> practice_;
  std::unique_ptr<soc::maturity::assessment::v1::ApprovedScoreService::Stub> approved_;
  std::chrono::milliseconds timeout_;
};

}  // namespace socm
