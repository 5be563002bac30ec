// Results: score, report, radar, trend and the peer benchmark.
#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "services/common/cache_metrics.h"
#include "services/common/lru_cache.h"
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

// The score JSON last sent per (tenant, organisation, assessment, language), with its
// revision. The gateway sends that revision along; scoring answers with the header alone
// while it is current, so neither side serialises the score again. Every request still
// reaches the assessment service, which decides who may see what.
class ScoreBodies {
 public:
  explicit ScoreBodies(prometheus::Registry& registry) {
    const CacheCounters counters = CacheCountersFor(registry, "score_json");
    hit_ = counters.hit;
    miss_ = counters.miss;
  }
  struct Body {
    int64_t revision;
    std::string json;
  };
  static std::string Key(const Call& call, const Principal& principal) {
    return absl::StrCat(principal.tenant, "/", call.params.at("orgId"), "/",
                        call.params.at("assessmentId"), "/", QueryValue(call, "lang"));
  }
  std::shared_ptr<const Body> Get(const std::string& key) {
    return bodies_.Get(key).value_or(nullptr);
  }
  // The answer to a request that sent `known` along.
  Response Answer(const std::string& key, const std::shared_ptr<const Body>& known,
                  const spb::Score& score) {
    if (known && score.revision() == known->revision) {
      hit_->Increment();
      return JsonResponse(http::status::ok, known->json);
    }
    miss_->Increment();
    Response response = ProtoResponse(score);
    if (response.result() == http::status::ok)
      bodies_.Put(key, std::make_shared<const Body>(Body{score.revision(), response.body()}));
    return response;
  }

 private:
  // About 4.5 KB a body.
  LruCache<std::string, std::shared_ptr<const Body>> bodies_{2048};
  prometheus::Counter* hit_;
  prometheus::Counter* miss_;
};

}  // namespace

void AddScoreRoutes(Router& router, const RouteContext& context, prometheus::Registry& registry) {
  auto bodies = std::make_shared<ScoreBodies>(registry);
  std::shared_ptr<spb::ScoringService::Stub> scoring =
      spb::ScoringService::NewStub(context.backends.scoring());
  std::shared_ptr<rpb::ReportingService::Stub> reporting =
      rpb::ReportingService::NewStub(context.backends.reporting());

  router.Add(http::verb::get, std::string(kAssessment) + "/score",
             Authed(context, Need::kAnyKey,
                    [scoring, bodies](CallPtr call, const Principal& principal, Respond respond) {
                      if (absl::Status s = CheckQuery(*call, {"lang"}); !s.ok())
                        return respond(ErrorResponse(s));
                      const std::string key = ScoreBodies::Key(*call, principal);
                      std::shared_ptr<const ScoreBodies::Body> known = bodies->Get(key);
                      spb::GetScoreRequest request;
                      request.set_organization_id(call->params.at("orgId"));
                      request.set_assessment_id(call->params.at("assessmentId"));
                      request.set_lang(QueryValue(*call, "lang"));
                      if (known) request.set_known_revision(known->revision);
                      UnaryCall<spb::Score>(
                          *call, std::move(request), SOCM_ASYNC(scoring, GetScore),
                          [bodies, key, known, respond](absl::Status status, spb::Score& score) {
                            if (!status.ok()) return respond(ErrorResponse(status));
                            respond(bodies->Answer(key, known, score));
                          });
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
