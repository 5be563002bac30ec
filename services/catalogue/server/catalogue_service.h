#pragma once
// The CatalogueService RPCs: the wire <-> the catalogue store and rules.
// A catalogue version never changes once published, so a localized version is
// cached forever, first in process, then in Redis (shared by the replicas).

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "services/catalogue/domain/catalogue_rules.h"
#include "services/catalogue/store/catalogue_store.h"
#include "services/catalogue/store/tenant_store.h"
#include "services/common/lru_cache.h"
#include "services/common/redis_cache.h"
#include "services/common/work_queue.h"
#include "soc/maturity/catalogue/v1/catalogue.grpc.pb.h"

namespace socm::catalogue {

class CatalogueServiceImpl final
    : public soc::maturity::catalogue::v1::CatalogueService::CallbackService {
 public:
  // `store` and `redis` must outlive the service. `memory_entries` of 0
  // turns the in-process cache off, so every lookup reaches Redis.
  // `tenant_store` (may be null: no tenant catalogues) publishes new ones.
  CatalogueServiceImpl(WorkQueue& work, CatalogueStore& store, RedisCache& redis,
                       prometheus::Registry& registry, size_t memory_entries = 256,
                       TenantCatalogueStore* tenant_store = nullptr);

  grpc::ServerUnaryReactor* ListCatalogues(
      grpc::CallbackServerContext* context,
      const soc::maturity::catalogue::v1::ListCataloguesRequest* request,
      soc::maturity::catalogue::v1::ListCataloguesResponse* response) override;
  grpc::ServerUnaryReactor* GetCatalogue(
      grpc::CallbackServerContext* context,
      const soc::maturity::catalogue::v1::GetCatalogueRequest* request,
      Catalogue* response) override;
  grpc::ServerUnaryReactor* ValidateCatalogue(
      grpc::CallbackServerContext* context,
      const soc::maturity::catalogue::v1::ValidateCatalogueRequest* request,
      soc::maturity::catalogue::v1::ValidateCatalogueResponse* response) override;
  grpc::ServerUnaryReactor* CreateCatalogue(
      grpc::CallbackServerContext* context,
      const soc::maturity::catalogue::v1::CreateCatalogueRequest* request,
      Catalogue* response) override;
  grpc::ServerUnaryReactor* TakeAuditRecords(
      grpc::CallbackServerContext* context,
      const soc::maturity::catalogue::v1::TakeAuditRecordsRequest* request,
      soc::maturity::catalogue::v1::TakeAuditRecordsResponse* response) override;
  grpc::ServerUnaryReactor* AcknowledgeAuditRecords(
      grpc::CallbackServerContext* context,
      const soc::maturity::catalogue::v1::AcknowledgeAuditRecordsRequest* request,
      soc::maturity::catalogue::v1::AcknowledgeAuditRecordsResponse* response) override;

  // The localized catalogue, through both caches.
  absl::StatusOr<std::shared_ptr<const Catalogue>> Find(const TenantId& tenant,
                                                        const std::string& id,
                                                        const std::string& version,
                                                        Language language);

 private:
  WorkQueue& work_;
  CatalogueStore& store_;
  TenantCatalogueStore* tenant_store_;
  RedisCache& redis_;
  LruCache<std::string, std::shared_ptr<const Catalogue>> memory_;
  prometheus::Counter* memory_hit_;
  prometheus::Counter* memory_miss_;
};

}  // namespace socm::catalogue
