#include "gateway/oidc/login_flow.h"

#include <cjose/cjose.h>
#include <curl/curl.h>
#include <openssl/sha.h>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/crypto.h"

namespace socm::oidc {
namespace {

using json = nlohmann::json;

std::string Base64Url(std::string_view bytes) {
  char* encoded = nullptr;
  size_t length = 0;
  cjose_err err{};
  std::string out;
  if (cjose_base64url_encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &encoded,
                             &length, &err)) {
    out.assign(encoded, length);
  }
  cjose_get_dealloc()(encoded);
  return out;
}

std::string Escape(const std::string& value) {
  char* escaped = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
  std::string out = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return out;
}

std::string Text(const json& doc, const char* name) {
  auto it = doc.find(name);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

bool Lists(const json& doc, const char* name, std::string_view value) {
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_array()) return false;
  for (const json& v : *it) {
    if (v.is_string() && v.get<std::string>() == value) return true;
  }
  return false;
}

absl::Status CheckUrl(const json& doc, const char* name, bool required, bool allow_http) {
  const std::string url = Text(doc, name);
  if (url.empty()) {
    if (!required) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat("discovery: \"", name, "\" is missing"));
  }
  const bool https = absl::StartsWith(url, "https://") && url.size() > 8;
  const bool http = allow_http && absl::StartsWith(url, "http://") && url.size() > 7;
  if ((!https && !http) || url.size() > 2048 || absl::StrContains(url, "#")) {
    return absl::InvalidArgumentError(absl::StrCat("discovery: \"", name, "\" is not an absolute ",
                                                   allow_http ? "http(s)" : "https",
                                                   " URL without a fragment"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ProviderMetadata> ParseDiscovery(std::string_view body,
                                                std::string_view expected_issuer, bool allow_http) {
  if (body.size() > kMaxDiscoveryBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("discovery: the document is larger than ", kMaxDiscoveryBytes, " bytes"));
  }
  const json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (!doc.is_object()) return absl::InvalidArgumentError("discovery: not a JSON object");
  ProviderMetadata out;
  out.issuer = Text(doc, "issuer");
  if (out.issuer != expected_issuer) {
    return absl::InvalidArgumentError(absl::StrCat("discovery: \"issuer\" is \"",
                                                   out.issuer.substr(0, 200), "\", not \"",
                                                   std::string(expected_issuer), "\""));
  }
  for (const char* name : {"authorization_endpoint", "token_endpoint", "jwks_uri"}) {
    if (absl::Status s = CheckUrl(doc, name, true, allow_http); !s.ok()) return s;
  }
  if (absl::Status s = CheckUrl(doc, "end_session_endpoint", false, allow_http); !s.ok()) {
    return s;
  }
  out.authorization_endpoint = Text(doc, "authorization_endpoint");
  out.token_endpoint = Text(doc, "token_endpoint");
  out.jwks_uri = Text(doc, "jwks_uri");
  out.end_session_endpoint = Text(doc, "end_session_endpoint");
  if (doc.contains("response_types_supported") && !Lists(doc, "response_types_supported", "code")) {
    return absl::InvalidArgumentError(
        "discovery: \"response_types_supported\" does not offer the code flow");
  }
  if (doc.contains("code_challenge_methods_supported") &&
      !Lists(doc, "code_challenge_methods_supported", "S256")) {
    return absl::InvalidArgumentError(
        "discovery: \"code_challenge_methods_supported\" does not offer PKCE with S256");
  }
  bool algorithm = !doc.contains("id_token_signing_alg_values_supported");
  for (const char* alg :
       {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}) {
    if (Lists(doc, "id_token_signing_alg_values_supported", alg)) algorithm = true;
  }
  if (!algorithm) {
    return absl::InvalidArgumentError(
        "discovery: \"id_token_signing_alg_values_supported\" lists no RSA or EC algorithm");
  }
  return out;
}

LoginFlow NewLoginFlow() {
  LoginFlow flow;
  flow.state = Base64Url(RandomBytes(32));
  flow.nonce = Base64Url(RandomBytes(32));
  flow.code_verifier = Base64Url(RandomBytes(32));
  flow.code_challenge = CodeChallengeS256(flow.code_verifier);
  return flow;
}

std::string CodeChallengeS256(std::string_view code_verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(code_verifier.data()), code_verifier.size(),
         digest);
  return Base64Url(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string AuthorizationUrl(const ProviderMetadata& provider, const std::string& client_id,
                             const std::string& redirect_uri,
                             const std::vector<std::string>& scopes, const LoginFlow& flow) {
  std::vector<std::string> all = {"openid"};
  for (const std::string& s : scopes) {
    if (s != "openid") all.push_back(s);
  }
  const char separator = absl::StrContains(provider.authorization_endpoint, "?") ? '&' : '?';
  return absl::StrCat(
      provider.authorization_endpoint, std::string(1, separator),
      "response_type=code&client_id=", Escape(client_id), "&redirect_uri=", Escape(redirect_uri),
      "&scope=", Escape(absl::StrJoin(all, " ")), "&state=", flow.state, "&nonce=", flow.nonce,
      "&code_challenge=", flow.code_challenge, "&code_challenge_method=S256");
}

std::string TokenRequestBody(const std::string& code, const std::string& redirect_uri,
                             const LoginFlow& flow) {
  return absl::StrCat("grant_type=authorization_code&code=", Escape(code),
                      "&redirect_uri=", Escape(redirect_uri),
                      "&code_verifier=", flow.code_verifier);
}

}  // namespace socm::oidc
