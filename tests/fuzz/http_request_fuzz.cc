// libFuzzer target: the gateway's request path, from raw bytes on the socket
// to a route. The bytes go through a Beast request parser with the limits of
// gateway/http_server.cc (1 MiB body, 16 KiB header), then SplitTarget and
// Router::Match against the gateway's real route table. Beyond "no crash,
// no sanitizer report" it checks the promises router.h makes: a path
// parameter is never empty, ".", "..", and never holds '/' or NUL; decoding
// never grows a string and undoes percent-encoding exactly.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gateway/route_table.h"
#include "gateway/router.h"

namespace {

using socm::gateway::RouteMatch;
using socm::gateway::Router;
namespace http = boost::beast::http;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

// The gateway's real route table (gateway/route_table.cc), with empty handlers.
const Router& GatewayRoutes() {
  static const Router* router = [] {
    auto* r = new Router();
    for (const socm::gateway::RouteSpec& route : socm::gateway::PublicRoutes()) {
      r->Add(route.method, route.path, [](socm::gateway::CallPtr, socm::gateway::Respond) {});
    }
    return r;
  }();
  return *router;
}

void CheckDecoding(const std::string& text) {
  for (bool plus : {false, true}) {
    std::string decoded;
    if (!socm::gateway::PercentDecode(text, plus, &decoded)) continue;
    Check(decoded.size() <= text.size(), "decoding grew the text");
    // Encoding every byte and decoding again gives the same bytes back.
    std::string encoded;
    for (unsigned char c : decoded) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      encoded += hex;
    }
    std::string back;
    Check(socm::gateway::PercentDecode(encoded, plus, &back) && back == decoded,
          "percent-encoding did not round-trip");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  CheckDecoding(bytes);

  http::request_parser<http::string_body> parser;
  parser.body_limit(1 << 20);
  parser.header_limit(16 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = 0;
  while (used < size && !parser.is_done()) {
    const size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    used += n;
    if (ec == http::error::need_more) break;  // the peer would have to send more
    if (ec || n == 0) return 0;               // the server answers 400/413/431
  }
  if (!parser.is_done()) return 0;
  const http::request<http::string_body> request = parser.release();

  const std::string target(request.target());
  std::string path;
  std::map<std::string, std::string> query;
  if (!socm::gateway::SplitTarget(target, &path, &query)) return 0;
  Check(path.find('?') == std::string::npos, "the path kept a '?'");
  if (path.empty() || path[0] != '/') return 0;  // the gateway answers 404
  CheckDecoding(path);

  const RouteMatch match = GatewayRoutes().Match(request.method(), path);
  if (match.outcome == RouteMatch::kFound) {
    Check(match.handler != nullptr, "a found route without a handler");
    for (const auto& [name, value] : match.params) {
      Check(!value.empty(), "an empty path parameter");
      Check(value != "." && value != "..", "a dot segment as a path parameter");
      Check(value.find('/') == std::string::npos, "a '/' in a path parameter");
      Check(value.find('\0') == std::string::npos, "a NUL in a path parameter");
    }
  } else if (match.outcome == RouteMatch::kWrongMethod) {
    Check(!match.allow.empty(), "405 without an Allow list");
  }
  return 0;
}
