#include "services/common/jose_shape.h"

namespace socm {
namespace {

bool InAlphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

bool Base64UrlDecodable(std::string_view text) {
  if (text.empty() || text.size() % 4 == 1) return false;
  for (const char c : text) {
    if (!InAlphabet(c)) return false;
  }
  return true;
}

bool WellFormedCompactJws(std::string_view token) {
  const size_t first = token.find('.');
  if (first == std::string_view::npos) return false;
  const size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return false;
  return Base64UrlDecodable(token.substr(0, first)) &&
         Base64UrlDecodable(token.substr(first + 1, second - first - 1)) &&
         Base64UrlDecodable(token.substr(second + 1));
}

bool WellFormedCompactJwe(std::string_view token) {
  std::string_view parts[5];
  size_t count = 0;
  size_t start = 0;
  while (true) {
    const size_t dot = token.find('.', start);
    if (count == 5) return false;
    parts[count++] = token.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (count != 5) return false;
  for (size_t i = 0; i < 5; ++i) {
    if (i == 1 && parts[i].empty()) continue;
    if (!Base64UrlDecodable(parts[i])) return false;
  }
  return true;
}

}  // namespace socm
