// The gateway: the public REST/JSON entry of the suite. It serves the routes
// of the API contract by calling the backend services over gRPC.
#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "gateway/oidc/provider_directory.h"
#include "gateway/oidc/secret_box.h"
#include "gateway/principal_signing.h"
#include "gateway/route_table.h"
#include "services/common/caller_metadata.h"
#include "services/common/config.h"
#include "services/common/log.h"
#include "services/common/outbound_address.h"
#include "services/common/redis_settings.h"
#include "services/common/runtime.h"
#include "services/common/suite_tls.h"

#ifndef SOCM_DEFAULT_WEB_DIR
#define SOCM_DEFAULT_WEB_DIR "gateway/web"
#endif
#ifndef SOCM_DEFAULT_DOCS_DIR
#define SOCM_DEFAULT_DOCS_DIR "node_modules/redoc/bundles"
#endif

namespace {

using socm::LogLevel;

// Stops the io_context once no request is in flight and every response is
// written, or when the grace runs out.
void StopWhenIdle(boost::asio::io_context& ioc, socm::gateway::Gateway& gateway,
                  socm::gateway::HttpServer& server,
                  std::shared_ptr<boost::asio::steady_timer> timer,
                  std::chrono::steady_clock::time_point give_up) {
  const bool idle = gateway.in_flight() == 0 && server.busy() == 0;
  if (idle || std::chrono::steady_clock::now() >= give_up) {
    socm::Log(LogLevel::kInfo, "stopped",
              {{"abandoned", gateway.in_flight()}, {"unwritten", server.busy()}});
    ioc.stop();
    return;
  }
  timer->expires_after(std::chrono::milliseconds(20));
  timer->async_wait([&ioc, &gateway, &server, timer, give_up](const boost::system::error_code&) {
    StopWhenIdle(ioc, gateway, server, timer, give_up);
  });
}

// Writes `text` to `path`, readable by this user alone, whole or not at all (a reader polling
// for the file never sees half of it).
absl::Status WritePrivateFile(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  // A fresh file of our own: never one planted there, nor what a planted link points to.
  ::unlink(temporary.c_str());
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return absl::ErrnoToStatus(errno, "open " + temporary);
  errno = 0;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int error = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    ::unlink(temporary.c_str());
    return error != 0 ? absl::ErrnoToStatus(error, "write " + temporary)
                      : absl::InternalError("short write to " + temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::ErrnoToStatus(errno, "rename to " + path);
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  socm::PrepareRuntime();
  socm::SetLogService("gateway");
  socm::Config config(argc, argv);
  socm::gateway::HttpServerOptions http;
  http.host = config.String("host", "127.0.0.1");
  http.port = config.Port("http-port", 8080);
  // Prometheus scrapes its own port; the public one never serves metrics.
  const int metrics_port = config.Port("metrics-port", 9105);
  http.body_limit = static_cast<uint64_t>(config.Int("max-body-bytes", 1 << 20, 1, 64 << 20));
  http.read_timeout = config.Millis("read-timeout-ms", 30000);
  http.max_connections = static_cast<int>(config.Int("max-connections", 4096, 0, 1000000));
  http.max_connections_per_address =
      static_cast<int>(config.Int("max-connections-per-address", 512, 0, 1000000));
  socm::gateway::BackendAddresses addresses;
  addresses.catalogue = config.String("catalogue-addr", addresses.catalogue);
  addresses.assessment = config.String("assessment-addr", addresses.assessment);
  addresses.scoring = config.String("scoring-addr", addresses.scoring);
  addresses.reporting = config.String("reporting-addr", addresses.reporting);
  socm::gateway::GatewayOptions options;
  options.request_timeout = config.Millis("request-timeout-ms", 5000);
  options.web_dir = config.String("web-dir", SOCM_DEFAULT_WEB_DIR);
  options.docs_dir = config.String("docs-dir", SOCM_DEFAULT_DOCS_DIR);
  options.trust_forwarded_for = config.Bool("trust-forwarded-for", false);
  const int threads = static_cast<int>(config.Int("http-threads", 2, 1, 64));
  // The operator token: SOCM_OPERATOR_TOKEN, or the first line of a file.
  std::string operator_token = config.String("operator-token", "");
  const std::string operator_token_file = config.String("operator-token-file", "");
  socm::RedisSettings redis_settings = socm::ReadRedisSettings(config);
  const double rate = static_cast<double>(config.Int("rate-limit-per-second", 20, 0, 1000000));
  const int burst = static_cast<int>(config.Int("rate-limit-burst", 40, 1, 1000000));
  const auto key_cache = config.Millis("key-cache-ms", 5000);
  const auto unknown_key_cache = config.Millis("unknown-key-cache-ms", 30000);
  const auto grace = config.Millis("shutdown-grace-ms", 10000);
  const std::string principal_key_file = config.String("principal-key-file", "");
  // Keys that seal identity providers' client secrets: one base64 key of 32 bytes per line,
  // the first sealing (rotation: put a new key first, keep the old ones below).
  const std::string secret_key_file = config.String("secret-key-file", "");
  // Where browsers reach the gateway (https://soc.example.com, or http://localhost:8080 on
  // one machine): the identity providers send them back to its /auth/callback.
  options.public_url = config.String("public-url", "");
  // Identity providers on loopback or private addresses, or plain http (development, or a
  // provider on the operator's own network).
  const bool allow_private_issuers = config.Bool("allow-private-issuers", false);
  // Where to write, at each start, a one-time link that signs the operator in to the web UI
  // (deploy/local/run.sh prints it); needs operator access. Empty: none is made.
  const std::string operator_link_file = config.String("operator-link-file", "");
  const socm::SuiteTlsSettings tls = socm::ReadSuiteTlsSettings(config);
  if (absl::Status s = config.Finish(); !s.ok()) {
    socm::Log(LogLevel::kError, "cannot start", {{"error", std::string(s.message())}});
    return 2;
  }

  if (!socm::LoadRedisSecretsOrLog(redis_settings)) return 2;
  std::shared_ptr<socm::PrincipalSigner> signer =
      socm::LoadPrincipalSignerOrLog(principal_key_file);
  if (signer == nullptr) return 2;
  if (!socm::InstallSuiteTlsOrLog(tls)) return 2;
  socm::gateway::InstallGatewaySigner(std::move(signer));
  if (!secret_key_file.empty()) {
    auto box = socm::oidc::SecretBox::FromKeyFile(secret_key_file);
    if (!box.ok()) {
      socm::Log(LogLevel::kError, "cannot read the secret key file",
                {{"path", secret_key_file}, {"error", std::string(box.status().message())}});
      return 2;
    }
    options.secrets = std::move(*box);
  }
  while (!options.public_url.empty() && options.public_url.back() == '/') {
    options.public_url.pop_back();
  }
  if (!options.public_url.empty()) {
    std::string host;
    if (auto problem = socm::OutboundUrlProblem(options.public_url, &host)) {
      socm::Log(LogLevel::kError, "--public-url " + *problem);
      return 2;
    }
    socm::oidc::ProviderHttpOptions provider_http;
    provider_http.allow_private = allow_private_issuers;
    options.providers = std::make_shared<socm::oidc::ProviderDirectory>(
        std::make_shared<socm::oidc::ProviderHttp>(provider_http));
  }
  if (operator_token.empty() && !operator_token_file.empty()) {
    std::ifstream in(operator_token_file);
    std::getline(in, operator_token);
    if (!in && operator_token.empty()) {
      socm::Log(LogLevel::kError, "cannot read the operator token file",
                {{"path", operator_token_file}});
      return 2;
    }
  }
  if (operator_token.empty()) {
    socm::Log(LogLevel::kWarn, "no operator token configured: tenant administration is disabled");
  } else if (operator_token.size() < 16) {
    socm::Log(LogLevel::kError, "the operator token must be at least 16 characters");
    return 2;
  }

  socm::gateway::Backends backends(addresses);
  auto registry = std::make_shared<prometheus::Registry>();
  socm::RedisCache redis(redis_settings.options, *registry, "gateway_redis");
  if (!socm::CheckRedisAtStart(redis)) return 2;
  socm::gateway::RateLimiter limiter(redis, rate, burst);
  socm::RevisionBoard revisions(redis);
  options.revisions = &revisions;
  socm::gateway::Authenticator auth(operator_token, backends.assessment(), key_cache,
                                    unknown_key_cache);
  auth.UseProviders(options.providers.get());
  socm::gateway::Gateway gateway(backends, auth, limiter, registry, options);
  boost::asio::io_context ioc(threads);
  http.on_rejected = [&gateway](int status) { gateway.CountRejected(status); };
  http.check_headers = [&gateway](const socm::gateway::Request& header, auto done) {
    gateway.CheckHeaders(header, std::move(done));
  };
  http.body_limit_for = [&gateway, limit = http.body_limit](socm::gateway::http::verb method,
                                                            const std::string& target) {
    return gateway.BodyLimit(method, target, limit);
  };
  for (const auto& route : socm::gateway::PublicRoutes()) {
    http.body_limit_ceiling = std::max(http.body_limit_ceiling, route.body_limit);
  }
  socm::gateway::HttpServer server(
      ioc, http, [&gateway](socm::gateway::Request&& request, socm::gateway::Respond respond) {
        gateway.Handle(std::move(request), std::move(respond));
      });
  if (absl::Status s = server.Start(); !s.ok()) {
    socm::Log(LogLevel::kError, "cannot start", {{"error", std::string(s.message())}});
    return 1;
  }
  socm::gateway::HttpServerOptions metrics_http;
  metrics_http.host = http.host;
  metrics_http.port = metrics_port;
  metrics_http.max_connections = 64;
  socm::gateway::HttpServer metrics_server(ioc, metrics_http,
                                           socm::gateway::MetricsEndpoint(registry));
  if (absl::Status s = metrics_server.Start(); !s.ok()) {
    socm::Log(LogLevel::kError, "cannot start", {{"error", std::string(s.message())}});
    return 1;
  }
  if (!operator_link_file.empty()) {
    if (auth.operator_sessions() == nullptr) {
      socm::Log(LogLevel::kError, "--operator-link-file needs an operator token");
      return 2;
    }
    const std::string base = options.public_url.empty()
                                 ? "http://localhost:" + std::to_string(server.port())
                                 : options.public_url;
    const std::string code =
        auth.operator_sessions()->MintCode(socm::gateway::OperatorSessions::Clock::now());
    if (absl::Status s = WritePrivateFile(operator_link_file, base + "/#operator=" + code + "\n");
        !s.ok()) {
      socm::Log(LogLevel::kError, "cannot write the operator link",
                {{"path", operator_link_file}, {"error", std::string(s.message())}});
      return 2;
    }
  }
  socm::Log(
      LogLevel::kInfo, "serving",
      {{"http_port", server.port()}, {"metrics_port", metrics_server.port()}, {"host", http.host}});

  boost::asio::signal_set signals(ioc, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code&, int signal_number) {
    socm::Log(LogLevel::kInfo, "draining",
              {{"signal", signal_number}, {"grace_ms", grace.count()}});
    server.StopAccepting();
    metrics_server.StopAccepting();
    StopWhenIdle(ioc, gateway, server, std::make_shared<boost::asio::steady_timer>(ioc),
                 std::chrono::steady_clock::now() + grace);
  });

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  // Calls to identity providers still under way answer now, while the gateway they answer
  // into still exists.
  if (options.providers) options.providers->http().Stop();
  // So do revision lookups still queued (the board and the gateway still exist).
  redis.StopPipeline();
  return 0;
}
