#pragma once
// Cookies of the gateway's own (RFC 6265): the session after a sign-in, its CSRF token, and
// the login flow a callback must come back to. Each is `__Host-` prefixed, so the browser
// keeps it only if it is Secure, for this host alone and for every path; `http://localhost`
// is a secure context, so the local run works too. Example:
//   response.insert(http::field::set_cookie, SetCookie(kSessionCookie, token, 3600, true));
//   std::optional<std::string> session = CookieValue(call.request, kSessionCookie);

#include <optional>
#include <string>

#include "gateway/http_types.h"

namespace socm::gateway {

inline constexpr char kSessionCookie[] = "__Host-socm_session";
// Readable by the web UI, which sends it back as the X-CSRF-Token header of its writes.
inline constexpr char kCsrfCookie[] = "__Host-socm_csrf";
inline constexpr char kLoginCookie[] = "__Host-socm_login";
inline constexpr char kCsrfHeader[] = "x-csrf-token";

// The value of the request's cookie `name`, from every Cookie header; nothing when absent
// or given twice (a cookie planted beside the real one cannot be told from it).
std::optional<std::string> CookieValue(const Request& request, const std::string& name);

// A Set-Cookie value: Secure, Path=/, SameSite=Lax, HttpOnly unless `script_readable`;
// `max_age_seconds` 0 removes the cookie.
std::string SetCookie(const std::string& name, const std::string& value, long max_age_seconds,
                      bool script_readable = false);

// Adds the two cookies of a signed-in browser, a person's or the operator's: the HttpOnly
// session and the CSRF token its page reads. Empty values and `max_age_seconds` 0 remove both.
void SetSessionCookies(Response& response, const std::string& session_token,
                       const std::string& csrf_token, long max_age_seconds);

}  // namespace socm::gateway
