#pragma once
// One HTTP POST of a webhook delivery, with libcurl. The destination is checked against SSRF at
// the moment of connecting: libcurl resolves the name, and the socket callback refuses any
// address that is loopback, private, link-local or the metadata address, so the address
// checked is the address connected to (no second lookup a rebinding DNS could answer
// differently). Redirects are not followed, proxies from the environment are not used, only
// http and https are spoken, TLS is verified, and the answer's body is read to a small cap.
#include <string>
#include <vector>

namespace socm::assessment {

struct WebhookSenderOptions {
  // SOCM_WEBHOOK_ALLOW_PRIVATE_NETWORKS: for development and tests.
  bool allow_private = false;
  long connect_timeout_ms = 5000;  // NOLINT(runtime/int): libcurl's type
  long timeout_ms = 10000;         // NOLINT(runtime/int)
  size_t max_response_bytes = 4096;
};

struct WebhookResponse {
  // The status received; 0 when none was (refused, unreachable, timed out).
  int code = 0;
  // Every address the name led to was forbidden: not worth trying again.
  bool refused = false;
  // What went wrong, for the delivery log; empty on a 2xx.
  std::string error;
};

class WebhookSender {
 public:
  explicit WebhookSender(WebhookSenderOptions options) : options_(options) {}
  // Call once in main before any thread sends (libcurl's global initialisation).
  static void InitGlobal();

  WebhookResponse Post(const std::string& url, const std::vector<std::string>& headers,
                       const std::string& body) const;

 private:
  WebhookSenderOptions options_;
};

}  // namespace socm::assessment
