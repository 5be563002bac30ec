// The OpenID provider's keys, its tokens and the sealed client secret, with keys made here by
// cjose: tokens the provider would sign pass, and every hostile one the issue names is refused
// with its reason.
#include <cjose/cjose.h>
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gateway/oidc/provider_keys.h"
#include "gateway/oidc/provider_token.h"
#include "gateway/oidc/secret_box.h"
#include "services/common/jose_shape.h"

namespace socm::oidc {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::system_clock;

constexpr char kIssuer[] = "https://idp.example.test/realms/acme";
constexpr char kClient[] = "soc-maturity";

using Jwk = std::shared_ptr<cjose_jwk_t>;

Jwk Owned(cjose_jwk_t* k) {
  return Jwk(k, [](cjose_jwk_t* p) { cjose_jwk_release(p); });
}

Jwk RsaKey(const std::string& kid, size_t bits = 2048) {
  static const uint8_t e[] = {1, 0, 1};
  cjose_err err{};
  Jwk key = Owned(cjose_jwk_create_RSA_random(bits, e, sizeof e, &err));
  cjose_jwk_set_kid(key.get(), kid.data(), kid.size(), &err);
  return key;
}

Jwk EcKey(const std::string& kid, cjose_jwk_ec_curve curve = CJOSE_JWK_EC_P_256) {
  cjose_err err{};
  Jwk key = Owned(cjose_jwk_create_EC_random(curve, &err));
  cjose_jwk_set_kid(key.get(), kid.data(), kid.size(), &err);
  return key;
}

json PublicJson(const Jwk& key, bool with_private = false) {
  cjose_err err{};
  char* text = cjose_jwk_to_json(key.get(), with_private, &err);
  json out = json::parse(text);
  cjose_get_dealloc()(text);
  return out;
}

std::string Jwks(const std::vector<json>& keys) { return json{{"keys", keys}}.dump(); }

std::string B64(std::string_view data) {
  cjose_err err{};
  char* out = nullptr;
  size_t len = 0;
  cjose_base64url_encode(reinterpret_cast<const uint8_t*>(data.data()), data.size(), &out, &len,
                         &err);
  std::string s(out, len);
  cjose_get_dealloc()(out);
  return s;
}

// A JWS signed by cjose with `key`, the header's alg and kid as given (no kid when empty).
std::string Sign(const Jwk& key, const std::string& alg, const std::string& kid,
                 const json& claims) {
  cjose_err err{};
  cjose_header_t* header = cjose_header_new(&err);
  cjose_header_set(header, CJOSE_HDR_ALG, alg.c_str(), &err);
  if (!kid.empty()) cjose_header_set(header, CJOSE_HDR_KID, kid.c_str(), &err);
  const std::string payload = claims.dump();
  cjose_jws_t* jws = cjose_jws_sign(
      key.get(), header, reinterpret_cast<const uint8_t*>(payload.data()), payload.size(), &err);
  const char* compact = nullptr;
  std::string out;
  if (jws != nullptr && cjose_jws_export(jws, &compact, &err)) out = compact;
  cjose_jws_release(jws);
  cjose_header_release(header);
  EXPECT_FALSE(out.empty()) << "cjose could not sign with " << alg << ": " << err.message;
  return out;
}

int64_t Unix(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

class ProviderTokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new Jwk(RsaKey("rsa-1"));
    ec_ = new Jwk(EcKey("ec-1"));
  }
  static void TearDownTestSuite() {
    delete rsa_;
    delete ec_;
  }

  void SetUp() override {
    auto keys = ProviderKeys::Parse(Jwks({PublicJson(*rsa_), PublicJson(*ec_)}));
    ASSERT_TRUE(keys.ok()) << keys.status();
    keys_ = std::make_unique<ProviderKeys>(std::move(*keys));
    want_.issuer = kIssuer;
    want_.audience = kClient;
    want_.nonce = "n-0S6_WzA2Mj";
    want_.max_age = std::chrono::minutes(10);
  }

  json Claims() const {
    return {{"iss", kIssuer},
            {"aud", kClient},
            {"sub", "248289761001"},
            {"iat", Unix(now_) - 5},
            {"exp", Unix(now_) + 300},
            {"nonce", "n-0S6_WzA2Mj"},
            {"email", "janedoe@example.com"},
            {"groups", {"soc-analysts"}}};
  }

  absl::StatusOr<VerifiedToken> Check(const std::string& token) const {
    return VerifyProviderToken(token, *keys_, want_, now_);
  }

  void ExpectRefused(const std::string& token, const std::string& why) const {
    auto got = Check(token);
    ASSERT_FALSE(got.ok()) << "accepted a token that should fail with: " << why;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_TRUE(absl::StrContains(got.status().message(), why)) << got.status();
  }

  static Jwk* rsa_;
  static Jwk* ec_;
  std::unique_ptr<ProviderKeys> keys_;
  TokenExpectations want_;
  Clock::time_point now_ = Clock::now();
};

Jwk* ProviderTokenTest::rsa_ = nullptr;
Jwk* ProviderTokenTest::ec_ = nullptr;

TEST_F(ProviderTokenTest, TokensTheProviderSignsAreAcceptedWithTheirClaims) {
  for (const auto& [key, alg, kid] :
       {std::tuple{rsa_, "RS256", "rsa-1"}, std::tuple{rsa_, "PS256", "rsa-1"},
        std::tuple{rsa_, "RS512", "rsa-1"}, std::tuple{ec_, "ES256", "ec-1"}}) {
    auto got = Check(Sign(*key, alg, kid, Claims()));
    ASSERT_TRUE(got.ok()) << alg << ": " << got.status();
    EXPECT_EQ(got->subject, "248289761001");
    EXPECT_EQ(got->key_id, kid);
    EXPECT_EQ(got->algorithm, alg);
    EXPECT_EQ(got->claims.at("email"), "janedoe@example.com");
    EXPECT_EQ(got->expires_at, Unix(now_) + 300);
  }
}

// Before any check, a bearer JWT's issuer and its one audience name the tenant to ask; a token
// that names several audiences or none names no tenant.
TEST_F(ProviderTokenTest, TheClaimedIssuerAndAudienceAreReadBeforeAnyCheck) {
  json claims = Claims();
  auto parties = ClaimedIssuerAudience(Sign(*rsa_, "RS256", "rsa-1", claims));
  ASSERT_TRUE(parties.has_value());
  EXPECT_EQ(parties->issuer, kIssuer);
  EXPECT_EQ(parties->audience, kClient);
  claims["aud"] = json::array({"soc-maturity"});
  EXPECT_EQ(ClaimedIssuerAudience(Sign(*rsa_, "RS256", "rsa-1", claims))->audience, "soc-maturity");
  claims["aud"] = json::array({"soc-maturity", "other"});
  EXPECT_FALSE(ClaimedIssuerAudience(Sign(*rsa_, "RS256", "rsa-1", claims)).has_value());
  claims.erase("aud");
  EXPECT_FALSE(ClaimedIssuerAudience(Sign(*rsa_, "RS256", "rsa-1", claims)).has_value());
  claims = Claims();
  claims.erase("iss");
  EXPECT_FALSE(ClaimedIssuerAudience(Sign(*rsa_, "RS256", "rsa-1", claims)).has_value());
  EXPECT_FALSE(ClaimedIssuerAudience("not.a.token").has_value());
  EXPECT_FALSE(ClaimedIssuerAudience("").has_value());
  EXPECT_EQ(TokenKeyId(Sign(*rsa_, "RS256", "rsa-1", Claims())), "rsa-1");
  EXPECT_EQ(TokenKeyId("garbage"), "");
}

TEST_F(ProviderTokenTest, ExpiredFutureAndStaleTokensAreRefused) {
  json c = Claims();
  c["exp"] = Unix(now_) - 61;
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "expired");
  c = Claims();
  c["exp"] = Unix(now_) - 30;  // within the minute's leeway
  EXPECT_TRUE(Check(Sign(*rsa_, "RS256", "rsa-1", c)).ok());
  c = Claims();
  c["iat"] = Unix(now_) + 600;
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "issued in the future");
  c = Claims();
  c["iat"] = Unix(now_) - 3600;
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "issued too long ago");
  c = Claims();
  c.erase("exp");
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "no expiry");
  c = Claims();
  c["nbf"] = Unix(now_) + 600;
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "not valid yet");
}

TEST_F(ProviderTokenTest, AnotherIssuerAudienceNonceOrNoSubjectIsRefused) {
  json c = Claims();
  c["iss"] = "https://idp.example.test/realms/other";
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "wrong issuer");
  c = Claims();
  c["iss"] = std::string(kIssuer) + "/";  // exact match, not a prefix
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "wrong issuer");
  c = Claims();
  c["aud"] = "another-client";
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "wrong audience");
  c["aud"] = json::array({"another-client", "third"});
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "wrong audience");
  c["aud"] = json::array({kClient, "another-client"});
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "azp");
  c["azp"] = kClient;
  EXPECT_TRUE(Check(Sign(*rsa_, "RS256", "rsa-1", c)).ok());
  c = Claims();
  c["nonce"] = "replayed-from-another-flow";
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "wrong nonce");
  c.erase("nonce");
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "wrong nonce");
  c = Claims();
  c.erase("sub");
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "no subject");
}

TEST_F(ProviderTokenTest, NoneHmacWithThePublicKeyAndUnknownKeysAreRefused) {
  const std::string payload = B64(Claims().dump());
  // alg none, with and without a signature part.
  const std::string none = B64(R"({"alg":"none","kid":"rsa-1"})");
  ExpectRefused(none + "." + payload + ".", "not a compact JWS");
  ExpectRefused(none + "." + payload + "." + B64("anything"), "algorithm none is not taken");
  // HS256 keyed with the provider's public RSA key, as its JWK and as its modulus.
  const std::string public_jwk = PublicJson(*rsa_).dump();
  cjose_err err{};
  for (const std::string& secret : {public_jwk, PublicJson(*rsa_).at("n").get<std::string>()}) {
    Jwk hmac = Owned(cjose_jwk_create_oct_spec(reinterpret_cast<const uint8_t*>(secret.data()),
                                               secret.size(), &err));
    ExpectRefused(Sign(hmac, "HS256", "rsa-1", Claims()), "algorithm HS256 is not taken");
  }
  // A key id the provider never published, signed by a key it never published.
  Jwk stranger = RsaKey("rsa-2");
  ExpectRefused(Sign(stranger, "RS256", "rsa-2", Claims()), "key id is not in the provider's JWKS");
  // The provider's key id on a stranger's signature.
  ExpectRefused(Sign(stranger, "RS256", "rsa-1", Claims()), "bad signature");
  // An EC algorithm naming the RSA key.
  ExpectRefused(Sign(*ec_, "ES256", "rsa-1", Claims()), "does not fit the key");
  // An edited payload under the provider's signature.
  const std::string good = Sign(*rsa_, "RS256", "rsa-1", Claims());
  json edited = Claims();
  edited["sub"] = "admin";
  const size_t first = good.find('.');
  const size_t second = good.find('.', first + 1);
  ExpectRefused(good.substr(0, first + 1) + B64(edited.dump()) + good.substr(second),
                "bad signature");
  // Shapes cjose's decoder would abort on, and junk.
  for (const std::string& junk :
       {std::string(""), std::string("a.b.c"), std::string("abcde.abcde.abcde"),
        std::string("....."), std::string(20000, 'a'), good + "."}) {
    EXPECT_FALSE(Check(junk).ok()) << junk.substr(0, 40);
  }
}

TEST_F(ProviderTokenTest, HostileTimesHeadersAndSignatureLengthsAreRefused) {
  for (const char* name : {"exp", "iat", "nbf"}) {
    for (const json& v :
         {json(std::numeric_limits<int64_t>::max()), json(std::numeric_limits<int64_t>::min()),
          json(-1), json(1e300), json("1796083200")}) {
      json c = Claims();
      c[name] = v;
      EXPECT_FALSE(Check(Sign(*rsa_, "RS256", "rsa-1", c)).ok()) << name << "=" << v;
    }
  }
  json c = Claims();
  c.erase("iat");
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "no issue time");
  c = Claims();
  c["exp"] = Unix(now_) + 3 * 24 * 3600;
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "lives too long");
  c = Claims();
  c["nbf"] = Unix(now_) + 30;  // within the leeway
  EXPECT_TRUE(Check(Sign(*rsa_, "RS256", "rsa-1", c)).ok());
  c = Claims();
  c["azp"] = "another-client";
  ExpectRefused(Sign(*rsa_, "RS256", "rsa-1", c), "azp is not this client");

  // Algorithms naming a key of another type or curve.
  ExpectRefused(Sign(*rsa_, "RS256", "ec-1", Claims()), "does not fit the key");
  Jwk p384 = EcKey("ec-1", CJOSE_JWK_EC_P_384);
  ExpectRefused(Sign(p384, "ES384", "ec-1", Claims()), "does not fit the key");

  // The provider's own signature with a byte more, or a byte less: cjose 0.6 would split an
  // ECDSA signature of any even length in two.
  for (const std::string& good :
       {Sign(*ec_, "ES256", "ec-1", Claims()), Sign(*rsa_, "RS256", "rsa-1", Claims())}) {
    ASSERT_TRUE(Check(good).ok());
    const size_t dot = good.rfind('.');
    const std::string longer = good.substr(0, dot + 1) + "AA" + good.substr(dot + 1);
    const std::string shorter = good.substr(0, good.size() - 3);
    ExpectRefused(longer, "not of its key's length");
    ExpectRefused(shorter, "not of its key's length");
  }

  // Headers: a critical extension, an access token offered as an ID token.
  auto signed_with_header = [&](const json& header) {
    cjose_err err{};
    cjose_header_t* h = cjose_header_new(&err);
    for (const auto& [k, v] : header.items())
      cjose_header_set(h, k.c_str(), v.get<std::string>().c_str(), &err);
    const std::string payload = Claims().dump();
    cjose_jws_t* jws = cjose_jws_sign(
        rsa_->get(), h, reinterpret_cast<const uint8_t*>(payload.data()), payload.size(), &err);
    const char* compact = nullptr;
    cjose_jws_export(jws, &compact, &err);
    std::string out = compact != nullptr ? compact : "";
    cjose_jws_release(jws);
    cjose_header_release(h);
    return out;
  };
  ExpectRefused(signed_with_header({{"alg", "RS256"}, {"kid", "rsa-1"}, {"crit", "exp"}}),
                "critical extensions");
  ExpectRefused(signed_with_header({{"alg", "RS256"}, {"kid", "rsa-1"}, {"typ", "at+jwt"}}),
                "an access token is not an ID token");
  TokenExpectations access = want_;
  access.kind = TokenKind::kAccessToken;
  access.nonce.clear();
  EXPECT_TRUE(VerifyProviderToken(
                  signed_with_header({{"alg", "RS256"}, {"kid", "rsa-1"}, {"typ", "at+jwt"}}),
                  *keys_, access, now_)
                  .ok());

  // Nothing to check against is a refusal, not a pass.
  TokenExpectations empty;
  EXPECT_FALSE(
      VerifyProviderToken(Sign(*rsa_, "RS256", "rsa-1", Claims()), *keys_, empty, now_).ok());
}

TEST_F(ProviderTokenTest, WithoutAKeyIdOnlyAProviderWithOneKeyOfTheTypeIsTrusted) {
  EXPECT_TRUE(Check(Sign(*ec_, "ES256", "", Claims())).ok());
  Jwk second = RsaKey("rsa-2");
  auto keys = ProviderKeys::Parse(Jwks({PublicJson(*rsa_), PublicJson(second)}));
  ASSERT_TRUE(keys.ok()) << keys.status();
  auto got = VerifyProviderToken(Sign(*rsa_, "RS256", "", Claims()), *keys, want_, now_);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(absl::StrContains(got.status().message(), "names no key id")) << got.status();
}

TEST(ProviderKeysTest, OnlyPublicSigningKeysOfTakenTypesAreKept) {
  Jwk rsa = RsaKey("sig-rsa");
  json with_private = PublicJson(rsa, true);
  ASSERT_TRUE(with_private.contains("d"));
  json enc = PublicJson(EcKey("enc-ec"));
  enc["use"] = "enc";
  const json oct = {{"kty", "oct"}, {"k", B64("0123456789abcdef0123456789abcdef")}, {"kid", "h"}};
  const json okp = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", B64("x")}, {"kid", "ed"}};
  auto keys = ProviderKeys::Parse(
      Jwks({with_private, enc, oct, okp, PublicJson(EcKey("p384", CJOSE_JWK_EC_P_384))}));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->size(), 2u);
  EXPECT_EQ(keys->skipped(), 3u);
  const ProviderKey* kept = keys->Find("sig-rsa");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(keys->Find("enc-ec"), nullptr);
  EXPECT_EQ(keys->Find("h"), nullptr);
  ASSERT_NE(keys->Find("p384"), nullptr);
  EXPECT_EQ(keys->Find("p384")->type, KeyType::kEcP384);
  // What was kept of the published private key is its public half: it cannot sign.
  cjose_err err{};
  char* text = cjose_jwk_to_json(kept->jwk.get(), true, &err);
  EXPECT_FALSE(json::parse(text).contains("d"));
  cjose_get_dealloc()(text);
}

json WithExponent(const std::string& e) {
  static const json base = PublicJson(RsaKey("e"));
  json key = base;
  key["e"] = e;
  return key;
}

TEST(ProviderKeysTest, BadDocumentsAreRefusedWithWhereAndWhy) {
  json bad_n = PublicJson(RsaKey("k"));
  bad_n["n"] = "abcde";  // a length cjose's decoder would abort on
  json bad_alphabet = PublicJson(EcKey("k"));
  bad_alphabet["x"] = "a+b/c=";
  json no_e = PublicJson(RsaKey("k"));
  no_e.erase("e");
  const json first = PublicJson(EcKey("same"));
  const struct {
    std::string doc;
    std::string message;
  } cases[] = {
      {"not json", "not a JSON object"},
      {"[]", "not a JSON object"},
      {R"({"keys":{}})", "no \"keys\" array"},
      {R"({"keys":[]})", "no signing key"},
      {Jwks({bad_n}), "keys[0]: \"n\" is not base64url"},
      {Jwks({first, bad_alphabet}), "keys[1]: \"x\" is not base64url"},
      {Jwks({no_e}), "keys[0]: no \"e\""},
      {Jwks({PublicJson(RsaKey("small", 1024))}), "an RSA key of 1024 bits"},
      {Jwks({first, first}), "key id \"same\" appears twice"},
      {Jwks({WithExponent("AQ")}), "not an odd public exponent"},
      {Jwks({WithExponent("AAE")}), "not an odd public exponent"},
      {Jwks({WithExponent("AQAC")}), "not an odd public exponent"},
      {Jwks({WithExponent("AQAAAAE")}), "not an odd public exponent"},
      {std::string(kMaxJwksBytes + 1, ' '), "larger than"},
      {Jwks(std::vector<json>(kMaxJwksKeys + 1, first)), "more than 64 keys"},
  };
  for (const auto& c : cases) {
    auto got = ProviderKeys::Parse(c.doc);
    ASSERT_FALSE(got.ok()) << c.message;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(got.status().message(), c.message)) << got.status();
  }
}

TEST(SecretBoxTest, ASealedSecretOpensOnlyForItsTenantWithAKeyOfTheFile) {
  const std::string key1 = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
  const std::string key2 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  auto box = SecretBox::FromKeys(key1 + "\n");
  ASSERT_TRUE(box.ok()) << box.status();
  auto sealed = (*box)->Seal("client-secret-ÄÖ", "tenant-a");
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_FALSE(absl::StrContains(*sealed, "client-secret"));
  EXPECT_TRUE(WellFormedCompactJwe(*sealed));
  auto opened = (*box)->Open(*sealed, "tenant-a");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "client-secret-ÄÖ");
  // Sealing twice gives two ciphertexts (a fresh IV each time).
  EXPECT_NE(*(*box)->Seal("client-secret-ÄÖ", "tenant-a"), *sealed);

  auto other_tenant = (*box)->Open(*sealed, "tenant-b");
  EXPECT_EQ(other_tenant.status().code(), absl::StatusCode::kFailedPrecondition);
  std::string altered = *sealed;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE((*box)->Open(altered, "tenant-a").ok());
  EXPECT_FALSE((*box)->Open("not.a.jwe", "tenant-a").ok());
  EXPECT_FALSE((*box)->Open("a.b.c.d.e", "tenant-a").ok());
  // An IV or a tag of another length: cjose would pass a short IV to OpenSSL, which reads 12
  // bytes from it (found by the oidc fuzz target; the ASan build of this test sees it).
  const std::vector<std::string> parts = absl::StrSplit(*sealed, '.');
  ASSERT_EQ(parts.size(), 5u);
  for (const std::string& shorter :
       {absl::StrJoin({parts[0], parts[1], parts[2].substr(0, 10), parts[3], parts[4]}, "."),
        absl::StrJoin({parts[0], parts[1], parts[2], parts[3], parts[4].substr(0, 11)}, "."),
        absl::StrJoin({parts[0], std::string("AAAA"), parts[2], parts[3], parts[4]}, ".")}) {
    EXPECT_EQ((*box)->Open(shorter, "tenant-a").status().code(),
              absl::StatusCode::kFailedPrecondition);
  }

  // Rotation: a new key first seals; the old one, second, still opens what it sealed.
  auto rotated = SecretBox::FromKeys("# new key first\n" + key2 + "\n" + key1 + "\n");
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_EQ(*(*rotated)->Open(*sealed, "tenant-a"), "client-secret-ÄÖ");
  auto only_new = SecretBox::FromKeys(key2);
  ASSERT_TRUE(only_new.ok());
  EXPECT_EQ((*only_new)->Open(*sealed, "tenant-a").status().code(),
            absl::StatusCode::kFailedPrecondition);

  for (const std::string& bad : {std::string(""), std::string("# only a comment\n"),
                                 std::string("c2hvcnQ="), std::string("not base64!")}) {
    EXPECT_FALSE(SecretBox::FromKeys(bad).ok()) << bad;
  }
}

TEST(JoseShapeTest, PartsAndLengthsADecoderCanTake) {
  EXPECT_TRUE(WellFormedCompactJws("ab.cd.ef"));
  EXPECT_FALSE(WellFormedCompactJws("ab.cd."));
  EXPECT_FALSE(WellFormedCompactJws("abcde.cd.ef"));
  EXPECT_FALSE(WellFormedCompactJws("ab.c=.ef"));
  EXPECT_FALSE(WellFormedCompactJws("ab.cd.ef.gh"));
  EXPECT_TRUE(WellFormedCompactJwe("ab..cd.ef.gh"));
  EXPECT_FALSE(WellFormedCompactJwe("ab..cd.ef"));
  EXPECT_FALSE(WellFormedCompactJwe("ab..cd.ef.gh.ij"));
  EXPECT_FALSE(WellFormedCompactJwe(".ab.cd.ef.gh"));
}

}  // namespace
}  // namespace socm::oidc
