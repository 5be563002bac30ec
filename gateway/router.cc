#include "gateway/router.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace socm::gateway {
namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out = absl::StrSplit(path, '/');
  // "/v1/catalogues" -> ["", "v1", "catalogues"]: drop the leading empty one.
  if (!out.empty() && out.front().empty()) out.erase(out.begin());
  return out;
}

// "{name}" or "{name}:verb": a parameter, with an optional literal suffix.
bool IsParam(const std::string& segment, std::string* name, std::string* suffix) {
  const size_t close = segment.find('}');
  if (segment.size() < 3 || segment.front() != '{' || close == std::string::npos || close < 2)
    return false;
  *name = segment.substr(1, close - 1);
  *suffix = segment.substr(close + 1);
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecode(const std::string& in, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (in[i] == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

bool SplitTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query) {
  const size_t q = target.find('?');
  *path = target.substr(0, q);
  query->clear();
  if (q == std::string::npos) return true;
  for (const absl::string_view pair :
       absl::StrSplit(target.substr(q + 1), '&', absl::SkipEmpty())) {
    const size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(std::string(pair.substr(0, eq)), true, &key)) return false;
    if (eq != absl::string_view::npos &&
        !PercentDecode(std::string(pair.substr(eq + 1)), true, &value)) {
      return false;
    }
    if (!query->emplace(std::move(key), std::move(value)).second) return false;
  }
  return true;
}

void Router::Add(http::verb method, const std::string& pattern, RouteHandler handler) {
  routes_.push_back({method, pattern, Segments(pattern), std::move(handler)});
}

std::vector<std::pair<http::verb, std::string>> Router::Routes() const {
  std::vector<std::pair<http::verb, std::string>> out;
  for (const Route& route : routes_) out.emplace_back(route.method, route.pattern);
  return out;
}

RouteMatch Router::Match(http::verb method, const std::string& path) const {
  RouteMatch result;
  const std::vector<std::string> raw = Segments(path);
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != raw.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; ok && i < raw.size(); ++i) {
      const std::string& want = route.segments[i];
      std::string name, suffix;
      if (IsParam(want, &name, &suffix)) {
        std::string decoded;
        ok = PercentDecode(raw[i], false, &decoded) && decoded.size() > suffix.size() &&
             decoded.compare(decoded.size() - suffix.size(), suffix.size(), suffix) == 0;
        if (ok) decoded.resize(decoded.size() - suffix.size());
        ok = ok && decoded != "." && decoded != ".." && decoded.find('/') == std::string::npos &&
             decoded.find('\0') == std::string::npos &&
             (suffix.empty() || decoded.find(':') == std::string::npos);
        if (ok) params[name] = std::move(decoded);
      } else {
        ok = raw[i] == want;
      }
    }
    if (!ok) continue;
    if (route.method != method) {
      allowed.push_back(std::string(http::to_string(route.method)));
      continue;
    }
    result.outcome = RouteMatch::kFound;
    result.pattern = route.pattern;
    result.handler = &route.handler;
    result.params = std::move(params);
    return result;
  }
  if (!allowed.empty()) {
    result.outcome = RouteMatch::kWrongMethod;
    result.allow = absl::StrJoin(allowed, ", ");
  }
  return result;
}

}  // namespace socm::gateway
