// Results: score, report, radar, trend and the peer benchmark.
#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "soc/maturity/reporting/v1/reporting.grpc.pb.h"
#include "soc/maturity/scoring/v1/scoring.grpc.pb.h"

namespace socm::gateway {
namespace {

namespace spb = soc::maturity::scoring::v1;
namespace rpb = soc::maturity::reporting::v1;

constexpr char kAssessment[] = "/v1/organizations/{orgId}/assessments/{assessmentId}";

absl::StatusOr<rpb::ReportFormat> ParseFormat(const std::string& format) {
  if (format.empty() || format == "html") return rpb::REPORT_FORMAT_HTML;
  if (format == "pdf") return rpb::REPORT_FORMAT_PDF;
  if (format == "json") return rpb::REPORT_FORMAT_JSON;
  if (format == "csv") return rpb::REPORT_FORMAT_CSV;
  if (format == "xlsx") return rpb::REPORT_FORMAT_XLSX;
  return InvalidFields({Violation("format", "must be html, pdf, json, csv or xlsx")});
}

// A rendered file as the HTTP body; `download` adds Content-Disposition.
std::function<Response(const rpb::RenderReportResponse&)> FileResponse(bool download) {
  return [download](const rpb::RenderReportResponse& file) {
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, file.content_type());
    // The name is made safe by the reporting service; quote it all the same.
    if (download)
      response.set(http::field::content_disposition,
                   absl::StrCat("attachment; filename=\"", file.file_name(), "\""));
    response.set(http::field::cache_control, "private, no-cache");
    response.set(http::field::etag, absl::StrCat("\"r", file.revision(), "\""));
    response.set("x-content-type-options", "nosniff");
    response.body() = file.content();
    response.prepare_payload();
    return response;
  };
}

}  // namespace

void AddScoreRoutes(Router& router, const RouteContext& context) {
  std::shared_ptr<spb::ScoringService::Stub> scoring =
      spb::ScoringService::NewStub(context.backends.scoring());
  std::shared_ptr<rpb::ReportingService::Stub> reporting =
      rpb::ReportingService::NewStub(context.backends.reporting());

  router.Add(
      http::verb::get, std::string(kAssessment) + "/score",
      Authed(context, Need::kAnyKey, [scoring](CallPtr call, const Principal&, Respond respond) {
        if (absl::Status s = CheckQuery(*call, {"lang"}); !s.ok()) return respond(ErrorResponse(s));
        spb::GetScoreRequest request;
        request.set_organization_id(call->params.at("orgId"));
        request.set_assessment_id(call->params.at("assessmentId"));
        request.set_lang(QueryValue(*call, "lang"));
        Forward<spb::Score>(call, std::move(request), SOCM_ASYNC(scoring, GetScore), respond);
      }));

  router.Add(
      http::verb::get, std::string(kAssessment) + "/report",
      Authed(context, Need::kAnyKey, [reporting](CallPtr call, const Principal&, Respond respond) {
        absl::Status s = CheckQuery(*call, {"format", "lang"});
        auto format = ParseFormat(QueryValue(*call, "format"));
        if (s.ok()) s = format.status();
        if (!s.ok()) return respond(ErrorResponse(s));
        rpb::RenderReportRequest request;
        request.set_organization_id(call->params.at("orgId"));
        request.set_assessment_id(call->params.at("assessmentId"));
        request.set_format(*format);
        request.set_lang(QueryValue(*call, "lang"));
        Forward<rpb::RenderReportResponse>(call, std::move(request),
                                           SOCM_ASYNC(reporting, RenderReport), respond,
                                           http::status::ok, FileResponse(true));
      }));

  router.Add(
      http::verb::get, std::string(kAssessment) + "/radar.svg",
      Authed(context, Need::kAnyKey, [reporting](CallPtr call, const Principal&, Respond respond) {
        if (absl::Status s = CheckQuery(*call, {"lang"}); !s.ok()) return respond(ErrorResponse(s));
        rpb::RenderReportRequest request;
        request.set_organization_id(call->params.at("orgId"));
        request.set_assessment_id(call->params.at("assessmentId"));
        request.set_format(rpb::REPORT_FORMAT_SVG);
        request.set_lang(QueryValue(*call, "lang"));
        Forward<rpb::RenderReportResponse>(call, std::move(request),
                                           SOCM_ASYNC(reporting, RenderReport), respond,
                                           http::status::ok, FileResponse(false));
      }));

  router.Add(
      http::verb::get, "/v1/organizations/{orgId}/trend",
      Authed(context, Need::kAnyKey, [scoring](CallPtr call, const Principal&, Respond respond) {
        if (absl::Status s = CheckQuery(*call, {"catalogueId"}); !s.ok())
          return respond(ErrorResponse(s));
        spb::GetTrendRequest request;
        request.set_organization_id(call->params.at("orgId"));
        request.set_catalogue_id(QueryValue(*call, "catalogueId"));
        Forward<spb::GetTrendResponse>(call, std::move(request), SOCM_ASYNC(scoring, GetTrend),
                                       respond);
      }));

  router.Add(
      http::verb::get, "/v1/benchmark",
      Authed(context, Need::kTenantWide,
             [scoring](CallPtr call, const Principal&, Respond respond) {
               if (absl::Status s = CheckQuery(*call, {"catalogueId", "industry"}); !s.ok()) {
                 return respond(ErrorResponse(s));
               }
               spb::GetBenchmarkRequest request;
               request.set_catalogue_id(QueryValue(*call, "catalogueId"));
               request.set_industry(QueryValue(*call, "industry"));
               Forward<spb::GetBenchmarkResponse>(call, std::move(request),
                                                  SOCM_ASYNC(scoring, GetBenchmark), respond);
             }));
}

}  // namespace socm::gateway
