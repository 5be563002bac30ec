#include "services/common/grpc_metrics.h"

#include <chrono>
#include <string>

#include "services/common/status.h"

namespace socm {
namespace {

using grpc::experimental::InterceptionHookPoints;

// "/soc.maturity.catalogue.v1.CatalogueService/GetCatalogue" -> service, method.
void SplitMethod(const char* full, std::string* service, std::string* method) {
  std::string s = full == nullptr ? "" : full;
  if (!s.empty() && s[0] == '/') s.erase(0, 1);
  const size_t slash = s.find('/');
  *service = slash == std::string::npos ? s : s.substr(0, slash);
  *method = slash == std::string::npos ? "" : s.substr(slash + 1);
}

class GrpcMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  GrpcMetricsInterceptor(GrpcMetricsFactory* factory, grpc::experimental::ServerRpcInfo* info)
      : factory_(factory), start_(std::chrono::steady_clock::now()) {
    SplitMethod(info->method(), &service_, &method_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      factory_->handled()
          .Add({{"grpc_service", service_},
                {"grpc_method", method_},
                {"grpc_code", CodeName(static_cast<absl::StatusCode>(status.error_code()))}})
          .Increment();
      factory_->seconds()
          .Add({{"grpc_service", service_}, {"grpc_method", method_}}, LatencyBuckets())
          .Observe(seconds);
    }
    methods->Proceed();
  }

 private:
  GrpcMetricsFactory* factory_;
  std::chrono::steady_clock::time_point start_;
  std::string service_;
  std::string method_;
};

}  // namespace

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

GrpcMetricsFactory::GrpcMetricsFactory(prometheus::Registry& registry)
    : handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("gRPC calls completed on the server, by method and status code.")
                   .Register(registry)),
      seconds_(prometheus::BuildHistogram()
                   .Name("grpc_server_handling_seconds")
                   .Help("Time from a call's start to its status, by method.")
                   .Register(registry)) {}

grpc::experimental::Interceptor* GrpcMetricsFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new GrpcMetricsInterceptor(this, info);
}

}  // namespace socm
