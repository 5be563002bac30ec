#include "services/catalogue/server/catalogue_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/cache_metrics.h"
#include "services/common/caller_metadata.h"
#include "services/common/grpc_status.h"
#include "services/common/status.h"

namespace socm::catalogue {
namespace {

namespace pb = soc::maturity::catalogue::v1;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

const char* LanguageKey(Language language) {
  switch (language) {
    case Language::kJa:
      return "ja";
    case Language::kEn:
      return "en";
    case Language::kBoth:
      break;
  }
  return "both";
}

}  // namespace

CatalogueServiceImpl::CatalogueServiceImpl(WorkQueue& work, CatalogueStore& store,
                                           RedisCache& redis, prometheus::Registry& registry,
                                           size_t memory_entries,
                                           TenantCatalogueStore* tenant_store)
    : work_(work),
      store_(store),
      tenant_store_(tenant_store),
      redis_(redis),
      memory_(memory_entries) {
  const CacheCounters counters = CacheCountersFor(registry, "catalogue_memory");
  memory_hit_ = counters.hit;
  memory_miss_ = counters.miss;
}

absl::StatusOr<std::shared_ptr<const Catalogue>> CatalogueServiceImpl::Find(
    const TenantId& tenant, const std::string& id, const std::string& version, Language language) {
  // The store resolves "latest" first: the cache key must name a real version,
  // since a tenant may publish a newer one at any time.
  auto stored = store_.Get(tenant, id, version);
  if (!stored.ok()) return stored.status();
  const Catalogue& source = **stored;
  const std::string owner = source.builtin() ? "builtin" : absl::StrCat("t:", tenant.value());
  // "catalogue2": entries written before catalogues had a scale are never read back.
  const std::string key = absl::StrCat(owner, ":catalogue2:", source.id(), ":", source.version(),
                                       ":", LanguageKey(language));
  if (auto hit = memory_.Get(key)) {
    memory_hit_->Increment();
    return *hit;
  }
  memory_miss_->Increment();
  if (auto bytes = redis_.Get(key)) {
    auto cached = std::make_shared<Catalogue>();
    if (cached->ParseFromString(*bytes)) {
      std::shared_ptr<const Catalogue> value = std::move(cached);
      memory_.Put(key, value);
      return value;
    }
  }
  auto localized = std::make_shared<const Catalogue>(Localize(source, language));
  // A day, not forever: a redeploy may ship a corrected file under the same version.
  redis_.Set(key, localized->SerializeAsString(), std::chrono::hours(24));
  memory_.Put(key, localized);
  return localized;
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::ListCatalogues(
    grpc::CallbackServerContext* context, const pb::ListCataloguesRequest* request,
    pb::ListCataloguesResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    auto language = ParseLanguage(request->lang());
    if (!language.ok()) return language.status();
    if (request->page_size() < 0 || request->page_size() > kMaxPageSize) {
      return InvalidFields({Violation("pageSize", "must be 0..500")});
    }
    const int page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
    size_t offset = 0;
    if (!request->page_token().empty() && !absl::SimpleAtoi(request->page_token(), &offset)) {
      return InvalidFields({Violation("pageToken", "not a token from this list")});
    }
    auto list = store_.List(authorized->tenant);
    if (!list.ok()) return list.status();
    for (size_t i = offset; i < list->size() && i < offset + page_size; ++i) {
      pb::CatalogueSummary* summary = response->add_catalogues();
      *summary = (*list)[i];
      if (*language == Language::kJa) summary->mutable_name()->clear_en();
      if (*language == Language::kEn) summary->mutable_name()->clear_ja();
    }
    if (offset + page_size < list->size())
      response->set_next_page_token(absl::StrCat(offset + page_size));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::GetCatalogue(grpc::CallbackServerContext* context,
                                                             const pb::GetCatalogueRequest* request,
                                                             Catalogue* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    std::vector<FieldViolation> violations;
    if (request->catalogue_id().empty()) violations.push_back(Violation("catalogueId", "required"));
    if (!request->version().empty() && !IsVersion(request->version())) {
      violations.push_back(Violation("version", "must be dotted numbers such as 2.1"));
    }
    auto language = ParseLanguage(request->lang());
    if (!language.ok()) violations.push_back(Violation("lang", "must be ja or en"));
    if (!violations.empty()) return InvalidFields(violations);

    auto found = Find(authorized->tenant, request->catalogue_id(), request->version(), *language);
    if (!found.ok()) return found.status();
    if (!request->known_version().empty() && (*found)->version() == request->known_version()) {
      response->set_id((*found)->id());
      response->set_version((*found)->version());
      return absl::OkStatus();
    }
    *response = **found;
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::ValidateCatalogue(
    grpc::CallbackServerContext* context, const pb::ValidateCatalogueRequest* request,
    pb::ValidateCatalogueResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    for (const FieldViolation& v : catalogue::ValidateCatalogue(request->catalogue())) {
      FieldViolation* out = response->add_violations();
      *out = v;
      out->set_field("catalogue." + v.field());
    }
    response->set_valid(response->violations().empty());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::CreateCatalogue(
    grpc::CallbackServerContext* context, const pb::CreateCatalogueRequest* request,
    Catalogue* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kTenantAdmin);
    if (!authorized.ok()) return authorized.status();
    if (tenant_store_ == nullptr) {
      return absl::FailedPreconditionError(
          "this catalogue service has no database for tenant catalogues");
    }
    const int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const Caller& caller = *authorized;
    auto published = tenant_store_->Publish(caller.tenant, request->catalogue(), now,
                                            {caller.principal, caller.client_address});
    if (!published.ok()) return published.status();
    *response = std::move(*published);
    return absl::OkStatus();
  });
}

namespace {

// The audit records are the assessment service's to take: its own principal token, never one
// the gateway signed for a person or for itself.
absl::Status ForTheAssessmentService(const Caller& caller, const TenantCatalogueStore* store) {
  if (caller.role != Role::kService || caller.principal != kAssessmentServicePrincipal) {
    return absl::PermissionDeniedError("audit records are for the assessment service alone");
  }
  if (store == nullptr) {
    return absl::FailedPreconditionError("this catalogue service has no database");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* CatalogueServiceImpl::TakeAuditRecords(
    grpc::CallbackServerContext* context, const pb::TakeAuditRecordsRequest* request,
    pb::TakeAuditRecordsResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kService);
    if (!authorized.ok()) return authorized.status();
    const absl::Status allowed = ForTheAssessmentService(*authorized, tenant_store_);
    if (!allowed.ok()) return allowed;
    if (request->limit() < 1 || request->limit() > 1000) {
      return InvalidFields({Violation("limit", "must be 1..1000")});
    }
    auto records = tenant_store_->PendingAuditRecords(request->limit());
    if (!records.ok()) return records.status();
    for (auto& record : *records) *response->add_records() = std::move(record);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CatalogueServiceImpl::AcknowledgeAuditRecords(
    grpc::CallbackServerContext* context, const pb::AcknowledgeAuditRecordsRequest* request,
    pb::AcknowledgeAuditRecordsResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kService);
    if (!authorized.ok()) return authorized.status();
    const absl::Status allowed = ForTheAssessmentService(*authorized, tenant_store_);
    if (!allowed.ok()) return allowed;
    if (request->ids_size() > 1000) {
      return InvalidFields({Violation("ids", "at most 1000")});
    }
    auto acknowledged = tenant_store_->AcknowledgeAuditRecords(
        std::vector<std::string>(request->ids().begin(), request->ids().end()));
    if (!acknowledged.ok()) return acknowledged.status();
    response->set_acknowledged(*acknowledged);
    return absl::OkStatus();
  });
}

}  // namespace socm::catalogue
