#include "gateway/cookies.h"

#include <gtest/gtest.h>

namespace socm::gateway {
namespace {

Request WithCookies(std::initializer_list<const char*> lines) {
  Request r;
  for (const char* line : lines) r.insert(http::field::cookie, line);
  return r;
}

TEST(CookiesTest, FindsTheNamedCookieAmongOthersAndAcrossHeaders) {
  EXPECT_EQ(CookieValue(WithCookies({"a=1; __Host-socm_session=abc; b=2"}), kSessionCookie), "abc");
  EXPECT_EQ(CookieValue(WithCookies({"a=1", "__Host-socm_session=\"q\""}), kSessionCookie), "q");
  EXPECT_EQ(CookieValue(WithCookies({"a=1"}), kSessionCookie), std::nullopt);
  EXPECT_EQ(CookieValue(WithCookies({}), kSessionCookie), std::nullopt);
  // A name that only ends like ours is another cookie.
  EXPECT_EQ(CookieValue(WithCookies({"x__Host-socm_session=abc"}), kSessionCookie), std::nullopt);
}

TEST(CookiesTest, ACookieGivenTwiceIsNotTaken) {
  // A cookie planted beside the real one (a sibling domain's, a path's) cannot be told apart.
  EXPECT_EQ(
      CookieValue(WithCookies({"__Host-socm_session=a; __Host-socm_session=b"}), kSessionCookie),
      std::nullopt);
  EXPECT_EQ(
      CookieValue(WithCookies({"__Host-socm_session=a", "__Host-socm_session=a"}), kSessionCookie),
      std::nullopt);
}

TEST(CookiesTest, SetCookieIsSecureHostOnlyLaxAndHttpOnlyUnlessTheScriptReadsIt) {
  EXPECT_EQ(SetCookie(kSessionCookie, "t", 3600),
            "__Host-socm_session=t; Max-Age=3600; Path=/; Secure; SameSite=Lax; HttpOnly");
  EXPECT_EQ(SetCookie(kCsrfCookie, "c", 60, /*script_readable=*/true),
            "__Host-socm_csrf=c; Max-Age=60; Path=/; Secure; SameSite=Lax");
  EXPECT_EQ(SetCookie(kLoginCookie, "", 0),
            "__Host-socm_login=; Max-Age=0; Path=/; Secure; SameSite=Lax; HttpOnly");
}

}  // namespace
}  // namespace socm::gateway
