#include "services/assessment/domain/webhook_rules.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace socm::assessment {
namespace {

std::string Fields(const std::string& url, const std::vector<std::string>& events,
                   bool allow_private = false) {
  std::string out;
  for (const auto& v : CheckWebhookRequest(url, events, allow_private)) {
    out += v.field() + ";";
  }
  return out;
}

std::string Message(const std::string& url) {
  const auto v = CheckWebhookRequest(url, {"assessment.approved"}, false);
  return v.empty() ? "" : v.front().description();
}

TEST(WebhookRulesTest, AGoodRegistrationPasses) {
  EXPECT_EQ(Fields("https://portal.example.com/hooks/soc?token=abc",
                   {"assessment.submitted", "assessment.approved"}),
            "");
  EXPECT_EQ(Fields("http://hooks.example.com:8080/", {"campaign.created"}), "");
}

TEST(WebhookRulesTest, EachBadFieldIsNamed) {
  EXPECT_EQ(Fields("", {"assessment.created"}), "url;");
  EXPECT_EQ(Fields("ftp://example.com/x", {"assessment.created"}), "url;");
  EXPECT_EQ(Fields("example.com/hook", {"assessment.created"}), "url;");
  EXPECT_EQ(Fields("https://user:pw@example.com/", {"assessment.created"}), "url;");
  EXPECT_EQ(Fields("https://example.com/#frag", {"assessment.created"}), "url;");
  EXPECT_EQ(Fields("https://exa mple.com/", {"assessment.created"}), "url;");
  // Found by the fuzzer: libcurl takes "http:/" and bytes outside ASCII in a host.
  EXPECT_EQ(Fields("http:/example.com/", {"assessment.created"}), "url;");
  EXPECT_EQ(Fields("http://b\xc3\xbc"
                   "cher.example/",
                   {"assessment.created"}),
            "url;");
  EXPECT_EQ(Fields("http://xn--bcher-kva.example/", {"assessment.created"}), "");
  EXPECT_EQ(Fields("HTTPS://EXAMPLE.COM/", {"assessment.created"}), "");
  EXPECT_EQ(Fields("http://exa_mple.com/", {"assessment.created"}), "url;");
  EXPECT_EQ(Fields("https://example.com/" + std::string(3000, 'a'), {"assessment.created"}),
            "url;");
  EXPECT_EQ(Fields("https://example.com/", {}), "events;");
  EXPECT_EQ(Fields("https://example.com/", {"assessment.created", "assessment.deleted"}),
            "events[1];");
  EXPECT_EQ(Fields("https://example.com/", {"campaign.created", "campaign.created"}), "events[1];");
}

TEST(WebhookRulesTest, AddressLiteralsOutsideThePublicInternetAreRefusedUnlessAllowed) {
  for (const char* url :
       {"http://127.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
        "http://172.16.5.4/", "http://192.168.1.1/", "http://[::1]/", "http://[fe80::1]/",
        "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/",
        // Through a translator or relay to a forbidden IPv4 address.
        "http://[64:ff9b::a9fe:a9fe]/", "http://[64:ff9b:1::a00:1]/", "http://[2002:a9fe:a9fe::1]/",
        "http://[2001:0:4136:e378::1]/"}) {
    EXPECT_EQ(Fields(url, {"assessment.created"}), "url;") << url;
    EXPECT_EQ(Fields(url, {"assessment.created"}, true), "") << url;
  }
  EXPECT_NE(Message("http://169.254.169.254/").find("metadata"), std::string::npos);
  EXPECT_NE(Message("http://127.0.0.1:9/").find("loopback"), std::string::npos);
  // Public literals, and names (checked when a delivery resolves them).
  EXPECT_EQ(Fields("https://93.184.215.14/", {"assessment.created"}), "");
  EXPECT_EQ(Fields("https://[2606:4700::1111]/", {"assessment.created"}), "");
  EXPECT_EQ(Fields("https://[64:ff9b::5db8:d70e]/", {"assessment.created"}), "");
  EXPECT_EQ(Fields("https://[2002:5db8:d70e::1]/", {"assessment.created"}), "");
  EXPECT_NE(Message("http://[64:ff9b::a9fe:a9fe]/").find("metadata"), std::string::npos);
  EXPECT_EQ(Fields("http://localhost:8080/", {"assessment.created"}), "");
}

TEST(WebhookRulesTest, ResolvedAddressesAreJudged) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.53", &v4.sin_addr);
  EXPECT_EQ(ForbiddenAddress(reinterpret_cast<sockaddr*>(&v4)), "a loopback address");
  inet_pton(AF_INET, "8.8.8.8", &v4.sin_addr);
  EXPECT_EQ(ForbiddenAddress(reinterpret_cast<sockaddr*>(&v4)), std::nullopt);
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::ffff:10.1.2.3", &v6.sin6_addr);
  EXPECT_EQ(ForbiddenAddress(reinterpret_cast<sockaddr*>(&v6)), "a private address");
  inet_pton(AF_INET6, "2001:db8::1", &v6.sin6_addr);
  EXPECT_EQ(ForbiddenAddress(reinterpret_cast<sockaddr*>(&v6)), std::nullopt);
}

TEST(WebhookRulesTest, TheSignatureIsStandardWebhooks) {
  // The example of the Standard Webhooks specification.
  EXPECT_EQ(WebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                             "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  EXPECT_EQ(WebhookSignature("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "m", 1, "{}"), "");
  const std::string secret = NewWebhookSecret();
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  EXPECT_NE(secret, NewWebhookSecret());
  EXPECT_NE(WebhookSignature(secret, "m", 1, "{}"), "");
}

TEST(WebhookRulesTest, TheBodyHoldsTheEventAndItsTime) {
  const auto body = nlohmann::json::parse(WebhookEventBody(
      "evt_1", "assessment.approved", 1700000000123456, R"({"assessmentId":"as_1"})"));
  EXPECT_EQ(body["id"], "evt_1");
  EXPECT_EQ(body["type"], "assessment.approved");
  EXPECT_EQ(body["timestamp"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(body["data"]["assessmentId"], "as_1");
  EXPECT_TRUE(nlohmann::json::parse(WebhookEventBody("e", "t", 0, "not json"))["data"].is_object());
}

TEST(WebhookRulesTest, WritesMapToTheirEvents) {
  EXPECT_EQ(WebhookEventOfAction("assessment.submit"), "assessment.submitted");
  EXPECT_EQ(WebhookEventOfAction("assessment.approve"), "assessment.approved");
  EXPECT_EQ(WebhookEventOfAction("assessment.reopen"), "assessment.reopened");
  EXPECT_EQ(WebhookEventOfAction("assessment.update"), std::nullopt);
}

TEST(WebhookRulesTest, RetriesBackOffWithJitterUpToAnHour) {
  const int64_t base = 5000000;
  EXPECT_EQ(WebhookRetryDelayMicros(1, base, 0.0), base / 2);
  EXPECT_EQ(WebhookRetryDelayMicros(1, base, 1.0), base);
  EXPECT_EQ(WebhookRetryDelayMicros(3, base, 1.0), 4 * base);
  const int64_t hour = 3600LL * 1000000;
  EXPECT_EQ(WebhookRetryDelayMicros(40, base, 1.0), hour);
  EXPECT_GE(WebhookRetryDelayMicros(40, base, 0.0), hour / 2);
  EXPECT_GT(WebhookRetryDelayMicros(2, base, 0.7), WebhookRetryDelayMicros(2, base, 0.2));
}

}  // namespace
}  // namespace socm::assessment
