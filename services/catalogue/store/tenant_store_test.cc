#include "services/catalogue/store/tenant_store.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace socm::catalogue {
namespace {

namespace fs = std::filesystem;

std::string ShippedText() {
  std::ifstream in(std::string(SOCM_CATALOGUE_DATA_DIR) + "/isogj-soc-csirt/2.1.json");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One SQLite database that three starts of the service share, each with its own data folder.
TEST(TenantStoreTest, AStartWithABuiltInVersionWhoseContentChangedIsRefused) {
  char tmpl[] = "/tmp/socm-served-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string url = "sqlite:" + dir + "/catalogue.db";
  fs::create_directories(dir + "/v1/isogj");
  fs::create_directories(dir + "/v2/isogj");
  std::ofstream(dir + "/v1/isogj/2.1.json") << ShippedText();
  std::string edited = ShippedText();
  edited.replace(edited.find("SOC/CSIRT management"), 4, "SOC ");
  std::ofstream(dir + "/v2/isogj/2.1.json") << edited;

  auto open = [&](const std::string& folder) -> absl::Status {
    auto builtin = BuiltinCatalogueStore::Load(dir + "/" + folder);
    if (!builtin.ok()) return builtin.status();
    auto database = db::Database::Open(url, {});
    if (!database.ok()) return database.status();
    return TenantCatalogueStore::Open(**builtin, std::move(*database), 1).status();
  };
  EXPECT_TRUE(open("v1").ok());
  EXPECT_TRUE(open("v1").ok()) << "the same content starts again";
  const absl::Status changed = open("v2");
  EXPECT_EQ(changed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(changed.message().find("isogj-soc-csirt version 2.1 differs"), std::string::npos)
      << changed;
  fs::remove_all(dir);
}

// A tenant's own catalogue: the ISOG-J 2.1 document under another id and version.
Catalogue Own(const std::string& id, const std::string& version) {
  Catalogue c;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(ShippedText(), &c).ok());
  c.set_id(id);
  c.set_version(version);
  c.set_builtin(false);
  return c;
}

class TenantLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/socm-limits-XXXXXX";
    dir_ = mkdtemp(tmpl);
    fs::create_directories(dir_ + "/data/isogj");
    std::ofstream(dir_ + "/data/isogj/2.1.json") << ShippedText();
    auto builtin = BuiltinCatalogueStore::Load(dir_ + "/data");
    ASSERT_TRUE(builtin.ok()) << builtin.status();
    builtin_ = std::move(*builtin);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<TenantCatalogueStore> Open(TenantCatalogueLimits limits) {
    auto database = db::Database::Open("sqlite:" + dir_ + "/catalogue.db", {});
    EXPECT_TRUE(database.ok());
    auto store = TenantCatalogueStore::Open(*builtin_, std::move(*database), 1, limits);
    EXPECT_TRUE(store.ok()) << store.status();
    return std::move(*store);
  }
  std::string dir_;
  std::unique_ptr<BuiltinCatalogueStore> builtin_;
};

TEST_F(TenantLimitsTest, ATenantsCataloguesVersionsAndDocumentSizeAreBounded) {
  TenantCatalogueLimits limits;
  limits.max_catalogues = 2;
  limits.max_versions = 3;
  auto store = Open(limits);
  const TenantId a("tn_a"), b("tn_b");
  for (const char* v : {"1.0", "1.1", "1.2"})
    ASSERT_TRUE(store->Publish(a, Own("mine", v), 1).ok());
  absl::Status s = store->Publish(a, Own("mine", "1.3"), 1).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  EXPECT_NE(s.message().find("catalogue mine has 3 versions, the most one catalogue may have (3)"),
            std::string::npos)
      << s;
  ASSERT_TRUE(store->Publish(a, Own("second", "1.0"), 1).ok());
  s = store->Publish(a, Own("third", "1.0"), 1).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  EXPECT_NE(s.message().find("this tenant has 2 catalogues, the most it may have (2)"),
            std::string::npos)
      << s;
  // Another tenant's share is its own.
  EXPECT_TRUE(store->Publish(b, Own("third", "1.0"), 1).ok());

  limits.max_document_bytes = 10 * 1024;
  auto small = Open(limits);
  s = small->Publish(b, Own("big", "1.0"), 1).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("at most 10240"), std::string::npos) << s;
}

// A lookup parses the one version it answers with: a stored version that no longer parses
// (or a thousand of them) costs the other versions' lookups nothing.
TEST_F(TenantLimitsTest, ALookupParsesOnlyTheVersionItAnswersWith) {
  auto store = Open({});
  const TenantId a("tn_a");
  for (const char* v : {"1.0", "1.2", "1.10"})
    ASSERT_TRUE(store->Publish(a, Own("mine", v), 1).ok());
  {
    auto database = db::Database::Open("sqlite:" + dir_ + "/catalogue.db", {});
    ASSERT_TRUE(database.ok());
    ASSERT_TRUE(
        (*database)
            ->Run([](db::Connection& c) {
              return c.Exec("UPDATE tenant_catalogues SET doc='not json' WHERE version='1.0'", {})
                  .status();
            })
            .ok());
  }
  auto latest = store->Get(a, "mine", "");
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ((*latest)->version(), "1.10") << "versions compare as numbers";
  auto one_two = store->Get(a, "mine", "1.2");
  ASSERT_TRUE(one_two.ok()) << one_two.status();
  EXPECT_EQ((*one_two)->version(), "1.2");
  EXPECT_EQ(store->Get(a, "mine", "1.0").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(store->Get(a, "mine", "9.9").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->Get(a, "other", "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->Get(TenantId("tn_b"), "mine", "").status().code(), absl::StatusCode::kNotFound);
}

// A publication's audit record is written in the publication's transaction: one per version
// published, none for a refused one, each naming who published, from where, and the document's
// hash; acknowledged records are gone and the rest stay, oldest first.
TEST_F(TenantLimitsTest, EachPublicationLeavesOneAuditRecordUntilItIsAcknowledged) {
  TenantCatalogueLimits limits;
  limits.max_versions = 2;
  auto store = Open(limits);
  const TenantId a("tn_a"), b("tn_b");
  auto first = store->Publish(a, Own("mine", "1.0"), 1700000000000000, {"key_1", "10.0.0.7"});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(
      store->Publish(b, Own("theirs", "2.0"), 1700000000000002, {"key_2", "10.0.0.8"}).ok());
  ASSERT_TRUE(store->Publish(a, Own("mine", "1.1"), 1700000000000001, {"key_1", "10.0.0.7"}).ok());
  // Refused: the version exists; the catalogue is full; the document is invalid.
  EXPECT_FALSE(store->Publish(a, Own("mine", "1.0"), 1700000000000003, {"key_1", ""}).ok());
  EXPECT_FALSE(store->Publish(a, Own("mine", "1.2"), 1700000000000004, {"key_1", ""}).ok());
  Catalogue broken = Own("broken", "1.0");
  broken.clear_functions();
  EXPECT_FALSE(store->Publish(a, broken, 1700000000000005, {"key_1", ""}).ok());

  auto pending = store->PendingAuditRecords(10);
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 3u) << "one per publication, none for a refused one";
  const CatalogueAuditRecord& r = (*pending)[0];
  EXPECT_EQ(r.tenant_id(), "tn_a");
  EXPECT_EQ(r.time_micros(), 1700000000000000);
  EXPECT_EQ(r.id().rfind("1700000000000000-", 0), 0u) << r.id();
  EXPECT_EQ(r.actor(), "key_1");
  EXPECT_EQ(r.client_address(), "10.0.0.7");
  EXPECT_EQ(r.action(), "catalogue.publish");
  EXPECT_EQ(r.target(), "catalogues/mine/versions/1.0");
  soc::maturity::catalogue::v1::PublishedCatalogue summary;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.after_json(), &summary).ok())
      << r.after_json();
  EXPECT_EQ(summary.id(), "mine");
  EXPECT_EQ(summary.version(), "1.0");
  EXPECT_EQ(summary.name().en(), first->name().en());
  EXPECT_EQ(summary.document_sha256().size(), 64u);
  EXPECT_GT(summary.document_bytes(), 10000);
  EXPECT_EQ((*pending)[1].target(), "catalogues/mine/versions/1.1") << "oldest first";
  EXPECT_EQ((*pending)[2].tenant_id(), "tn_b");

  auto acked = store->AcknowledgeAuditRecords({r.id(), "1-unknown"});
  ASSERT_TRUE(acked.ok()) << acked.status();
  EXPECT_EQ(*acked, 1);
  pending = store->PendingAuditRecords(1);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].target(), "catalogues/mine/versions/1.1");
}

}  // namespace
}  // namespace socm::catalogue
