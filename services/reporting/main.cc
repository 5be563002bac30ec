// The reporting service: HTML with an SVG radar, PDF, JSON, CSV and XLSX
// reports of one assessment, in Japanese or English.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "services/common/caller_metadata.h"
#include "services/common/config.h"
#include "services/common/log.h"
#include "services/common/redis_settings.h"
#include "services/common/runtime.h"
#include "services/common/service_host.h"
#include "services/common/suite_tls.h"
#include "services/reporting/server/reporting_service.h"

int main(int argc, char** argv) {
  socm::BlockTerminationSignals();
  socm::PrepareRuntime();
  socm::SetLogService("reporting");
  socm::Config config(argc, argv);
  socm::ServiceHostOptions options = socm::ReadHostOptions(config, "reporting", 7104, 9104);
  socm::ReadWorkQueueOptions(config, options);
  options.health_names = {"soc.maturity.reporting.v1.ReportingService"};
  const std::string assessment_addr = config.String("assessment-addr", "127.0.0.1:7102");
  const std::string catalogue_addr = config.String("catalogue-addr", "127.0.0.1:7101");
  socm::RedisSettings redis_settings = socm::ReadRedisSettings(config);
  const std::string principal_public_key_file = config.String("principal-public-key-file", "");
  const socm::SuiteTlsSettings tls = socm::ReadSuiteTlsSettings(config);
  if (!socm::FinishConfig(config)) return 2;
  if (!socm::InstallPrincipalVerifierOrLog(principal_public_key_file)) return 2;
  if (!socm::InstallSuiteTlsOrLog(tls)) return 2;
  if (!socm::LoadRedisSecretsOrLog(redis_settings)) return 2;

  socm::AssessmentClient assessments(socm::LargeReplyChannel(assessment_addr));
  socm::CatalogueClient catalogues(
      grpc::CreateChannel(catalogue_addr, socm::SuiteChannelCredentials()));
  socm::ServiceHost host(options);
  socm::RedisCache cache(redis_settings.options, host.registry(), "report_redis");
  if (!socm::CheckRedisAtStart(cache)) return 2;
  socm::reporting::ReportingServiceImpl service(host.work(), assessments, catalogues, cache);
  host.AddService(&service);
  return host.Run();
}
