#include "gateway/http_server.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "gateway/responses.h"
#include "services/common/log.h"

namespace socm::gateway {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// After an error answer the client may still be sending a body we refused; read
// and drop up to this much so it sees the answer instead of a reset connection.
constexpr size_t kDrainLimit = 16 << 20;
constexpr std::chrono::seconds kDrainTimeout{2};

}  // namespace

class ConnectionCounts {
 public:
  // A slot for one more connection from `address`, or the status that refuses it.
  absl::Status Take(const std::string& address, int max_total, int max_per_address) {
    std::lock_guard<std::mutex> lock(mu_);
    if (max_total > 0 && total_ >= max_total) {
      return absl::UnavailableError("the server has too many open connections; try again");
    }
    int& mine = by_address_[address];
    if (max_per_address > 0 && mine >= max_per_address) {
      if (mine == 0) by_address_.erase(address);
      return absl::ResourceExhaustedError(
          "too many open connections from this address; close some or reuse them");
    }
    ++mine;
    ++total_;
    return absl::OkStatus();
  }
  void Give(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    --total_;
    auto it = by_address_.find(address);
    if (it != by_address_.end() && --it->second <= 0) by_address_.erase(it);
  }

 private:
  std::mutex mu_;
  int total_ = 0;
  std::unordered_map<std::string, int> by_address_;
};

namespace {

// Gives the connection's slot back when its session ends.
class ConnectionSlot {
 public:
  ConnectionSlot(std::shared_ptr<ConnectionCounts> counts, std::string address)
      : counts_(std::move(counts)), address_(std::move(address)) {}
  ~ConnectionSlot() { counts_->Give(address_); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::shared_ptr<ConnectionCounts> counts_;
  std::string address_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServerOptions& options, const HttpHandler& handler,
          std::atomic<int>& busy, std::unique_ptr<ConnectionSlot> slot)
      : stream_(std::move(socket)),
        options_(options),
        handler_(handler),
        busy_(busy),
        slot_(std::move(slot)) {}

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    body_limit_ = options_.body_limit;
    parser_->body_limit(options_.body_limit_for
                            ? std::max(options_.body_limit, options_.body_limit_ceiling)
                            : body_limit_);
    parser_->header_limit(options_.header_limit);
    stream_.expires_after(options_.read_timeout);
    // The headers first: they say which route, and so which body limit, applies.
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    if (options_.body_limit_for) {
      const auto& header = parser_->get();
      body_limit_ = options_.body_limit_for(header.method(), std::string(header.target()));
      if (parser_->content_length() && *parser_->content_length() > body_limit_) {
        return OnRead(http::error::body_limit);
      }
      parser_->body_limit(body_limit_);  // a chunked body is counted as it comes
    }
    if (options_.check_headers) {
      // The parser keeps the header; the callback may come from a gRPC thread.
      auto self = shared_from_this();
      return options_.check_headers(parser_->get(), [self](std::optional<Response> refused) {
        net::post(self->stream_.get_executor(), [self, refused = std::move(refused)]() mutable {
          if (refused) {
            if (self->options_.on_rejected) self->options_.on_rejected(refused->result_int());
            ++self->busy_;
            return self->Write(std::move(*refused), true);
          }
          self->ContinueAfterHeader();
        });
      });
    }
    ContinueAfterHeader();
  }

  void ContinueAfterHeader() {
    // A client that asks first (curl does for bodies over 1 MiB) waits for this, or a second.
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      return http::async_write(stream_, *go_on,
                               [self = shared_from_this(), go_on](beast::error_code ec, size_t) {
                                 if (ec) return self->Close();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Reject(
          ErrorResponse(http::status::payload_too_large, absl::StatusCode::kInvalidArgument,
                        absl::StrCat("request body larger than ", body_limit_, " bytes")));
    }
    if (ec == http::error::header_limit) {
      return Reject(ErrorResponse(http::status::request_header_fields_too_large,
                                  absl::StatusCode::kInvalidArgument, "request headers too large"));
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return Reject(ErrorResponse(http::status::bad_request, absl::StatusCode::kInvalidArgument,
                                  absl::StrCat("malformed HTTP request: ", ec.message())));
    }
    if (ec) return Close();  // the client left, or stalled past read_timeout

    Request request = parser_->release();
    beast::error_code peer_ec;
    const auto peer = stream_.socket().remote_endpoint(peer_ec);
    request.set(kPeerHeader, peer_ec ? "" : peer.address().to_string());
    const bool keep_alive = request.keep_alive();
    ++busy_;  // until the response is written
    auto self = shared_from_this();
    handler_(std::move(request), [self, keep_alive](Response response) {
      auto shared = std::make_shared<Response>(std::move(response));
      net::post(self->stream_.get_executor(),
                [self, shared, keep_alive] { self->Write(std::move(*shared), !keep_alive); });
    });
  }

  void Reject(Response response) {
    if (options_.on_rejected) options_.on_rejected(response.result_int());
    ++busy_;
    Write(std::move(response), true);
  }

  void Write(Response response, bool close) {
    response.keep_alive(!close);
    response_ = std::make_shared<Response>(std::move(response));
    stream_.expires_after(options_.read_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), close](beast::error_code ec, size_t) {
                        self->response_.reset();
                        --self->busy_;
                        if (ec) return self->Close();
                        if (close) return self->Drain();
                        self->Read();
                      });
  }

  void Drain() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kDrainTimeout);
    DrainSome();
  }

  void DrainSome() {
    drain_buffer_.resize(64 * 1024);
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kDrainLimit) return self->Close();
                              self->DrainSome();
                            });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  uint64_t body_limit_ = 0;
  std::shared_ptr<Response> response_;
  std::vector<char> drain_buffer_;
  size_t drained_ = 0;
  const HttpServerOptions& options_;
  const HttpHandler& handler_;
  std::atomic<int>& busy_;
  std::unique_ptr<ConnectionSlot> slot_;
};

// accept() failures that come from this process's or the system's limits: retrying at once
// fails again at once.
bool OutOfResources(const beast::error_code& ec) {
  return ec == net::error::no_descriptors || ec == net::error::no_buffer_space ||
         ec == net::error::no_memory || ec.value() == ENFILE;
}

// The answer to a connection over a limit, written before it is closed: the client learns
// why instead of seeing a reset.
void Refuse(tcp::socket& socket, const absl::Status& why, const HttpServerOptions& options) {
  Response response =
      why.code() == absl::StatusCode::kResourceExhausted
          ? ErrorResponse(http::status::too_many_requests, why.code(), std::string(why.message()))
          : ErrorResponse(http::status::service_unavailable, why.code(),
                          std::string(why.message()));
  response.set(http::field::retry_after, "1");
  response.keep_alive(false);
  response.prepare_payload();
  if (options.on_rejected) options.on_rejected(response.result_int());
  beast::error_code ec;
  http::write(socket, response, ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace

HttpServer::HttpServer(net::io_context& ioc, HttpServerOptions options, HttpHandler handler)
    : ioc_(ioc),
      options_(std::move(options)),
      handler_(std::move(handler)),
      acceptor_(net::make_strand(ioc)),
      accept_timer_(acceptor_.get_executor()),
      counts_(std::make_shared<ConnectionCounts>()) {}

absl::Status HttpServer::Start() {
  beast::error_code ec;
  const auto address = net::ip::make_address(options_.host, ec);
  if (ec)
    return absl::InvalidArgumentError(absl::StrCat("bad host ", options_.host, ": ", ec.message()));
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.host, ":", options_.port, ": ", ec.message()));
  }
  port_ = acceptor_.local_endpoint().port();
  Accept();
  return absl::OkStatus();
}

void HttpServer::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void HttpServer::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (OutOfResources(ec)) {
    // The connection stays in the kernel's backlog until descriptors are free again.
    const auto now = std::chrono::steady_clock::now();
    if (now - last_accept_error_log_ > std::chrono::seconds(10)) {
      last_accept_error_log_ = now;
      Log(LogLevel::kWarn, "cannot accept connections; retrying",
          {{"error", ec.message()}, {"backoff_ms", options_.accept_backoff.count()}});
    }
    accept_timer_.expires_after(options_.accept_backoff);
    accept_timer_.async_wait([this](beast::error_code timer_ec) {
      if (!timer_ec) Accept();
    });
    return;
  }
  if (!ec) {
    beast::error_code ignored;
    const auto remote = socket.remote_endpoint(ignored);
    const std::string address = ignored ? "" : remote.address().to_string();
    if (absl::Status s =
            counts_->Take(address, options_.max_connections, options_.max_connections_per_address);
        !s.ok()) {
      Refuse(socket, s, options_);
    } else {
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), options_, handler_, busy_,
                                std::make_unique<ConnectionSlot>(counts_, address))
          ->Start();
    }
  }
  Accept();
}

void HttpServer::StopAccepting() {
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    accept_timer_.cancel();
    acceptor_.close(ec);
  });
}

}  // namespace socm::gateway
