// The webhook sender against real receivers on loopback (Boost.Beast): without the
// allow-private switch, loopback, private, link-local and metadata destinations are refused
// before any connection, a name that resolves to loopback included; with it, the POST arrives
// as sent; redirects are not followed; a long answer is cut at the cap; a silent receiver times
// out.
#include "services/assessment/server/webhook_sender.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"

namespace socm::assessment {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Answers every request with `status`, `location` (when set) and `body_bytes` of body, or
// never answers when `silent`; keeps what it received.
class Receiver {
 public:
  Receiver(int status, std::string location = "", size_t body_bytes = 0, bool silent = false)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([=, this] {
      for (;;) {
        tcp::socket socket(io_);
        beast::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stop_) return;
        beast::flat_buffer buffer;
        http::request<http::string_body> request;
        http::read(socket, buffer, request, ec);
        if (ec) continue;
        {
          std::lock_guard<std::mutex> lock(mu_);
          requests_.push_back(request);
        }
        if (silent) {
          held_.push_back(std::move(socket));
          continue;
        }
        http::response<http::string_body> response{static_cast<http::status>(status), 11};
        if (!location.empty()) response.set(http::field::location, location);
        response.body() = std::string(body_bytes, 'x');
        response.prepare_payload();
        http::write(socket, response, ec);
      }
    });
  }
  ~Receiver() {
    stop_ = true;
    beast::error_code ec;
    tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  std::vector<http::request<http::string_body>> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<http::request<http::string_body>> requests_;
  std::vector<tcp::socket> held_;
  std::thread thread_;
};

WebhookSender Sender(bool allow_private, long timeout_ms = 5000) {  // NOLINT(runtime/int)
  WebhookSenderOptions options;
  options.allow_private = allow_private;
  options.connect_timeout_ms = 1000;
  options.timeout_ms = timeout_ms;
  return WebhookSender(options);
}

TEST(WebhookSenderTest, DestinationsOutsideThePublicInternetAreRefusedBeforeConnecting) {
  Receiver receiver(204);
  const std::string port = absl::StrCat(receiver.port());
  const WebhookSender sender = Sender(false);
  for (const std::string& url : std::vector<std::string>{
           "http://127.0.0.1:" + port + "/hook", "http://localhost:" + port + "/hook",
           "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
           "http://[::1]:" + port}) {
    const WebhookResponse r = sender.Post(url, {}, "{}");
    EXPECT_TRUE(r.refused) << url << ": " << r.error;
    EXPECT_EQ(r.code, 0) << url;
    EXPECT_NE(r.error.find("public addresses only"), std::string::npos) << url << ": " << r.error;
  }
  EXPECT_NE(sender.Post("http://169.254.169.254/", {}, "{}").error.find("metadata"),
            std::string::npos);
  // localhost is a name: it was refused after resolution, by the address it gave.
  EXPECT_NE(sender.Post("http://localhost:" + port + "/", {}, "{}").error.find("loopback"),
            std::string::npos);
  EXPECT_TRUE(receiver.requests().empty());
}

TEST(WebhookSenderTest, WithTheSwitchThePostArrivesAsSent) {
  Receiver receiver(204);
  const WebhookResponse r =
      Sender(true).Post(absl::StrCat("http://127.0.0.1:", receiver.port(), "/hook?x=1"),
                        {"Content-Type: application/json", "webhook-id: evt_1"}, R"({"a":1})");
  EXPECT_EQ(r.code, 204) << r.error;
  EXPECT_FALSE(r.refused);
  EXPECT_TRUE(r.error.empty()) << r.error;
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method(), http::verb::post);
  EXPECT_EQ(requests[0].target(), "/hook?x=1");
  EXPECT_EQ(requests[0].body(), R"({"a":1})");
  EXPECT_EQ(requests[0]["webhook-id"], "evt_1");
  EXPECT_EQ(requests[0][http::field::content_type], "application/json");
}

TEST(WebhookSenderTest, ARedirectIsNotFollowed) {
  Receiver target(200);
  Receiver redirecting(302, absl::StrCat("http://127.0.0.1:", target.port(), "/"));
  const WebhookResponse r =
      Sender(true).Post(absl::StrCat("http://127.0.0.1:", redirecting.port(), "/"), {}, "{}");
  EXPECT_EQ(r.code, 302);
  EXPECT_NE(r.error.find("redirects are not followed"), std::string::npos) << r.error;
  EXPECT_EQ(redirecting.requests().size(), 1u);
  EXPECT_TRUE(target.requests().empty());
}

TEST(WebhookSenderTest, ALongAnswerIsCutAndASilentReceiverTimesOut) {
  Receiver verbose(200, "", 8 << 20);
  const WebhookResponse long_answer =
      Sender(true).Post(absl::StrCat("http://127.0.0.1:", verbose.port(), "/"), {}, "{}");
  EXPECT_EQ(long_answer.code, 200) << long_answer.error;

  Receiver silent(200, "", 0, true);
  const auto start = std::chrono::steady_clock::now();
  const WebhookResponse timed_out =
      Sender(true, 300).Post(absl::StrCat("http://127.0.0.1:", silent.port(), "/"), {}, "{}");
  EXPECT_EQ(timed_out.code, 0);
  EXPECT_FALSE(timed_out.refused);
  EXPECT_NE(timed_out.error.find("imeout"), std::string::npos) << timed_out.error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

}  // namespace
}  // namespace socm::assessment
