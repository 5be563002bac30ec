#pragma once
// UnaryCall runs one asynchronous backend RPC for an HTTP request, carrying the
// request's deadline and id, and hands the result to `done` on a gRPC thread.
// Example:
//   UnaryCall<pb::Catalogue>(*call, request,
//       [stub](auto* ctx, auto* req, auto* resp, auto cb) {
//         stub->async()->GetCatalogue(ctx, req, resp, std::move(cb)); },
//       [respond](absl::Status s, pb::Catalogue& c) { ... });

#include <grpcpp/client_context.h>

#include <functional>

#include "absl/status/status.h"
#include "gateway/http_types.h"
#include "services/common/metadata.h"
#include "services/common/status.h"

namespace socm::gateway {

template <typename ResponseMessage, typename RequestMessage, typename Start>
void UnaryCall(const Call& call, RequestMessage request, Start start,
               std::function<void(absl::Status, ResponseMessage&)> done) {
  struct State {
    grpc::ClientContext context;
    RequestMessage request;
    ResponseMessage response;
    std::function<void(absl::Status, ResponseMessage&)> done;
  };
  auto* state = new State();
  state->request = std::move(request);
  state->done = std::move(done);
  state->context.set_deadline(call.deadline);
  state->context.AddMetadata(kRequestIdMetadata, call.request_id);
  start(&state->context, &state->request, &state->response, [state](grpc::Status status) {
    state->done(FromGrpcStatus(status), state->response);
    delete state;
  });
}

// Reads an optional non-negative integer query parameter.
absl::Status IntQuery(const Call& call, const std::string& name, int* out);

}  // namespace socm::gateway
