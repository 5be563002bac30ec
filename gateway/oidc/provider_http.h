#pragma once
// The gateway's calls to identity providers (discovery, JWKS, the token endpoint), made with
// libcurl on a few threads of their own, so no request thread waits on a provider. A tenant
// names the issuer, so the webhooks' destination checks apply: public addresses only (checked
// again at connect time, whatever the name resolves to) unless the operator allows private
// issuers; no redirects, no proxy from the environment, bounded time and answer size. A full
// queue answers UNAVAILABLE at once rather than growing. Example:
//   ProviderHttp http({.allow_private = false});
//   http.Get(issuer + "/.well-known/openid-configuration",
//            [](absl::StatusOr<HttpAnswer> answer) { ... });  // on one of http's threads

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace socm::oidc {

struct ProviderHttpOptions {
  // Let issuers on loopback, private and link-local addresses through (and plain http).
  bool allow_private = false;
  int threads = 2;
  size_t max_queue = 256;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{5000};
  // An answer longer than this is refused (a JWKS is at most 256 KiB, see provider_keys.h).
  size_t max_body = 256 * 1024;
};

struct HttpAnswer {
  long status = 0;  // NOLINT(runtime/int): libcurl's type
  std::string body;
};

class ProviderHttp {
 public:
  using Done = std::function<void(absl::StatusOr<HttpAnswer>)>;

  explicit ProviderHttp(ProviderHttpOptions options);
  // Stop() then.
  ~ProviderHttp();
  // Finishes the transfers under way, answers the queued ones UNAVAILABLE and takes no more;
  // the owner calls it while what the answers reach still exists (the gateway, at shutdown).
  void Stop();
  ProviderHttp(const ProviderHttp&) = delete;
  ProviderHttp& operator=(const ProviderHttp&) = delete;

  // `done` is called once, on one of the client's threads (or at once when refused). An
  // answer of any status is OK; UNAVAILABLE when the transfer failed or was refused, with
  // the reason.
  void Get(std::string url, Done done);
  // A form POST authenticated with HTTP Basic as RFC 6749 2.3.1 says (client id and secret
  // form-encoded first).
  void PostForm(std::string url, std::string form, std::string client_id, std::string client_secret,
                Done done);

  bool allow_private() const { return options_.allow_private; }

 private:
  struct Job {
    std::string url;
    bool post = false;
    std::string form;
    std::string user;
    std::string password;
    Done done;
  };
  void Enqueue(Job job);
  void Work();
  absl::StatusOr<HttpAnswer> Perform(const Job& job) const;

  const ProviderHttpOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace socm::oidc
