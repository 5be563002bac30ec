// A gRPC load client on the callback API: closed loop (a fixed number of calls
// in flight) or open loop (a fixed rate of new calls, whatever is in flight).
// Prints req/s, latency percentiles and errors by code. Example:
//   grpc_load --target=127.0.0.1:7103 --method=GetScore --tenant=tn_x
//             --org=org_y --assessment=as_z --concurrency=64 --seconds=10
//             --principal-key-file=var/keys/principal.key
//   grpc_load --target=127.0.0.1:7101 --method=GetCatalogue --tenant=tn_x --rate=2000 ...
// --method=HealthCheck calls the default health service of the same server, over the
// same channels, TLS and signed metadata: gRPC's own floor on this machine, the
// reference for what any of our handlers could reach here.
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "services/common/config.h"
#include "services/common/metadata.h"
#include "services/common/principal_token.h"
#include "services/common/status.h"
#include "services/common/suite_tls.h"
#include "soc/maturity/catalogue/v1/catalogue.grpc.pb.h"
#include "soc/maturity/scoring/v1/scoring.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string target, method, tenant, org, assessment;
  // Signs the calls as a viewer of `tenant`, as the gateway would (the suite's private key).
  std::shared_ptr<socm::PrincipalSigner> signer;
  int concurrency = 32;
  int rate = 0;  // calls per second; 0 = closed loop
  int seconds = 10;
  int channels = 2;
};

// Collects every call's latency and status; the lock is short and the
// results are small next to the calls themselves.
class Recorder {
 public:
  void Add(Clock::duration latency, grpc::StatusCode code) {
    std::lock_guard<std::mutex> lock(mu_);
    latencies_.push_back(std::chrono::duration<double, std::milli>(latency).count());
    ++codes_[code];
  }
  void Print(double seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    std::sort(latencies_.begin(), latencies_.end());
    auto pct = [&](double p) {
      return latencies_.empty() ? 0.0
                                : latencies_[std::min(latencies_.size() - 1,
                                                      static_cast<size_t>(p * latencies_.size()))];
    };
    size_t errors = 0;
    for (const auto& [code, n] : codes_) {
      if (code != grpc::StatusCode::OK) errors += n;
    }
    std::printf(
        "RESULT rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f calls=%zu errors=%zu\n",
        latencies_.size() / seconds, pct(0.5), pct(0.9), pct(0.99), pct(0.999), latencies_.size(),
        errors);
    for (const auto& [code, n] : codes_) {
      if (code != grpc::StatusCode::OK) {
        std::printf("  %s: %zu\n", socm::CodeName(static_cast<absl::StatusCode>(code)).c_str(), n);
      }
    }
  }

 private:
  std::mutex mu_;
  std::vector<double> latencies_;
  std::map<grpc::StatusCode, size_t> codes_;
};

class Caller {
 public:
  Caller(const Options& options, std::shared_ptr<grpc::Channel> channel)
      : options_(options),
        scoring_(soc::maturity::scoring::v1::ScoringService::NewStub(channel)),
        catalogue_(soc::maturity::catalogue::v1::CatalogueService::NewStub(channel)),
        generic_(std::make_unique<grpc::GenericStub>(channel)) {}

  // Starts one call; `done` runs when it ends.
  void Start(std::function<void(grpc::StatusCode)> done) {
    struct Call {
      grpc::ClientContext context;
      soc::maturity::scoring::v1::GetScoreRequest score_request;
      soc::maturity::scoring::v1::Score score;
      soc::maturity::catalogue::v1::GetCatalogueRequest catalogue_request;
      soc::maturity::catalogue::v1::Catalogue catalogue;
      grpc::ByteBuffer health_request, health_response;
    };
    auto* call = new Call();
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    socm::Caller viewer;
    viewer.tenant = socm::TenantId(options_.tenant);
    viewer.principal = "grpc_load";
    viewer.role = socm::Role::kViewer;
    call->context.AddMetadata(socm::kPrincipalTokenMetadata, options_.signer->TokenFor(viewer));
    auto finish = [call, done](grpc::Status status) {
      done(status.error_code());
      delete call;
    };
    if (options_.method == "GetScore") {
      call->score_request.set_organization_id(options_.org);
      call->score_request.set_assessment_id(options_.assessment);
      scoring_->async()->GetScore(&call->context, &call->score_request, &call->score, finish);
    } else if (options_.method == "HealthCheck") {
      // An empty HealthCheckRequest (every field at its default) is zero bytes, but the
      // buffer must hold a slice to be a message at all.
      grpc::Slice empty;
      call->health_request = grpc::ByteBuffer(&empty, 1);
      generic_->UnaryCall(&call->context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                          &call->health_request, &call->health_response, finish);
    } else {
      call->catalogue_request.set_catalogue_id("isogj-soc-csirt");
      call->catalogue_request.set_lang("en");
      catalogue_->async()->GetCatalogue(&call->context, &call->catalogue_request, &call->catalogue,
                                        finish);
    }
  }

 private:
  const Options& options_;
  std::unique_ptr<soc::maturity::scoring::v1::ScoringService::Stub> scoring_;
  std::unique_ptr<soc::maturity::catalogue::v1::CatalogueService::Stub> catalogue_;
  std::unique_ptr<grpc::GenericStub> generic_;
};

}  // namespace

int main(int argc, char** argv) {
  socm::Config config(argc, argv);
  Options o;
  o.target = config.RequiredString("target");
  o.method = config.String("method", "GetCatalogue");
  o.tenant = config.String("tenant", "");
  o.org = config.String("org", "");
  o.assessment = config.String("assessment", "");
  o.concurrency = static_cast<int>(config.Int("concurrency", 32, 1, 10000));
  o.rate = static_cast<int>(config.Int("rate", 0, 0, 1000000));
  o.seconds = static_cast<int>(config.Int("seconds", 10, 1, 3600));
  o.channels = static_cast<int>(config.Int("channels", 2, 1, 64));
  const std::string key_file = config.RequiredString("principal-key-file");
  const socm::SuiteTlsSettings tls = socm::ReadSuiteTlsSettings(config);
  if (absl::Status s = config.Finish(); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 2;
  }
  auto signer = socm::PrincipalSigner::FromPemFile(key_file);
  if (!signer.ok()) {
    std::fprintf(stderr, "%s\n", std::string(signer.status().message()).c_str());
    return 2;
  }
  o.signer = std::move(*signer);
  if (!socm::InstallSuiteTlsOrLog(tls)) return 2;
  if (o.method != "GetScore" && o.method != "GetCatalogue" && o.method != "HealthCheck") {
    std::fprintf(stderr, "--method must be GetScore, GetCatalogue or HealthCheck\n");
    return 2;
  }
  std::vector<std::unique_ptr<Caller>> callers;
  for (int i = 0; i < o.channels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("socm.channel", i);  // distinct arguments: one connection per channel
    callers.push_back(std::make_unique<Caller>(
        o, grpc::CreateCustomChannel(o.target, socm::SuiteChannelCredentials(), args)));
  }
  Recorder recorder;
  std::atomic<bool> running{true};
  std::atomic<int> in_flight{0};
  std::atomic<uint64_t> next{0};
  std::function<void()> launch = [&] {
    const auto start = Clock::now();
    ++in_flight;
    callers[next++ % callers.size()]->Start([&, start](grpc::StatusCode code) {
      recorder.Add(Clock::now() - start, code);
      --in_flight;
      // Closed loop: each finished call starts the next one.
      if (o.rate == 0 && running) launch();
    });
  };
  const auto begin = Clock::now();
  if (o.rate == 0) {
    for (int i = 0; i < o.concurrency; ++i) launch();
    std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
  } else {
    // Open loop: calls start on schedule whether or not earlier ones finished.
    const auto interval = std::chrono::nanoseconds(1000000000LL / o.rate);
    auto due = begin;
    while (Clock::now() - begin < std::chrono::seconds(o.seconds)) {
      std::this_thread::sleep_until(due);
      launch();
      due += interval;
    }
  }
  running = false;
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  while (in_flight > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  recorder.Print(seconds);
  return 0;
}
