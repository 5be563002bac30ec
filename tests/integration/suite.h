#pragma once
// Suite runs the whole product for a test: its own Redis, the four services
// and the gateway as real processes on ports they pick themselves, with the
// assessment store on SQLite or on a PostgreSQL database of its own.

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/process.h"

namespace socm::testing {

struct SuiteOptions {
  // "sqlite" (a file in the suite's folder) or "postgres" (a fresh database on
  // the server SOCM_TEST_POSTGRES_URL names).
  std::string engine = "sqlite";
  // Turns the catalogue's in-process cache off so every lookup reaches Redis.
  bool catalogue_memory_cache = true;
  int rate_limit_per_second = 1000;
  // The gateway's --read-timeout-ms; 0 keeps its default (30 s).
  int gateway_read_timeout_ms = 0;
  // More flags for the assessment service (e.g. small quotas).
  std::vector<std::string> assessment_args = {};
  // More flags for the gateway (e.g. --public-url).
  std::vector<std::string> gateway_args = {};
};

inline constexpr char kOperatorToken[] = "test-operator-token-0123456789abcdef";
// The suite's Redis requires it (--requirepass); the processes read it from a file.
inline constexpr char kRedisPassword[] = "suite-redis-password";

class Suite {
 public:
  // Fails the calling test (and returns false) when something does not start.
  bool Start(const SuiteOptions& options);
  void Stop();  // SIGTERM everything; each must exit 0
  ~Suite();

  int http_port() const { return http_port_; }
  int grpc_port(const std::string& service) const { return grpc_ports_.at(service); }
  int redis_port() const { return redis_port_; }
  // --redis-addr, --redis-password-file and --cache-key-file as the suite's processes get them.
  std::vector<std::string> RedisArgs() const;
  // The suite's gateway command line (binary first), for a second gateway beside it.
  std::vector<std::string> GatewayArgs() const;
  // A second replica of every component (PostgreSQL only): on the same database and Redis,
  // each calling the second replicas of the others. The second gateway's HTTP port; 0 after
  // failing the calling test.
  int StartSecondReplicas();
  int metrics_port(const std::string& service) const { return metrics_ports_.at(service); }
  // The plaintext port that serves the health service alone (kubelet's probes).
  int health_port(const std::string& service) const { return health_ports_.at(service); }
  Process& service(const std::string& name) { return *services_.at(name); }
  Process& gateway() { return *gateway_; }
  bool StartRedis();
  void KillRedis();
  // Starts a service again on the port it had (after a kill), with `extra` flags after its own
  // (a flag given again there wins).
  bool RestartService(const std::string& name, const std::vector<std::string>& extra = {});
  const std::string& dir() const { return dir_; }
  // The private key the gateway and the assessment service sign principal tokens with (a
  // test can sign its own, as a component of the suite would).
  std::string principal_key_file() const { return dir_ + "/keys/principal.key"; }
  // --tls-ca-file, --tls-cert-file and --tls-key-file of `component` (its certificate from the
  // suite's CA).
  std::vector<std::string> TlsArgs(const std::string& component) const;
  // Mutual TLS as `component` presents it; without the certificate, trusting the CA alone.
  std::shared_ptr<grpc::ChannelCredentials> Credentials(const std::string& component,
                                                        bool with_certificate = true) const;
  // A channel to `service` with the gateway's certificate (a test acting as a component).
  std::shared_ptr<grpc::Channel> Channel(const std::string& service) const;
  const std::string& database_url() const { return database_url_; }

 private:
  // `ports`: where the components it calls listen.
  std::vector<std::string> ServiceArgs(const std::string& name, int grpc_port,
                                       const std::map<std::string, int>& ports) const;
  std::vector<std::string> GatewayArgs(const std::map<std::string, int>& ports) const;
  // Starts the four services on ports of their choice, filling `ports`.
  bool StartServices(std::map<std::string, std::unique_ptr<Process>>& processes,
                     std::map<std::string, int>& ports, const std::string& log_suffix);

  SuiteOptions options_;
  std::string dir_;
  std::string database_url_;
  int redis_port_ = 0;
  int http_port_ = 0;
  std::unique_ptr<Process> redis_;
  std::unique_ptr<Process> gateway_;
  std::map<std::string, std::unique_ptr<Process>> services_;
  std::map<std::string, int> grpc_ports_;
  std::map<std::string, int> metrics_ports_;
  std::map<std::string, int> health_ports_;
  std::map<std::string, int> restarts_;
  std::map<std::string, std::unique_ptr<Process>> second_services_;
  std::map<std::string, int> second_ports_;
  std::unique_ptr<Process> second_gateway_;
};

// Makes a CA, component certificates and a principal key pair in `dir` with
// deploy/local/make-keys.sh (as run.sh does); false when it fails.
bool MakeSuiteKeys(const std::string& dir);
// Mutual TLS credentials from the files of a make-keys folder: `component`'s certificate
// (when `with_certificate`), trusting `ca_file` (the folder's own CA when empty).
std::shared_ptr<grpc::ChannelCredentials> CredentialsFrom(const std::string& keys_dir,
                                                          const std::string& component,
                                                          bool with_certificate,
                                                          const std::string& ca_file = "");

// The path of a service's binary: "catalogue", "assessment", "scoring" or "reporting".
const std::string& ServiceBinary(const std::string& name);

// A fresh, empty database on the test PostgreSQL server, as a URL; "" when no
// server is configured.
std::string FreshPostgresDatabase(const std::string& name);

}  // namespace socm::testing
