#include "gateway/cookies.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace socm::gateway {

std::optional<std::string> CookieValue(const Request& request, const std::string& name) {
  std::optional<std::string> found;
  int seen = 0;
  const auto range = request.equal_range(http::field::cookie);
  for (auto field = range.first; field != range.second; ++field) {
    const absl::string_view line(field->value().data(), field->value().size());
    for (absl::string_view pair : absl::StrSplit(line, ';')) {
      pair = absl::StripAsciiWhitespace(pair);
      const size_t eq = pair.find('=');
      if (eq == absl::string_view::npos || pair.substr(0, eq) != name) continue;
      absl::string_view value = pair.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      found = std::string(value);
      ++seen;
    }
  }
  if (seen != 1) return std::nullopt;
  return found;
}

std::string SetCookie(const std::string& name, const std::string& value, long max_age_seconds,
                      bool script_readable) {
  return absl::StrCat(name, "=", value, "; Max-Age=", max_age_seconds > 0 ? max_age_seconds : 0,
                      "; Path=/; Secure; SameSite=Lax", script_readable ? "" : "; HttpOnly");
}

void SetSessionCookies(Response& response, const std::string& session_token,
                       const std::string& csrf_token, long max_age_seconds) {
  response.insert(http::field::set_cookie,
                  SetCookie(kSessionCookie, session_token, max_age_seconds));
  response.insert(http::field::set_cookie,
                  SetCookie(kCsrfCookie, csrf_token, max_age_seconds, /*script_readable=*/true));
}

}  // namespace socm::gateway
