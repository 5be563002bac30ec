// libFuzzer target: a webhook registration and what a delivery is made of, from hostile input.
// The input's first line is the URL, the second a comma-separated list of events, the rest
// the `data` of an event body and a secret. Every function must return (no crash, no
// sanitizer report) and keep its promises: a URL that passes names an http(s) host, and with
// the switch off no private address literal passes.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "services/assessment/domain/webhook_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> lines = absl::StrSplit(input, absl::MaxSplits('\n', 2));
  const std::string url = lines[0];
  std::vector<std::string> events;
  if (lines.size() > 1) events = absl::StrSplit(lines[1], ',');
  const std::string rest = lines.size() > 2 ? lines[2] : "";
  using socm::assessment::CheckWebhookRequest;
  const bool strict_ok = CheckWebhookRequest(url, events, false).empty();
  const bool lax_ok = CheckWebhookRequest(url, events, true).empty();
  // The switch only ever lets more through.
  if (strict_ok && !lax_ok) std::abort();
  if (strict_ok) {
    // A URL that passes is http(s) (libcurl takes the scheme in any case).
    std::string scheme = url.substr(0, 8);
    for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme.rfind("http://", 0) != 0 && scheme.rfind("https://", 0) != 0) std::abort();
  }
  (void)socm::assessment::ForbiddenAddressLiteral(url);
  (void)socm::assessment::WebhookEventBody("evt_1", "assessment.created", 1700000000000000, rest);
  (void)socm::assessment::WebhookSignature(rest, "evt_1", 1700000000, url);
  return 0;
}
