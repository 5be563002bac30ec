#include "services/catalogue/store/builtin_store.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/catalogue/domain/model_shape.h"
#include "services/common/crypto.h"

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

namespace {

// Map entries in a fixed order, so that equal documents give equal bytes.
std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

absl::Status ListFiles(const std::string& dir, std::vector<std::filesystem::path>& files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::FailedPreconditionError(absl::StrCat("catalogue data folder ", dir, " not found"));
  }
  std::vector<fs::path> found;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".json") found.push_back(it->path());
  }
  if (ec)
    return absl::FailedPreconditionError(absl::StrCat("cannot read ", dir, ": ", ec.message()));
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<BuiltinCatalogueStore>> BuiltinCatalogueStore::Load(
    const std::string& data_dir) {
  return Load(std::vector<std::string>{data_dir});
}

absl::StatusOr<std::unique_ptr<BuiltinCatalogueStore>> BuiltinCatalogueStore::Load(
    const std::vector<std::string>& data_dirs) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const std::string& dir : data_dirs) SOCM_STATUS_RETURN(ListFiles(dir, files));

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
    catalogue->clear_builtin();
    catalogue->clear_language();
    const std::string digest = Sha256Hex(DeterministicBytes(*catalogue));
    const auto key = std::make_pair(catalogue->id(), catalogue->version());
    if (auto [it, fresh] = store->digests_.emplace(key, digest); !fresh) {
      if (it->second == digest) continue;  // the same document in two folders
      return absl::FailedPreconditionError(absl::StrCat(
          file.string(), ": catalogue ", catalogue->id(), " version ", catalogue->version(),
          " is defined twice with different content; publish a change as a new version"));
    }
    NormalizeCatalogue(*catalogue);
    catalogue->set_builtin(true);
    store->catalogues_[catalogue->id()].emplace(catalogue->version(), catalogue);
  }
  if (store->catalogues_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no catalogue documents (*.json) under ", data_dirs.front()));
  }
  return store;
}

std::vector<BuiltinCatalogueStore::Digest> BuiltinCatalogueStore::Digests() const {
  std::vector<Digest> out;
  for (const auto& [key, sha256] : digests_) out.push_back({key.first, key.second, sha256});
  return out;
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
