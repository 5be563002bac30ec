#include "gateway/oidc/provider_http.h"

#include <curl/curl.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "services/common/outbound_address.h"

namespace socm::oidc {
namespace {

struct Transfer {
  const ProviderHttpOptions* options;
  OutboundGuard guard;
  std::string* body;
  bool too_long = false;
};

size_t KeepBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->body->size() + size * count > transfer->options->max_body) {
    transfer->too_long = true;
    return 0;
  }
  transfer->body->append(data, size * count);
  return size * count;
}

std::string FormEncoded(CURL* curl, const std::string& text) {
  std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(curl, text.data(), static_cast<int>(text.size())), &curl_free);
  return escaped ? std::string(escaped.get()) : std::string();
}

}  // namespace

ProviderHttp::ProviderHttp(ProviderHttpOptions options) : options_(options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  for (int i = 0; i < std::max(1, options_.threads); ++i) workers_.emplace_back([this] { Work(); });
}

ProviderHttp::~ProviderHttp() { Stop(); }

void ProviderHttp::Stop() {
  std::deque<Job> left;
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    left.swap(queue_);
    workers.swap(workers_);
  }
  wake_.notify_all();
  for (std::thread& t : workers) t.join();
  for (Job& job : left) job.done(absl::UnavailableError("the gateway is stopping"));
}

void ProviderHttp::Get(std::string url, Done done) {
  Enqueue({std::move(url), false, "", "", "", std::move(done)});
}

void ProviderHttp::PostForm(std::string url, std::string form, std::string client_id,
                            std::string client_secret, Done done) {
  Enqueue({std::move(url), true, std::move(form), std::move(client_id), std::move(client_secret),
           std::move(done)});
}

void ProviderHttp::Enqueue(Job job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_ && queue_.size() < options_.max_queue) {
      queue_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  job.done(absl::UnavailableError("too many calls to identity providers are waiting"));
}

void ProviderHttp::Work() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    absl::StatusOr<HttpAnswer> answer = Perform(job);
    job.done(std::move(answer));
  }
}

absl::StatusOr<HttpAnswer> ProviderHttp::Perform(const Job& job) const {
  std::string host;
  if (auto problem = OutboundUrlProblem(job.url, &host)) {
    return absl::UnavailableError(absl::StrCat("the provider's URL ", *problem));
  }
  if (!options_.allow_private) {
    if (job.url.rfind("https://", 0) != 0) {
      return absl::UnavailableError("the provider's URLs must be https");
    }
    if (auto reason = ForbiddenAddressLiteral(host)) {
      return absl::UnavailableError(
          absl::StrCat(host, " is ", *reason, "; issuers must be on public addresses"));
    }
  }
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (curl == nullptr) return absl::UnavailableError("cannot start an HTTP transfer");
  CURL* h = curl.get();
  HttpAnswer answer;
  Transfer transfer{&options_, {}, &answer.body, false};
  transfer.guard.allow_private = options_.allow_private;
  transfer.guard.rule = "identity providers must be on public addresses";
  curl_easy_setopt(h, CURLOPT_URL, job.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  // Never through a proxy named by the environment: the address checked is the one connected.
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_USERAGENT, "SOC-Maturity-Gateway/1");
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &OpenGuardedSocket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &transfer.guard);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &KeepBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                          &curl_slist_free_all);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  std::string user, password;
  if (job.post) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, job.form.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(job.form.size()));
    user = FormEncoded(h, job.user);
    password = FormEncoded(h, job.password);
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, password.c_str());
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  const CURLcode result = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  if (transfer.guard.refused > 0 && transfer.guard.opened == 0) {
    return absl::UnavailableError(transfer.guard.refusal);
  }
  if (transfer.too_long) {
    return absl::UnavailableError(
        absl::StrCat("the provider's answer is longer than ", options_.max_body, " bytes"));
  }
  if (result != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("cannot reach the provider: ", curl_easy_strerror(result)));
  }
  return answer;
}

}  // namespace socm::oidc
