// The workbook import (POST …/answers:import): a route of its own because its body is a file,
// not JSON, and because a workbook with problems answers 400 with what it did read beside the
// error, so that a person sees every problem and every parsed answer at once.
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/binding.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "soc/maturity/assessment/v1/assessment.grpc.pb.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;
using nlohmann::json;

Response ImportReply(const apb::ImportAnswersResponse& reply) {
  if (reply.problems().empty()) {
    Response response = ProtoResponse(reply);
    if (reply.has_assessment()) response.set(http::field::etag, reply.assessment().etag());
    return response;
  }
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(reply, &text).ok()) {
    return ErrorResponse(absl::InternalError("cannot print the import's answers"));
  }
  json body = json::parse(text);
  json details = json::array();
  for (const auto& p : reply.problems()) {
    details.push_back({{"field", p.cell()}, {"description", p.message()}});
  }
  const int n = reply.problems_size();
  body["error"] = {
      {"code", "INVALID_ARGUMENT"},
      {"message", absl::StrCat("the workbook has ", n, n == 1 ? " problem" : " problems",
                               "; nothing was written (first: ", reply.problems(0).cell(), ": ",
                               reply.problems(0).message(), ")")},
      {"details", details}};
  return JsonResponse(http::status::bad_request, body.dump());
}

}  // namespace

namespace {

// Both imports: bind the path and query, take the body as the workbook, call, and answer with
// ImportReply. `Request` has a `workbook` bytes field; `call_rpc` makes the backend call.
template <typename Request, typename CallRpc>
RouteHandler ImportRoute(const RouteContext& context, const RouteSpec& route, CallRpc call_rpc) {
  return Authed(
      context, route.need, [&route, call_rpc](CallPtr call, const Caller&, Respond respond) {
        Request request;
        if (absl::Status s = BindRequest(route, *call, &request); !s.ok()) {
          return respond(ErrorResponse(s));
        }
        const std::string type(call->request[http::field::content_type]);
        if (!absl::StartsWith(type, route.file_body_type) &&
            !absl::StartsWith(type, "application/octet-stream")) {
          return respond(ErrorResponse(
              http::status::unsupported_media_type, absl::StatusCode::kInvalidArgument,
              absl::StrCat("the body must be the workbook, Content-Type: ", route.file_body_type)));
        }
        if (call->request.body().empty()) {
          return respond(ErrorResponse(
              absl::InvalidArgumentError("the body must be the workbook; it is empty")));
        }
        request.set_workbook(std::move(call->request.body()));
        const http::status success = route.success;
        call_rpc(*call, std::move(request),
                 [respond, success](absl::Status status, apb::ImportAnswersResponse& reply) {
                   if (!status.ok()) return respond(ErrorResponse(status));
                   Response response = ImportReply(reply);
                   if (response.result() == http::status::ok) response.result(success);
                   respond(std::move(response));
                 });
      });
}

}  // namespace

NamedHandlers ImportHandlers(const RouteContext& context) {
  std::shared_ptr<apb::AssessmentService::Stub> assessments =
      apb::AssessmentService::NewStub(context.backends.assessment());
  NamedHandlers out;
  out["import_answers"] = [&context, assessments](const RouteSpec& route) {
    return ImportRoute<apb::ImportAnswersRequest>(
        context, route, [assessments](Call& call, apb::ImportAnswersRequest request, auto done) {
          UnaryCall<apb::ImportAnswersResponse>(call, std::move(request),
                                                SOCM_ASYNC(assessments, ImportAnswers), done);
        });
  };
  out["import_assessment"] = [&context, assessments](const RouteSpec& route) {
    return ImportRoute<apb::ImportAssessmentRequest>(
        context, route, [assessments](Call& call, apb::ImportAssessmentRequest request, auto done) {
          UnaryCall<apb::ImportAnswersResponse>(call, std::move(request),
                                                SOCM_ASYNC(assessments, ImportAssessment), done);
        });
  };
  return out;
}

}  // namespace socm::gateway
