#pragma once
// The HTTP vocabulary the gateway's parts share.

#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "services/common/caller.h"

namespace socm::gateway {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
// Sends the response; call exactly once, from any thread.
using Respond = std::function<void(Response)>;

// Call is one request being served: what the route handlers read.
// Set by the HTTP server on every request to the connection's peer address (a value the
// client sent under this name is replaced); the audit log records it.
inline constexpr char kPeerHeader[] = "x-socm-peer";

struct Call {
  Request request;
  std::string path;
  std::map<std::string, std::string> query;
  // Path parameters by name, e.g. {"catalogueId": "isogj-soc-csirt"}.
  std::map<std::string, std::string> params;
  std::string request_id;
  std::chrono::system_clock::time_point deadline;
  // Who makes the request, once authenticated (the request id alone before):
  // sent on every backend call made for it.
  Caller caller;
  // Sent on every backend call too (the Idempotency-Key).
  std::vector<std::pair<std::string, std::string>> metadata;
};
using CallPtr = std::shared_ptr<Call>;
using RouteHandler = std::function<void(CallPtr, Respond)>;

}  // namespace socm::gateway
