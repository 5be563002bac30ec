#pragma once
// CatalogueStore is where catalogue versions live. The built-in store reads
// the documents shipped with the product; a tenant's own catalogues come from
// a database store (SQLite or PostgreSQL) with the same interface.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/caller.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"

namespace socm::catalogue {

using soc::maturity::catalogue::v1::Catalogue;
using soc::maturity::catalogue::v1::CatalogueSummary;

class CatalogueStore {
 public:
  virtual ~CatalogueStore() = default;
  // Every catalogue the tenant may see (tenant "" sees built-ins only), by id.
  virtual absl::StatusOr<std::vector<CatalogueSummary>> List(const TenantId& tenant) = 0;
  // One version; version "" is the latest. NOT_FOUND when absent or not visible.
  virtual absl::StatusOr<std::shared_ptr<const Catalogue>> Get(const TenantId& tenant,
                                                               const std::string& id,
                                                               const std::string& version) = 0;
};

}  // namespace socm::catalogue
