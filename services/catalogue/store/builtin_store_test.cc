#include "services/catalogue/store/builtin_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"

namespace socm::catalogue {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/socm-store-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  void Write(const std::string& name, const std::string& text) const {
    fs::create_directories(fs::path(path_ + "/" + name).parent_path());
    std::ofstream(path_ + "/" + name) << text;
  }

 private:
  std::string path_;
};

std::string ShippedText() {
  std::ifstream in(std::string(SOCM_CATALOGUE_DATA_DIR) + "/isogj-soc-csirt/2.1.json");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(BuiltinStoreTest, ShipsIsogjWithNineFunctionsAnd54Roles) {
  auto store = BuiltinCatalogueStore::Load(SOCM_CATALOGUE_DATA_DIR);
  ASSERT_TRUE(store.ok()) << store.status();
  auto latest = (*store)->Get(TenantId(), "isogj-soc-csirt", "");
  ASSERT_TRUE(latest.ok());
  const Catalogue& c = **latest;
  EXPECT_EQ(c.version(), "2.1.1");
  EXPECT_TRUE(c.builtin());
  ASSERT_EQ(c.functions_size(), 9);
  const int expected_roles[] = {6, 5, 5, 8, 8, 4, 10, 3, 5};
  int total = 0;
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(c.functions(i).code(), std::string(1, static_cast<char>('A' + i)));
    EXPECT_EQ(c.functions(i).roles_size(), expected_roles[i]) << c.functions(i).code();
    EXPECT_FALSE(c.functions(i).narrative().achieved().en().empty());
    total += c.functions(i).roles_size();
  }
  EXPECT_EQ(total, 54);
  EXPECT_EQ(c.functions(0).name().ja(), "セキュリティ対応組織運営");
  EXPECT_EQ(c.functions(0).roles(0).area(), "I");
  EXPECT_EQ(c.functions(0).roles(1).area(), "II");
  EXPECT_EQ(c.in_source_levels_size(), 6);
  EXPECT_EQ(c.out_source_levels_size(), 6);
  // Loaded in the first form, served in both.
  ASSERT_EQ(c.dimensions_size(), 2);
  EXPECT_EQ(c.dimensions(0).code(), "inSource");
  EXPECT_EQ(c.scale().highest(), 5);
}

TEST(BuiltinStoreTest, Version211CarriesTheSeedsLadderTextsAnd21KeepsItsOwn) {
  auto store = BuiltinCatalogueStore::Load(SOCM_CATALOGUE_DATA_DIR);
  ASSERT_TRUE(store.ok()) << store.status();
  const Catalogue& revised = **(*store)->Get(TenantId(), "isogj-soc-csirt", "2.1.1");
  const Catalogue& pinned = **(*store)->Get(TenantId(), "isogj-soc-csirt", "2.1");
  EXPECT_EQ(revised.in_source_levels(3).text().ja(),
            "運用が明文化されておらず、担当者に代わりに他者が臨時で一部の業務を代行できる");
  EXPECT_EQ(revised.in_source_levels(5).text().ja(),
            "明文化された運用はCISOなど権限ある組織長に承認されている");
  EXPECT_TRUE(absl::EndsWith(revised.in_source_levels(0).text().ja(), "実施しないと判断したもの"));
  EXPECT_EQ(revised.out_source_levels(0).text().ja(),
            "アウトソースでの実装を検討したものの、結果として実施しないと判断した");
  EXPECT_TRUE(
      absl::EndsWith(revised.out_source_levels(3).text().ja(), "得られる結果は理解できない"));
  EXPECT_TRUE(absl::StartsWith(revised.out_source_levels(4).text().ja(),
                               "サービス内容は理解できてないが、"));
  EXPECT_NE(pinned.in_source_levels(3).text().ja(), revised.in_source_levels(3).text().ja());
  EXPECT_EQ(pinned.functions().size(), revised.functions().size());
}

TEST(BuiltinStoreTest, ShipsSim3WithFourCategoriesAnd44ParametersOnZeroToFour) {
  auto store = BuiltinCatalogueStore::Load(SOCM_CATALOGUE_DATA_DIR);
  ASSERT_TRUE(store.ok()) << store.status();
  const Catalogue& c = **(*store)->Get(TenantId(), "sim3", "");
  EXPECT_EQ(c.version(), "1");
  std::vector<std::string> codes;
  int parameters = 0;
  for (const auto& f : c.functions()) {
    codes.push_back(f.code());
    parameters += f.roles_size();
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"O", "H", "T", "P"}));
  EXPECT_EQ(parameters, 44);
  EXPECT_EQ(c.scale().lowest(), 0);
  EXPECT_EQ(c.scale().highest(), 4);
  ASSERT_EQ(c.dimensions_size(), 1);
  EXPECT_EQ(c.dimensions(0).code(), "level");
  EXPECT_TRUE(c.in_source_levels().empty()) << "no first-form ladders for a one-dimension model";
  bool reconstructed = false;
  for (const auto& part : c.provenance().parts()) {
    reconstructed = reconstructed ||
                    part.status() == soc::maturity::catalogue::v1::PROVENANCE_STATUS_RECONSTRUCTED;
  }
  EXPECT_TRUE(reconstructed);
}

TEST(BuiltinStoreTest, ProvenanceSaysRolesEtoIAreReconstructed) {
  auto store = BuiltinCatalogueStore::Load(SOCM_CATALOGUE_DATA_DIR);
  ASSERT_TRUE(store.ok());
  const Catalogue& c = **(*store)->Get(TenantId(), "isogj-soc-csirt", "2.1");
  bool e1_reconstructed = false, a1_confirmed = false;
  for (const auto& part : c.provenance().parts()) {
    for (const auto& code : part.codes()) {
      if (code == "E-1") {
        e1_reconstructed |=
            part.status() == soc::maturity::catalogue::v1::PROVENANCE_STATUS_RECONSTRUCTED;
      }
      if (code == "A-1") {
        a1_confirmed |= part.status() == soc::maturity::catalogue::v1::PROVENANCE_STATUS_CONFIRMED;
      }
    }
  }
  EXPECT_TRUE(e1_reconstructed);
  EXPECT_TRUE(a1_confirmed);
}

TEST(BuiltinStoreTest, LatestIsTheHighestVersionNumerically) {
  TempDir dir;
  std::string text = ShippedText();
  dir.Write("x/2.9.json", text.replace(text.find("\"2.1\""), 5, "\"2.9\""));
  text = ShippedText();
  dir.Write("x/2.10.json", text.replace(text.find("\"2.1\""), 5, "\"2.10\""));
  auto store = BuiltinCatalogueStore::Load(dir.path());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((**(*store)->Get(TenantId(), "isogj-soc-csirt", "")).version(), "2.10");
  auto list = (*store)->List(TenantId());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].latest_version(), "2.10");
  EXPECT_EQ((*list)[0].versions_size(), 2);
  EXPECT_EQ((*list)[0].role_count(), 54);
  EXPECT_EQ((*store)->Get(TenantId(), "isogj-soc-csirt", "1.0").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->Get(TenantId(), "nope", "").status().code(), absl::StatusCode::kNotFound);
}

TEST(BuiltinStoreTest, BadFolderFailsAtStartNamingTheFile) {
  EXPECT_EQ(BuiltinCatalogueStore::Load("/nonexistent/socm").status().code(),
            absl::StatusCode::kFailedPrecondition);
  TempDir empty;
  EXPECT_FALSE(BuiltinCatalogueStore::Load(empty.path()).ok());

  TempDir broken;
  broken.Write("a/1.json", "{\"id\": \"a\", \"unknownField\": 1}");
  auto status = BuiltinCatalogueStore::Load(broken.path()).status();
  EXPECT_NE(status.message().find("a/1.json"), std::string::npos) << status;

  TempDir invalid;
  invalid.Write("b/1.json", "{\"id\": \"b\", \"version\": \"1\"}");
  status = BuiltinCatalogueStore::Load(invalid.path()).status();
  EXPECT_NE(status.message().find("name.ja"), std::string::npos) << status;

  TempDir twice;
  twice.Write("one.json", ShippedText());
  std::string changed = ShippedText();
  changed.replace(changed.find("SOC/CSIRT management"), 4, "SOC ");
  twice.Write("two.json", changed);
  status = BuiltinCatalogueStore::Load(twice.path()).status();
  EXPECT_NE(status.message().find("defined twice with different content"), std::string::npos)
      << status;
}

TEST(BuiltinStoreTest, AnExtraFolderAddsVersionsAndMayRepeatOneUnchanged) {
  // As a ConfigMap volume lays it out: the files, and the same files again under "..data".
  TempDir extra;
  std::string text = ShippedText();
  extra.Write("isogj-2.2.json", text.replace(text.find("\"2.1\""), 5, "\"2.2\""));
  extra.Write("..2026_12_04/isogj-2.2.json", text);
  extra.Write("same-2.1.json", ShippedText());
  auto store =
      BuiltinCatalogueStore::Load(std::vector<std::string>{SOCM_CATALOGUE_DATA_DIR, extra.path()});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((**(*store)->Get(TenantId(), "isogj-soc-csirt", "")).version(), "2.2");
  int isogj = 0;
  for (const auto& d : (*store)->Digests()) isogj += d.id == "isogj-soc-csirt";
  EXPECT_EQ(isogj, 3);  // 2.1, 2.1.1, 2.2

  TempDir changed;
  std::string edited = ShippedText();
  edited.replace(edited.find("SOC/CSIRT management"), 4, "SOC ");
  changed.Write("isogj-2.1.json", edited);
  const auto status =
      BuiltinCatalogueStore::Load(std::vector<std::string>{SOCM_CATALOGUE_DATA_DIR, changed.path()})
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("isogj-2.1.json"), std::string::npos) << status;

  EXPECT_FALSE(BuiltinCatalogueStore::Load(
                   std::vector<std::string>{SOCM_CATALOGUE_DATA_DIR, "/nonexistent/socm"})
                   .ok());
}

}  // namespace
}  // namespace socm::catalogue
