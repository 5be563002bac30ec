#pragma once
// The store tests' fixture: a fresh database per test, on SQLite and, when tests/run.sh
// provides one (SOCM_TEST_POSTGRES_URL), on PostgreSQL, with helpers that make tenants,
// organisations and assessments.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/assessment/store/sql_assessment_store.h"
#include "services/common/status.h"

namespace socm::assessment::testing {

enum class Engine { kSqlite, kPostgres };

inline std::string PostgresBase() {
  const char* url = std::getenv("SOCM_TEST_POSTGRES_URL");
  return url == nullptr ? "" : url;
}

// A database of its own for this test binary, so runs and other suites never meet.
inline absl::StatusOr<std::string> FreshPostgres(const std::string& base) {
  const std::string name = absl::StrCat("socm_store_test_", getpid());
  auto admin = db::Database::Open(base, {});
  if (!admin.ok()) return admin.status();
  absl::Status s = (*admin)->Run([&](db::Connection& c) -> absl::Status {
    SOCM_STATUS_RETURN(c.ExecScript(absl::StrCat("DROP DATABASE IF EXISTS ", name)));
    return c.ExecScript(absl::StrCat("CREATE DATABASE ", name));
  });
  if (!s.ok()) return s;
  const size_t slash = base.rfind('/');
  const size_t query = base.find('?', slash);
  return base.substr(0, slash + 1) + name + (query == std::string::npos ? "" : base.substr(query));
}

class StoreFixture : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == Engine::kPostgres) {
      if (PostgresBase().empty())
        GTEST_SKIP() << "SOCM_TEST_POSTGRES_URL not set (tests/run.sh sets it)";
      auto fresh = FreshPostgres(PostgresBase());
      ASSERT_TRUE(fresh.ok()) << fresh.status();
      url = *fresh;
    } else {
      char tmpl[] = "/tmp/socm-store-XXXXXX";
      dir_ = mkdtemp(tmpl);
      url = "sqlite:" + dir_ + "/assessment.db";
    }
    auto database = db::Database::Open(url, {});
    ASSERT_TRUE(database.ok()) << database.status();
    auto store = SqlAssessmentStore::Open(std::move(*database));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // A key of `tenant` ("" for the operator).
  static Caller As(const std::string& tenant) {
    Caller caller;
    caller.tenant = TenantId(tenant);
    caller.principal = tenant.empty() ? "operator" : "key_test";
    caller.role = tenant.empty() ? Role::kOperator : Role::kAdmin;
    return caller;
  }
  WriteOptions W() {
    WriteOptions write;
    write.now_micros = ++clock_;
    return write;
  }

  std::string NewTenant(const std::string& name) {
    pb::Tenant t;
    t.set_display_name(name);
    auto created = store_->CreateTenant(As(""), t, W());
    EXPECT_TRUE(created.ok()) << created.status();
    return created->id();
  }

  pb::Organization NewOrg(const std::string& tenant, const std::string& name) {
    pb::Organization org;
    org.set_display_name(name);
    auto created = store_->CreateOrganization(As(tenant), org, W());
    EXPECT_TRUE(created.ok()) << created.status();
    return *created;
  }

  pb::Assessment NewAssessment(const std::string& tenant, const std::string& org) {
    pb::Assessment a;
    a.set_organization_id(org);
    a.set_catalogue_id("isogj-soc-csirt");
    a.set_catalogue_version("2.1");
    a.set_title("FY2026");
    a.set_assessed_on("2026-11-01");
    auto created = store_->CreateAssessment(As(tenant), a, W());
    EXPECT_TRUE(created.ok()) << created.status();
    return *created;
  }

  db::Database& database() { return store_->database(); }

  // The one integer `sql` selects.
  int64_t Count(const std::string& sql, const std::vector<db::Value>& params = {}) {
    int64_t n = -1;
    EXPECT_TRUE(database()
                    .Run([&](db::Connection& c) -> absl::Status {
                      auto rows = c.Query(sql, params);
                      if (!rows.ok()) return rows.status();
                      n = (*rows)[0].Int(0);
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }

  std::string dir_;
  int64_t clock_ = 1'700'000'000'000'000;
  std::unique_ptr<SqlAssessmentStore> store_;
};

inline std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace socm::assessment::testing
