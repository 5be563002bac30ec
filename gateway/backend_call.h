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
#include "gateway/principal_signing.h"
#include "services/common/caller_metadata.h"
#include "services/common/grpc_status.h"

namespace socm::gateway {

// What every backend call of a request carries: its deadline, its Caller signed (with
// the request id) and the request's other metadata.
// With `as_gateway`, the call goes as the gateway itself whoever the request's caller is.
inline void PrepareBackendCall(const Call& call, grpc::ClientContext& context,
                               bool as_gateway = false) {
  context.set_deadline(call.deadline);
  if (as_gateway) {
    Caller gateway;
    gateway.request_id = call.caller.request_id;
    gateway.client_address = call.caller.client_address;
    AddCallerMetadata(SignedForBackend(gateway), context);
  } else {
    AddCallerMetadata(SignedForBackend(call.caller), context);
  }
  for (const auto& [name, value] : call.metadata) context.AddMetadata(name, value);
}

// The gateway never cancels its own calls, so CANCELLED means the backend
// dropped the call (e.g. it arrived while the server was shutting down): the
// client should retry, not read "499 client closed request".
inline absl::Status BackendStatus(const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::CANCELLED) {
    return absl::UnavailableError("the backend cancelled the call: " + status.error_message());
  }
  return FromGrpcStatus(status);
}

// `as_gateway`: see PrepareBackendCall (e.g. asking whether an origin is allowed, which is the
// gateway's question, not the caller's).
template <typename ResponseMessage, typename RequestMessage, typename Start>
void UnaryCall(const Call& call, RequestMessage request, Start start,
               std::function<void(absl::Status, ResponseMessage&)> done, bool as_gateway = false) {
  struct State {
    grpc::ClientContext context;
    RequestMessage request;
    ResponseMessage response;
    std::function<void(absl::Status, ResponseMessage&)> done;
  };
  auto* state = new State();
  state->request = std::move(request);
  state->done = std::move(done);
  PrepareBackendCall(call, state->context, as_gateway);
  start(&state->context, &state->request, &state->response, [state](grpc::Status status) {
    state->done(BackendStatus(status), state->response);
    delete state;
  });
}

// The start function for UnaryCall of `stub`'s method.
#define SOCM_ASYNC(stub, Method)                                        \
  [stub](auto* context, auto* request, auto* response, auto done) {     \
    stub->async()->Method(context, request, response, std::move(done)); \
  }

}  // namespace socm::gateway
