#include "services/common/suite_tls.h"

#include <mutex>

#include "services/common/log.h"
#include "services/common/secret_file.h"

namespace socm {
namespace {

struct Installed {
  std::mutex mu;
  bool tls = false;
  std::string ca, cert, key;
};

Installed& State() {
  static Installed state;
  return state;
}

bool ReadPem(const std::string& setting, const std::string& path, std::string* out) {
  if (!ReadSecretFile(setting, path, out).ok() || out->find("-----BEGIN") == std::string::npos) {
    Log(LogLevel::kError, "cannot read a PEM file", {{"setting", setting}, {"path", path}});
    return false;
  }
  return true;
}

}  // namespace

SuiteTlsSettings ReadSuiteTlsSettings(Config& config) {
  SuiteTlsSettings settings;
  settings.ca_file = config.String("tls-ca-file", "");
  settings.cert_file = config.String("tls-cert-file", "");
  settings.key_file = config.String("tls-key-file", "");
  settings.insecure_local = config.Bool("insecure-local", false);
  return settings;
}

bool InstallSuiteTlsOrLog(const SuiteTlsSettings& settings) {
  const bool any =
      !settings.ca_file.empty() || !settings.cert_file.empty() || !settings.key_file.empty();
  if (settings.insecure_local) {
    if (any) {
      Log(LogLevel::kError, "--insecure-local and --tls-* files both given: choose one");
      return false;
    }
    Log(LogLevel::kWarn,
        "--insecure-local: the suite's components talk in plaintext and accept any peer; "
        "for one machine only");
    return true;
  }
  if (settings.ca_file.empty() || settings.cert_file.empty() || settings.key_file.empty()) {
    Log(LogLevel::kError,
        "--tls-ca-file, --tls-cert-file and --tls-key-file are required (mutual TLS between "
        "the suite's components); --insecure-local turns it off on one machine");
    return false;
  }
  Installed& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  if (!ReadPem("tls-ca-file", settings.ca_file, &state.ca) ||
      !ReadPem("tls-cert-file", settings.cert_file, &state.cert) ||
      !ReadPem("tls-key-file", settings.key_file, &state.key)) {
    return false;
  }
  state.tls = true;
  return true;
}

std::shared_ptr<grpc::ChannelCredentials> SuiteChannelCredentials() {
  Installed& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  if (!state.tls) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = state.ca;
  options.pem_private_key = state.key;
  options.pem_cert_chain = state.cert;
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::ServerCredentials> SuiteServerCredentials() {
  Installed& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  if (!state.tls) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = state.ca;
  options.pem_key_cert_pairs.push_back({state.key, state.cert});
  return grpc::SslServerCredentials(options);
}

}  // namespace socm
