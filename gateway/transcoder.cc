// Plain routes: one generic handler per RouteSpec that binds the request by
// reflection, calls the route's gRPC method by name and renders the reply.
#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include "absl/strings/str_cat.h"
#include "gateway/backend_call.h"
#include "gateway/binding.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"

namespace socm::gateway {
namespace {

using google::protobuf::Message;
using MessageStub = grpc::TemplatedGenericStub<Message, Message>;

struct State {
  grpc::ClientContext context;
  std::unique_ptr<Message> request;
  std::unique_ptr<Message> response;
};

}  // namespace

absl::StatusOr<BoundRpc> BindRpc(const std::string& rpc, const Backends& backends) {
  const google::protobuf::MethodDescriptor* method = FindRpc(rpc);
  if (method == nullptr) return absl::NotFoundError(absl::StrCat("no gRPC method ", rpc));
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  BoundRpc bound;
  bound.path = absl::StrCat("/", rpc);
  bound.request = factory->GetPrototype(method->input_type());
  bound.response = factory->GetPrototype(method->output_type());
  bound.channel = backends.ForRpc(rpc);
  return bound;
}

void CallRpc(const Call& call, const BoundRpc& rpc, std::unique_ptr<Message> request,
             std::function<void(absl::Status, const Message&)> done) {
  auto* state = new State();
  state->request = std::move(request);
  state->response.reset(rpc.response->New());
  PrepareBackendCall(call, state->context);
  MessageStub(rpc.channel)
      .UnaryCall(&state->context, rpc.path, grpc::StubOptions(), state->request.get(),
                 state->response.get(), [state, done = std::move(done)](grpc::Status status) {
                   done(BackendStatus(status), *state->response);
                   delete state;
                 });
}

RouteHandler TranscodedRoute(const RouteContext& context, const RouteSpec& route) {
  absl::StatusOr<BoundRpc> bound = BindRpc(route.rpc, context.backends);
  if (!bound.ok()) {
    // The table names a method no linked proto has: a programming error, caught at start.
    std::fprintf(stderr, "route %s: %s\n", route.path.c_str(), bound.status().ToString().c_str());
    std::abort();
  }
  return Authed(context, route.need,
                [&route, rpc = *bound](CallPtr call, const Caller&, Respond respond) {
                  std::unique_ptr<Message> request(rpc.request->New());
                  if (absl::Status s = BindRequest(route, *call, request.get()); !s.ok())
                    return respond(ErrorResponse(s));
                  CallRpc(*call, rpc, std::move(request),
                          [&route, respond](absl::Status s, const Message& response) {
                            if (!s.ok()) return respond(ErrorResponse(s));
                            respond(RenderReply(route, response));
                          });
                });
}

}  // namespace socm::gateway
