#include "services/assessment/domain/portal_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/crypto.h"
#include "services/common/status.h"

namespace socm::assessment {
namespace {

const std::vector<std::string>& KnownViews() {
  static const std::vector<std::string> views = {"radar", "report"};
  return views;
}

}  // namespace

std::vector<FieldViolation> CheckShareLinkRequest(int64_t ttl_seconds,
                                                  const std::vector<std::string>& views) {
  std::vector<FieldViolation> out;
  if (ttl_seconds < kShareLinkMinSeconds || ttl_seconds > kShareLinkMaxSeconds) {
    out.push_back(Violation("ttlSeconds", absl::StrCat("must be ", kShareLinkMinSeconds, "..",
                                                       kShareLinkMaxSeconds, " (30 days)")));
  }
  for (size_t i = 0; i < views.size(); ++i) {
    const auto& known = KnownViews();
    if (std::find(known.begin(), known.end(), views[i]) == known.end()) {
      out.push_back(Violation(absl::StrCat("views[", i, "]"), "must be radar or report"));
    }
  }
  return out;
}

std::vector<std::string> ShareViews(const std::vector<std::string>& views) {
  std::vector<std::string> out;
  for (const std::string& v : KnownViews()) {
    if (views.empty() || std::find(views.begin(), views.end(), v) != views.end()) out.push_back(v);
  }
  return out;
}

bool IsShareToken(const std::string& token) {
  const size_t prefix = sizeof(kShareTokenPrefix) - 1;
  if (token.size() != prefix + 64 || token.compare(0, prefix, kShareTokenPrefix) != 0) {
    return false;
  }
  return std::all_of(token.begin() + prefix, token.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
  });
}

std::string ShareTokenDigest(const std::string& token) { return Sha256Hex(token); }

bool IsOrigin(const std::string& origin) {
  std::string rest;
  if (origin.rfind("https://", 0) == 0) {
    rest = origin.substr(8);
  } else if (origin.rfind("http://", 0) == 0) {
    rest = origin.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || origin.size() > 300) return false;
  std::string host = rest;
  const size_t colon = rest.rfind(':');
  if (colon != std::string::npos) {
    host = rest.substr(0, colon);
    const std::string port = rest.substr(colon + 1);
    int number = 0;
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }) ||
        (number = std::stoi(port)) < 1 || number > 65535 || port[0] == '0') {
      return false;
    }
  }
  if (host.empty() || host.front() == '.' || host.back() == '.' || host.front() == '-') {
    return false;
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
           c == '.' || c == '-';
  });
}

std::vector<FieldViolation> CheckAllowedOrigins(const std::vector<std::string>& origins) {
  std::vector<FieldViolation> out;
  if (origins.size() > kMaxAllowedOrigins) {
    out.push_back(Violation("allowedOrigins", absl::StrCat("at most ", kMaxAllowedOrigins)));
  }
  for (size_t i = 0; i < origins.size(); ++i) {
    const std::string field = absl::StrCat("allowedOrigins[", i, "]");
    if (!IsOrigin(origins[i])) {
      out.push_back(Violation(field,
                              "must be http(s)://host[:port] in lowercase, without a path (as "
                              "a browser sends it in Origin)"));
    } else if (std::find(origins.begin(), origins.begin() + static_cast<long>(i), origins[i]) !=
               origins.begin() + static_cast<long>(i)) {
      out.push_back(Violation(field, "repeats an earlier origin"));
    }
  }
  return out;
}

}  // namespace socm::assessment
