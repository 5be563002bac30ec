#include "services/catalogue/store/tenant_store.h"

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

}  // namespace
}  // namespace socm::catalogue
