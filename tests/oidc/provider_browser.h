#pragma once
// A browser's part in an OpenID Connect sign-in, for the tests: libcurl with one cookie jar,
// redirects seen rather than followed, and the walk through oidc-provider's own login and
// consent screens (tests/oidc/provider.mjs) up to the relying party's callback URL.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace socm::oidc {

struct Response {
  long status = 0;
  std::string location;
  std::string body;
};

inline size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

inline size_t Header(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  if (absl::StartsWithIgnoreCase(line, "location:")) {
    std::string value = line.substr(9);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    *static_cast<std::string*>(out) = std::string(absl::StripLeadingAsciiWhitespace(value));
  }
  return size * n;
}

// A browser's part in the flow: one cookie jar, redirects seen rather than followed.
class Browser {
 public:
  Browser() : curl_(curl_easy_init()) { curl_easy_setopt(curl_, CURLOPT_COOKIEFILE, ""); }
  ~Browser() { curl_easy_cleanup(curl_); }

  Response Send(const std::string& url, const std::string& form = "",
                const std::string& basic_auth = "") {
    Response r;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, Header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &r.location);
    if (form.empty()) {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, form.c_str());
    }
    curl_easy_setopt(curl_, CURLOPT_USERPWD, basic_auth.empty() ? nullptr : basic_auth.c_str());
    const CURLcode rc = curl_easy_perform(curl_);
    EXPECT_EQ(rc, CURLE_OK) << url << ": " << curl_easy_strerror(rc);
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
    return r;
  }

 private:
  CURL* curl_;
};

inline std::map<std::string, std::string> QueryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  const size_t q = url.find('?');
  if (q == std::string::npos) return out;
  for (absl::string_view pair : absl::StrSplit(url.substr(q + 1), '&')) {
    const size_t eq = pair.find('=');
    if (eq == absl::string_view::npos) continue;
    const std::string value(pair.substr(eq + 1));
    int length = 0;
    char* raw = curl_easy_unescape(nullptr, value.data(), static_cast<int>(value.size()), &length);
    out[std::string(pair.substr(0, eq))] = std::string(raw, static_cast<size_t>(length));
    curl_free(raw);
  }
  return out;
}

// Follows the provider from `start` (its authorization URL) through its login form, as
// `person`, and its consent form, to the first redirect to `callback_prefix`: that URL, or ""
// (the test failed). `interactions` counts the screens gone through.
inline std::string WalkProvider(const std::string& issuer, std::string next,
                                const std::string& callback_prefix, const std::string& person,
                                int* interactions) {
  Browser browser;
  *interactions = 0;
  for (int hop = 0; hop < 12 && !absl::StartsWith(next, callback_prefix); ++hop) {
    if (absl::StartsWith(next, "/")) next = issuer + next;
    Response r;
    if (absl::StrContains(next, "/interaction/")) {
      // The provider's screens: its login form first, then its consent form.
      const std::string form = (*interactions)++ == 0
                                   ? absl::StrCat("prompt=login&login=", person, "&password=x")
                                   : "prompt=consent";
      r = browser.Send(next, form);
    } else {
      r = browser.Send(next);
    }
    EXPECT_TRUE(r.status == 302 || r.status == 303) << next << " -> " << r.status << r.body;
    if (r.location.empty()) return "";
    next = r.location;
  }
  return absl::StartsWith(next, callback_prefix) ? next : "";
}

}  // namespace socm::oidc
