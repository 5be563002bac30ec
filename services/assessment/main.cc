// The assessment service: the system of record for tenants, API keys,
// organisations, assessments, answers and the audit log.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/assessment/server/approved_score_service.h"
#include "services/assessment/server/assessment_service.h"
#include "services/assessment/server/audit_sealer.h"
#include "services/assessment/server/identity_service.h"
#include "services/assessment/server/practice_service.h"
#include "services/assessment/server/webhook_dispatcher.h"
#include "services/assessment/store/sql_assessment_store.h"
#include "services/assessment/store/sql_audit_chain.h"
#include "services/assessment/store/sql_practice_store.h"
#include "services/common/caller_metadata.h"
#include "services/common/config.h"
#include "services/common/log.h"
#include "services/common/redis_settings.h"
#include "services/common/runtime.h"
#include "services/common/secret_file.h"
#include "services/common/service_host.h"
#include "services/common/signed_value.h"
#include "services/common/suite_tls.h"

int main(int argc, char** argv) {
  socm::BlockTerminationSignals();
  socm::PrepareRuntime();
  socm::SetLogService("assessment");
  socm::Config config(argc, argv);
  socm::ServiceHostOptions options = socm::ReadHostOptions(config, "assessment", 7102, 9102);
  socm::ReadWorkQueueOptions(config, options);
  options.health_names = {"soc.maturity.assessment.v1.AssessmentService",
                          "soc.maturity.assessment.v1.PracticeService",
                          "soc.maturity.assessment.v1.IdentityService"};
  // An evidence file of up to 10 MiB (the gateway's limit for its route; workbooks take 5) and
  // its envelope.
  options.max_receive_message_bytes = 11 << 20;
  // sqlite:PATH (the embedded default) or postgres://user@host:port/db
  const std::string database_url = config.String("database-url", "sqlite:var/data/assessment.db");
  socm::db::DatabaseOptions db_options;
  // A connection for each worker thread (work_queue.h), so that no worker waits for one, and
  // four more for what reads outside the workers: GetAssessment on gRPC's thread, the webhook
  // dispatcher, the audit sealer and the catalogue audit pull.
  db_options.pool_size =
      static_cast<int>(config.Int("database-pool", options.work.threads + 4, 1, 1024));
  db_options.timeout_ms = static_cast<int>(config.Int("database-timeout-ms", 5000, 100, 600000));
  const std::string catalogue_addr = config.String("catalogue-addr", "127.0.0.1:7101");
  socm::assessment::TenantQuotas quotas;
  quotas.max_organizations =
      config.Int("max-organizations-per-tenant", quotas.max_organizations, 1, int64_t{1} << 40);
  quotas.max_assessments =
      config.Int("max-assessments-per-tenant", quotas.max_assessments, 1, int64_t{1} << 40);
  quotas.max_evidence_bytes =
      config.Int("max-evidence-bytes-per-tenant", quotas.max_evidence_bytes, 1, int64_t{1} << 50);
  // The key that signs the audit chain's seals: kept outside the database (a file or a
  // mounted Secret), so that someone with the database alone cannot re-seal an edited log.
  const std::string audit_key_file = config.String("audit-key-file", "");
  // Keys the audit key replaced (comma-separated files): the seals they made still verify.
  const std::string retired_key_files = config.String("audit-retired-key-files", "");
  // Where the public reaches the gateway ("https://maturity.example.com"): share links' URLs
  // begin with it; empty gives paths.
  std::string public_url = config.String("public-url", "");
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  const int seal_interval_ms =
      static_cast<int>(config.Int("audit-seal-interval-ms", 2000, 50, 3600 * 1000));
  // Webhooks: this process delivers the outbox unless told not to (several replicas may on
  // PostgreSQL; on SQLite keep one). Private and loopback destinations only for development
  // and tests (SOCM_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true).
  const bool webhook_dispatch = config.Bool("webhook-dispatch", true);
  // An identity provider inside the operator's own network (http, a private address literal);
  // the gateway, which fetches from it, has the matching switch.
  const bool allow_private_issuers = config.Bool("allow-private-issuers", false);
  socm::assessment::SessionLimits session_limits;
  session_limits.idle_micros =
      config.Int("session-idle-minutes", 30, 1, 24 * 60) * 60 * int64_t{1000000};
  session_limits.absolute_micros =
      config.Int("session-max-hours", 12, 1, 24 * 30) * 3600 * int64_t{1000000};
  socm::assessment::WebhookSenderOptions sender_options;
  sender_options.allow_private = config.Bool("webhook-allow-private-networks", false);
  socm::assessment::WebhookDispatcherOptions dispatch_options;
  dispatch_options.workers = static_cast<int>(config.Int("webhook-workers", 8, 1, 64));
  dispatch_options.poll_ms = static_cast<int>(config.Int("webhook-poll-ms", 100, 10, 60000));
  dispatch_options.retry_base_ms =
      config.Int("webhook-retry-base-ms", 5000, 10, int64_t{3600} * 1000);
  const std::string principal_public_key_file = config.String("principal-public-key-file", "");
  const socm::SuiteTlsSettings tls = socm::ReadSuiteTlsSettings(config);
  const std::string principal_key_file = config.String("principal-key-file", "");
  // The revision board (revision_board.h): every replica must name the same Redis and the
  // same --cache-key-file as the gateway's and scoring's, or none does.
  socm::RedisSettings redis_settings = socm::ReadRedisSettings(config);
  if (!socm::FinishConfig(config)) return 2;
  if (!socm::LoadRedisSecretsOrLog(redis_settings)) return 2;
  if (!socm::InstallPrincipalVerifierOrLog(principal_public_key_file)) return 2;
  if (!socm::InstallSuiteTlsOrLog(tls)) return 2;
  std::shared_ptr<socm::PrincipalSigner> signer =
      socm::LoadPrincipalSignerOrLog(principal_key_file);
  if (signer == nullptr) return 2;
  std::string audit_key;
  if (!audit_key_file.empty()) {
    if (absl::Status s = socm::ReadSecretFile("audit-key-file", audit_key_file, &audit_key);
        !s.ok() || audit_key.size() < socm::kMinSigningKeyBytes) {
      socm::Log(socm::LogLevel::kError, "cannot start",
                {{"error", s.ok() ? "audit-key-file: the key must be at least 32 bytes"
                                  : std::string(s.message())}});
      return 2;
    }
  } else if (!retired_key_files.empty()) {
    socm::Log(socm::LogLevel::kError, "cannot start",
              {{"error", "audit-retired-key-files needs an audit-key-file to seal with"}});
    return 2;
  } else {
    socm::Log(socm::LogLevel::kWarn,
              "no --audit-key-file: the audit chain's seals are unsigned, so an edit made "
              "with database access and the links recomputed would not show");
  }

  auto database = socm::db::Database::Open(database_url, db_options);
  if (!database.ok()) {
    socm::Log(socm::LogLevel::kError, "cannot open the database",
              {{"error", std::string(database.status().message())}});
    return 2;
  }
  auto store = socm::assessment::SqlAssessmentStore::Open(std::move(*database));
  if (!store.ok()) {
    socm::Log(socm::LogLevel::kError, "cannot migrate the database",
              {{"error", std::string(store.status().message())}});
    return 2;
  }
  (*store)->set_quotas(quotas);
  const auto catalogue_channel =
      grpc::CreateChannel(catalogue_addr, socm::SuiteChannelCredentials());
  socm::CatalogueClient catalogues(catalogue_channel);
  socm::ServiceHost host(options);
  // A write waits for its hold rather than being refused for a slow or briefly failing Redis:
  // a longer command timeout than a cache's, and no pause after a failure.
  socm::RedisOptions board_options = redis_settings.options;
  board_options.command_timeout =
      std::max(board_options.command_timeout, std::chrono::milliseconds(1000));
  board_options.retry_after = std::chrono::milliseconds(0);
  socm::RedisCache redis(board_options, host.registry(), "revision_board");
  if (!socm::CheckRedisAtStart(redis)) return 2;
  socm::RevisionBoard board(redis);
  (*store)->set_revision_board(&board);
  socm::assessment::AssessmentServiceImpl service(host.work(), **store, catalogues);
  service.set_revision_board(&board);
  std::vector<std::string> retired_keys;
  for (absl::string_view file : absl::StrSplit(retired_key_files, ',', absl::SkipEmpty())) {
    std::string key;
    if (absl::Status s = socm::ReadSecretFile("audit-retired-key-files", std::string(file), &key);
        !s.ok() || key.size() < socm::kMinSigningKeyBytes) {
      socm::Log(socm::LogLevel::kError, "cannot start",
                {{"error", s.ok() ? absl::StrCat("audit-retired-key-files: ", file,
                                                 " holds fewer than 32 bytes")
                                  : std::string(s.message())}});
      return 2;
    }
    retired_keys.push_back(std::move(key));
  }
  socm::assessment::AuditSigner audit_signer(audit_key, std::move(retired_keys));
  socm::assessment::SqlAuditChain audit_chain((*store)->database(), audit_signer);
  service.set_audit_chain(&audit_chain);
  host.AddService(&service);
  socm::assessment::SqlBlobStore blobs((*store)->database());
  socm::assessment::SqlPracticeStore practice_store((*store)->database(), blobs, quotas);
  socm::assessment::PracticeServiceImpl practice(host.work(), **store, practice_store, catalogues);
  socm::assessment::SqlShareLinkStore share_links((*store)->database(), public_url);
  socm::assessment::SqlTenantSettingsStore tenant_settings((*store)->database());
  practice.set_portal(&share_links, &tenant_settings);
  socm::assessment::SqlWebhookStore webhooks((*store)->database(), sender_options.allow_private);
  practice.set_webhooks(&webhooks);
  host.AddService(&practice);
  socm::assessment::ApprovedScoreServiceImpl approved_scores(host.work(), **store, practice_store,
                                                             catalogues);
  host.AddService(&approved_scores);
  socm::assessment::SqlIdentityProviderStore providers((*store)->database(), allow_private_issuers);
  socm::assessment::SqlPeopleStore people((*store)->database());
  socm::assessment::SqlSignInStore sign_in((*store)->database());
  socm::assessment::IdentityServiceImpl identity(host.work(), providers, people, sign_in,
                                                 session_limits);
  host.AddService(&identity);
  // Catalogue publications reach the tenant's audit log through this service's sealer.
  socm::assessment::CatalogueAuditPull catalogue_audit(catalogue_channel, *signer, audit_chain,
                                                       host.registry());
  socm::assessment::AuditSealer sealer(audit_chain, seal_interval_ms, host.registry(),
                                       &catalogue_audit);
  sealer.Start();
  socm::assessment::WebhookSender::InitGlobal();
  socm::assessment::WebhookSender sender(sender_options);
  socm::assessment::WebhookDispatcher dispatcher(webhooks, sender, dispatch_options,
                                                 host.registry());
  if (webhook_dispatch) dispatcher.Start();
  const int code = host.Run();
  dispatcher.Stop();
  sealer.Stop();
  return code;
}
