// libFuzzer target: the JSON -> protobuf mapping exactly as the gateway runs it
// on request bodies (gateway/responses.cc ParseJsonBody), into the two biggest
// request messages: soc.maturity.assessment.v1.BatchUpdateAnswersRequest and
// soc.maturity.catalogue.v1.Catalogue. A body that parses must print back to
// JSON (ProtoResponse's path) and that JSON must parse to the same message; a
// body that does not parse must give INVALID_ARGUMENT, the 400 of the API.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gateway/responses.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

template <typename Message>
void RoundTrip(const std::string& body) {
  Message message;
  const absl::Status status = socm::gateway::ParseJsonBody(body, &message);
  if (!status.ok()) {
    Check(status.code() == absl::StatusCode::kInvalidArgument, "a bad body that is not 400");
    // The error answer itself must be buildable (it quotes the parser's message).
    const auto response = socm::gateway::ErrorResponse(status);
    Check(response.result_int() == 400, "a bad body that is not 400");
    return;
  }
  const auto response = socm::gateway::ProtoResponse(message);
  Check(response.result_int() == 200, "a parsed message that does not print");
  Message again;
  Check(socm::gateway::ParseJsonBody(response.body(), &again).ok(),
        "printed JSON that does not parse");
  Check(google::protobuf::util::MessageDifferencer::Equals(message, again),
        "JSON round trip changed the message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  RoundTrip<soc::maturity::assessment::v1::BatchUpdateAnswersRequest>(body);
  RoundTrip<soc::maturity::catalogue::v1::Catalogue>(body);
  return 0;
}
