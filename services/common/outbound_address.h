#pragma once
// Where the suite may call out to on a tenant's word (webhook deliveries, an identity
// provider's discovery, keys and tokens): the form of the URL, and the addresses a connection
// may reach, checked again at connect time since what a name resolves to can change. Example:
//   std::string host;
//   if (auto problem = OutboundUrlProblem(url, &host)) return Violation("url", *problem);
//   if (auto reason = ForbiddenAddressLiteral(host)) ...  // a literal private address
//   // and in libcurl's CURLOPT_OPENSOCKETFUNCTION: ForbiddenAddress(&address->addr)
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <optional>
#include <string>

namespace socm {

inline constexpr size_t kMaxOutboundUrlBytes = 2048;

// What the form of a URL the suite calls out to forbids (checked with libcurl's parser, the
// one that calls it): http(s) only, printable ASCII, no user or password, no fragment, a
// host of letters, digits, '-' and '.' or an IP literal. Nothing when allowed, with `host`
// set (an IPv6 literal without its brackets).
std::optional<std::string> OutboundUrlProblem(const std::string& url, std::string* host);

// Why a connection may not go to this address (loopback, private, link-local, the cloud
// metadata address, …), or nothing when it may. IPv4-mapped IPv6 addresses are judged as the
// IPv4 address they carry.
std::optional<std::string> ForbiddenAddress(const sockaddr* address);
// The same for an address literal ("10.0.0.1", "::1"); nothing for a hostname.
std::optional<std::string> ForbiddenAddressLiteral(const std::string& host);

// What a transfer's connections met: set `allow_private` and `rule` ("deliveries go to public
// addresses only"), pass the guard as CURLOPT_OPENSOCKETDATA with OpenGuardedSocket as
// CURLOPT_OPENSOCKETFUNCTION, and after the transfer `refused > 0 && opened == 0` means every
// address the name resolved to was forbidden, for the reason in `refusal`.
struct OutboundGuard {
  bool allow_private = false;
  const char* rule = "";
  std::string refusal;
  int refused = 0;
  int opened = 0;
};
// libcurl's open-socket callback: a socket for an allowed address, else CURL_SOCKET_BAD.
curl_socket_t OpenGuardedSocket(void* guard, curlsocktype purpose, curl_sockaddr* address);

}  // namespace socm
