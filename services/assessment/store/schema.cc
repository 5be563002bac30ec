// The assessment store's schema. Append a migration to change it; never edit
// one that has shipped.
#include "services/assessment/store/sql_assessment_store.h"

namespace socm::assessment {

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
  };
  return migrations;
}

}  // namespace socm::assessment
