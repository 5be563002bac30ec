// The scoring service: maturity per function, gaps, trends and the peer benchmark.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "services/common/caller_metadata.h"
#include "services/common/config.h"
#include "services/common/log.h"
#include "services/common/redis_settings.h"
#include "services/common/runtime.h"
#include "services/common/service_host.h"
#include "services/common/suite_tls.h"
#include "services/scoring/server/scoring_service.h"

int main(int argc, char** argv) {
  socm::BlockTerminationSignals();
  socm::PrepareRuntime();
  socm::SetLogService("scoring");
  socm::Config config(argc, argv);
  socm::ServiceHostOptions options = socm::ReadHostOptions(config, "scoring", 7103, 9103);
  options.health_names = {"soc.maturity.scoring.v1.ScoringService"};
  const std::string assessment_addr = config.String("assessment-addr", "127.0.0.1:7102");
  const std::string catalogue_addr = config.String("catalogue-addr", "127.0.0.1:7101");
  const std::string principal_public_key_file = config.String("principal-public-key-file", "");
  const socm::SuiteTlsSettings tls = socm::ReadSuiteTlsSettings(config);
  // The revision board: the same Redis and --cache-key-file as the assessment service's.
  socm::RedisSettings redis_settings = socm::ReadRedisSettings(config);
  if (!socm::FinishConfig(config)) return 2;
  if (!socm::LoadRedisSecretsOrLog(redis_settings)) return 2;
  if (!socm::InstallPrincipalVerifierOrLog(principal_public_key_file)) return 2;
  if (!socm::InstallSuiteTlsOrLog(tls)) return 2;

  socm::AssessmentClient assessments(socm::LargeReplyChannel(assessment_addr));
  socm::CatalogueClient catalogues(
      grpc::CreateChannel(catalogue_addr, socm::SuiteChannelCredentials()));
  socm::ServiceHost host(options);
  socm::RedisCache redis(redis_settings.options, host.registry(), "revision_board");
  if (!socm::CheckRedisAtStart(redis)) return 2;
  socm::RevisionBoard board(redis);
  socm::scoring::ScoringServiceImpl service(assessments, catalogues, host.registry());
  service.set_revision_board(&board);
  host.AddService(&service);
  const int code = host.Run();
  // Lookups still queued answer while the service they answer into exists.
  redis.StopPipeline();
  return code;
}
