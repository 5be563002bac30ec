// The assessment service: the system of record: tenants, keys, organisations, assessments, answers,
// audit log. For now a skeleton: it starts, answers health checks and exposes metrics; every RPC
// answers UNIMPLEMENTED until its own issue lands.
#include "services/common/config.h"
#include "services/common/log.h"
#include "services/common/service_host.h"
#include "soc/maturity/assessment/v1/assessment.grpc.pb.h"

int main(int argc, char** argv) {
  socm::BlockTerminationSignals();
  socm::SetLogService("assessment");
  socm::Config config(argc, argv);
  socm::ServiceHostOptions options = socm::ReadHostOptions(config, "assessment", 7102, 9102);
  options.health_names = {"soc.maturity.assessment.v1.AssessmentService"};
  if (!socm::FinishConfig(config)) return 2;
  socm::ServiceHost host(options);
  soc::maturity::assessment::v1::AssessmentService::CallbackService service;
  host.AddService(&service);
  return host.Run();
}
