#include "services/catalogue/store/builtin_store.h"

#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/catalogue/domain/model_shape.h"

namespace socm::catalogue {

CatalogueSummary Summarize(const std::vector<std::shared_ptr<const Catalogue>>& versions) {
  CatalogueSummary summary;
  if (versions.empty()) return summary;
  const Catalogue& latest = *versions.back();
  summary.set_id(latest.id());
  *summary.mutable_name() = latest.name();
  summary.set_latest_version(latest.version());
  for (const auto& v : versions) summary.add_versions(v->version());
  summary.set_builtin(latest.builtin());
  summary.set_function_count(latest.functions_size());
  int roles = 0;
  for (const auto& f : latest.functions()) roles += f.roles_size();
  summary.set_role_count(roles);
  return summary;
}

absl::StatusOr<std::unique_ptr<BuiltinCatalogueStore>> BuiltinCatalogueStore::Load(
    const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(data_dir, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("catalogue data folder ", data_dir, " not found"));
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(data_dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  if (ec)
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", data_dir, ": ", ec.message()));
  std::sort(files.begin(), files.end());

  auto store = std::unique_ptr<BuiltinCatalogueStore>(new BuiltinCatalogueStore());
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof())
      return absl::FailedPreconditionError(absl::StrCat("cannot read ", file.string()));
    auto catalogue = std::make_shared<Catalogue>();
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto parsed =
        google::protobuf::util::JsonStringToMessage(text.str(), catalogue.get(), options);
    if (!parsed.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(file.string(), ": ", parsed.ToString()));
    }
    const auto violations = ValidateCatalogue(*catalogue);
    if (!violations.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(file.string(), ": ", InvalidFields(violations).message()));
    }
    NormalizeCatalogue(*catalogue);
    catalogue->set_builtin(true);
    catalogue->clear_language();
    auto [it, fresh] = store->catalogues_[catalogue->id()].emplace(catalogue->version(), catalogue);
    if (!fresh) {
      return absl::FailedPreconditionError(absl::StrCat(file.string(), ": catalogue ",
                                                        catalogue->id(), " version ",
                                                        catalogue->version(), " is defined twice"));
    }
  }
  if (store->catalogues_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no catalogue documents (*.json) under ", data_dir));
  }
  return store;
}

absl::StatusOr<std::vector<CatalogueSummary>> BuiltinCatalogueStore::List(const TenantId&) {
  return ListBuiltin();
}

std::vector<CatalogueSummary> BuiltinCatalogueStore::ListBuiltin() const {
  std::vector<CatalogueSummary> out;
  for (const auto& [id, versions] : catalogues_) {
    std::vector<std::shared_ptr<const Catalogue>> list;
    for (const auto& [version, catalogue] : versions) list.push_back(catalogue);
    out.push_back(Summarize(list));
  }
  return out;
}

absl::StatusOr<std::shared_ptr<const Catalogue>> BuiltinCatalogueStore::Get(
    const TenantId&, const std::string& id, const std::string& version) {
  return GetBuiltin(id, version);
}

absl::StatusOr<std::shared_ptr<const Catalogue>> BuiltinCatalogueStore::GetBuiltin(
    const std::string& id, const std::string& version) const {
  auto it = catalogues_.find(id);
  if (it == catalogues_.end())
    return absl::NotFoundError(absl::StrCat("catalogue ", id, " not found"));
  if (version.empty()) return it->second.rbegin()->second;
  auto v = it->second.find(version);
  if (v == it->second.end()) {
    return absl::NotFoundError(absl::StrCat("catalogue ", id, " has no version ", version));
  }
  return v->second;
}

}  // namespace socm::catalogue
