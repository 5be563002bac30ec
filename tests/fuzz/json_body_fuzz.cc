// libFuzzer target: request bodies exactly as the gateway binds them
// (gateway/binding.cc BindRequest), into the request of every route of the
// real table that takes a body. A body that binds must print back to JSON
// (RenderReply's path) and that JSON must parse to the same message; a body
// that does not bind must give INVALID_ARGUMENT, the 400 of the API, never an
// internal error.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "gateway/binding.h"
#include "gateway/responses.h"
#include "gateway/route_table.h"

namespace {

using google::protobuf::Message;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

std::unique_ptr<Message> NewRequest(const socm::gateway::RouteSpec& route) {
  const auto* rpc = socm::gateway::FindRpc(route.rpc);
  Check(rpc != nullptr, "a route names an unknown method");
  return std::unique_ptr<Message>(google::protobuf::MessageFactory::generated_factory()
                                      ->GetPrototype(rpc->input_type())
                                      ->New());
}

void Bind(const socm::gateway::RouteSpec& route, const std::string& body) {
  socm::gateway::Call call;
  for (const auto& p : route.path_params) call.params[p.name] = "p";
  call.request.body() = body;
  std::unique_ptr<Message> request = NewRequest(route);
  const absl::Status status = socm::gateway::BindRequest(route, call, request.get());
  if (!status.ok()) {
    Check(status.code() == absl::StatusCode::kInvalidArgument, "a bad body that is not 400");
    // The error answer itself must be buildable (it quotes the parser's message).
    Check(socm::gateway::ErrorResponse(status).result_int() == 400, "a bad body that is not 400");
    return;
  }
  const auto response = socm::gateway::ProtoResponse(*request);
  Check(response.result_int() == 200, "a bound message that does not print");
  std::unique_ptr<Message> again = NewRequest(route);
  Check(google::protobuf::util::JsonStringToMessage(response.body(), again.get()).ok(),
        "printed JSON that does not parse");
  Check(google::protobuf::util::MessageDifferencer::Equals(*request, *again),
        "JSON round trip changed the message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  for (const socm::gateway::RouteSpec& route : socm::gateway::PublicRoutes()) {
    if (!route.body.empty()) Bind(route, body);
  }
  return 0;
}
