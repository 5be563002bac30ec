#pragma once
// Webhooks as pure rules: what a registration may ask, which addresses a delivery may reach,
// the event a write reports, the body and its Standard Webhooks signature, and when a failed
// delivery is tried again.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/common/outbound_address.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/assessment/v1/practice.pb.h"
#include "soc/maturity/common/v1/errors.pb.h"

namespace socm::assessment {

inline constexpr char kWebhookSecretPrefix[] = "whsec_";
inline constexpr char kWebhookTestEvent[] = "webhook.test";
inline constexpr size_t kMaxWebhookUrlBytes = kMaxOutboundUrlBytes;
inline constexpr int64_t kMaxWebhooksPerTenant = 20;
// A delivery not accepted within a day of its event is given up (FAILED).
inline constexpr int64_t kWebhookGiveUpMicros = 24LL * 3600 * 1000000;
// The longest wait between two attempts.
inline constexpr int64_t kWebhookMaxDelayMicros = 3600LL * 1000000;

// The events a webhook may subscribe to, in the spec's order.
const std::vector<std::string>& WebhookEventTypes();

// Violations name "url" and "events[i]". `allow_private` lets a literal private or loopback
// address through (SOCM_WEBHOOK_ALLOW_PRIVATE_NETWORKS); a hostname is checked when a delivery
// resolves it, since what it resolves to can change.
std::vector<soc::maturity::common::v1::FieldViolation> CheckWebhookRequest(
    const std::string& url, const std::vector<std::string>& events, bool allow_private);

// The destination checks, shared with the gateway's calls to identity providers.
using socm::ForbiddenAddress;
using socm::ForbiddenAddressLiteral;
using socm::OutboundUrlProblem;

// The webhook event a write's audit action reports ("assessment.submit" →
// "assessment.submitted"), or nothing.
std::optional<std::string> WebhookEventOfAction(const std::string& action);

// The `data` of an assessment's event: organizationId, assessmentId, revision, status, title,
// catalogueId, assessedOn.
std::string AssessmentEventData(const soc::maturity::assessment::v1::Assessment& assessment);
// The `data` of campaign.created: campaignId, title, catalogueId, assessedOn, dueOn, and the
// organisations and assessments it started.
std::string CampaignEventData(const soc::maturity::assessment::v1::Campaign& campaign);

// "whsec_" and the base64 of 32 random bytes.
std::string NewWebhookSecret();

// The delivered body: {"id","type","timestamp" (RFC 3339, UTC),"data"}; `data_json` is an
// object's JSON.
std::string WebhookEventBody(const std::string& event_id, const std::string& type,
                             int64_t time_micros, const std::string& data_json);

// The webhook-signature header: "v1," and the base64 of HMAC-SHA256 over
// "<id>.<timestamp>.<body>" with the secret's decoded key. Empty for a malformed secret.
std::string WebhookSignature(const std::string& secret, const std::string& message_id,
                             int64_t timestamp_seconds, const std::string& body);

// How long to wait after failed attempt number `attempts` (1, 2, …): doubling from `base`,
// at most an hour, a random part (`unit` in [0, 1)) of its second half spreading receivers'
// retries apart.
int64_t WebhookRetryDelayMicros(int attempts, int64_t base_micros, double unit);

}  // namespace socm::assessment
