#include "services/catalogue/store/tenant_store.h"

#include <google/protobuf/util/json_util.h>

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "services/catalogue/domain/model_shape.h"
#include "services/common/crypto.h"
#include "services/common/status.h"

namespace socm::catalogue {

const std::vector<db::Migration>& CatalogueMigrations() {
  static const std::vector<db::Migration> migrations = {
      {1001, "tenant catalogues",
       R"sql(
CREATE TABLE tenant_catalogues (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id, version));
)sql",
       ""},
      {1002, "built-in versions served",
       R"sql(
CREATE TABLE builtin_catalogue_versions (
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  first_served BIGINT NOT NULL,
  PRIMARY KEY (id, version));
)sql",
       ""},
      // Publications' audit records, written in the publication's transaction and kept until
      // the assessment service has them in the tenant's audit log.
      {1003, "catalogue audit outbox",
       R"sql(
CREATE TABLE catalogue_audit_outbox (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  time BIGINT NOT NULL,
  doc TEXT NOT NULL);
CREATE INDEX catalogue_audit_outbox_by_time ON catalogue_audit_outbox (time, id);
)sql",
       ""},
  };
  return migrations;
}

absl::Status CheckServedVersions(const BuiltinCatalogueStore& builtin, db::Database& database,
                                 int64_t now_micros) {
  return database.Transaction([&](db::Connection& c) -> absl::Status {
    for (const auto& d : builtin.Digests()) {
      // The first replica to serve a version records it; every later start compares.
      SOCM_STATUS_RETURN(c.Exec("INSERT INTO builtin_catalogue_versions (id, version, sha256, "
                                "first_served) VALUES ($1,$2,$3,$4) ON CONFLICT (id, version) "
                                "DO NOTHING",
                                {d.id, d.version, d.sha256, now_micros})
                             .status());
      auto rows =
          c.Query("SELECT sha256 FROM builtin_catalogue_versions WHERE id=$1 AND version=$2",
                  {d.id, d.version});
      if (!rows.ok()) return rows.status();
      if (rows->empty() || (*rows)[0].Text(0) != d.sha256) {
        return absl::FailedPreconditionError(absl::StrCat(
            "built-in catalogue ", d.id, " version ", d.version,
            " differs from the one this database has served under the same version; caches "
            "rely on a version never changing, so publish the change as a new version"));
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::unique_ptr<TenantCatalogueStore>> TenantCatalogueStore::Open(
    const BuiltinCatalogueStore& builtin, std::unique_ptr<db::Database> database,
    int64_t now_micros, TenantCatalogueLimits limits) {
  SOCM_STATUS_RETURN(database->Migrate(CatalogueMigrations()));
  SOCM_STATUS_RETURN(CheckServedVersions(builtin, *database, now_micros));
  return std::unique_ptr<TenantCatalogueStore>(
      new TenantCatalogueStore(builtin, std::move(database), limits));
}

absl::StatusOr<std::vector<std::shared_ptr<const Catalogue>>> TenantCatalogueStore::Load(
    const TenantId& tenant, const std::string& id) {
  std::vector<std::shared_ptr<const Catalogue>> out;
  if (tenant.empty()) return out;
  const absl::Status status = db_->Run([&](db::Connection& c) -> absl::Status {
    auto rows =
        id.empty()
            ? c.Query("SELECT doc FROM tenant_catalogues WHERE tenant_id=$1", {tenant.value()})
            : c.Query("SELECT doc FROM tenant_catalogues WHERE tenant_id=$1 AND id=$2",
                      {tenant.value(), id});
    if (!rows.ok()) return rows.status();
    for (const db::Row& row : *rows) {
      auto catalogue = std::make_shared<Catalogue>();
      if (!google::protobuf::util::JsonStringToMessage(row.Text(0), catalogue.get()).ok()) {
        return absl::DataLossError("a stored catalogue does not parse");
      }
      // Versions stored in the first form read as every later one does.
      NormalizeCatalogue(*catalogue);
      out.push_back(std::move(catalogue));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a->id() != b->id() ? a->id() < b->id() : CompareVersions(a->version(), b->version()) < 0;
  });
  return out;
}

absl::StatusOr<std::vector<CatalogueSummary>> TenantCatalogueStore::List(const TenantId& tenant) {
  auto out = builtin_.ListBuiltin();
  auto own = Load(tenant, "");
  if (!own.ok()) return own.status();
  std::map<std::string, std::vector<std::shared_ptr<const Catalogue>>> by_id;
  for (auto& c : *own) by_id[c->id()].push_back(c);
  for (const auto& [id, versions] : by_id) out.push_back(Summarize(versions));
  return out;
}

absl::StatusOr<std::shared_ptr<const Catalogue>> TenantCatalogueStore::LoadOne(
    const TenantId& tenant, const std::string& id, const std::string& version) {
  std::optional<std::string> doc;
  bool any = false;
  const absl::Status status = db_->Run([&](db::Connection& c) -> absl::Status {
    std::string wanted = version;
    if (wanted.empty()) {
      auto versions = c.Query("SELECT version FROM tenant_catalogues WHERE tenant_id=$1 AND id=$2",
                              {tenant.value(), id});
      if (!versions.ok()) return versions.status();
      for (const db::Row& row : *versions) {
        const std::string v = row.Text(0);
        if (wanted.empty() || CompareVersions(v, wanted) > 0) wanted = v;
      }
      if (wanted.empty()) return absl::OkStatus();
    }
    auto rows =
        c.Query("SELECT doc FROM tenant_catalogues WHERE tenant_id=$1 AND id=$2 AND version=$3",
                {tenant.value(), id, wanted});
    if (!rows.ok()) return rows.status();
    if (!rows->empty()) doc = (*rows)[0].Text(0);
    if (!doc) {
      auto exists = c.Query("SELECT 1 FROM tenant_catalogues WHERE tenant_id=$1 AND id=$2 LIMIT 1",
                            {tenant.value(), id});
      if (!exists.ok()) return exists.status();
      any = !exists->empty();
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!doc) {
    if (!any) return absl::NotFoundError(absl::StrCat("catalogue ", id, " not found"));
    return absl::NotFoundError(absl::StrCat("catalogue ", id, " has no version ", version));
  }
  auto catalogue = std::make_shared<Catalogue>();
  if (!google::protobuf::util::JsonStringToMessage(*doc, catalogue.get()).ok()) {
    return absl::DataLossError("a stored catalogue does not parse");
  }
  NormalizeCatalogue(*catalogue);
  return std::shared_ptr<const Catalogue>(std::move(catalogue));
}

absl::StatusOr<std::shared_ptr<const Catalogue>> TenantCatalogueStore::Get(
    const TenantId& tenant, const std::string& id, const std::string& version) {
  if (builtin_.Has(id)) return builtin_.GetBuiltin(id, version);
  if (tenant.empty()) return absl::NotFoundError(absl::StrCat("catalogue ", id, " not found"));
  return LoadOne(tenant, id, version);
}

namespace {

CatalogueAuditRecord PublicationRecord(const TenantId& tenant, const Catalogue& stored,
                                       const std::string& doc, const PublishedBy& by,
                                       int64_t now_micros) {
  CatalogueAuditRecord record;
  // Time first, as the assessment service's own entry ids, so ids sort like their entries.
  record.set_id(absl::StrCat(now_micros, "-", RandomHex(4)));
  record.set_tenant_id(tenant.value());
  record.set_time_micros(now_micros);
  record.set_actor(by.actor);
  record.set_action("catalogue.publish");
  record.set_target(absl::StrCat("catalogues/", stored.id(), "/versions/", stored.version()));
  record.set_client_address(by.client_address);
  // The version itself stays readable by its id; the entry keeps what identifies it.
  soc::maturity::catalogue::v1::PublishedCatalogue summary;
  summary.set_id(stored.id());
  summary.set_version(stored.version());
  *summary.mutable_name() = stored.name();
  summary.set_document_bytes(static_cast<int64_t>(doc.size()));
  summary.set_document_sha256(Sha256Hex(doc));
  (void)google::protobuf::util::MessageToJsonString(summary, record.mutable_after_json());
  return record;
}

}  // namespace

absl::StatusOr<Catalogue> TenantCatalogueStore::Publish(const TenantId& tenant,
                                                        const Catalogue& catalogue,
                                                        int64_t now_micros, const PublishedBy& by) {
  if (tenant.empty())
    return absl::UnauthenticatedError("publishing a catalogue needs a tenant's API key");
  const auto violations = ValidateCatalogue(catalogue);
  if (!violations.empty()) return InvalidFields(violations);
  if (builtin_.Has(catalogue.id())) {
    return absl::AlreadyExistsError(
        absl::StrCat("catalogue ", catalogue.id(), " is built in; choose another id"));
  }
  Catalogue stored = catalogue;
  NormalizeCatalogue(stored);
  stored.set_builtin(false);
  stored.clear_language();
  std::string doc;
  (void)google::protobuf::util::MessageToJsonString(stored, &doc);
  if (doc.size() > limits_.max_document_bytes) {
    return InvalidFields({Violation("", absl::StrCat("the catalogue document is ", doc.size(),
                                                     " bytes; a tenant's catalogue may have at "
                                                     "most ",
                                                     limits_.max_document_bytes))});
  }
  const absl::Status status = db_->Transaction([&](db::Connection& c) -> absl::Status {
    // Counted in the write transaction: exact on SQLite (one writer); on PostgreSQL two
    // publishers at once may both take the last place, which a bound against abuse allows.
    auto counts = c.Query(
        "SELECT COUNT(DISTINCT id), SUM(CASE WHEN id=$2 THEN 1 ELSE 0 END) FROM tenant_catalogues "
        "WHERE tenant_id=$1",
        {tenant.value(), stored.id()});
    if (!counts.ok()) return counts.status();
    const int64_t catalogues = (*counts)[0].Int(0);
    const int64_t versions = (*counts)[0].IsNull(1) ? 0 : (*counts)[0].Int(1);
    if (versions == 0 && catalogues >= limits_.max_catalogues) {
      return absl::ResourceExhaustedError(
          absl::StrCat("this tenant has ", catalogues, " catalogues, the most it may have (",
                       limits_.max_catalogues, "); publish a new version of one of them instead"));
    }
    if (versions >= limits_.max_versions) {
      return absl::ResourceExhaustedError(
          absl::StrCat("catalogue ", stored.id(), " has ", versions,
                       " versions, the most one catalogue may have (", limits_.max_versions, ")"));
    }
    SOCM_STATUS_RETURN(
        c.Exec("INSERT INTO tenant_catalogues (tenant_id, id, version, create_time, doc) VALUES "
               "($1,$2,$3,$4,$5)",
               {tenant.value(), stored.id(), stored.version(), now_micros, doc})
            .status());
    const CatalogueAuditRecord record = PublicationRecord(tenant, stored, doc, by, now_micros);
    std::string record_json;
    (void)google::protobuf::util::MessageToJsonString(record, &record_json);
    return c
        .Exec("INSERT INTO catalogue_audit_outbox (id, tenant_id, time, doc) VALUES ($1,$2,$3,$4)",
              {record.id(), tenant.value(), now_micros, record_json})
        .status();
  });
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(absl::StrCat("catalogue ", stored.id(), " version ",
                                                 stored.version(),
                                                 " is already published; versions are immutable"));
  }
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<std::vector<CatalogueAuditRecord>> TenantCatalogueStore::PendingAuditRecords(
    int limit) {
  std::vector<CatalogueAuditRecord> out;
  const absl::Status status = db_->Run([&](db::Connection& c) -> absl::Status {
    auto rows = c.Query("SELECT doc FROM catalogue_audit_outbox ORDER BY time, id LIMIT $1",
                        {static_cast<int64_t>(limit)});
    if (!rows.ok()) return rows.status();
    for (const db::Row& row : *rows) {
      CatalogueAuditRecord record;
      if (!google::protobuf::util::JsonStringToMessage(row.Text(0), &record).ok()) {
        return absl::DataLossError("a stored catalogue audit record does not parse");
      }
      out.push_back(std::move(record));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<int> TenantCatalogueStore::AcknowledgeAuditRecords(
    const std::vector<std::string>& ids) {
  int deleted = 0;
  const absl::Status status = db_->Transaction([&](db::Connection& c) -> absl::Status {
    for (const std::string& id : ids) {
      auto gone = c.Exec("DELETE FROM catalogue_audit_outbox WHERE id=$1", {id});
      if (!gone.ok()) return gone.status();
      deleted += static_cast<int>(*gone);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return deleted;
}

}  // namespace socm::catalogue
