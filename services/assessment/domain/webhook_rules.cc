#include "services/assessment/domain/webhook_rules.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/crypto.h"
#include "services/common/status.h"

namespace socm::assessment {
namespace {

using UrlHandle = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

struct CurlString {
  char* text = nullptr;
  ~CurlString() { curl_free(text); }
};

bool HasPart(CURLU* url, CURLUPart part) {
  CurlString value;
  return curl_url_get(url, part, &value.text, 0) == CURLUE_OK && value.text != nullptr;
}

std::string Part(CURLU* url, CURLUPart part) {
  CurlString value;
  if (curl_url_get(url, part, &value.text, 0) != CURLUE_OK || value.text == nullptr) return "";
  return value.text;
}

// What the URL's form forbids, checked with libcurl's own parser (the one the delivery uses).
std::optional<std::string> UrlProblem(const std::string& url, std::string* host) {
  if (url.empty()) return "required";
  if (url.size() > kMaxWebhookUrlBytes) {
    return absl::StrCat("at most ", kMaxWebhookUrlBytes, " bytes");
  }
  // Printable ASCII only: a name outside ASCII is written in its punycode (xn--) form.
  if (std::any_of(url.begin(), url.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u >= 0x7f;
      })) {
    return "must be printable ASCII without spaces (write an international name as xn--…)";
  }
  // libcurl would also take "http:/host" or "http:host"; a URL says what it means.
  const std::string start = absl::AsciiStrToLower(url.substr(0, 8));
  if (start.rfind("https://", 0) != 0 && start.rfind("http://", 0) != 0) {
    return "must begin with https:// or http://";
  }
  UrlHandle parsed(curl_url(), &curl_url_cleanup);
  if (parsed == nullptr) return "cannot be checked";
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return "must be an absolute http:// or https:// URL";
  }
  const std::string scheme = Part(parsed.get(), CURLUPART_SCHEME);
  if (scheme != "https" && scheme != "http") return "must be an http:// or https:// URL";
  if (HasPart(parsed.get(), CURLUPART_USER) || HasPart(parsed.get(), CURLUPART_PASSWORD)) {
    return "must not hold a user name or password (put a token in the path or query)";
  }
  if (HasPart(parsed.get(), CURLUPART_FRAGMENT)) return "must not have a #fragment";
  *host = Part(parsed.get(), CURLUPART_HOST);
  if (host->empty()) return "must name a host";
  // libcurl keeps IPv6 literals in brackets.
  if (host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
    return std::nullopt;
  }
  if (!std::all_of(host->begin(), host->end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
      })) {
    return "the host must be a name of letters, digits, '-' and '.', or an IP address";
  }
  return std::nullopt;
}

bool InV4(uint32_t address, const char* network, int bits) {
  in_addr net{};
  inet_pton(AF_INET, network, &net);
  const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (address & mask) == (ntohl(net.s_addr) & mask);
}

std::optional<std::string> ForbiddenV4(uint32_t a) {
  if (InV4(a, "169.254.169.254", 32)) return "the cloud metadata address";
  if (InV4(a, "127.0.0.0", 8)) return "a loopback address";
  if (InV4(a, "0.0.0.0", 8)) return "an unspecified address";
  if (InV4(a, "10.0.0.0", 8) || InV4(a, "172.16.0.0", 12) || InV4(a, "192.168.0.0", 16)) {
    return "a private address";
  }
  if (InV4(a, "169.254.0.0", 16)) return "a link-local address";
  if (InV4(a, "100.64.0.0", 10)) return "a shared (carrier-grade NAT) address";
  if (InV4(a, "192.0.0.0", 24)) return "an IETF protocol address";
  if (InV4(a, "198.18.0.0", 15)) return "a benchmarking address";
  if (InV4(a, "224.0.0.0", 4)) return "a multicast address";
  if (InV4(a, "240.0.0.0", 4)) return "a reserved address";
  return std::nullopt;
}

std::optional<std::string> ForbiddenV6(const in6_addr& a) {
  const unsigned char* b = a.s6_addr;
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMapped, 12) == 0) {
    return ForbiddenV4((uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) |
                       b[15]);
  }
  if (IN6_IS_ADDR_LOOPBACK(&a)) return "a loopback address";
  if (IN6_IS_ADDR_UNSPECIFIED(&a)) return "an unspecified address";
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "a link-local address";
  if ((b[0] & 0xfe) == 0xfc) return "a private (unique local) address";
  if (b[0] == 0xff) return "a multicast address";
  // fd00:ec2::254, AWS's metadata address over IPv6, is inside fc00::/7 above.
  return std::nullopt;
}

}  // namespace

std::optional<std::string> OutboundUrlProblem(const std::string& url, std::string* host) {
  return UrlProblem(url, host);
}

const std::vector<std::string>& WebhookEventTypes() {
  static const std::vector<std::string> types = {"assessment.created", "assessment.submitted",
                                                 "assessment.approved", "assessment.reopened",
                                                 "campaign.created"};
  return types;
}

std::vector<FieldViolation> CheckWebhookRequest(const std::string& url,
                                                const std::vector<std::string>& events,
                                                bool allow_private) {
  std::vector<FieldViolation> out;
  std::string host;
  if (auto problem = UrlProblem(url, &host)) {
    out.push_back(Violation("url", *problem));
  } else if (!allow_private) {
    if (auto reason = ForbiddenAddressLiteral(host)) {
      out.push_back(Violation(
          "url", absl::StrCat(host, " is ", *reason, ": deliveries go to public addresses only")));
    }
  }
  if (events.empty()) out.push_back(Violation("events", "name at least one event"));
  const auto& known = WebhookEventTypes();
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string path = absl::StrCat("events[", i, "]");
    if (std::find(known.begin(), known.end(), events[i]) == known.end()) {
      out.push_back(Violation(path, absl::StrCat("unknown event; one of assessment.created, "
                                                 "assessment.submitted, assessment.approved, "
                                                 "assessment.reopened, campaign.created")));
    } else if (std::find(events.begin(), events.begin() + i, events[i]) != events.begin() + i) {
      out.push_back(Violation(path, "named twice"));
    }
  }
  return out;
}

std::optional<std::string> ForbiddenAddress(const sockaddr* address) {
  if (address->sa_family == AF_INET) {
    return ForbiddenV4(ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    return ForbiddenV6(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  }
  return "not an internet address";
}

std::optional<std::string> ForbiddenAddressLiteral(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return ForbiddenV4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return ForbiddenV6(v6);
  return std::nullopt;
}

std::optional<std::string> WebhookEventOfAction(const std::string& action) {
  if (action == "assessment.create") return "assessment.created";
  if (action == "assessment.submit") return "assessment.submitted";
  if (action == "assessment.approve") return "assessment.approved";
  if (action == "assessment.reopen") return "assessment.reopened";
  if (action == "campaign.create") return "campaign.created";
  return std::nullopt;
}

std::string AssessmentEventData(const soc::maturity::assessment::v1::Assessment& assessment) {
  nlohmann::ordered_json data;
  data["organizationId"] = assessment.organization_id();
  data["assessmentId"] = assessment.id();
  data["revision"] = assessment.revision();
  data["status"] = soc::maturity::assessment::v1::AssessmentStatus_Name(assessment.status());
  data["title"] = assessment.title();
  data["catalogueId"] = assessment.catalogue_id();
  data["assessedOn"] = assessment.assessed_on();
  return data.dump();
}

std::string CampaignEventData(const soc::maturity::assessment::v1::Campaign& campaign) {
  nlohmann::ordered_json data;
  data["campaignId"] = campaign.id();
  data["title"] = campaign.title();
  data["catalogueId"] = campaign.catalogue_id();
  data["assessedOn"] = campaign.assessed_on();
  data["dueOn"] = campaign.due_on();
  data["assessments"] = nlohmann::ordered_json::array();
  for (const auto& a : campaign.assessments()) {
    data["assessments"].push_back(
        {{"organizationId", a.organization_id()}, {"assessmentId", a.assessment_id()}});
  }
  return data.dump();
}

std::string NewWebhookSecret() {
  return absl::StrCat(kWebhookSecretPrefix, absl::Base64Escape(RandomBytes(32)));
}

std::string WebhookEventBody(const std::string& event_id, const std::string& type,
                             int64_t time_micros, const std::string& data_json) {
  nlohmann::ordered_json body;
  body["id"] = event_id;
  body["type"] = type;
  body["timestamp"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMicros(time_micros),
                                       absl::UTCTimeZone());
  body["data"] = nlohmann::ordered_json::parse(data_json, nullptr, false);
  if (body["data"].is_discarded() || !body["data"].is_object()) {
    body["data"] = nlohmann::ordered_json::object();
  }
  return body.dump();
}

std::string WebhookSignature(const std::string& secret, const std::string& message_id,
                             int64_t timestamp_seconds, const std::string& body) {
  const size_t prefix = sizeof(kWebhookSecretPrefix) - 1;
  std::string key;
  if (secret.compare(0, prefix, kWebhookSecretPrefix) != 0 ||
      !absl::Base64Unescape(secret.substr(prefix), &key) || key.empty()) {
    return "";
  }
  const std::string content = absl::StrCat(message_id, ".", timestamp_seconds, ".", body);
  return absl::StrCat("v1,", absl::Base64Escape(HmacSha256(key, content)));
}

int64_t WebhookRetryDelayMicros(int attempts, int64_t base_micros, double unit) {
  int64_t delay = std::max<int64_t>(base_micros, 1);
  for (int i = 1; i < attempts && delay < kWebhookMaxDelayMicros; ++i) delay *= 2;
  delay = std::min(delay, kWebhookMaxDelayMicros);
  unit = std::clamp(unit, 0.0, 1.0);
  return delay / 2 + static_cast<int64_t>(unit * static_cast<double>(delay / 2));
}

}  // namespace socm::assessment
