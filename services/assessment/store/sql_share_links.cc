#include "services/assessment/store/sql_share_links.h"

#include "services/assessment/domain/portal_rules.h"
#include "services/assessment/store/sql_rows.h"
#include "services/assessment/store/sql_tenant_settings.h"

namespace socm::assessment {
namespace {

using namespace sqlrows;  // NOLINT: the shared row helpers of this folder

absl::Status AssessmentExists(Connection& c, const std::string& tenant, const std::string& org,
                              const std::string& id) {
  auto rows =
      c.Query("SELECT 1 FROM assessments WHERE tenant_id=$1 AND organization_id=$2 AND id=$3",
              {tenant, org, id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::NotFoundError(absl::StrCat("assessment ", id, " not found"));
  return absl::OkStatus();
}

absl::Status UnknownToken() { return absl::NotFoundError("this share link does not exist"); }

}  // namespace

absl::StatusOr<pb::ShareLink> SqlShareLinkStore::Create(
    const Caller& caller, const std::string& org, const std::string& assessment,
    int64_t ttl_seconds, const std::vector<std::string>& views, const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const auto violations = CheckShareLinkRequest(ttl_seconds, views);
  if (!violations.empty()) return InvalidFields(violations);
  const WriteContext ctx = Ctx(caller, write);
  pb::ShareLink link;
  link.set_id(NewId("shl_"));
  link.set_organization_id(org);
  link.set_assessment_id(assessment);
  for (const std::string& v : ShareViews(views)) link.add_views(v);
  *link.mutable_create_time() = Time(ctx.now_micros);
  const int64_t expire = ctx.now_micros + ttl_seconds * 1000000;
  *link.mutable_expire_time() = Time(expire);
  link.set_created_by(ctx.actor);
  const std::string token = absl::StrCat(kShareTokenPrefix, RandomHex(32));
  const std::string stored = ToJson(link);
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    SOCM_STATUS_RETURN(AssessmentExists(c, ctx.tenant, org, assessment));
    SOCM_STATUS_RETURN(
        c.Exec("INSERT INTO share_links (tenant_id, id, organization_id, assessment_id, "
               "token_sha256, expire_time, doc) VALUES ($1,$2,$3,$4,$5,$6,$7)",
               {ctx.tenant, link.id(), org, assessment, ShareTokenDigest(token), expire, stored})
            .status());
    return Audit(c, ctx, org, "assessment.shareLink.create", assessment, "", stored);
  }));
  link.set_token(token);
  const std::string base = absl::StrCat(public_url_, "/share/", token);
  link.set_radar_url(base + "/radar.svg");
  link.set_report_url(base + "/report");
  return link;
}

absl::StatusOr<std::vector<pb::ShareLink>> SqlShareLinkStore::List(const Caller& caller,
                                                                   const std::string& org,
                                                                   const std::string& assessment) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  std::vector<pb::ShareLink> out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    SOCM_STATUS_RETURN(AssessmentExists(c, caller.tenant.value(), org, assessment));
    auto rows = c.Query(
        "SELECT doc FROM share_links WHERE tenant_id=$1 AND assessment_id=$2 AND "
        "organization_id=$3 ORDER BY id DESC",
        {caller.tenant.value(), assessment, org});
    if (!rows.ok()) return rows.status();
    for (const db::Row& row : *rows) {
      pb::ShareLink link;
      SOCM_STATUS_RETURN(FromJson(row.Text(0), &link));
      out.push_back(std::move(link));
    }
    return absl::OkStatus();
  }));
  // Ids are random: newest first by creation time.
  std::sort(out.begin(), out.end(), [](const pb::ShareLink& a, const pb::ShareLink& b) {
    return google::protobuf::util::TimeUtil::TimestampToMicroseconds(a.create_time()) >
           google::protobuf::util::TimeUtil::TimestampToMicroseconds(b.create_time());
  });
  return out;
}

absl::Status SqlShareLinkStore::Delete(const Caller& caller, const std::string& org,
                                       const std::string& assessment, const std::string& id,
                                       const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const WriteContext ctx = Ctx(caller, write);
  return db_.Transaction([&](Connection& c) -> absl::Status {
    auto rows = c.Query(
        "SELECT doc FROM share_links WHERE tenant_id=$1 AND organization_id=$2 AND "
        "assessment_id=$3 AND id=$4",
        {ctx.tenant, org, assessment, id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::NotFoundError(absl::StrCat("share link ", id, " not found"));
    SOCM_STATUS_RETURN(
        c.Exec("DELETE FROM share_links WHERE tenant_id=$1 AND id=$2", {ctx.tenant, id}).status());
    return Audit(c, ctx, org, "assessment.shareLink.delete", assessment, rows->front().Text(0), "");
  });
}

absl::StatusOr<pb::ResolvedShareLink> SqlShareLinkStore::Resolve(const std::string& token,
                                                                 int64_t now_micros) {
  if (!IsShareToken(token)) return UnknownToken();
  pb::ResolvedShareLink out;
  bool found = false;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows =
        c.Query("SELECT tenant_id, doc FROM share_links WHERE token_sha256=$1 AND expire_time > $2",
                {ShareTokenDigest(token), now_micros});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::OkStatus();
    pb::ShareLink link;
    SOCM_STATUS_RETURN(FromJson(rows->front().Text(1), &link));
    found = true;
    out.set_tenant_id(rows->front().Text(0));
    out.set_share_link_id(link.id());
    out.set_organization_id(link.organization_id());
    out.set_assessment_id(link.assessment_id());
    *out.mutable_views() = link.views();
    auto settings = LoadTenantSettings(c, out.tenant_id());
    if (!settings.ok()) return settings.status();
    *out.mutable_allowed_origins() = settings->allowed_origins();
    return absl::OkStatus();
  }));
  if (!found) return UnknownToken();
  return out;
}

}  // namespace socm::assessment
