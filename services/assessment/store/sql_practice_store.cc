#include "services/assessment/store/sql_practice_store.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/escaping.h"
#include "services/assessment/store/sql_rows.h"

namespace socm::assessment {
using namespace sqlrows;  // NOLINT(build/namespaces): the shared row helpers

namespace {

// The largest round one request may start; a bigger practice runs several campaigns.
constexpr size_t kMaxCampaignOrganizations = 5000;

// The status of an assessment in the caller's tenant and organisation, or NOT_FOUND.
absl::StatusOr<std::string> AssessmentStatus(Connection& c, const std::string& tenant,
                                             const std::string& org, const std::string& id) {
  auto rows =
      c.Query("SELECT status FROM assessments WHERE tenant_id=$1 AND organization_id=$2 AND id=$3",
              {tenant, org, id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::NotFoundError(absl::StrCat("assessment ", id, " not found"));
  return rows->front().Text(0);
}

// Every organisation the caller sees that passes `filter`, in creation order.
absl::StatusOr<std::vector<pb::Organization>> MatchingOrganizations(
    Connection& c, const Caller& caller, const OrganizationFilter& filter) {
  const std::string& tenant = caller.tenant.value();
  std::vector<db::Value> params = {tenant};
  const std::string scope = ScopeFilter(caller, "id", params);
  auto rows = c.Query(
      "SELECT doc FROM organizations WHERE tenant_id=$1" + scope + " ORDER BY create_time, id",
      params);
  if (!rows.ok()) return rows.status();
  std::vector<pb::Organization> out;
  for (const auto& row : *rows) {
    pb::Organization org;
    SOCM_STATUS_RETURN(FromJson(row.Text(0), &org));
    if (Matches(filter, org)) out.push_back(std::move(org));
  }
  return out;
}

// One page of the organisations the caller sees, in creation order, plus one more when there
// is a next page.
absl::StatusOr<std::vector<pb::Organization>> OrganizationPage(Connection& c, const Caller& caller,
                                                               Page page) {
  const std::string& tenant = caller.tenant.value();
  const int64_t limit = page.limit + 1, offset = page.offset;
  std::vector<db::Value> params = {tenant};
  const std::string scope = ScopeFilter(caller, "id", params);
  params.push_back(limit);
  params.push_back(offset);
  auto rows = c.Query(absl::StrCat("SELECT doc FROM organizations WHERE tenant_id=$1", scope,
                                   " ORDER BY create_time, id LIMIT $", params.size() - 1,
                                   " OFFSET $", params.size()),
                      params);
  if (!rows.ok()) return rows.status();
  std::vector<pb::Organization> out(rows->size());
  for (size_t i = 0; i < rows->size(); ++i)
    SOCM_STATUS_RETURN(FromJson((*rows)[i].Text(0), &out[i]));
  return out;
}

// "$first,$first+1,...": placeholders for a list of `n` parameters.
std::string Placeholders(size_t first, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&out, i == 0 ? "" : ",", "$", first + i);
  return out;
}

}  // namespace

bool Matches(const OrganizationFilter& filter, const pb::Organization& org) {
  if (!filter.ids.empty() &&
      std::find(filter.ids.begin(), filter.ids.end(), org.id()) == filter.ids.end()) {
    return false;
  }
  if (!filter.industry.empty() && org.industry() != filter.industry) return false;
  if (!filter.label_key.empty()) {
    auto it = org.labels().find(filter.label_key);
    if (it == org.labels().end() || it->second != filter.label_value) return false;
  }
  return true;
}

absl::Status SqlBlobStore::Put(const std::string& tenant, const std::string& id,
                               const std::string& organization, const std::string& assessment,
                               const std::string& bytes) {
  return db_.Transaction([&](Connection& c) -> absl::Status {
    return c
        .Exec(
            "INSERT INTO evidence_blobs (tenant_id, id, organization_id, assessment_id, content) "
            "VALUES ($1,$2,$3,$4,$5)",
            {tenant, id, organization, assessment, db::Bytes{bytes}})
        .status();
  });
}

absl::StatusOr<std::string> SqlBlobStore::Get(const std::string& tenant, const std::string& id) {
  std::string out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows =
        c.Query("SELECT content FROM evidence_blobs WHERE tenant_id=$1 AND id=$2", {tenant, id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::NotFoundError(absl::StrCat("evidence ", id, " not found"));
    out = rows->front().Text(0);
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqlBlobStore::Delete(const std::string& tenant, const std::string& id) {
  return db_.Transaction([&](Connection& c) -> absl::Status {
    return c.Exec("DELETE FROM evidence_blobs WHERE tenant_id=$1 AND id=$2", {tenant, id}).status();
  });
}

absl::StatusOr<PageOf<pb::PortfolioRow>> SqlPracticeStore::ListPortfolioRows(
    const Caller& caller, const std::string& catalogue_id, const OrganizationFilter& filter,
    Page page, bool headers_only) {
  const std::string& tenant = caller.tenant.value();
  PageOf<pb::PortfolioRow> out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    // Without a filter on what the documents hold, the database pages and only the page's
    // organisations are parsed; with one, every organisation is read and filtered here.
    const bool unfiltered =
        filter.ids.empty() && filter.industry.empty() && filter.label_key.empty();
    absl::StatusOr<std::vector<pb::Organization>> orgs =
        unfiltered ? OrganizationPage(c, caller, page) : MatchingOrganizations(c, caller, filter);
    if (!orgs.ok()) return orgs.status();
    size_t begin = std::min(orgs->size(), static_cast<size_t>(page.offset));
    size_t end = std::min(orgs->size(), begin + static_cast<size_t>(page.limit));
    out.more = end < orgs->size();
    if (unfiltered) {
      // The page holds one row past the limit when there is more.
      begin = 0;
      end = std::min(orgs->size(), static_cast<size_t>(page.limit));
      out.more = orgs->size() > static_cast<size_t>(page.limit);
    }
    if (begin == end) return absl::OkStatus();
    // The latest assessment on the catalogue of each organisation of the page, in one query.
    std::vector<db::Value> params = {tenant, catalogue_id};
    for (size_t i = begin; i < end; ++i) params.push_back((*orgs)[i].id());
    auto rows = c.Query(
        absl::StrCat("SELECT a.organization_id, ", headers_only ? "''" : "a.doc",
                     ", a.id, a.catalogue_version, a.title, a.assessed_on, a.status, a.revision "
                     "FROM assessments a WHERE a.tenant_id=$1 "
                     "AND a.catalogue_id=$2 AND a.organization_id IN (",
                     Placeholders(3, end - begin),
                     ") AND a.id = (SELECT x.id FROM assessments x WHERE x.tenant_id=a.tenant_id "
                     "AND x.organization_id=a.organization_id AND x.catalogue_id=a.catalogue_id "
                     "ORDER BY x.assessed_on DESC, x.create_time DESC, x.id DESC LIMIT 1)"),
        params);
    if (!rows.ok()) return rows.status();
    std::map<std::string, const db::Row*> latest;
    for (const auto& row : *rows) latest[row.Text(0)] = &row;
    for (size_t i = begin; i < end; ++i) {
      pb::PortfolioRow& item = out.items.emplace_back();
      *item.mutable_organization() = std::move((*orgs)[i]);
      auto it = latest.find(item.organization().id());
      if (it == latest.end()) continue;
      const db::Row& row = *it->second;
      pb::Assessment* a = item.mutable_latest_assessment();
      if (!headers_only) {
        SOCM_STATUS_RETURN(FromJson(row.Text(1), a));
        continue;
      }
      a->set_id(row.Text(2));
      a->set_organization_id(row.Text(0));
      a->set_catalogue_id(catalogue_id);
      a->set_catalogue_version(row.Text(3));
      a->set_title(row.Text(4));
      a->set_assessed_on(row.Text(5));
      pb::AssessmentStatus status = pb::DRAFT;
      pb::AssessmentStatus_Parse(row.Text(6), &status);
      a->set_status(status);
      a->set_revision(static_cast<int32_t>(row.Int(7)));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::map<std::string, pb::Assessment>> SqlPracticeStore::GetAssessments(
    const Caller& caller, const std::vector<std::string>& ids) {
  std::map<std::string, pb::Assessment> out;
  if (ids.empty()) return out;
  std::vector<db::Value> params = {caller.tenant.value()};
  for (const auto& id : ids) params.push_back(id);
  const std::string scope = ScopeFilter(caller, "organization_id", params);
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows =
        c.Query(absl::StrCat("SELECT id, doc FROM assessments WHERE tenant_id=$1 AND id IN (",
                             Placeholders(2, ids.size()), ")", scope),
                params);
    if (!rows.ok()) return rows.status();
    for (const auto& row : *rows) SOCM_STATUS_RETURN(FromJson(row.Text(1), &out[row.Text(0)]));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> SqlPracticeStore::ApprovedGeneration(const Caller& caller) {
  int64_t generation = 0;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query("SELECT generation FROM approved_generations WHERE tenant_id=$1",
                        {caller.tenant.value()});
    if (!rows.ok()) return rows.status();
    if (!rows->empty()) generation = rows->front().Int(0);
    return absl::OkStatus();
  }));
  return generation;
}

absl::StatusOr<std::vector<ApprovedRow>> SqlPracticeStore::ListApprovedScores(
    const Caller& caller, const std::string& catalogue_id, const std::string& industry) {
  std::vector<db::Value> params = {caller.tenant.value(), catalogue_id};
  std::string filters = ScopeFilter(caller, "o.id", params);
  if (!industry.empty()) {
    params.push_back(industry);
    absl::StrAppend(&filters, " AND o.industry=$", params.size());
  }
  // The latest approved one of each organisation from the index alone (assessments_approved
  // covers it: documents are large, and reading 10,000 of their rows is most of the cost), and
  // whether scores are kept for the latest one's revision. Latest as in the portfolio: newest
  // assessedOn, then newest creation, then the greater id.
  const std::string sql = absl::StrCat(
      "WITH latest AS (SELECT organization_id, id, revision, ROW_NUMBER() OVER (PARTITION BY "
      "organization_id ORDER BY assessed_on DESC, create_time DESC, id DESC) AS n "
      "FROM assessments WHERE tenant_id=$1 AND catalogue_id=$2 AND status='APPROVED') "
      "SELECT l.organization_id, l.id, l.revision, COALESCE(k.scores, ''), "
      "CASE WHEN k.scores IS NULL THEN 0 ELSE 1 END "
      "FROM latest l JOIN organizations o ON o.tenant_id=$1 AND o.id=l.organization_id "
      "LEFT JOIN approved_scores k ON k.tenant_id=$1 AND k.assessment_id=l.id "
      "AND k.revision=l.revision AND k.method=",
      kKeptScoresMethod, " WHERE l.n=1", filters, " ORDER BY o.create_time, o.id");
  std::vector<ApprovedRow> out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query(sql, params);
    if (!rows.ok()) return rows.status();
    out.reserve(rows->size());
    for (const auto& row : *rows) {
      ApprovedRow& item = out.emplace_back();
      item.stored = row.Int(4) == 1;
      if (item.stored) {
        std::string bytes;
        if (!absl::Base64Unescape(row.Text(3), &bytes) || !item.score.ParseFromString(bytes)) {
          return absl::DataLossError(
              absl::StrCat("the kept scores of assessment ", row.Text(1), " cannot be read"));
        }
      }
      item.score.set_organization_id(row.Text(0));
      item.score.set_assessment_id(row.Text(1));
      item.score.set_revision(static_cast<int32_t>(row.Int(2)));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<pb::Campaign> SqlPracticeStore::CreateCampaign(
    const Caller& caller, const pb::Campaign& campaign, const OrganizationFilter& filter,
    const pb::Assessment& templ, int total, const WriteOptions& write) {
  const WriteContext ctx = Ctx(caller, write);
  return Create<pb::Campaign>(db_, ctx, [&](Connection& c, pb::Campaign& out) -> absl::Status {
    auto orgs = MatchingOrganizations(c, caller, filter);
    if (!orgs.ok()) return orgs.status();
    // Each organisation named must be one the caller sees.
    std::vector<FieldViolation> unknown;
    for (size_t i = 0; i < filter.ids.size(); ++i) {
      OrganizationFilter only;
      only.ids = {filter.ids[i]};
      auto named = MatchingOrganizations(c, caller, only);
      if (!named.ok()) return named.status();
      if (named->empty()) {
        unknown.push_back(Violation(absl::StrCat("organizationIds[", i, "]"),
                                    absl::StrCat("organization ", filter.ids[i], " not found")));
      }
    }
    if (!unknown.empty()) return InvalidFields(unknown);
    if (orgs->empty()) {
      return absl::FailedPreconditionError(
          "no organisation matches the campaign's filters: nothing to start");
    }
    if (orgs->size() > kMaxCampaignOrganizations) {
      return InvalidFields({Violation(
          "organizationIds", absl::StrCat("a campaign holds at most ", kMaxCampaignOrganizations,
                                          " organisations; ", orgs->size(), " match"))});
    }
    SOCM_STATUS_RETURN(
        CheckQuota(c, ctx.tenant, "SELECT COUNT(*) FROM assessments WHERE tenant_id=$1",
                   quotas_.max_assessments, static_cast<int64_t>(orgs->size()), "assessments"));
    out = campaign;
    out.set_id(NewId("cmp_"));
    out.set_created_by(ctx.actor);
    *out.mutable_create_time() = Time(ctx.now_micros);
    for (const auto& org : *orgs) {
      pb::Assessment a = templ;
      a.set_organization_id(org.id());
      a.set_status(pb::DRAFT);
      SOCM_STATUS_RETURN(InsertAssessment(c, ctx, a));
      SOCM_STATUS_RETURN(c.Exec("INSERT INTO campaign_assessments (tenant_id, campaign_id, "
                                "organization_id, assessment_id) VALUES ($1,$2,$3,$4)",
                                {ctx.tenant, out.id(), org.id(), a.id()})
                             .status());
      auto* item = out.add_assessments();
      item->set_organization_id(org.id());
      item->set_assessment_id(a.id());
      item->set_status(pb::DRAFT);
      item->set_total(total);
    }
    (*out.mutable_counts())["DRAFT"] = out.assessments_size();
    (*out.mutable_counts())["SUBMITTED"] = 0;
    (*out.mutable_counts())["APPROVED"] = 0;
    const std::string doc = ToJson(out);
    SOCM_STATUS_RETURN(
        c.Exec("INSERT INTO campaigns (tenant_id, id, create_time, doc) VALUES ($1,$2,$3,$4)",
               {ctx.tenant, out.id(), ctx.now_micros, doc})
            .status());
    SOCM_STATUS_RETURN(Audit(c, ctx, "", "campaign.create", out.id(), "", doc));
    return RecordWebhookEvent(c, ctx.tenant, "campaign.created", ctx.now_micros,
                              CampaignEventData(out));
  });
}

absl::Status SqlPracticeStore::FillProgress(Connection& c, const Caller& caller,
                                            pb::Campaign& campaign) {
  auto rows = c.Query(
      "SELECT ca.assessment_id, a.status, a.answered FROM campaign_assessments ca "
      "JOIN assessments a ON a.tenant_id=ca.tenant_id AND a.id=ca.assessment_id "
      "WHERE ca.tenant_id=$1 AND ca.campaign_id=$2",
      {caller.tenant.value(), campaign.id()});
  if (!rows.ok()) return rows.status();
  std::map<std::string, std::pair<std::string, int64_t>> now;
  for (const auto& row : *rows) now[row.Text(0)] = {row.Text(1), row.Int(2)};
  std::map<std::string, int32_t> counts = {{"DRAFT", 0}, {"SUBMITTED", 0}, {"APPROVED", 0}};
  google::protobuf::RepeatedPtrField<pb::CampaignAssessment> kept;
  for (auto& item : *campaign.mutable_assessments()) {
    // Outside the caller's scope, or deleted since: not shown.
    auto it = now.find(item.assessment_id());
    if (!caller.MaySee(item.organization_id()) || it == now.end()) continue;
    pb::AssessmentStatus status = pb::DRAFT;
    pb::AssessmentStatus_Parse(it->second.first, &status);
    item.set_status(status);
    item.set_answered(static_cast<int32_t>(it->second.second));
    ++counts[pb::AssessmentStatus_Name(status)];
    *kept.Add() = std::move(item);
  }
  *campaign.mutable_assessments() = std::move(kept);
  campaign.mutable_counts()->clear();
  for (const auto& [status, n] : counts) (*campaign.mutable_counts())[status] = n;
  return absl::OkStatus();
}

absl::StatusOr<PageOf<pb::Campaign>> SqlPracticeStore::ListCampaigns(const Caller& caller,
                                                                     Page page) {
  const std::string& tenant = caller.tenant.value();
  std::vector<db::Value> params = {tenant};
  const std::string scope = ScopeFilter(caller, "ca.organization_id", params);
  auto list =
      !caller.scoped()
          ? GetPage<pb::Campaign>(db_,
                                  "SELECT doc FROM campaigns WHERE tenant_id=$1 "
                                  "ORDER BY create_time DESC, id DESC",
                                  {tenant}, page)
          : GetPage<pb::Campaign>(
                db_,
                "SELECT c.doc FROM campaigns c WHERE c.tenant_id=$1 AND EXISTS (SELECT 1 FROM "
                "campaign_assessments ca WHERE ca.tenant_id=c.tenant_id AND ca.campaign_id=c.id" +
                    scope + ") ORDER BY c.create_time DESC, c.id DESC",
                params, page);
  if (!list.ok()) return list.status();
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    for (auto& campaign : list->items) SOCM_STATUS_RETURN(FillProgress(c, caller, campaign));
    return absl::OkStatus();
  }));
  return list;
}

absl::StatusOr<pb::Campaign> SqlPracticeStore::GetCampaign(const Caller& caller,
                                                           const std::string& id) {
  auto campaign =
      GetOne<pb::Campaign>(db_, "SELECT doc FROM campaigns WHERE tenant_id=$1 AND id=$2",
                           {caller.tenant.value(), id}, "campaign " + id);
  if (!campaign.ok()) return campaign.status();
  SOCM_STATUS_RETURN(
      db_.Run([&](Connection& c) -> absl::Status { return FillProgress(c, caller, *campaign); }));
  // A caller limited to some organisations sees only campaigns that include one of them.
  if (caller.scoped() && campaign->assessments().empty()) {
    return absl::NotFoundError(absl::StrCat("campaign ", id, " not found"));
  }
  return campaign;
}

absl::StatusOr<pb::RoleComment> SqlPracticeStore::CreateComment(const Caller& caller,
                                                                const std::string& org,
                                                                const std::string& assessment,
                                                                const pb::RoleComment& comment,
                                                                const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const WriteContext ctx = Ctx(caller, write);
  return Create<pb::RoleComment>(
      db_, ctx, [&](Connection& c, pb::RoleComment& out) -> absl::Status {
        SOCM_STATUS_RETURN(AssessmentStatus(c, ctx.tenant, org, assessment).status());
        out = comment;
        out.set_id(NewId("cm_"));
        out.set_author(ctx.actor);
        *out.mutable_create_time() = Time(ctx.now_micros);
        const std::string doc = ToJson(out);
        SOCM_STATUS_RETURN(
            c.Exec("INSERT INTO role_comments (tenant_id, id, organization_id, assessment_id, "
                   "role_code, create_time, doc) VALUES ($1,$2,$3,$4,$5,$6,$7)",
                   {ctx.tenant, out.id(), org, assessment, out.role_code(), ctx.now_micros, doc})
                .status());
        return Audit(c, ctx, org, "assessment.comment.create", assessment, "", doc);
      });
}

absl::StatusOr<PageOf<pb::RoleComment>> SqlPracticeStore::ListComments(
    const Caller& caller, const std::string& org, const std::string& assessment,
    const std::string& role, Page page) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const std::string& tenant = caller.tenant.value();
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    return AssessmentStatus(c, tenant, org, assessment).status();
  }));
  if (role.empty()) {
    return GetPage<pb::RoleComment>(db_,
                                    "SELECT doc FROM role_comments WHERE tenant_id=$1 AND "
                                    "organization_id=$2 AND assessment_id=$3 "
                                    "ORDER BY create_time, id",
                                    {tenant, org, assessment}, page);
  }
  return GetPage<pb::RoleComment>(db_,
                                  "SELECT doc FROM role_comments WHERE tenant_id=$1 AND "
                                  "organization_id=$2 AND assessment_id=$3 AND role_code=$4 "
                                  "ORDER BY create_time, id",
                                  {tenant, org, assessment, role}, page);
}

absl::StatusOr<pb::Evidence> SqlPracticeStore::AddEvidence(
    const Caller& caller, const std::string& org, const std::string& assessment,
    const pb::Evidence& evidence, const std::string& content, const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const WriteContext ctx = Ctx(caller, write);
  auto approved = [](const std::string& status) -> absl::Status {
    if (status != "APPROVED") return absl::OkStatus();
    return absl::FailedPreconditionError("the assessment is APPROVED; reopen it to add evidence");
  };
  // Checked before the bytes are stored, and again in the transaction that lists them.
  // PostgreSQL's SUM of a BIGINT is NUMERIC: cast back, the same on both engines.
  constexpr char kStoredBytes[] =
      "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM evidence WHERE tenant_id=$1";
  const auto size = static_cast<int64_t>(content.size());
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto status = AssessmentStatus(c, ctx.tenant, org, assessment);
    if (!status.ok()) return status.status();
    SOCM_STATUS_RETURN(approved(*status));
    // Before the bytes are stored; checked again in the transaction that lists them.
    return CheckQuota(c, ctx.tenant, kStoredBytes, quotas_.max_evidence_bytes, size,
                      "bytes of evidence");
  }));
  pb::Evidence out = evidence;
  out.set_id(NewId("ev_"));
  out.set_author(ctx.actor);
  out.set_size(static_cast<int64_t>(content.size()));
  *out.mutable_create_time() = Time(ctx.now_micros);
  SOCM_STATUS_RETURN(blobs_.Put(ctx.tenant, out.id(), org, assessment, content));
  const absl::Status status = db_.Transaction([&](Connection& c) -> absl::Status {
    auto current = AssessmentStatus(c, ctx.tenant, org, assessment);
    if (!current.ok()) return current.status();
    SOCM_STATUS_RETURN(approved(*current));
    SOCM_STATUS_RETURN(CheckQuota(c, ctx.tenant, kStoredBytes, quotas_.max_evidence_bytes, size,
                                  "bytes of evidence"));
    const std::string doc = ToJson(out);
    SOCM_STATUS_RETURN(
        c.Exec("INSERT INTO evidence (tenant_id, id, organization_id, assessment_id, role_code, "
               "create_time, size_bytes, doc) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
               {ctx.tenant, out.id(), org, assessment, out.role_code(), ctx.now_micros, size, doc})
            .status());
    return Audit(c, ctx, org, "assessment.evidence.add", assessment, "", doc);
  });
  if (!status.ok()) {
    // Bytes nobody lists are removed; if that fails too they stay unreachable, never shown.
    (void)blobs_.Delete(ctx.tenant, out.id());
    return status;
  }
  return out;
}

absl::StatusOr<std::vector<pb::Evidence>> SqlPracticeStore::ListEvidence(
    const Caller& caller, const std::string& org, const std::string& assessment,
    const std::string& role) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const std::string& tenant = caller.tenant.value();
  std::vector<pb::Evidence> out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    SOCM_STATUS_RETURN(AssessmentStatus(c, tenant, org, assessment).status());
    auto rows = role.empty()
                    ? c.Query(
                          "SELECT doc FROM evidence WHERE tenant_id=$1 AND organization_id=$2 "
                          "AND assessment_id=$3 ORDER BY create_time, id",
                          {tenant, org, assessment})
                    : c.Query(
                          "SELECT doc FROM evidence WHERE tenant_id=$1 AND organization_id=$2 "
                          "AND assessment_id=$3 AND role_code=$4 ORDER BY create_time, id",
                          {tenant, org, assessment, role});
    if (!rows.ok()) return rows.status();
    for (const auto& row : *rows) SOCM_STATUS_RETURN(FromJson(row.Text(0), &out.emplace_back()));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::pair<pb::Evidence, std::string>> SqlPracticeStore::GetEvidence(
    const Caller& caller, const std::string& org, const std::string& assessment,
    const std::string& role, const std::string& id) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const std::string& tenant = caller.tenant.value();
  auto record = GetOne<pb::Evidence>(
      db_,
      "SELECT doc FROM evidence WHERE tenant_id=$1 AND organization_id=$2 AND assessment_id=$3 "
      "AND role_code=$4 AND id=$5",
      {tenant, org, assessment, role, id}, "evidence " + id);
  if (!record.ok()) return record.status();
  auto bytes = blobs_.Get(tenant, id);
  if (!bytes.ok()) return bytes.status();
  return std::make_pair(std::move(*record), std::move(*bytes));
}

absl::Status SqlPracticeStore::DeleteEvidence(const Caller& caller, const std::string& org,
                                              const std::string& assessment,
                                              const std::string& role, const std::string& id,
                                              const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const WriteContext ctx = Ctx(caller, write);
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    auto status = AssessmentStatus(c, ctx.tenant, org, assessment);
    if (!status.ok()) return status.status();
    if (*status != "DRAFT") {
      return absl::FailedPreconditionError(
          absl::StrCat("the assessment is ", *status, "; evidence is removed only from a draft"));
    }
    auto rows = c.Query(
        "SELECT doc FROM evidence WHERE tenant_id=$1 AND organization_id=$2 AND "
        "assessment_id=$3 AND role_code=$4 AND id=$5",
        {ctx.tenant, org, assessment, role, id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::NotFoundError(absl::StrCat("evidence ", id, " not found"));
    SOCM_STATUS_RETURN(
        c.Exec("DELETE FROM evidence WHERE tenant_id=$1 AND id=$2", {ctx.tenant, id}).status());
    return Audit(c, ctx, org, "assessment.evidence.delete", assessment, rows->front().Text(0), "");
  }));
  return blobs_.Delete(ctx.tenant, id);
}

}  // namespace socm::assessment
