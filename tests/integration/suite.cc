#include "tests/integration/suite.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "services/common/db/db.h"
#include "services/common/status.h"

namespace socm::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(20);

const std::map<std::string, std::string>& Binaries() {
  static const std::map<std::string, std::string> binaries = {{"catalogue", SOCM_CATALOGUE_BIN},
                                                              {"assessment", SOCM_ASSESSMENT_BIN},
                                                              {"scoring", SOCM_SCORING_BIN},
                                                              {"reporting", SOCM_REPORTING_BIN}};
  return binaries;
}

}  // namespace

const std::string& ServiceBinary(const std::string& name) { return Binaries().at(name); }

std::string FreshPostgresDatabase(const std::string& name) {
  const char* base = std::getenv("SOCM_TEST_POSTGRES_URL");
  if (base == nullptr || *base == '\0') return "";
  auto admin = db::Database::Open(base, {});
  if (!admin.ok()) {
    ADD_FAILURE() << admin.status();
    return "";
  }
  const absl::Status s = (*admin)->Run([&](db::Connection& c) -> absl::Status {
    SOCM_STATUS_RETURN(
        c.ExecScript(absl::StrCat("DROP DATABASE IF EXISTS ", name, " WITH (FORCE)")));
    return c.ExecScript(absl::StrCat("CREATE DATABASE ", name));
  });
  EXPECT_TRUE(s.ok()) << s;
  const std::string url = base;
  const size_t slash = url.rfind('/');
  const size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

Suite::~Suite() { Stop(); }

bool Suite::StartRedis() {
  redis_ = std::make_unique<Process>();
  redis_->Start({"redis-server", "--port", std::to_string(redis_port_), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", "--requirepass", kRedisPassword},
                dir_ + "/redis.log");
  const bool up = !redis_->WaitForLine("Ready to accept connections", kStartTimeout).empty();
  EXPECT_TRUE(up) << "redis did not start; see " << dir_ << "/redis.log";
  return up;
}

void Suite::KillRedis() {
  if (redis_) redis_->Stop(SIGKILL, std::chrono::seconds(5));
}

// Redis as production runs it: a password on every connection, every value signed.
std::vector<std::string> Suite::RedisArgs() const {
  return {absl::StrCat("--redis-addr=127.0.0.1:", redis_port_),
          "--redis-password-file=" + dir_ + "/redis-password",
          "--cache-key-file=" + dir_ + "/cache-key"};
}

std::vector<std::string> Suite::ServiceArgs(const std::string& name, int grpc_port,
                                            const std::map<std::string, int>& ports) const {
  std::vector<std::string> argv = {
      Binaries().at(name),        absl::StrCat("--grpc-port=", grpc_port),
      "--metrics-port=0",         "--health-port=0",
      "--shutdown-grace-ms=2000", "--principal-public-key-file=" + dir_ + "/keys/principal.pub"};
  for (auto& a : TlsArgs(name)) argv.push_back(a);
  // Every component but the catalogue's Redis is also the revision board's.
  for (auto& a : RedisArgs()) argv.push_back(a);
  if (name == "catalogue") {
    // On PostgreSQL both services share one database: their migrations do not overlap.
    argv.push_back("--database-url=" + (options_.engine == "postgres"
                                            ? database_url_
                                            : "sqlite:" + dir_ + "/catalogue.db"));
    if (!options_.catalogue_memory_cache) argv.push_back("--memory-cache-entries=0");
  }
  if (name == "scoring" || name == "reporting") {
    argv.push_back(absl::StrCat("--assessment-addr=127.0.0.1:", ports.at("assessment")));
    argv.push_back(absl::StrCat("--catalogue-addr=127.0.0.1:", ports.at("catalogue")));
  }
  if (name == "assessment") {
    argv.push_back("--database-url=" + database_url_);
    argv.push_back(absl::StrCat("--catalogue-addr=127.0.0.1:", ports.at("catalogue")));
    argv.push_back("--audit-key-file=" + dir_ + "/audit-key");
    argv.push_back("--principal-key-file=" + principal_key_file());
    argv.push_back("--audit-seal-interval-ms=200");
    for (const auto& a : options_.assessment_args) argv.push_back(a);
  }
  return argv;
}

std::vector<std::string> Suite::TlsArgs(const std::string& component) const {
  const std::string keys = dir_ + "/keys/";
  return {"--tls-ca-file=" + keys + "ca.crt", "--tls-cert-file=" + keys + component + ".crt",
          "--tls-key-file=" + keys + component + ".key"};
}

bool MakeSuiteKeys(const std::string& dir) {
  return std::system(("bash " SOCM_MAKE_KEYS " " + dir).c_str()) == 0;
}

std::shared_ptr<grpc::ChannelCredentials> CredentialsFrom(const std::string& keys_dir,
                                                          const std::string& component,
                                                          bool with_certificate,
                                                          const std::string& ca_file) {
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = read(ca_file.empty() ? keys_dir + "/ca.crt" : ca_file);
  if (with_certificate) {
    options.pem_cert_chain = read(keys_dir + "/" + component + ".crt");
    options.pem_private_key = read(keys_dir + "/" + component + ".key");
  }
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> Suite::Credentials(const std::string& component,
                                                             bool with_certificate) const {
  return CredentialsFrom(dir_ + "/keys", component, with_certificate);
}

std::shared_ptr<grpc::Channel> Suite::Channel(const std::string& service) const {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", grpc_ports_.at(service)),
                             Credentials("gateway"));
}

std::vector<std::string> Suite::GatewayArgs() const { return GatewayArgs(grpc_ports_); }

std::vector<std::string> Suite::GatewayArgs(const std::map<std::string, int>& ports) const {
  std::vector<std::string> gateway_args = {
      SOCM_GATEWAY_BIN,
      "--http-port=0",
      "--metrics-port=0",
      "--request-timeout-ms=3000",
      "--key-cache-ms=200",
      absl::StrCat("--operator-token=", kOperatorToken),
      absl::StrCat("--rate-limit-per-second=", options_.rate_limit_per_second),
      absl::StrCat("--rate-limit-burst=", options_.rate_limit_per_second),
      absl::StrCat("--catalogue-addr=127.0.0.1:", ports.at("catalogue")),
      absl::StrCat("--assessment-addr=127.0.0.1:", ports.at("assessment")),
      absl::StrCat("--scoring-addr=127.0.0.1:", ports.at("scoring")),
      absl::StrCat("--reporting-addr=127.0.0.1:", ports.at("reporting")),
      "--principal-key-file=" + principal_key_file(),
      "--secret-key-file=" + dir_ + "/keys/secrets.key"};
  for (auto& a : RedisArgs()) gateway_args.push_back(a);
  for (auto& a : TlsArgs("gateway")) gateway_args.push_back(a);
  for (const auto& a : options_.gateway_args) gateway_args.push_back(a);
  if (options_.gateway_read_timeout_ms > 0) {
    gateway_args.push_back(absl::StrCat("--read-timeout-ms=", options_.gateway_read_timeout_ms));
  }
  return gateway_args;
}

bool Suite::Start(const SuiteOptions& options) {
  options_ = options;
  char tmpl[] = "/tmp/socm-suite-XXXXXX";
  dir_ = mkdtemp(tmpl);
  if (options.engine == "postgres") {
    database_url_ = FreshPostgresDatabase(absl::StrCat("socm_suite_", getpid()));
    if (database_url_.empty()) return false;
  } else {
    database_url_ = "sqlite:" + dir_ + "/assessment.db";
  }
  redis_port_ = FreePort();
  std::ofstream(dir_ + "/redis-password") << kRedisPassword << "\n";
  std::ofstream(dir_ + "/cache-key") << "suite-cache-signing-key-0123456789abcdef\n";
  std::ofstream(dir_ + "/audit-key") << "suite-audit-sealing-key-0123456789abcdef\n";
  // The suite's CA, a certificate per component and the principal key pair, made the way
  // deploy/local/run.sh makes them.
  if (!MakeSuiteKeys(dir_ + "/keys")) {
    ADD_FAILURE() << "deploy/local/make-keys.sh failed";
    return false;
  }
  if (!StartRedis()) return false;
  if (!StartServices(services_, grpc_ports_, "")) return false;
  for (const auto& [name, p] : services_) {
    metrics_ports_[name] = p->ServingPort("metrics_port", kStartTimeout);
    health_ports_[name] = p->ServingPort("health_port", kStartTimeout);
  }
  std::vector<std::string> gateway_args = GatewayArgs();
  gateway_ = std::make_unique<Process>();
  gateway_->Start(gateway_args, dir_ + "/gateway.log");
  http_port_ = gateway_->ServingPort("http_port", kStartTimeout);
  metrics_ports_["gateway"] = gateway_->ServingPort("metrics_port", kStartTimeout);
  if (http_port_ <= 0) {
    ADD_FAILURE() << "gateway did not start; see " << dir_ << "/gateway.log";
    return false;
  }
  return true;
}

bool Suite::StartServices(std::map<std::string, std::unique_ptr<Process>>& processes,
                          std::map<std::string, int>& ports, const std::string& log_suffix) {
  // The catalogue first: the assessment service needs its address.
  for (const char* name : {"catalogue", "assessment", "scoring", "reporting"}) {
    auto& p = processes[name];
    p = std::make_unique<Process>();
    p->Start(ServiceArgs(name, 0, ports), absl::StrCat(dir_, "/", name, log_suffix, ".log"));
    ports[name] = p->ServingPort("grpc_port", kStartTimeout);
    if (ports[name] <= 0) {
      ADD_FAILURE() << name << " did not start; see " << p->log_path();
      return false;
    }
  }
  return true;
}

int Suite::StartSecondReplicas() {
  if (options_.engine != "postgres") {
    ADD_FAILURE() << "second replicas share a PostgreSQL database";
    return 0;
  }
  if (!StartServices(second_services_, second_ports_, ".2")) return 0;
  second_gateway_ = std::make_unique<Process>();
  second_gateway_->Start(GatewayArgs(second_ports_), dir_ + "/gateway.2.log");
  const int port = second_gateway_->ServingPort("http_port", kStartTimeout);
  if (port <= 0) ADD_FAILURE() << "the second gateway did not start; see " << dir_;
  return port > 0 ? port : 0;
}

bool Suite::RestartService(const std::string& name, const std::vector<std::string>& extra) {
  auto& p = services_.at(name);
  p = std::make_unique<Process>();
  const int n = ++restarts_[name];
  std::vector<std::string> argv = ServiceArgs(name, grpc_ports_.at(name), grpc_ports_);
  argv.insert(argv.end(), extra.begin(), extra.end());
  p->Start(argv, absl::StrCat(dir_, "/", name, ".", n, ".log"));
  metrics_ports_[name] = p->ServingPort("metrics_port", kStartTimeout);
  health_ports_[name] = p->ServingPort("health_port", kStartTimeout);
  return metrics_ports_[name] > 0;
}

void Suite::Stop() {
  if (dir_.empty()) return;
  if (second_gateway_ && second_gateway_->running()) {
    EXPECT_EQ(second_gateway_->Stop(SIGTERM, std::chrono::seconds(10)), 0) << "gateway 2";
  }
  for (auto& [name, p] : second_services_) {
    if (p && p->running()) {
      EXPECT_EQ(p->Stop(SIGTERM, std::chrono::seconds(10)), 0) << name << " 2";
    }
  }
  if (gateway_ && gateway_->running()) {
    EXPECT_EQ(gateway_->Stop(SIGTERM, std::chrono::seconds(10)), 0) << "gateway";
  }
  for (auto& [name, p] : services_) {
    if (p && p->running()) {
      EXPECT_EQ(p->Stop(SIGTERM, std::chrono::seconds(10)), 0) << name;
    }
  }
  if (redis_) redis_->Stop(SIGTERM, std::chrono::seconds(5));
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_);
  dir_.clear();
}

}  // namespace socm::testing
