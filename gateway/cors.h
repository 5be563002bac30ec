#pragma once
// CORS by tenant: a tenant's admin lists the origins whose pages may call the API from a browser
// (/v1/tenantSettings). A preflight (OPTIONS) carries no credential, so it is answered when any
// tenant allows its origin; the request that follows is answered with
// Access-Control-Allow-Origin only when the caller's own tenant allows it, so one tenant's
// origin never reads another's data. Answers are remembered for a few seconds per (tenant,
// origin), so a browser's requests cost no lookup each; a removed origin stops within that time.
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "gateway/http_types.h"
#include "soc/maturity/assessment/v1/practice.grpc.pb.h"

namespace socm::gateway {

class CorsPolicy {
 public:
  CorsPolicy(std::shared_ptr<soc::maturity::assessment::v1::PracticeService::Stub> practice,
             std::chrono::milliseconds remember = std::chrono::seconds(10));

  // Whether `request` is a preflight (OPTIONS with Origin and Access-Control-Request-Method).
  static bool IsPreflight(const Request& request);
  // Answers a preflight: 204 with the allowed methods and headers, or 403.
  void Preflight(const Call& call, Respond respond);
  // Calls `go` with the response decorator for `call` made by `tenant`: one that adds the CORS
  // headers when the request has an Origin the tenant allows, else one that leaves it as is.
  void ForRequest(const Call& call, const std::string& tenant,
                  std::function<void(std::function<void(Response&)>)> go);
  // The same for a refusal (a bad or missing key, a role that may not, a rate limit), so a
  // portal's page can read why: by `tenant`'s origins, or, with "" (the caller is not known),
  // when any tenant allows the origin, as for a preflight. A refusal carries no tenant's data.
  void ForRefusal(const Call& call, const std::string& tenant, Response response, Respond respond);

 private:
  // `done(allowed)`, from memory or the assessment service (an error counts as not allowed).
  void Check(const Call& call, const std::string& origin, const std::string& tenant,
             std::function<void(bool)> done);

  std::shared_ptr<soc::maturity::assessment::v1::PracticeService::Stub> practice_;
  const std::chrono::milliseconds remember_;
  struct Answer {
    std::string key;
    bool allowed;
    std::chrono::steady_clock::time_point until;
  };
  std::mutex mu_;
  std::list<Answer> order_;  // oldest first
  std::unordered_map<std::string, std::list<Answer>::iterator> answers_;
};

}  // namespace socm::gateway
