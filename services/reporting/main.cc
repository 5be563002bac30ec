// The reporting service: reports: HTML with an SVG radar, PDF, JSON, CSV, XLSX.
// For now a skeleton: it starts, answers health checks and exposes metrics;
// every RPC answers UNIMPLEMENTED until its own issue lands.
#include "services/common/config.h"
#include "services/common/log.h"
#include "services/common/service_host.h"
#include "soc/maturity/reporting/v1/reporting.grpc.pb.h"

int main(int argc, char** argv) {
  socm::BlockTerminationSignals();
  socm::SetLogService("reporting");
  socm::Config config(argc, argv);
  socm::ServiceHostOptions options = socm::ReadHostOptions(config, "reporting", 7104, 9104);
  options.health_names = {"soc.maturity.reporting.v1.ReportingService"};
  if (!socm::FinishConfig(config)) return 2;
  socm::ServiceHost host(options);
  soc::maturity::reporting::v1::ReportingService::CallbackService service;
  host.AddService(&service);
  return host.Run();
}
