#include "services/common/outbound_address.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace socm {
namespace {

using UrlHandle = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

struct CurlString {
  char* text = nullptr;
  ~CurlString() { curl_free(text); }
};

bool HasPart(CURLU* url, CURLUPart part) {
  CurlString value;
  return curl_url_get(url, part, &value.text, 0) == CURLUE_OK && value.text != nullptr;
}

std::string Part(CURLU* url, CURLUPart part) {
  CurlString value;
  if (curl_url_get(url, part, &value.text, 0) != CURLUE_OK || value.text == nullptr) return "";
  return value.text;
}

// What the URL's form forbids, checked with libcurl's own parser (the one the delivery uses).
std::optional<std::string> UrlProblem(const std::string& url, std::string* host) {
  if (url.empty()) return "required";
  if (url.size() > kMaxOutboundUrlBytes) {
    return absl::StrCat("at most ", kMaxOutboundUrlBytes, " bytes");
  }
  // Printable ASCII only: a name outside ASCII is written in its punycode (xn--) form.
  if (std::any_of(url.begin(), url.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u >= 0x7f;
      })) {
    return "must be printable ASCII without spaces (write an international name as xn--…)";
  }
  // libcurl would also take "http:/host" or "http:host"; a URL says what it means.
  const std::string start = absl::AsciiStrToLower(url.substr(0, 8));
  if (start.rfind("https://", 0) != 0 && start.rfind("http://", 0) != 0) {
    return "must begin with https:// or http://";
  }
  UrlHandle parsed(curl_url(), &curl_url_cleanup);
  if (parsed == nullptr) return "cannot be checked";
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return "must be an absolute http:// or https:// URL";
  }
  const std::string scheme = Part(parsed.get(), CURLUPART_SCHEME);
  if (scheme != "https" && scheme != "http") return "must be an http:// or https:// URL";
  if (HasPart(parsed.get(), CURLUPART_USER) || HasPart(parsed.get(), CURLUPART_PASSWORD)) {
    return "must not hold a user name or password (put a token in the path or query)";
  }
  if (HasPart(parsed.get(), CURLUPART_FRAGMENT)) return "must not have a #fragment";
  *host = Part(parsed.get(), CURLUPART_HOST);
  if (host->empty()) return "must name a host";
  // libcurl keeps IPv6 literals in brackets.
  if (host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
    return std::nullopt;
  }
  if (!std::all_of(host->begin(), host->end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
      })) {
    return "the host must be a name of letters, digits, '-' and '.', or an IP address";
  }
  return std::nullopt;
}

bool InV4(uint32_t address, const char* network, int bits) {
  in_addr net{};
  inet_pton(AF_INET, network, &net);
  const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (address & mask) == (ntohl(net.s_addr) & mask);
}

std::optional<std::string> ForbiddenV4(uint32_t a) {
  if (InV4(a, "169.254.169.254", 32)) return "the cloud metadata address";
  if (InV4(a, "127.0.0.0", 8)) return "a loopback address";
  if (InV4(a, "0.0.0.0", 8)) return "an unspecified address";
  if (InV4(a, "10.0.0.0", 8) || InV4(a, "172.16.0.0", 12) || InV4(a, "192.168.0.0", 16)) {
    return "a private address";
  }
  if (InV4(a, "169.254.0.0", 16)) return "a link-local address";
  if (InV4(a, "100.64.0.0", 10)) return "a shared (carrier-grade NAT) address";
  if (InV4(a, "192.0.0.0", 24)) return "an IETF protocol address";
  if (InV4(a, "198.18.0.0", 15)) return "a benchmarking address";
  if (InV4(a, "224.0.0.0", 4)) return "a multicast address";
  if (InV4(a, "240.0.0.0", 4)) return "a reserved address";
  return std::nullopt;
}

std::optional<std::string> ForbiddenV6(const in6_addr& a) {
  const unsigned char* b = a.s6_addr;
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMapped, 12) == 0) {
    return ForbiddenV4((uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) |
                       b[15]);
  }
  // Addresses that carry an IPv4 address a translator or relay reaches for the caller: judged
  // by the address they carry (NAT64's well-known prefix, 6to4), or refused (local NAT64
  // prefixes, Teredo, whose embedded address is obfuscated).
  static const unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kNat64, 12) == 0) {
    return ForbiddenV4((uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) |
                       b[15]);
  }
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {
    return "a local NAT64 address";
  }
  if (b[0] == 0x20 && b[1] == 0x02) {
    return ForbiddenV4((uint32_t{b[2]} << 24) | (uint32_t{b[3]} << 16) | (uint32_t{b[4]} << 8) |
                       b[5]);
  }
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return "a Teredo address";
  if (IN6_IS_ADDR_LOOPBACK(&a)) return "a loopback address";
  if (IN6_IS_ADDR_UNSPECIFIED(&a)) return "an unspecified address";
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "a link-local address";
  if ((b[0] & 0xfe) == 0xfc) return "a private (unique local) address";
  if (b[0] == 0xff) return "a multicast address";
  // fd00:ec2::254, AWS's metadata address over IPv6, is inside fc00::/7 above.
  return std::nullopt;
}

}  // namespace

std::optional<std::string> OutboundUrlProblem(const std::string& url, std::string* host) {
  return UrlProblem(url, host);
}

std::optional<std::string> ForbiddenAddress(const sockaddr* address) {
  if (address->sa_family == AF_INET) {
    return ForbiddenV4(ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    return ForbiddenV6(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  }
  return "not an internet address";
}

std::optional<std::string> ForbiddenAddressLiteral(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return ForbiddenV4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return ForbiddenV6(v6);
  return std::nullopt;
}

curl_socket_t OpenGuardedSocket(void* data, curlsocktype purpose, curl_sockaddr* address) {
  auto* guard = static_cast<OutboundGuard*>(data);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  if (!guard->allow_private) {
    if (auto reason = ForbiddenAddress(&address->addr)) {
      char text[64] = "?";
      const void* raw =
          address->family == AF_INET6
              ? static_cast<const void*>(
                    &reinterpret_cast<sockaddr_in6*>(&address->addr)->sin6_addr)
              : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&address->addr)->sin_addr);
      inet_ntop(address->family, raw, text, sizeof text);
      guard->refusal =
          absl::StrCat("the destination resolves to ", text, ", ", *reason, "; ", guard->rule);
      ++guard->refused;
      return CURL_SOCKET_BAD;
    }
  }
  ++guard->opened;
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace socm
