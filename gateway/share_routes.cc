// The share links' views: /share/{token}/radar.svg and /share/{token}/report answer without a
// key. The token is resolved by the assessment service (a hash lookup), and the view rendered by
// the reporting service for a caller made from the link alone: its tenant, pinned to its
// organisation, a viewer named after the link. Unknown tokens are counted per client address,
// and an address that guesses too often is refused for a while, before any lookup.
#include <chrono>
#include <list>
#include <mutex>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/backend_call.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "services/common/crypto.h"
#include "services/common/status.h"
#include "soc/maturity/assessment/v1/practice.grpc.pb.h"
#include "soc/maturity/reporting/v1/reporting.grpc.pb.h"

namespace socm::gateway {
namespace {

namespace apb = soc::maturity::assessment::v1;
namespace rpb = soc::maturity::reporting::v1;
using Clock = std::chrono::steady_clock;

// Misses an address may have in a window before its share requests are refused.
constexpr int kMissesPerWindow = 20;
constexpr auto kWindow = std::chrono::seconds(60);
// Addresses remembered at once (the oldest windows go first).
constexpr size_t kAddresses = 10000;

// Unknown-token misses per client address, in fixed windows, bounded in memory.
class GuessLimiter {
 public:
  // How long `address` must wait, or zero when it may ask.
  std::chrono::seconds Wait(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_address_.find(address);
    if (it == by_address_.end()) return std::chrono::seconds(0);
    const auto now = Clock::now();
    if (now - it->second->start >= kWindow) {
      order_.erase(it->second);
      by_address_.erase(it);
      return std::chrono::seconds(0);
    }
    if (it->second->misses < kMissesPerWindow) return std::chrono::seconds(0);
    return std::chrono::duration_cast<std::chrono::seconds>(kWindow - (now - it->second->start)) +
           std::chrono::seconds(1);
  }

  void Miss(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = Clock::now();
    auto it = by_address_.find(address);
    if (it != by_address_.end() && now - it->second->start < kWindow) {
      ++it->second->misses;
      return;
    }
    if (it != by_address_.end()) {
      order_.erase(it->second);
      by_address_.erase(it);
    }
    if (by_address_.size() >= kAddresses) {
      by_address_.erase(order_.front().address);
      order_.pop_front();
    }
    order_.push_back({address, now, 1});
    by_address_[address] = std::prev(order_.end());
  }

 private:
  struct Window {
    std::string address;
    Clock::time_point start;
    int misses;
  };
  std::mutex mu_;
  std::list<Window> order_;  // oldest window first
  std::unordered_map<std::string, std::list<Window>::iterator> by_address_;
};

Response NotFound() {
  return ErrorResponse(absl::NotFoundError("this share link does not exist or has expired"));
}

std::string Query(const Call& call, const char* name) {
  auto it = call.query.find(name);
  return it == call.query.end() ? "" : it->second;
}

// Only the tenant's allowed origins may frame a view; nothing else loads from anywhere.
std::string SecurityPolicy(const apb::ResolvedShareLink& link) {
  const std::string ancestors =
      link.allowed_origins().empty() ? "'none'" : absl::StrJoin(link.allowed_origins(), " ");
  return absl::StrCat(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
      "base-uri 'none'; form-action 'none'; frame-ancestors ",
      ancestors);
}

Response View(const Call& call, const apb::ResolvedShareLink& link,
              const rpb::RenderReportResponse& file) {
  // A strong validator of the bytes: the page revalidates each time (no-cache) and gets a 304
  // while nothing changed; a revoked link answers 404 at the next request.
  const std::string etag = absl::StrCat("\"", Sha256Hex(file.content()).substr(0, 32), "\"");
  const auto given = call.request.find(http::field::if_none_match);
  const bool unchanged = given != call.request.end() && std::string(given->value()) == etag;
  Response response{unchanged ? http::status::not_modified : http::status::ok, 11};
  response.set(http::field::cache_control, "no-cache");
  response.set(http::field::etag, etag);
  response.set("x-content-type-options", "nosniff");
  response.set("referrer-policy", "no-referrer");
  response.set("content-security-policy", SecurityPolicy(link));
  if (!unchanged) {
    response.set(http::field::content_type, file.content_type());
    response.set(http::field::content_disposition,
                 absl::StrCat("inline; filename=\"", file.file_name(), "\""));
    response.body() = file.content();
  }
  response.prepare_payload();
  return response;
}

RouteHandler ShareViewRoute(const RouteContext& context, const RouteSpec& route,
                            std::shared_ptr<apb::PracticeService::Stub> practice,
                            std::shared_ptr<rpb::ReportingService::Stub> reporting,
                            std::shared_ptr<GuessLimiter> guesses) {
  const bool radar =
      route.path.size() >= 10 && route.path.compare(route.path.size() - 10, 10, "/radar.svg") == 0;
  const bool trust_forwarded_for = context.trust_forwarded_for;
  return [=](CallPtr call, Respond respond) {
    const std::string address = ClientAddress(call->request, trust_forwarded_for);
    if (auto wait = guesses->Wait(address); wait.count() > 0) {
      Response refused = ErrorResponse(
          absl::ResourceExhaustedError("too many unknown share links from this address"));
      refused.set(http::field::retry_after, std::to_string(wait.count()));
      return respond(std::move(refused));
    }
    rpb::RenderReportRequest render;
    render.set_lang(Query(*call, "lang"));
    if (!render.lang().empty() && render.lang() != "ja" && render.lang() != "en") {
      return respond(ErrorResponse(InvalidFields({Violation("lang", "must be ja or en")})));
    }
    if (radar) {
      render.set_format(rpb::REPORT_FORMAT_SVG);
    } else {
      const std::string format = Query(*call, "format");
      if (format.empty() || format == "html") {
        render.set_format(rpb::REPORT_FORMAT_HTML);
      } else if (format == "pdf") {
        render.set_format(rpb::REPORT_FORMAT_PDF);
      } else if (format == "json") {
        render.set_format(rpb::REPORT_FORMAT_JSON);
      } else {
        return respond(
            ErrorResponse(InvalidFields({Violation("format", "must be html, pdf or json")})));
      }
    }
    apb::ResolveShareLinkRequest resolve;
    resolve.set_token(call->params["token"]);
    UnaryCall<apb::ResolvedShareLink>(
        *call, std::move(resolve), SOCM_ASYNC(practice, ResolveShareLink),
        [=](absl::Status status, apb::ResolvedShareLink& link) mutable {
          if (status.code() == absl::StatusCode::kNotFound) {
            guesses->Miss(address);
            return respond(NotFound());
          }
          if (!status.ok()) return respond(ErrorResponse(status));
          const std::string view = radar ? "radar" : "report";
          if (std::find(link.views().begin(), link.views().end(), view) == link.views().end()) {
            return respond(NotFound());
          }
          // The link is the credential: its tenant, its one organisation, read only.
          Caller caller;
          caller.tenant = TenantId(link.tenant_id());
          caller.principal = "shareLink:" + link.share_link_id();
          caller.role = Role::kViewer;
          caller.organizations = {link.organization_id()};
          caller.request_id = call->request_id;
          caller.client_address = address;
          call->caller = caller;
          render.set_organization_id(link.organization_id());
          render.set_assessment_id(link.assessment_id());
          auto resolved = std::make_shared<apb::ResolvedShareLink>(std::move(link));
          UnaryCall<rpb::RenderReportResponse>(
              *call, std::move(render), SOCM_ASYNC(reporting, RenderReport),
              [call, respond, resolved](absl::Status rendered, rpb::RenderReportResponse& file) {
                if (rendered.code() == absl::StatusCode::kNotFound) return respond(NotFound());
                if (!rendered.ok()) return respond(ErrorResponse(rendered));
                respond(View(*call, *resolved, file));
              });
        });
  };
}

}  // namespace

NamedHandlers ShareHandlers(const RouteContext& context) {
  std::shared_ptr<apb::PracticeService::Stub> practice =
      apb::PracticeService::NewStub(context.backends.assessment());
  std::shared_ptr<rpb::ReportingService::Stub> reporting =
      rpb::ReportingService::NewStub(context.backends.reporting());
  auto guesses = std::make_shared<GuessLimiter>();
  return {{"share_view", [&context, practice, reporting, guesses](const RouteSpec& route) {
             return ShareViewRoute(context, route, practice, reporting, guesses);
           }}};
}

}  // namespace socm::gateway
