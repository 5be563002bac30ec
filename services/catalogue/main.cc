// The catalogue service: serves the maturity models (functions, roles, level
// texts, narratives) in Japanese and English.
#include <iostream>
#include <vector>

#include "absl/time/clock.h"
#include "services/catalogue/server/catalogue_service.h"
#include "services/catalogue/store/builtin_store.h"
#include "services/common/caller_metadata.h"
#include "services/common/config.h"
#include "services/common/log.h"
#include "services/common/redis_settings.h"
#include "services/common/runtime.h"
#include "services/common/service_host.h"
#include "services/common/suite_tls.h"

#ifndef SOCM_DEFAULT_CATALOGUE_DIR
#define SOCM_DEFAULT_CATALOGUE_DIR "services/catalogue/data"
#endif

int main(int argc, char** argv) {
  socm::BlockTerminationSignals();
  socm::PrepareRuntime();
  socm::SetLogService("catalogue");
  socm::Config config(argc, argv);
  socm::ServiceHostOptions options = socm::ReadHostOptions(config, "catalogue", 7101, 9101);
  socm::ReadWorkQueueOptions(config, options);
  options.health_names = {"soc.maturity.catalogue.v1.CatalogueService"};
  const std::string data_dir = config.String("catalogue-dir", SOCM_DEFAULT_CATALOGUE_DIR);
  // Models loaded without a new image (on Kubernetes, a ConfigMap): new versions only.
  const std::string extra_dir = config.String("catalogue-extra-dir", "");
  socm::RedisSettings redis_settings = socm::ReadRedisSettings(config);
  redis_settings.options.command_timeout = config.Millis("redis-timeout-ms", 50);
  const std::string database_url = config.String("database-url", "sqlite:var/data/catalogue.db");
  const auto memory_entries =
      static_cast<size_t>(config.Int("memory-cache-entries", 256, 0, 100000));
  socm::catalogue::TenantCatalogueLimits limits;
  limits.max_catalogues =
      static_cast<int>(config.Int("max-catalogues-per-tenant", limits.max_catalogues, 1, 100000));
  limits.max_versions =
      static_cast<int>(config.Int("max-versions-per-catalogue", limits.max_versions, 1, 100000));
  limits.max_document_bytes = static_cast<size_t>(config.Int(
      "max-catalogue-bytes", static_cast<int64_t>(limits.max_document_bytes), 1024, 16 << 20));
  const std::string principal_public_key_file = config.String("principal-public-key-file", "");
  const socm::SuiteTlsSettings tls = socm::ReadSuiteTlsSettings(config);
  if (!socm::FinishConfig(config)) return 2;
  if (!socm::InstallPrincipalVerifierOrLog(principal_public_key_file)) return 2;
  if (!socm::InstallSuiteTlsOrLog(tls)) return 2;
  if (!socm::LoadRedisSecretsOrLog(redis_settings)) return 2;

  std::vector<std::string> dirs{data_dir};
  if (!extra_dir.empty()) dirs.push_back(extra_dir);
  auto store = socm::catalogue::BuiltinCatalogueStore::Load(dirs);
  if (!store.ok()) {
    socm::Log(socm::LogLevel::kError, "cannot load catalogues",
              {{"error", std::string(store.status().message())}});
    return 2;
  }
  auto database = socm::db::Database::Open(database_url, {});
  if (!database.ok()) {
    socm::Log(socm::LogLevel::kError, "cannot open the database",
              {{"error", std::string(database.status().message())}});
    return 2;
  }
  auto tenant_store = socm::catalogue::TenantCatalogueStore::Open(
      **store, std::move(*database), absl::ToUnixMicros(absl::Now()), limits);
  if (!tenant_store.ok()) {
    socm::Log(socm::LogLevel::kError, "cannot open the catalogue database",
              {{"error", std::string(tenant_store.status().message())}});
    return 2;
  }
  socm::ServiceHost host(options);
  socm::RedisCache redis(redis_settings.options, host.registry(), "catalogue_redis");
  if (!socm::CheckRedisAtStart(redis)) return 2;
  socm::catalogue::CatalogueServiceImpl service(host.work(), **tenant_store, redis, host.registry(),
                                                memory_entries, tenant_store->get());
  host.AddService(&service);
  return host.Run();
}
