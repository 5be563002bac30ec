// The assessment store's schema. Append a migration to change it; never edit
// one that has shipped.
#include "absl/strings/str_cat.h"
#include "services/assessment/store/sql_assessment_store.h"

namespace socm::assessment {

namespace {

// Migration 7 on both engines, but for the organisations' industry, read out of their documents.
constexpr char kStoredScores[] = R"sql(
CREATE TABLE approved_scores (
  tenant_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  scores TEXT NOT NULL,
  method BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, assessment_id));
-- Covers the benchmark's reading of the latest approved assessments: no document page read.
CREATE INDEX assessments_approved ON assessments
  (tenant_id, catalogue_id, status, organization_id, assessed_on, create_time, id, revision);
ALTER TABLE organizations ADD COLUMN industry TEXT NOT NULL DEFAULT '';
)sql";

// SQLite's triggers cannot share a function, so each repeats the move: `row` is NEW or OLD.
std::string SqliteGenerationTrigger(const std::string& name, const std::string& event,
                                    const std::string& when, const std::string& row) {
  return absl::StrCat("CREATE TRIGGER ", name, " AFTER ", event, when.empty() ? "" : " WHEN ", when,
                      "\nBEGIN\n  INSERT OR IGNORE INTO approved_generations (tenant_id, "
                      "generation) VALUES (",
                      row,
                      ".tenant_id, 0);\n  UPDATE approved_generations "
                      "SET generation = random() WHERE tenant_id = ",
                      row, ".tenant_id;\nEND;\n");
}

std::string ApprovedGenerationsSqlite() {
  return absl::StrCat(
      "CREATE TABLE approved_generations (\n  tenant_id TEXT PRIMARY KEY,\n  generation BIGINT "
      "NOT NULL);\n",
      SqliteGenerationTrigger("approved_generation_assessment_insert", "INSERT ON assessments",
                              "NEW.status = 'APPROVED'", "NEW"),
      SqliteGenerationTrigger("approved_generation_assessment_update", "UPDATE ON assessments",
                              "OLD.status = 'APPROVED' OR NEW.status = 'APPROVED'", "NEW"),
      SqliteGenerationTrigger("approved_generation_assessment_delete", "DELETE ON assessments",
                              "OLD.status = 'APPROVED'", "OLD"),
      SqliteGenerationTrigger("approved_generation_organization_update", "UPDATE ON organizations",
                              "", "NEW"),
      SqliteGenerationTrigger("approved_generation_organization_delete", "DELETE ON organizations",
                              "", "OLD"));
}

constexpr char kApprovedGenerationsPostgres[] = R"sql(
CREATE TABLE approved_generations (
  tenant_id TEXT PRIMARY KEY,
  generation BIGINT NOT NULL);
CREATE FUNCTION move_approved_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tenant TEXT;
BEGIN
  IF TG_OP = 'DELETE' THEN tenant := OLD.tenant_id; ELSE tenant := NEW.tenant_id; END IF;
  INSERT INTO approved_generations (tenant_id, generation)
    VALUES (tenant, (random() * 9.2e18)::BIGINT)
    ON CONFLICT (tenant_id) DO UPDATE SET generation = excluded.generation;
  RETURN NULL;
END $$;
CREATE TRIGGER approved_generation_assessment_insert AFTER INSERT ON assessments
  FOR EACH ROW WHEN (NEW.status = 'APPROVED') EXECUTE FUNCTION move_approved_generation();
CREATE TRIGGER approved_generation_assessment_update AFTER UPDATE ON assessments
  FOR EACH ROW WHEN (OLD.status = 'APPROVED' OR NEW.status = 'APPROVED')
  EXECUTE FUNCTION move_approved_generation();
CREATE TRIGGER approved_generation_assessment_delete AFTER DELETE ON assessments
  FOR EACH ROW WHEN (OLD.status = 'APPROVED') EXECUTE FUNCTION move_approved_generation();
CREATE TRIGGER approved_generation_organization_change AFTER UPDATE OR DELETE ON organizations
  FOR EACH ROW EXECUTE FUNCTION move_approved_generation();
)sql";

}  // namespace

const std::vector<db::Migration>& AssessmentMigrations() {
  static const std::vector<db::Migration> migrations = {
      {1, "system of record",
       R"sql(
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  create_time BIGINT NOT NULL,
  doc TEXT NOT NULL);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  key_hash TEXT NOT NULL UNIQUE,
  organization_id TEXT NOT NULL DEFAULT '',
  revoked BIGINT NOT NULL DEFAULT 0,
  create_time BIGINT NOT NULL,
  doc TEXT NOT NULL);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, create_time);
CREATE TABLE organizations (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE TABLE assessments (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessed_on TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id));
CREATE INDEX assessments_by_org ON assessments (tenant_id, organization_id, assessed_on, create_time);
CREATE TABLE audit_log (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  time BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE INDEX audit_log_by_org ON audit_log (tenant_id, organization_id, time);
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  response TEXT NOT NULL,
  PRIMARY KEY (scope, key));
)sql",
       ""},
      // The practice across customers: campaigns, comments and evidence per role, and the
      // columns the portfolio and a campaign's progress read without parsing documents.
      {2, "practice",
       R"sql(
CREATE TABLE campaigns (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE TABLE campaign_assessments (
  tenant_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, assessment_id));
CREATE TABLE role_comments (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  role_code TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE INDEX role_comments_by_role ON role_comments (tenant_id, assessment_id, role_code, create_time);
CREATE TABLE evidence (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  role_code TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  size_bytes BIGINT NOT NULL DEFAULT 0,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE INDEX evidence_by_role ON evidence (tenant_id, assessment_id, role_code, create_time);
CREATE TABLE evidence_blobs (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  content BLOB NOT NULL,
  PRIMARY KEY (tenant_id, id));
ALTER TABLE assessments ADD COLUMN catalogue_id TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN status TEXT NOT NULL DEFAULT 'DRAFT';
ALTER TABLE assessments ADD COLUMN answered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE assessments ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN catalogue_version TEXT NOT NULL DEFAULT '';
CREATE INDEX assessments_latest ON assessments (tenant_id, organization_id, catalogue_id, assessed_on, create_time);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (create_time);
CREATE INDEX audit_log_by_time ON audit_log (tenant_id, time);
UPDATE assessments SET
  catalogue_id = COALESCE(json_extract(doc, '$.catalogueId'), ''),
  catalogue_version = COALESCE(json_extract(doc, '$.catalogueVersion'), ''),
  title = COALESCE(json_extract(doc, '$.title'), ''),
  status = COALESCE(json_extract(doc, '$.status'), 'DRAFT'),
  answered = (SELECT COUNT(*) FROM json_each(doc, '$.answers') AS e
              WHERE json_type(e.value, '$.levels') IS NOT NULL
                 OR json_type(e.value, '$.inSource') IS NOT NULL
                 OR json_type(e.value, '$.outSource') IS NOT NULL
                 OR json_type(e.value, '$.level') IS NOT NULL);
)sql",
       R"sql(
CREATE TABLE campaigns (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE TABLE campaign_assessments (
  tenant_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, assessment_id));
CREATE TABLE role_comments (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  role_code TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE INDEX role_comments_by_role ON role_comments (tenant_id, assessment_id, role_code, create_time);
CREATE TABLE evidence (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  role_code TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  size_bytes BIGINT NOT NULL DEFAULT 0,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE INDEX evidence_by_role ON evidence (tenant_id, assessment_id, role_code, create_time);
CREATE TABLE evidence_blobs (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  content BYTEA NOT NULL,
  PRIMARY KEY (tenant_id, id));
ALTER TABLE assessments ADD COLUMN catalogue_id TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN status TEXT NOT NULL DEFAULT 'DRAFT';
ALTER TABLE assessments ADD COLUMN answered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE assessments ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN catalogue_version TEXT NOT NULL DEFAULT '';
CREATE INDEX assessments_latest ON assessments (tenant_id, organization_id, catalogue_id, assessed_on, create_time);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (create_time);
CREATE INDEX audit_log_by_time ON audit_log (tenant_id, time);
UPDATE assessments SET
  catalogue_id = COALESCE(doc::jsonb->>'catalogueId', ''),
  catalogue_version = COALESCE(doc::jsonb->>'catalogueVersion', ''),
  title = COALESCE(doc::jsonb->>'title', ''),
  status = COALESCE(doc::jsonb->>'status', 'DRAFT'),
  answered = (SELECT COUNT(*) FROM jsonb_array_elements(COALESCE(doc::jsonb->'answers', '[]'::jsonb)) AS e
              WHERE e ? 'levels' OR e ? 'inSource' OR e ? 'outSource' OR e ? 'level');
)sql"},
      // The audit chain: each entry's place and link, set by the sealer after the entry commits
      // (NULL until then), the head each tenant's sealer goes on from (its row is the sealer's
      // lock), and the signed seals.
      {3, "audit chain",
       R"sql(
ALTER TABLE audit_log ADD COLUMN chain_seq BIGINT;
ALTER TABLE audit_log ADD COLUMN chain_link TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX audit_log_chain ON audit_log (tenant_id, chain_seq);
CREATE INDEX audit_log_unsealed ON audit_log (tenant_id, time, id) WHERE chain_seq IS NULL;
CREATE TABLE audit_chain_heads (
  tenant_id TEXT PRIMARY KEY,
  sequence BIGINT NOT NULL,
  link TEXT NOT NULL);
CREATE TABLE audit_seals (
  tenant_id TEXT NOT NULL,
  sequence BIGINT NOT NULL,
  link TEXT NOT NULL,
  seal_time BIGINT NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL,
  PRIMARY KEY (tenant_id, sequence));
)sql",
       ""},
      // Share links: a token's SHA-256 (never the token), unique across tenants, since a
      // token alone names its tenant. Tenant settings, and their allowed origins by origin
      // (a CORS preflight names an origin, not a tenant).
      {4, "share links",
       R"sql(
CREATE TABLE share_links (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  token_sha256 TEXT NOT NULL,
  expire_time BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE UNIQUE INDEX share_links_by_token ON share_links (token_sha256);
CREATE INDEX share_links_by_assessment ON share_links (tenant_id, assessment_id);
CREATE TABLE tenant_settings (
  tenant_id TEXT PRIMARY KEY,
  doc TEXT NOT NULL);
CREATE TABLE tenant_origins (
  origin TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  PRIMARY KEY (origin, tenant_id));
)sql",
       ""},
      // Webhooks and their deliveries: the outbox. A delivery row is written in the
      // transaction of the change it reports; dispatchers claim due rows (claim_owner until
      // claim_until) and record each attempt on them.
      {5, "webhooks",
       R"sql(
CREATE TABLE webhooks (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE TABLE webhook_deliveries (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  create_time BIGINT NOT NULL,
  next_attempt_time BIGINT NOT NULL,
  last_attempt_time BIGINT NOT NULL DEFAULT 0,
  last_response_code BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  claim_owner TEXT NOT NULL DEFAULT '',
  claim_until BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id));
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_time)
  WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_by_webhook
  ON webhook_deliveries (tenant_id, webhook_id, create_time);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (create_time)
  WHERE status <> 'PENDING';
)sql",
       ""},
      // Sign-in through a tenant's identity provider: the flows between login and callback,
      // and the sessions after it, each keyed by the SHA-256 of its secret; the people who
      // sign in, one per (issuer, subject) in a tenant.
      {6, "sign-in and people",
       R"sql(
CREATE TABLE login_flows (
  state_sha256 TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL,
  expire_time BIGINT NOT NULL);
CREATE INDEX login_flows_by_tenant ON login_flows (tenant_id);
CREATE INDEX login_flows_by_expiry ON login_flows (expire_time);
CREATE TABLE sessions (
  token_sha256 TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  csrf_sha256 TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  last_seen_time BIGINT NOT NULL,
  absolute_expire_time BIGINT NOT NULL);
CREATE INDEX sessions_by_person ON sessions (tenant_id, person_id);
CREATE INDEX sessions_by_expiry ON sessions (absolute_expire_time);
CREATE TABLE people (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  email TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  organizations TEXT NOT NULL,
  set_by_admin BIGINT NOT NULL DEFAULT 0,
  create_time BIGINT NOT NULL,
  last_sign_in_time BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id));
CREATE UNIQUE INDEX people_by_subject ON people (tenant_id, issuer, subject);
-- Tenants made before slugs get their id as one (SlugOfLegacyTenant says the same).
ALTER TABLE tenants ADD COLUMN slug TEXT;
UPDATE tenants SET slug = lower(replace(id, '_', '-'));
CREATE UNIQUE INDEX tenants_by_slug ON tenants (slug);
-- One provider per tenant; a bearer token's (issuer, audience) names one tenant only.
CREATE TABLE identity_providers (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  sealed_client_secret TEXT NOT NULL,
  update_time BIGINT NOT NULL,
  doc TEXT NOT NULL);
CREATE UNIQUE INDEX identity_providers_by_client ON identity_providers (issuer, client_id);
)sql",
       ""},
      // The function scores of an approved assessment, kept when it is approved (and, for
      // those approved before, when a benchmark first reads them), valid while their revision
      // is the assessment's; a table of its own, since a column after the document would have
      // every read step over the document's pages. Organisations' industry as a column, so
      // that the benchmark filters and joins in one query.
      {7, "stored scores",
       std::string(kStoredScores) +
           "UPDATE organizations SET industry = COALESCE(json_extract(doc, '$.industry'), '');",
       std::string(kStoredScores) +
           "UPDATE organizations SET industry = COALESCE(doc::jsonb->>'industry', '');"},
      // A value per tenant that every change a benchmark could show replaces: an assessment
      // that is, was or becomes APPROVED, any organisation changed or deleted. A benchmark read
      // is kept while it stands still (approved_score_service.cc). Moved by triggers, so that
      // no writer can miss it: an older version's replica during a rolling deploy, a later
      // migration, SQL run by hand. A random value rather than a count, so that a database
      // restored from a backup cannot come back to a value a replica kept an answer with.
      {8, "approved generations", ApprovedGenerationsSqlite(), kApprovedGenerationsPostgres},
  };
  return migrations;
}

}  // namespace socm::assessment
