#pragma once
// BuiltinCatalogueStore holds the catalogues shipped with the product: every
// "*.json" file under a data folder, one catalogue version per file in the
// protobuf JSON form of soc.maturity.catalogue.v1.Catalogue, e.g.
//   data/isogj-soc-csirt/2.1.json
// plus those of further folders (a Kubernetes ConfigMap with a corrected or new model, so
// that loading one needs no new image). Loading fails if any file is unreadable, invalid,
// or gives a version twice with different content, so a bad data folder stops the service
// at start rather than serving half of it. Folders whose names start with "." are skipped
// (a ConfigMap volume keeps its files twice, once under "..data").

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "services/catalogue/domain/catalogue_rules.h"
#include "services/catalogue/store/catalogue_store.h"

namespace socm::catalogue {

class BuiltinCatalogueStore : public CatalogueStore {
 public:
  static absl::StatusOr<std::unique_ptr<BuiltinCatalogueStore>> Load(const std::string& data_dir);
  // The first folder must hold a catalogue; the others may be empty.
  static absl::StatusOr<std::unique_ptr<BuiltinCatalogueStore>> Load(
      const std::vector<std::string>& data_dirs);

  // What each version's content is: the SHA-256 of the document as parsed (before
  // normalization), so that a version can be checked against the one served before.
  struct Digest {
    std::string id;
    std::string version;
    std::string sha256;
  };
  std::vector<Digest> Digests() const;

  absl::StatusOr<std::vector<CatalogueSummary>> List(const TenantId& tenant) override;
  // The built-in catalogues, whoever asks.
  std::vector<CatalogueSummary> ListBuiltin() const;
  bool Has(const std::string& id) const { return catalogues_.count(id) > 0; }
  absl::StatusOr<std::shared_ptr<const Catalogue>> GetBuiltin(const std::string& id,
                                                              const std::string& version) const;
  absl::StatusOr<std::shared_ptr<const Catalogue>> Get(const TenantId& tenant,
                                                       const std::string& id,
                                                       const std::string& version) override;

 private:
  struct VersionLess {
    bool operator()(const std::string& a, const std::string& b) const {
      return CompareVersions(a, b) < 0;
    }
  };
  using Versions = std::map<std::string, std::shared_ptr<const Catalogue>, VersionLess>;
  // Immutable after Load, so reads need no lock.
  std::map<std::string, Versions> catalogues_;
  std::map<std::pair<std::string, std::string>, std::string> digests_;
};

// The summary of one catalogue from its versions (latest last).
CatalogueSummary Summarize(const std::vector<std::shared_ptr<const Catalogue>>& versions);

}  // namespace socm::catalogue
