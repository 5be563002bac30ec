// The practice routes that are more than transcoding: the portfolio, whose format picks the
// backend (JSON pages from the scoring service, one CSV or XLSX file of everyone from the
// reporting service), and the evidence upload, whose body is the file itself with its own
// Content-Type.
#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/binding.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "soc/maturity/assessment/v1/practice.grpc.pb.h"
#include "soc/maturity/reporting/v1/reporting.grpc.pb.h"
#include "soc/maturity/scoring/v1/scoring.grpc.pb.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;
namespace rpb = soc::maturity::reporting::v1;
namespace spb = soc::maturity::scoring::v1;

// The route as each backend's request sees it: only the query parameters that request has.
RouteSpec Narrowed(const RouteSpec& route, const std::vector<std::string>& keep, bool paged) {
  RouteSpec out = route;
  out.query.clear();
  for (const ParamBinding& q : route.query) {
    if (std::find(keep.begin(), keep.end(), q.name) != keep.end()) out.query.push_back(q);
  }
  out.paged = paged;
  return out;
}

RouteHandler PortfolioRoute(const RouteContext& context, const RouteSpec& route,
                            std::shared_ptr<spb::ScoringService::Stub> scoring,
                            std::shared_ptr<rpb::ReportingService::Stub> reporting) {
  auto json_route = std::make_shared<RouteSpec>(route);
  auto file_route = std::make_shared<RouteSpec>(
      Narrowed(route, {"catalogueId", "industry", "label", "format", "lang"}, /*paged=*/false));
  file_route->reply = Reply::kFileDownload;
  return Authed(
      context, route.need,
      [json_route, file_route, scoring, reporting](CallPtr call, const Caller&, Respond respond) {
        auto format = call->query.find("format");
        const bool file =
            format != call->query.end() && (format->second == "csv" || format->second == "xlsx");
        if (file) {
          // A file holds everyone: paging does not apply.
          call->query.erase("pageSize");
          call->query.erase("pageToken");
          rpb::RenderPortfolioRequest request;
          if (absl::Status s = BindRequest(*file_route, *call, &request); !s.ok()) {
            return respond(ErrorResponse(s));
          }
          UnaryCall<rpb::RenderReportResponse>(
              *call, std::move(request), SOCM_ASYNC(reporting, RenderPortfolio),
              [respond, file_route](absl::Status status, rpb::RenderReportResponse& r) {
                if (!status.ok()) return respond(ErrorResponse(status));
                respond(RenderReply(*file_route, r));
              });
          return;
        }
        spb::GetPortfolioRequest request;
        if (absl::Status s = BindRequest(*json_route, *call, &request); !s.ok()) {
          return respond(ErrorResponse(s));
        }
        UnaryCall<spb::GetPortfolioResponse>(
            *call, std::move(request), SOCM_ASYNC(scoring, GetPortfolio),
            [respond, json_route](absl::Status status, spb::GetPortfolioResponse& r) {
              if (!status.ok()) return respond(ErrorResponse(status));
              respond(RenderReply(*json_route, r));
            });
      });
}

RouteHandler EvidenceUploadRoute(const RouteContext& context, const RouteSpec& route,
                                 std::shared_ptr<apb::PracticeService::Stub> practice) {
  return Authed(
      context, route.need, [&route, practice](CallPtr call, const Caller&, Respond respond) {
        apb::UploadEvidenceRequest request;
        if (absl::Status s = BindRequest(route, *call, &request); !s.ok()) {
          return respond(ErrorResponse(s));
        }
        if (call->request.body().empty()) {
          return respond(
              ErrorResponse(InvalidFields({Violation("content", "the body must be the file")})));
        }
        request.set_content_type(std::string(call->request[http::field::content_type]));
        request.set_content(std::move(call->request.body()));
        UnaryCall<apb::Evidence>(*call, std::move(request), SOCM_ASYNC(practice, UploadEvidence),
                                 [respond, &route](absl::Status status, apb::Evidence& reply) {
                                   if (!status.ok()) return respond(ErrorResponse(status));
                                   Response response = RenderReply(route, reply);
                                   response.result(route.success);
                                   respond(std::move(response));
                                 });
      });
}

}  // namespace

NamedHandlers PracticeHandlers(const RouteContext& context) {
  std::shared_ptr<spb::ScoringService::Stub> scoring =
      spb::ScoringService::NewStub(context.backends.scoring());
  std::shared_ptr<rpb::ReportingService::Stub> reporting =
      rpb::ReportingService::NewStub(context.backends.reporting());
  std::shared_ptr<apb::PracticeService::Stub> practice =
      apb::PracticeService::NewStub(context.backends.assessment());
  NamedHandlers out;
  out["portfolio"] = [&context, scoring, reporting](const RouteSpec& route) {
    return PortfolioRoute(context, route, scoring, reporting);
  };
  out["upload_evidence"] = [&context, practice](const RouteSpec& route) {
    return EvidenceUploadRoute(context, route, practice);
  };
  return out;
}

}  // namespace socm::gateway
