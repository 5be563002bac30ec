// In-process handler tests: the real service on a real socket (port 0),
// served by the same ServiceHost as production, called through a gRPC stub.
#include "services/catalogue/server/catalogue_service.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/catalogue/store/builtin_store.h"
#include "services/common/caller_metadata.h"
#include "services/common/grpc_status.h"
#include "services/common/health_client.h"
#include "services/common/metadata.h"
#include "services/common/service_host.h"

namespace socm::catalogue {
namespace {

namespace pb = soc::maturity::catalogue::v1;

class CatalogueServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keys = GeneratePrincipalKeyPair();
    ASSERT_TRUE(keys.ok()) << keys.status();
    auto signer = PrincipalSigner::FromPem(keys->private_pem);
    auto verifier = PrincipalVerifier::FromPem(keys->public_pem);
    ASSERT_TRUE(signer.ok() && verifier.ok());
    signer_ = std::move(*signer);
    InstallPrincipalVerifier(std::move(*verifier));
    auto store = BuiltinCatalogueStore::Load(SOCM_CATALOGUE_DATA_DIR);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ServiceHostOptions options;
    options.name = "catalogue-test";
    options.metrics_port = -1;
    options.grace = std::chrono::milliseconds(500);
    options.health_names = {"soc.maturity.catalogue.v1.CatalogueService"};
    host_ = std::make_unique<ServiceHost>(options);
    // Nothing listens on port 1: the service must work with Redis down.
    redis_ = std::make_unique<RedisCache>(RedisOptions{"127.0.0.1:1"}, host_->registry(), "redis");
    service_ =
        std::make_unique<CatalogueServiceImpl>(host_->work(), *store_, *redis_, host_->registry());
    host_->AddService(service_.get());
    ASSERT_TRUE(host_->Start().ok());
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_->grpc_port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = pb::CatalogueService::NewStub(channel_);
  }
  void TearDown() override { host_->Shutdown(); }

  static Caller Admin() {
    Caller caller;
    caller.tenant = TenantId("tn_a");
    caller.principal = "key_a";
    caller.role = Role::kAdmin;
    return caller;
  }
  // The call goes as `caller`, signed as the gateway would sign it.
  void Sign(grpc::ClientContext& context, Caller caller) {
    caller.token = signer_->TokenFor(caller);
    AddCallerMetadata(caller, context);
  }

  grpc::Status Get(const std::string& id, const std::string& version, const std::string& lang,
                   pb::Catalogue* out) {
    grpc::ClientContext context;
    Sign(context, Admin());
    pb::GetCatalogueRequest request;
    request.set_catalogue_id(id);
    request.set_version(version);
    request.set_lang(lang);
    return stub_->GetCatalogue(&context, request, out);
  }

  std::unique_ptr<PrincipalSigner> signer_;
  std::unique_ptr<BuiltinCatalogueStore> store_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<RedisCache> redis_;
  std::unique_ptr<CatalogueServiceImpl> service_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb::CatalogueService::Stub> stub_;
};

TEST_F(CatalogueServiceTest, GetLatestInEnglish) {
  pb::Catalogue c;
  ASSERT_TRUE(Get("isogj-soc-csirt", "", "en", &c).ok());
  EXPECT_EQ(c.version(), "2.1.1");
  EXPECT_EQ(c.language(), "en");
  EXPECT_EQ(c.functions_size(), 9);
  EXPECT_EQ(c.functions(2).name().en(), "Deep analysis");
  EXPECT_TRUE(c.functions(2).name().ja().empty());
  // The second call is served from the in-process cache and is identical.
  pb::Catalogue again;
  ASSERT_TRUE(Get("isogj-soc-csirt", "2.1.1", "en", &again).ok());
  EXPECT_EQ(again.SerializeAsString(), c.SerializeAsString());
}

TEST_F(CatalogueServiceTest, BothLanguagesByDefault) {
  pb::Catalogue c;
  ASSERT_TRUE(Get("isogj-soc-csirt", "", "", &c).ok());
  EXPECT_EQ(c.functions(0).name().ja(), "セキュリティ対応組織運営");
  EXPECT_EQ(c.functions(0).name().en(), "SOC/CSIRT management");
}

TEST_F(CatalogueServiceTest, ErrorsCarryCodesAndFields) {
  pb::Catalogue c;
  EXPECT_EQ(Get("nope", "", "en", &c).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get("isogj-soc-csirt", "9.9", "en", &c).error_code(), grpc::StatusCode::NOT_FOUND);
  const grpc::Status bad = Get("", "x", "fr", &c);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const auto violations = ViolationsOf(FromGrpcStatus(bad));
  ASSERT_EQ(violations.size(), 3u);
  EXPECT_EQ(violations[0].field(), "catalogueId");
  EXPECT_EQ(violations[1].field(), "version");
  EXPECT_EQ(violations[2].field(), "lang");
}

TEST_F(CatalogueServiceTest, ListAndPaginate) {
  grpc::ClientContext context;
  Sign(context, Admin());
  pb::ListCataloguesRequest request;
  request.set_lang("ja");
  pb::ListCataloguesResponse response;
  ASSERT_TRUE(stub_->ListCatalogues(&context, request, &response).ok());
  ASSERT_EQ(response.catalogues_size(), 2);
  EXPECT_EQ(response.catalogues(0).id(), "isogj-soc-csirt");
  EXPECT_EQ(response.catalogues(0).role_count(), 54);
  EXPECT_EQ(response.catalogues(0).latest_version(), "2.1.1");
  EXPECT_EQ(response.catalogues(1).id(), "sim3");
  EXPECT_EQ(response.catalogues(1).function_count(), 4);
  EXPECT_EQ(response.catalogues(1).role_count(), 44);
  EXPECT_TRUE(response.catalogues(0).name().en().empty());
  EXPECT_TRUE(response.next_page_token().empty());

  grpc::ClientContext bad_context;
  Sign(bad_context, Admin());
  request.set_page_size(501);
  EXPECT_EQ(stub_->ListCatalogues(&bad_context, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CatalogueServiceTest, ValidatePrefixesPathsWithCatalogue) {
  pb::Catalogue c;
  ASSERT_TRUE(Get("isogj-soc-csirt", "", "", &c).ok());
  grpc::ClientContext context;
  Sign(context, Admin());
  pb::ValidateCatalogueRequest request;
  *request.mutable_catalogue() = c;
  request.mutable_catalogue()->mutable_functions(1)->mutable_roles(0)->set_code("B-2");
  pb::ValidateCatalogueResponse response;
  ASSERT_TRUE(stub_->ValidateCatalogue(&context, request, &response).ok());
  EXPECT_FALSE(response.valid());
  ASSERT_EQ(response.violations_size(), 1);
  EXPECT_EQ(response.violations(0).field(), "catalogue.functions[1].roles[1].code");
}

TEST_F(CatalogueServiceTest, HealthAndReflectionAreOn) {
  EXPECT_TRUE(CheckHealth(channel_, "", std::chrono::seconds(2)).ok());
  EXPECT_TRUE(
      CheckHealth(channel_, "soc.maturity.catalogue.v1.CatalogueService", std::chrono::seconds(2))
          .ok());
  EXPECT_FALSE(CheckHealth(channel_, "no.such.Service", std::chrono::seconds(2)).ok());
}

// The audit records are the assessment service's: a call for a person's credential (as every
// call through the gateway is), for the operator or for the gateway itself is refused before
// anything is read; so is one with no principal token at all.
TEST_F(CatalogueServiceTest, AuditRecordsAreTheAssessmentServicesAlone) {
  pb::TakeAuditRecordsRequest take;
  take.set_limit(10);
  pb::TakeAuditRecordsResponse taken;
  {
    grpc::ClientContext context;
    Sign(context, Admin());
    EXPECT_EQ(stub_->TakeAuditRecords(&context, take, &taken).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    Caller op;
    op.principal = "operator";
    op.role = Role::kOperator;
    Sign(context, op);
    pb::AcknowledgeAuditRecordsRequest ack;
    ack.add_ids("1-abcd");
    pb::AcknowledgeAuditRecordsResponse acked;
    EXPECT_EQ(stub_->AcknowledgeAuditRecords(&context, ack, &acked).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    Sign(context, ServiceCaller(kGatewayServicePrincipal));
    EXPECT_EQ(stub_->TakeAuditRecords(&context, take, &taken).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub_->TakeAuditRecords(&context, take, &taken).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  grpc::ClientContext context;
  Sign(context, ServiceCaller(kAssessmentServicePrincipal));
  // This service was started without a database.
  EXPECT_EQ(stub_->TakeAuditRecords(&context, take, &taken).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace socm::catalogue
