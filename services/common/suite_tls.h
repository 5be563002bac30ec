#pragma once
// How the suite's components reach each other: mutual TLS on every hop (the gateway to each
// service, and service to service), each process with its own certificate from the suite's
// own CA and trusting that CA alone, so a process without such a certificate cannot even
// complete a handshake with a service. Plaintext only with an explicit --insecure-local.
// Set once in main before any channel or server is made. Example:
//   SuiteTlsSettings tls = ReadSuiteTlsSettings(config);   // before config.Finish()
//   if (!InstallSuiteTlsOrLog(tls)) return 2;
//   grpc::CreateChannel(address, SuiteChannelCredentials());

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "services/common/config.h"

namespace socm {

struct SuiteTlsSettings {
  std::string ca_file;          // --tls-ca-file: the suite's CA certificate (PEM)
  std::string cert_file;        // --tls-cert-file: this process's certificate (PEM)
  std::string key_file;         // --tls-key-file: its private key (PEM)
  bool insecure_local = false;  // --insecure-local: plaintext between components
};

SuiteTlsSettings ReadSuiteTlsSettings(Config& config);

// Loads the three files, or accepts --insecure-local (with a warning); false (logged) when
// neither is given, both are, or a file cannot be read: the process must not start.
bool InstallSuiteTlsOrLog(const SuiteTlsSettings& settings);

// Mutual TLS with the installed certificate, or plaintext when --insecure-local was given.
// Before anything is installed (unit tests of a single service), plaintext.
std::shared_ptr<grpc::ChannelCredentials> SuiteChannelCredentials();
// A server that asks for and verifies the client's certificate against the suite's CA.
std::shared_ptr<grpc::ServerCredentials> SuiteServerCredentials();

}  // namespace socm
