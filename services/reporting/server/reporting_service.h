#pragma once
// The ReportingService RPC: fetch the organisation, the assessment and its
// pinned catalogue, score it with the scoring arithmetic (a pure function,
// linked rather than called over the network, since it needs nothing the
// assessment did not already bring), and render. A report depends only on
// (assessment, revision, format, language), so rendered files are cached in
// Redis under that key: a PDF costs milliseconds to draw and nothing to fetch.

#include <prometheus/registry.h>

#include "services/common/assessment_client.h"
#include "services/common/catalogue_client.h"
#include "services/common/lru_cache.h"
#include "services/common/redis_cache.h"
#include "services/common/work_queue.h"
#include "soc/maturity/reporting/v1/reporting.grpc.pb.h"

namespace socm::reporting {

namespace rpb = soc::maturity::reporting::v1;

class ReportingServiceImpl final : public rpb::ReportingService::CallbackService {
 public:
  // Everything passed must outlive the service.
  ReportingServiceImpl(WorkQueue& work, AssessmentClient& assessments, CatalogueClient& catalogues,
                       RedisCache& cache)
      : work_(work), assessments_(assessments), catalogues_(catalogues), cache_(cache) {}

  grpc::ServerUnaryReactor* RenderReport(grpc::CallbackServerContext* context,
                                         const rpb::RenderReportRequest* request,
                                         rpb::RenderReportResponse* response) override;
  grpc::ServerUnaryReactor* RenderBlankSheet(grpc::CallbackServerContext* context,
                                             const rpb::RenderBlankSheetRequest* request,
                                             rpb::RenderReportResponse* response) override;
  grpc::ServerUnaryReactor* RenderPortfolio(grpc::CallbackServerContext* context,
                                            const rpb::RenderPortfolioRequest* request,
                                            rpb::RenderReportResponse* response) override;

 private:
  WorkQueue& work_;
  AssessmentClient& assessments_;
  CatalogueClient& catalogues_;
  RedisCache& cache_;
  // The newest revision seen per (tenant, organisation, assessment): sent as known_revision,
  // it spares the document's read and parse when the report is already in Redis.
  LruCache<std::string, int32_t> last_revision_{8192};
};

}  // namespace socm::reporting
