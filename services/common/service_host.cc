#include "services/common/service_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <prometheus/exposer.h>
#include <prometheus/registry.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_metrics.h"
#include "services/common/log.h"
#include "services/common/suite_tls.h"

namespace socm {

ServiceHostOptions ReadHostOptions(Config& config, std::string name, int default_grpc_port,
                                   int default_metrics_port) {
  ServiceHostOptions options;
  options.name = std::move(name);
  options.host = config.String("host", "127.0.0.1");
  options.grpc_port = config.Port("grpc-port", default_grpc_port);
  options.metrics_port = config.Port("metrics-port", default_metrics_port);
  options.health_port = static_cast<int>(config.Int("health-port", -1, -1, 65535));
  options.grace = config.Millis("shutdown-grace-ms", 10000);
  options.max_concurrent_streams = static_cast<int>(
      config.Int("max-concurrent-streams", options.max_concurrent_streams, 1, 65536));
  return options;
}

void ReadWorkQueueOptions(Config& config, ServiceHostOptions& options) {
  options.work.threads =
      static_cast<int>(config.Int("worker-threads", options.work.threads, 1, 1024));
  options.work.max_waiting =
      static_cast<int>(config.Int("max-waiting-calls", options.work.max_waiting, 1, 1 << 20));
}

bool FinishConfig(Config& config) {
  const absl::Status status = config.Finish();
  if (!status.ok())
    Log(LogLevel::kError, "cannot start", {{"error", std::string(status.message())}});
  return status.ok();
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ServiceHost::ServiceHost(ServiceHostOptions options)
    : options_(std::move(options)), registry_(std::make_shared<prometheus::Registry>()) {}

ServiceHost::~ServiceHost() {
  if (server_) Shutdown();
}

void ServiceHost::AddService(grpc::Service* service) { services_.push_back(service); }

WorkQueue& ServiceHost::work() {
  if (work_ == nullptr)
    work_ = std::make_unique<WorkQueue>(options_.name, options_.work, *registry_);
  return *work_;
}

absl::Status ServiceHost::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat(options_.host, ":", options_.grpc_port),
                           SuiteServerCredentials(), &grpc_port_);
  for (grpc::Service* service : services_) builder.RegisterService(service);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options_.max_concurrent_streams);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  // gRPC sets SO_REUSEPORT by default, so a second process started on a port already in use
  // would silently share its connections. Seen in tests: another suite's service took the
  // port, and calls reached a server without the method (UNIMPLEMENTED). Fail at bind instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<GrpcMetricsFactory>(*registry_));
  builder.experimental().SetInterceptorCreators(std::move(creators));

  server_ = builder.BuildAndStart();
  if (!server_ || grpc_port_ == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.host, ":", options_.grpc_port));
  }
  if (options_.metrics_port >= 0) {
    try {
      exposer_ = std::make_unique<prometheus::Exposer>(
          absl::StrCat(options_.host, ":", options_.metrics_port));
    } catch (const std::exception& e) {
      Shutdown();
      return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", options_.host, ":",
                                                 options_.metrics_port, ": ", e.what()));
    }
    exposer_->RegisterCollectable(registry_);
    metrics_port_ = exposer_->GetListeningPorts().front();
  }
  if (options_.health_port >= 0) {
    // No service of ours is registered here: the default health service alone (and
    // reflection, which then lists nothing else).
    grpc::ServerBuilder health_builder;
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);  // as the main port
    health_builder.AddListeningPort(absl::StrCat(options_.host, ":", options_.health_port),
                                    grpc::InsecureServerCredentials(), &health_port_);
    health_server_ = health_builder.BuildAndStart();
    if (!health_server_ || health_port_ == 0) {
      Shutdown();
      return absl::UnavailableError(
          absl::StrCat("cannot serve health on ", options_.host, ":", options_.health_port));
    }
  }
  for (grpc::Server* server : {server_.get(), health_server_.get()}) {
    if (server == nullptr) continue;
    auto* health = server->GetHealthCheckService();
    health->SetServingStatus(true);
    for (const std::string& name : options_.health_names) health->SetServingStatus(name, true);
  }
  Log(LogLevel::kInfo, "serving",
      {{"grpc_port", grpc_port_},
       {"metrics_port", metrics_port_},
       {"health_port", health_port_},
       {"host", options_.host}});
  return absl::OkStatus();
}

void ServiceHost::WaitForTermination() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  Log(LogLevel::kInfo, "draining",
      {{"signal", signal_number}, {"grace_ms", options_.grace.count()}});
  Shutdown();
}

int ServiceHost::Run() {
  if (absl::Status s = Start(); !s.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", std::string(s.message())}});
    return 1;
  }
  WaitForTermination();
  return 0;
}

void ServiceHost::Shutdown() {
  if (!server_) return;
  // Readiness drops first so load balancers stop sending new calls.
  server_->GetHealthCheckService()->Shutdown();
  if (health_server_) health_server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(std::chrono::system_clock::now() + options_.grace);
  server_->Wait();
  server_.reset();
  if (health_server_) {
    health_server_->Shutdown(std::chrono::system_clock::now());
    health_server_->Wait();
    health_server_.reset();
  }
  Log(LogLevel::kInfo, "stopped");
}

}  // namespace socm
