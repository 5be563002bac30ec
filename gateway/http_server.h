#pragma once
// HttpServer is the gateway's HTTP/1.1 server on Boost.Beast: asynchronous,
// keep-alive, one strand per connection. It owns the protocol limits: a body
// over `body_limit` answers 413, headers over `header_limit` 431, a request
// that does not parse 400, and a client that stalls longer than `read_timeout`
// is dropped. It also bounds what one client can hold: open connections in all
// and per client address (over either, the new connection is answered 503 or
// 429 and closed), and when accept() fails for want of file descriptors it
// waits `accept_backoff` before trying again instead of spinning. Everything
// else goes to the handler, which may answer from any thread. Example:
//   HttpServer server(ioc, options, [](Request&& req, Respond respond) { ... });
//   server.Start();  // then ioc.run() on some threads

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "gateway/http_types.h"

namespace socm::gateway {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port, see port()
  uint64_t body_limit = 1 << 20;
  uint32_t header_limit = 16 * 1024;
  std::chrono::milliseconds read_timeout{30000};
  // Told of every request refused before it reached the handler (413, 431, 400).
  std::function<void(int status)> on_rejected;
  // When set, the body limit of one request, from its method and target, read once its
  // headers are in (the workbook routes take more than the others).
  std::function<uint64_t(http::verb method, const std::string& target)> body_limit_for;
  // With body_limit_for: the largest limit it can give (the parser checks a Content-Length
  // against the limit as soon as the headers are in, so the headers are read under this one).
  uint64_t body_limit_ceiling = 0;
  // When set, asked once a request's headers are in and before its body is read: a
  // response refuses the request (the body is then never parsed), nothing lets it go on.
  // May answer from any thread.
  std::function<void(const Request& header, std::function<void(std::optional<Response>)>)>
      check_headers;
  // Open connections at most, in all and from one client address (0: no limit). Behind a
  // load balancer every connection comes from its few addresses: raise the second limit
  // there and limit per client at the load balancer.
  int max_connections = 4096;
  int max_connections_per_address = 512;
  std::chrono::milliseconds accept_backoff{100};
};

// Open connections, in all and per client address; a Session holds one slot.
class ConnectionCounts;

using HttpHandler = std::function<void(Request&&, Respond)>;

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc, HttpServerOptions options, HttpHandler handler);
  absl::Status Start();
  int port() const { return port_; }
  // Stops accepting new connections; open ones finish what they are doing.
  void StopAccepting();
  // Requests read but whose response is not yet fully written: the process
  // may stop only when this is 0, or a client gets a response cut short.
  int busy() const { return busy_.load(); }

 private:
  void Accept();
  void OnAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  HttpServerOptions options_;
  HttpHandler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_timer_;
  std::shared_ptr<ConnectionCounts> counts_;
  std::chrono::steady_clock::time_point last_accept_error_log_;
  int port_ = 0;
  std::atomic<int> busy_{0};
};

}  // namespace socm::gateway
