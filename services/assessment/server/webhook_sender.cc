#include "services/assessment/server/webhook_sender.h"

#include <curl/curl.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "services/assessment/domain/webhook_rules.h"
#include "services/common/outbound_address.h"

namespace socm::assessment {
namespace {

struct Transfer {
  const WebhookSenderOptions* options;
  OutboundGuard guard;
  size_t received = 0;
};

// The answer's body matters only as far as the cap; past it the transfer stops.
size_t DiscardBody(char*, size_t size, size_t count, void* data) {
  auto* transfer = static_cast<Transfer*>(data);
  transfer->received += size * count;
  return transfer->received > transfer->options->max_response_bytes ? 0 : size * count;
}

}  // namespace

void WebhookSender::InitGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }

WebhookResponse WebhookSender::Post(const std::string& url, const std::vector<std::string>& headers,
                                    const std::string& body) const {
  WebhookResponse out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (curl == nullptr) {
    out.error = "cannot start an HTTP transfer";
    return out;
  }
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(list,
                                                                          &curl_slist_free_all);
  Transfer transfer;
  transfer.options = &options_;
  transfer.guard.allow_private = options_.allow_private;
  transfer.guard.rule = "deliveries go to public addresses only";
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  // Never through a proxy named by the environment: the address checked is the one connected.
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "SOC-Maturity-Webhooks/1");
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &OpenGuardedSocket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &transfer.guard);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &DiscardBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  const CURLcode result = curl_easy_perform(h);
  long code = 0;  // NOLINT(runtime/int): libcurl's type
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  out.code = static_cast<int>(code);
  if (transfer.guard.refused > 0 && transfer.guard.opened == 0) {
    out.refused = true;
    out.code = 0;
    out.error = transfer.guard.refusal;
    return out;
  }
  // A body past the cap stops the transfer after the status arrived: the status counts.
  if (result != CURLE_OK && !(result == CURLE_WRITE_ERROR && out.code > 0)) {
    out.code = 0;
    out.error = curl_easy_strerror(result);
    return out;
  }
  if (out.code < 200 || out.code > 299) {
    out.error = out.code >= 300 && out.code < 400
                    ? absl::StrCat("HTTP ", out.code, " (redirects are not followed)")
                    : absl::StrCat("HTTP ", out.code);
  }
  return out;
}

}  // namespace socm::assessment
