#pragma once
// A gRPC server interceptor that counts and times every call:
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method} (histogram)
// Install with ServerBuilder::experimental().SetInterceptorCreators().

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace socm {

class GrpcMetricsFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit GrpcMetricsFactory(prometheus::Registry& registry);
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

  prometheus::Family<prometheus::Counter>& handled() { return handled_; }
  prometheus::Family<prometheus::Histogram>& seconds() { return seconds_; }

 private:
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& seconds_;
};

// Latency buckets shared by gRPC and HTTP histograms: 0.5 ms .. 10 s.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

}  // namespace socm
