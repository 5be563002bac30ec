// The scoring service: maturity per function, gaps, trends and the peer benchmark.
// For now a skeleton: it starts, answers health checks and exposes metrics;
// every RPC answers UNIMPLEMENTED until its own issue lands.
#include "services/common/config.h"
#include "services/common/log.h"
#include "services/common/service_host.h"
#include "soc/maturity/scoring/v1/scoring.grpc.pb.h"

int main(int argc, char** argv) {
  socm::BlockTerminationSignals();
  socm::SetLogService("scoring");
  socm::Config config(argc, argv);
  socm::ServiceHostOptions options = socm::ReadHostOptions(config, "scoring", 7103, 9103);
  options.health_names = {"soc.maturity.scoring.v1.ScoringService"};
  if (!socm::FinishConfig(config)) return 2;
  socm::ServiceHost host(options);
  soc::maturity::scoring::v1::ScoringService::CallbackService service;
  host.AddService(&service);
  return host.Run();
}
