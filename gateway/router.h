#pragma once
// Router matches a method and path against route patterns such as
// "/v1/catalogues/{catalogueId}". The pattern itself labels the route in
// metrics, so no ID ever becomes a label. Example:
//   router.Add(http::verb::get, "/v1/catalogues/{catalogueId}", handler);
//   RouteMatch m = router.Match(http::verb::get, "/v1/catalogues/isogj-soc-csirt");
//   // m.outcome == kFound, m.params["catalogueId"] == "isogj-soc-csirt"

#include <map>
#include <string>
#include <vector>

#include "gateway/http_types.h"

namespace socm::gateway {

struct RouteMatch {
  enum Outcome { kFound, kWrongMethod, kNotFound } outcome = kNotFound;
  std::string pattern;
  const RouteHandler* handler = nullptr;
  std::map<std::string, std::string> params;
  // For kWrongMethod: the methods the path does take, e.g. "GET, POST".
  std::string allow;
};

class Router {
 public:
  void Add(http::verb method, const std::string& pattern, RouteHandler handler);
  // `path` is percent-decoded segment by segment; a segment that decodes to
  // contain '/' or NUL, or is "." or "..", never matches a parameter.
  RouteMatch Match(http::verb method, const std::string& path) const;
  // Every (method, pattern) added, in order.
  std::vector<std::pair<http::verb, std::string>> Routes() const;

 private:
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<std::string> segments;
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

// Splits "/a/b?x=1&y=%20" into path "/a/b" and decoded query {x: 1, y: " "}.
// Fails on malformed percent-encoding or a repeated parameter.
bool SplitTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query);

// Decodes %XX escapes ('+' as space when `plus_is_space`); false when malformed.
bool PercentDecode(const std::string& in, bool plus_is_space, std::string* out);

}  // namespace socm::gateway
