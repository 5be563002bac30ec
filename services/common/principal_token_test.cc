#include "services/common/principal_token.h"

#include <cjose/cjose.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/escaping.h"

namespace socm {
namespace {

using Clock = std::chrono::system_clock;

class PrincipalTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keys = GeneratePrincipalKeyPair();
    ASSERT_TRUE(keys.ok()) << keys.status();
    keys_ = *keys;
    auto signer = PrincipalSigner::FromPem(keys_.private_pem);
    auto verifier = PrincipalVerifier::FromPem(keys_.public_pem);
    ASSERT_TRUE(signer.ok()) << signer.status();
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    signer_ = std::move(*signer);
    verifier_ = std::move(*verifier);
  }

  static Caller PinnedAssessor() {
    Caller caller;
    caller.tenant = TenantId("tn_1");
    caller.principal = "key_1";
    caller.role = Role::kAssessor;
    caller.organizations = {"org_1"};
    return caller;
  }

  // A compact JWS with the given header and payload (JSON) and signature part.
  static std::string Compact(const std::string& header, const std::string& payload,
                             const std::string& signature) {
    std::string h, p;
    absl::WebSafeBase64Escape(header, &h);
    absl::WebSafeBase64Escape(payload, &p);
    return h + "." + p + "." + signature;
  }
  static std::string PayloadOf(const std::string& token) {
    const size_t a = token.find('.'), b = token.rfind('.');
    std::string out;
    absl::WebSafeBase64Unescape(token.substr(a + 1, b - a - 1), &out);
    return out;
  }

  PrincipalKeyPair keys_;
  std::unique_ptr<PrincipalSigner> signer_;
  std::unique_ptr<PrincipalVerifier> verifier_;
};

// A person's scope of several organisations travels whole; beside it, the first alone in the
// single-organisation form an older verifier reads (narrower, never wider).
TEST_F(PrincipalTokenTest, AScopeOfSeveralOrganisationsTravelsWhole) {
  Caller person = PinnedAssessor();
  person.principal = "person_1";
  person.organizations = {"org_1", "org_2", "org_3"};
  const std::string token = signer_->TokenFor(person);
  auto caller = verifier_->Verify(token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organizations, person.organizations);
  const auto payload = nlohmann::json::parse(PayloadOf(token));
  EXPECT_EQ(payload["org"], "org_1");
  // The whole tenant: neither form.
  Caller wide = person;
  wide.organizations.clear();
  const auto wide_payload = nlohmann::json::parse(PayloadOf(signer_->TokenFor(wide)));
  EXPECT_FALSE(wide_payload.contains("org"));
  EXPECT_FALSE(wide_payload.contains("orgs"));
  auto read = verifier_->Verify(signer_->TokenFor(wide));
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->scoped());
}

TEST_F(PrincipalTokenTest, WhatIsSignedIsWhatIsRead) {
  const std::string token = signer_->TokenFor(PinnedAssessor());
  auto caller = verifier_->Verify(token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->tenant.value(), "tn_1");
  EXPECT_EQ(caller->principal, "key_1");
  EXPECT_EQ(caller->role, Role::kAssessor);
  EXPECT_EQ(caller->organizations, std::vector<std::string>{"org_1"});
  EXPECT_EQ(caller->token, token);
  // Read again from the verifier's memory: the same caller.
  auto again = verifier_->Verify(token);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->principal, "key_1");
}

TEST_F(PrincipalTokenTest, OneTokenPerCallerWhileItIsFresh) {
  Caller other = PinnedAssessor();
  other.organizations = {"org_2"};
  EXPECT_EQ(signer_->TokenFor(PinnedAssessor()), signer_->TokenFor(PinnedAssessor()));
  EXPECT_NE(signer_->TokenFor(PinnedAssessor()), signer_->TokenFor(other));
}

// The chart hands the services the gateway's certificate (Helm makes one from the key).
std::string SelfSignedCertificatePem(const std::string& private_pem) {
  BIO* in = BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("socm-gateway"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  BIO* out = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(out, cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(out);
  X509_free(cert);
  EVP_PKEY_free(key);
  return pem;
}

TEST_F(PrincipalTokenTest, TheVerifierTakesACertificateOrThePrivateKeyToo) {
  auto from_private = PrincipalVerifier::FromPem(keys_.private_pem);
  ASSERT_TRUE(from_private.ok());
  EXPECT_TRUE((*from_private)->Verify(signer_->TokenFor(PinnedAssessor())).ok());
  auto from_cert = PrincipalVerifier::FromPem(SelfSignedCertificatePem(keys_.private_pem));
  ASSERT_TRUE(from_cert.ok()) << from_cert.status();
  EXPECT_TRUE((*from_cert)->Verify(signer_->TokenFor(PinnedAssessor())).ok());
  EXPECT_FALSE(PrincipalVerifier::FromPem("not a key").ok());
  EXPECT_FALSE(PrincipalSigner::FromPem(keys_.public_pem).ok());
}

TEST_F(PrincipalTokenTest, AnotherKeysSignatureIsRefused) {
  auto other = GeneratePrincipalKeyPair();
  ASSERT_TRUE(other.ok());
  auto other_signer = PrincipalSigner::FromPem(other->private_pem);
  ASSERT_TRUE(other_signer.ok());
  auto caller = verifier_->Verify((*other_signer)->TokenFor(PinnedAssessor()));
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(PrincipalTokenTest, ExpiredAndFutureTokensAreRefused) {
  const auto now = Clock::now();
  const std::string expired = signer_->SignAt(PinnedAssessor(), now - std::chrono::minutes(10),
                                              now - std::chrono::minutes(5));
  EXPECT_EQ(verifier_->Verify(expired).status().code(), absl::StatusCode::kUnauthenticated);
  const std::string future = signer_->SignAt(PinnedAssessor(), now + std::chrono::minutes(10),
                                             now + std::chrono::minutes(12));
  EXPECT_EQ(verifier_->Verify(future).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(PrincipalTokenTest, AnEditedPayloadIsRefused) {
  const std::string token = signer_->TokenFor(PinnedAssessor());
  std::string payload = PayloadOf(token);
  const size_t at = payload.find("assessor");
  ASSERT_NE(at, std::string::npos);
  payload.replace(at, 8, "admin");
  const std::string header_part = token.substr(0, token.find('.'));
  std::string p;
  absl::WebSafeBase64Escape(payload, &p);
  const std::string edited = header_part + "." + p + token.substr(token.rfind('.'));
  EXPECT_EQ(verifier_->Verify(edited).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(PrincipalTokenTest, NoneAndHmacWithThePublicKeyAreRefused) {
  const std::string payload = PayloadOf(signer_->TokenFor(PinnedAssessor()));
  // With a signature part that is well formed, so that the algorithm check itself refuses it.
  for (const std::string& signature : {std::string(""), std::string("c2lnbmF0dXJl")}) {
    EXPECT_EQ(
        verifier_
            ->Verify(Compact(R"({"alg":"none","typ":"socm-principal+jwt"})", payload, signature))
            .status()
            .code(),
        absl::StatusCode::kUnauthenticated);
  }
  // HS256 keyed with the public key's PEM (the classic confusion), signed by cjose itself.
  cjose_err err;
  cjose_jwk_t* hmac = cjose_jwk_create_oct_spec(
      reinterpret_cast<const uint8_t*>(keys_.public_pem.data()), keys_.public_pem.size(), &err);
  ASSERT_NE(hmac, nullptr);
  cjose_header_t* header = cjose_header_new(&err);
  cjose_header_set(header, CJOSE_HDR_ALG, CJOSE_HDR_ALG_HS256, &err);
  cjose_header_set(header, "typ", "socm-principal+jwt", &err);
  cjose_jws_t* jws = cjose_jws_sign(hmac, header, reinterpret_cast<const uint8_t*>(payload.data()),
                                    payload.size(), &err);
  ASSERT_NE(jws, nullptr);
  const char* compact = nullptr;
  ASSERT_TRUE(cjose_jws_export(jws, &compact, &err));
  const std::string hs256 = compact;
  cjose_jws_release(jws);
  cjose_header_release(header);
  cjose_jwk_release(hmac);
  EXPECT_EQ(verifier_->Verify(hs256).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(PrincipalTokenTest, AnotherTypeOrAudienceOrGarbageIsRefused) {
  const std::string token = signer_->TokenFor(PinnedAssessor());
  // Signed with the right key, but not one of ours: another type, audience or issuer.
  const std::string claims = PayloadOf(token);
  ASSERT_TRUE(verifier_->Verify(signer_->SignClaims("socm-principal+jwt", claims)).ok());
  EXPECT_EQ(verifier_->Verify(signer_->SignClaims("JWT", claims)).status().code(),
            absl::StatusCode::kUnauthenticated);
  std::string other_audience = claims;
  other_audience.replace(other_audience.find("socm-services"), 13, "somebody-else");
  EXPECT_EQ(
      verifier_->Verify(signer_->SignClaims("socm-principal+jwt", other_audience)).status().code(),
      absl::StatusCode::kUnauthenticated);
  std::string other_issuer = claims;
  other_issuer.replace(other_issuer.find("socm-suite"), 10, "an-idp-xyz");
  EXPECT_EQ(
      verifier_->Verify(signer_->SignClaims("socm-principal+jwt", other_issuer)).status().code(),
      absl::StatusCode::kUnauthenticated);
  const std::string header = token.substr(0, token.find('.'));
  for (const std::string& bad :
       {std::string(), std::string("x"), std::string("a.b.c"), std::string(5000, 'a'),
        token.substr(0, token.size() - 3),
        // Parts cjose's decoder would abort the process on (found by the fuzz target): a
        // length that leaves one character over, a byte outside the alphabet.
        header + ".eyJhdWQiOiJzb2NtL.abcd", header + ".eyJh=WQi.abcd", header + "..abcd",
        token + ".x"}) {
    EXPECT_EQ(verifier_->Verify(bad).status().code(), absl::StatusCode::kUnauthenticated) << bad;
  }
}

}  // namespace
}  // namespace socm
