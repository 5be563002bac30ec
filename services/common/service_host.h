#pragma once
// ServiceHost is the bootstrap every gRPC service uses: it serves the given
// services with the gRPC health service and reflection on, counts calls into
// Prometheus (served on a separate metrics port), and on SIGTERM or SIGINT
// stops accepting, lets in-flight calls finish within the grace period and
// returns. Example (main.cc):
//   socm::BlockTerminationSignals();           // first thing in main
//   socm::ServiceHost host(options);
//   CatalogueServiceImpl service(...);
//   host.AddService(&service);
//   return host.Run();   // Start(), then WaitForTermination()

#include <grpcpp/server.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/common/config.h"
#include "services/common/work_queue.h"

namespace prometheus {
class Exposer;
class Registry;
}  // namespace prometheus

namespace socm {

struct ServiceHostOptions {
  // Short name for logs, e.g. "catalogue".
  std::string name;
  std::string host = "127.0.0.1";
  int grpc_port = 0;     // 0: any free port, see grpc_port()
  int metrics_port = 0;  // 0: any free port; -1: no metrics endpoint
  // A plaintext port that serves the gRPC health service alone, for kubelet's gRPC probes
  // (which cannot present a client certificate); -1: none, 0: any free port.
  int health_port = -1;
  std::chrono::milliseconds grace{10000};
  // Calls served at once on one client connection; a client's further calls wait in the
  // client. Without a bound, a caller sending faster than the service answers grows the
  // service's memory without end (seen: 2 GB in 20 s of overload).
  int max_concurrent_streams = 256;
  // The largest request message accepted. gRPC's default is 4 MiB; the assessment service
  // takes workbooks of up to 5 MiB (the gateway's limit for those routes) and sets more.
  int max_receive_message_bytes = 4 << 20;
  // Fully qualified service names reported SERVING by the health service.
  std::vector<std::string> health_names;
  // The threads and queue bound of the process's WorkQueue (work_queue.h).
  WorkQueueOptions work;
};

// Reads the options every service shares: --host, --grpc-port, --metrics-port, --health-port,
// --shutdown-grace-ms, --max-concurrent-streams (or their SOCM_* variables). The gRPC port
// serves with SuiteServerCredentials() (suite_tls.h).
// Config::Finish(), logging the problem; false means exit with code 2.
bool FinishConfig(Config& config);

ServiceHostOptions ReadHostOptions(Config& config, std::string name, int default_grpc_port,
                                   int default_metrics_port);
// --worker-threads and --max-waiting-calls, for a service whose handlers use work().
void ReadWorkQueueOptions(Config& config, ServiceHostOptions& options);

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later, so WaitForTermination() can take them with sigwait. Call first in main.
void BlockTerminationSignals();

class ServiceHost {
 public:
  explicit ServiceHost(ServiceHostOptions options);
  ~ServiceHost();

  prometheus::Registry& registry() { return *registry_; }
  // Where the process's handlers do their blocking work; made on first use, stopped after
  // the gRPC server (which waits for every call, so for the work those calls queued).
  WorkQueue& work();
  void AddService(grpc::Service* service);

  absl::Status Start();
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }
  int health_port() const { return health_port_; }

  // Waits for SIGTERM/SIGINT, then drains and stops.
  void WaitForTermination();
  // Start() then WaitForTermination(); the process exit code (1: could not start).
  int Run();
  // Drains and stops now (tests).
  void Shutdown();

 private:
  ServiceHostOptions options_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::vector<grpc::Service*> services_;
  std::unique_ptr<WorkQueue> work_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;
  int grpc_port_ = 0;
  int health_port_ = 0;
  int metrics_port_ = 0;
};

}  // namespace socm
