#pragma once
// TenantCatalogueStore serves the built-in catalogues to everyone and keeps
// each tenant's own catalogues in SQLite or PostgreSQL, visible to that tenant
// only. A published version is immutable: publishing it again is
// ALREADY_EXISTS, and a tenant cannot take a built-in catalogue's id.
// Migration versions 1001..1999 are the catalogue service's, so it can share a
// database with the assessment service (1..999).

#include <memory>

#include "services/catalogue/store/builtin_store.h"
#include "services/common/db/db.h"

namespace socm::catalogue {

const std::vector<db::Migration>& CatalogueMigrations();

using soc::maturity::catalogue::v1::CatalogueAuditRecord;

// Who publishes, as the audit log names them.
struct PublishedBy {
  std::string actor;
  std::string client_address;
};

// What one tenant may store: a shared service bounds every tenant's share of it.
struct TenantCatalogueLimits {
  int max_catalogues = 50;
  int max_versions = 100;
  // The stored JSON document of one version.
  size_t max_document_bytes = 512 * 1024;
};

class TenantCatalogueStore : public CatalogueStore {
 public:
  // Applies pending migrations, then checks every built-in version against the content this
  // database has seen served under it (recording new ones at `now_micros`): a version whose
  // content changed is FAILED_PRECONDITION. `builtin` must outlive the store.
  static absl::StatusOr<std::unique_ptr<TenantCatalogueStore>> Open(
      const BuiltinCatalogueStore& builtin, std::unique_ptr<db::Database> database,
      int64_t now_micros, TenantCatalogueLimits limits = {});

  absl::StatusOr<std::vector<CatalogueSummary>> List(const TenantId& tenant) override;
  absl::StatusOr<std::shared_ptr<const Catalogue>> Get(const TenantId& tenant,
                                                       const std::string& id,
                                                       const std::string& version) override;
  // Validates and publishes a version for `tenant`; returns it as stored. Over a limit:
  // RESOURCE_EXHAUSTED (a count) or INVALID_ARGUMENT (the document's size), naming it. The
  // audit record of the publication is written in the same transaction.
  absl::StatusOr<Catalogue> Publish(const TenantId& tenant, const Catalogue& catalogue,
                                    int64_t now_micros, const PublishedBy& by = {});

  // Audit records not yet acknowledged, oldest first, every tenant's.
  absl::StatusOr<std::vector<CatalogueAuditRecord>> PendingAuditRecords(int limit);
  // Deletes the records named (the assessment service has them); how many there were.
  absl::StatusOr<int> AcknowledgeAuditRecords(const std::vector<std::string>& ids);

 private:
  TenantCatalogueStore(const BuiltinCatalogueStore& builtin, std::unique_ptr<db::Database> database,
                       TenantCatalogueLimits limits)
      : builtin_(builtin), db_(std::move(database)), limits_(limits) {}
  // Every stored version of the tenant's catalogue `id` (all ids when empty).
  absl::StatusOr<std::vector<std::shared_ptr<const Catalogue>>> Load(const TenantId& tenant,
                                                                     const std::string& id);

  // One stored version; an empty `version` is the latest. Reads the version column of the
  // catalogue's rows and parses one document, whatever the number of versions.
  absl::StatusOr<std::shared_ptr<const Catalogue>> LoadOne(const TenantId& tenant,
                                                           const std::string& id,
                                                           const std::string& version);

  const BuiltinCatalogueStore& builtin_;
  std::unique_ptr<db::Database> db_;
  TenantCatalogueLimits limits_;
};

}  // namespace socm::catalogue
