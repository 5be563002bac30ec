#include "services/assessment/domain/webhook_rules.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/crypto.h"
#include "services/common/status.h"

namespace socm::assessment {

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
  if (auto problem = OutboundUrlProblem(url, &host)) {
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
