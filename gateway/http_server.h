#pragma once
// HttpServer is the gateway's HTTP/1.1 server on Boost.Beast: asynchronous,
// keep-alive, one strand per connection. It owns the protocol limits: a body
// over `body_limit` answers 413, headers over `header_limit` 431, a request
// that does not parse 400, and a client that stalls longer than `read_timeout`
// is dropped. Everything else goes to the handler, which may answer from any
// thread. Example:
//   HttpServer server(ioc, options, [](Request&& req, Respond respond) { ... });
//   server.Start();  // then ioc.run() on some threads

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
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
};

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

  boost::asio::io_context& ioc_;
  HttpServerOptions options_;
  HttpHandler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<int> busy_{0};
};

}  // namespace socm::gateway
