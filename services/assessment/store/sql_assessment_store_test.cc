// The store suite, run on SQLite and, when tests/run.sh provides one
// (SOCM_TEST_POSTGRES_URL), on PostgreSQL: the same tests on both engines.
#include "services/assessment/store/sql_assessment_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "services/assessment/domain/assessment_rules.h"
#include "services/assessment/store/store_test_fixture.h"

namespace socm::assessment {
namespace {

using testing::Engine;
class StoreTest : public testing::StoreFixture {};

TEST_P(StoreTest, KeysAreFoundByHashUntilRevoked) {
  const std::string tenant = NewTenant("MSSP");
  pb::ApiKey key;
  key.set_role(pb::KEY_ROLE_ADMIN);
  auto created = store_->CreateApiKey(As(tenant), key, "hash-1", W());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->tenant_id(), tenant);
  auto found = store_->FindApiKey("hash-1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id(), created->id());
  EXPECT_EQ(found->role(), pb::KEY_ROLE_ADMIN);
  EXPECT_EQ(store_->FindApiKey("hash-2").status().code(), absl::StatusCode::kNotFound);
  // The same secret hash twice is refused.
  EXPECT_EQ(store_->CreateApiKey(As(tenant), key, "hash-1", W()).status().code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(store_->RevokeApiKey(As(tenant), created->id(), W()).ok());
  EXPECT_EQ(store_->FindApiKey("hash-1").status().code(), absl::StatusCode::kNotFound);
  auto list = store_->ListApiKeys(As(tenant), {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_TRUE(list->items[0].has_revoke_time());
  EXPECT_TRUE(list->items[0].key().empty());
  // Another tenant cannot revoke it, nor a key of a tenant that does not exist be made.
  const std::string other = NewTenant("Other");
  EXPECT_EQ(store_->RevokeApiKey(As(other), created->id(), W()).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->CreateApiKey(As("tn_nope"), key, "hash-3", W()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreTest, TenantsNeverSeeEachOther) {
  const std::string a = NewTenant("A");
  const std::string b = NewTenant("B");
  const pb::Organization org = NewOrg(a, "Customer of A");
  const pb::Assessment as = NewAssessment(a, org.id());
  using C = absl::StatusCode;
  EXPECT_EQ(store_->GetOrganization(As(b), org.id()).status().code(), C::kNotFound);
  EXPECT_TRUE(store_->ListOrganizations(As(b), {})->items.empty());
  EXPECT_EQ(store_
                ->UpdateOrganization(
                    As(b), org.id(), [](pb::Organization&) { return absl::OkStatus(); }, W())
                .status()
                .code(),
            C::kNotFound);
  EXPECT_EQ(store_->DeleteOrganization(As(b), org.id(), true, W()).code(), C::kNotFound);
  EXPECT_EQ(store_->GetAssessment(As(b), org.id(), as.id()).status().code(), C::kNotFound);
  EXPECT_EQ(store_->ListAssessments(As(b), org.id(), {}).status().code(), C::kNotFound);
  EXPECT_EQ(store_
                ->UpdateAssessment(
                    As(b), org.id(), as.id(), "", "x",
                    [](pb::Assessment&) { return absl::OkStatus(); }, W())
                .status()
                .code(),
            C::kNotFound);
  EXPECT_EQ(store_->DeleteAssessment(As(b), org.id(), as.id(), "", W()).code(), C::kNotFound);
  EXPECT_EQ(store_->ListAuditLog(As(b), org.id(), {}).status().code(), C::kNotFound);
  pb::Assessment foreign;
  foreign.set_organization_id(org.id());
  foreign.set_assessed_on("2026-01-01");
  EXPECT_EQ(store_->CreateAssessment(As(b), foreign, W()).status().code(), C::kNotFound);
  EXPECT_EQ(store_->GetAssessmentRevision(As(b), org.id(), as.id()).status().code(), C::kNotFound);
  // A's objects are untouched.
  EXPECT_TRUE(store_->GetAssessment(As(a), org.id(), as.id()).ok());
}

// The store applies the caller's organisation scope itself, not only the service.
TEST_P(StoreTest, APinnedCallerSeesItsOrganizationAndNoOther) {
  const std::string t = NewTenant("T");
  const pb::Organization mine = NewOrg(t, "Mine");
  const pb::Organization theirs = NewOrg(t, "Theirs");
  const pb::Assessment as = NewAssessment(t, theirs.id());
  Caller pinned = As(t);
  pinned.organizations = {mine.id()};
  using C = absl::StatusCode;
  auto list = store_->ListOrganizations(pinned, {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].id(), mine.id());
  EXPECT_TRUE(store_->GetOrganization(pinned, mine.id()).ok());
  EXPECT_EQ(store_->GetOrganization(pinned, theirs.id()).status().code(), C::kNotFound);
  EXPECT_EQ(store_->GetAssessment(pinned, theirs.id(), as.id()).status().code(), C::kNotFound);
  EXPECT_EQ(store_->ListAssessments(pinned, theirs.id(), {}).status().code(), C::kNotFound);
  EXPECT_EQ(store_->ListAuditLog(pinned, theirs.id(), {}).status().code(), C::kNotFound);
  EXPECT_EQ(store_->DeleteOrganization(pinned, theirs.id(), true, W()).code(), C::kNotFound);
  EXPECT_EQ(store_->DeleteAssessment(pinned, theirs.id(), as.id(), "", W()).code(), C::kNotFound);
  EXPECT_TRUE(store_->GetAssessment(As(t), theirs.id(), as.id()).ok());  // nothing was deleted
  // Nor the tenant's keys or a new organisation.
  EXPECT_EQ(store_->ListApiKeys(pinned, {}).status().code(), C::kPermissionDenied);
  pb::ApiKey key;
  key.set_role(pb::KEY_ROLE_VIEWER);
  EXPECT_EQ(store_->CreateApiKey(pinned, key, "pinned-made", W()).status().code(),
            C::kPermissionDenied);
  EXPECT_EQ(store_->RevokeApiKey(pinned, "key_any", W()).code(), C::kPermissionDenied);
  pb::Organization org;
  org.set_display_name("New");
  EXPECT_EQ(store_->CreateOrganization(pinned, org, W()).status().code(), C::kPermissionDenied);
}

TEST_P(StoreTest, RevisionAloneFollowsEveryWrite) {
  const std::string t = NewTenant("T");
  const pb::Organization org = NewOrg(t, "O");
  const pb::Organization other = NewOrg(t, "P");
  const pb::Assessment as = NewAssessment(t, org.id());
  EXPECT_EQ(*store_->GetAssessmentRevision(As(t), org.id(), as.id()), 1);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store_
                    ->UpdateAssessment(
                        As(t), org.id(), as.id(), "", "assessment.update",
                        [](pb::Assessment& a) {
                          a.set_title(a.title() + "!");
                          return absl::OkStatus();
                        },
                        W())
                    .ok());
  }
  EXPECT_EQ(*store_->GetAssessmentRevision(As(t), org.id(), as.id()), 4);
  EXPECT_EQ(store_->GetAssessment(As(t), org.id(), as.id())->revision(), 4);
  using C = absl::StatusCode;
  EXPECT_EQ(store_->GetAssessmentRevision(As(t), other.id(), as.id()).status().code(),
            C::kNotFound);
  EXPECT_EQ(store_->GetAssessmentRevision(As(t), org.id(), "as_missing").status().code(),
            C::kNotFound);
  ASSERT_TRUE(store_->DeleteAssessment(As(t), org.id(), as.id(), "", W()).ok());
  EXPECT_EQ(store_->GetAssessmentRevision(As(t), org.id(), as.id()).status().code(), C::kNotFound);
}

TEST_P(StoreTest, StaleEtagIsAbortedAndChangesNothing) {
  const std::string t = NewTenant("T");
  const pb::Organization org = NewOrg(t, "O");
  const pb::Assessment created = NewAssessment(t, org.id());
  EXPECT_EQ(created.revision(), 1);
  auto set_title = [](std::string title) {
    return [title](pb::Assessment& a) {
      a.set_title(title);
      return absl::OkStatus();
    };
  };
  auto updated = store_->UpdateAssessment(As(t), org.id(), created.id(), created.etag(), "t",
                                          set_title("v2"), W());
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->revision(), 2);
  EXPECT_NE(updated->etag(), created.etag());
  EXPECT_EQ(store_
                ->UpdateAssessment(As(t), org.id(), created.id(), created.etag(), "t",
                                   set_title("v3"), W())
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(store_->DeleteAssessment(As(t), org.id(), created.id(), created.etag(), W()).code(),
            absl::StatusCode::kAborted);
  auto now = store_->GetAssessment(As(t), org.id(), created.id());
  EXPECT_EQ(now->title(), "v2");
  EXPECT_EQ(now->revision(), 2);
}

TEST_P(StoreTest, FailedMutationWritesNothingNotEvenAudit) {
  const std::string t = NewTenant("T");
  const pb::Organization org = NewOrg(t, "O");
  const pb::Assessment created = NewAssessment(t, org.id());
  const size_t audit_before = store_->ListAuditLog(As(t), org.id(), {})->items.size();
  auto failing = [](pb::Assessment& a) {
    a.set_title("half-written");
    return absl::InvalidArgumentError("no");
  };
  EXPECT_EQ(store_->UpdateAssessment(As(t), org.id(), created.id(), "", "x", failing, W())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetAssessment(As(t), org.id(), created.id())->title(), "FY2026");
  EXPECT_EQ(store_->ListAuditLog(As(t), org.id(), {})->items.size(), audit_before);
}

TEST_P(StoreTest, AuditLogRecordsWhoWhatBeforeAndAfter) {
  const std::string t = NewTenant("T");
  const pb::Organization org = NewOrg(t, "O");
  const pb::Assessment created = NewAssessment(t, org.id());
  ASSERT_TRUE(store_
                  ->UpdateAssessment(
                      As(t), org.id(), created.id(), "", "assessment.submit",
                      [](pb::Assessment& a) {
                        return ApplyTransition(a, Transition::kSubmit, {"key_1", false});
                      },
                      W())
                  .ok());
  auto log = store_->ListAuditLog(As(t), org.id(), {});
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->items.size(), 3u);  // newest first
  EXPECT_EQ(log->items[0].action(), "assessment.submit");
  EXPECT_EQ(log->items[0].actor(), "key_test");
  // The entry holds what changed, not the whole assessment twice.
  EXPECT_EQ(log->items[0].before_json(), "");
  EXPECT_EQ(log->items[0].after_json(), "");
  std::map<std::string, pb::AuditChange> changes;
  for (const auto& c : log->items[0].changes()) changes[c.field()] = c;
  ASSERT_EQ(changes.count("status"), 1u);
  EXPECT_NE(changes["status"].before_json().find("DRAFT"), std::string::npos);
  EXPECT_NE(changes["status"].after_json().find("SUBMITTED"), std::string::npos);
  EXPECT_EQ(changes.count("submittedBy"), 1u);
  EXPECT_EQ(changes.count("revision"), 0u) << "bookkeeping fields are left out";
  EXPECT_EQ(log->items[1].action(), "assessment.create");
  EXPECT_EQ(log->items[2].action(), "organization.create");
}

TEST_P(StoreTest, IdempotencyKeyReplaysTheFirstResult) {
  const std::string t = NewTenant("T");
  WriteOptions ctx = W();
  ctx.idempotency_key = "k-1";
  ctx.request_hash = "h-1";
  pb::Organization org;
  org.set_display_name("Once");
  auto first = store_->CreateOrganization(As(t), org, ctx);
  auto second = store_->CreateOrganization(As(t), org, ctx);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->id(), second->id());
  EXPECT_EQ(store_->ListOrganizations(As(t), {})->items.size(), 1u);
  ctx.request_hash = "h-2";
  EXPECT_EQ(store_->CreateOrganization(As(t), org, ctx).status().code(),
            absl::StatusCode::kAlreadyExists);
  WriteOptions other = ctx;
  other.idempotency_key = "k-other";
  ASSERT_TRUE(store_->CreateOrganization(As(t), org, other).ok());
  // After 24 hours the key is forgotten.
  ctx.request_hash = "h-1";
  ctx.now_micros += 25LL * 3600 * 1000000;
  auto later = store_->CreateOrganization(As(t), org, ctx);
  ASSERT_TRUE(later.ok());
  EXPECT_NE(later->id(), first->id());
  // And expired keys are purged as new ones are stored, k-other too: only the latest remains.
  int64_t rows = -1;
  ASSERT_TRUE(database()
                  .Run([&](db::Connection& c) -> absl::Status {
                    auto r = c.Query("SELECT COUNT(*) FROM idempotency_keys WHERE create_time < $1",
                                     {ctx.now_micros - 24LL * 3600 * 1000000});
                    if (!r.ok()) return r.status();
                    rows = r->front().Int(0);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(rows, 0);
}

TEST_P(StoreTest, DeletingAnOrganizationTakesItsAssessmentsAndPinnedKeys) {
  const std::string t = NewTenant("T");
  const pb::Organization org = NewOrg(t, "O");
  const pb::Assessment as = NewAssessment(t, org.id());
  pb::ApiKey key;
  key.set_role(pb::KEY_ROLE_VIEWER);
  key.set_organization_id(org.id());
  ASSERT_TRUE(store_->CreateApiKey(As(t), key, "pinned-hash", W()).ok());
  // With assessments, only a forced delete goes through; the refusal deletes nothing.
  const absl::Status refused = store_->DeleteOrganization(As(t), org.id(), false, W());
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("still has 1 assessment"), std::string::npos);
  ASSERT_TRUE(store_->GetAssessment(As(t), org.id(), as.id()).ok());
  ASSERT_TRUE(store_->DeleteOrganization(As(t), org.id(), true, W()).ok());
  EXPECT_EQ(store_->GetOrganization(As(t), org.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetAssessment(As(t), org.id(), as.id()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->FindApiKey("pinned-hash").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreTest, PagesAndOrder) {
  const std::string t = NewTenant("T");
  const pb::Organization org = NewOrg(t, "O");
  for (int i = 0; i < 5; ++i) NewAssessment(t, org.id());
  auto first = store_->ListAssessments(As(t), org.id(), {0, 2});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items.size(), 2u);
  EXPECT_TRUE(first->more);
  auto last = store_->ListAssessments(As(t), org.id(), {4, 2});
  EXPECT_EQ(last->items.size(), 1u);
  EXPECT_FALSE(last->more);
  // Newest first: the last created comes first when dates are equal.
  EXPECT_GT(first->items[0].create_time().nanos() +
                first->items[0].create_time().seconds() * 1000000000LL,
            first->items[1].create_time().nanos() +
                first->items[1].create_time().seconds() * 1000000000LL);
}

TEST_P(StoreTest, ConcurrentWritersNeverLoseAnUpdate) {
  const std::string t = NewTenant("T");
  const pb::Organization org = NewOrg(t, "O");
  const pb::Assessment as = NewAssessment(t, org.id());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 20; ++j) {
        Caller writer = As(t);
        writer.principal = "writer";
        WriteOptions ctx;
        ctx.now_micros = clock_ + i * 1000 + j;
        // Retry ABORTED (a lost revision race), as clients are told to.
        for (;;) {
          auto r = store_->UpdateAssessment(
              writer, org.id(), as.id(), "", "x",
              [](pb::Assessment& a) {
                a.set_title(a.title() + ".");
                return absl::OkStatus();
              },
              ctx);
          if (r.ok()) {
            ++ok;
            break;
          }
          if (r.status().code() != absl::StatusCode::kAborted) {
            ADD_FAILURE() << r.status();
            return;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 160);
  auto final_state = store_->GetAssessment(As(t), org.id(), as.id());
  EXPECT_EQ(final_state->revision(), 161);
  EXPECT_EQ(final_state->title().size(), std::string("FY2026").size() + 160);
}

// Assessments submitted before submittedBy existed: the audit log names the submitter.
TEST_P(StoreTest, TheLastSubmitterIsFoundInTheAuditLog) {
  const std::string t = NewTenant("T");
  const pb::Organization org = NewOrg(t, "O");
  const pb::Assessment as = NewAssessment(t, org.id());
  const pb::Assessment other = NewAssessment(t, org.id());
  auto submit = [&](const std::string& id, const std::string& who) {
    Caller caller = As(t);
    caller.principal = who;
    ASSERT_TRUE(store_
                    ->UpdateAssessment(
                        caller, org.id(), id, "", "assessment.submit",
                        [](pb::Assessment& a) {
                          a.set_status(pb::SUBMITTED);  // as a release without submittedBy did
                          return absl::OkStatus();
                        },
                        W())
                    .ok());
  };
  submit(as.id(), "key_first");
  submit(other.id(), "key_other");
  auto found = store_->LastAuditActor(As(t), org.id(), as.id(), "assessment.submit");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, "key_first");
  EXPECT_EQ(*store_->LastAuditActor(As(t), org.id(), as.id(), "assessment.approve"), "");
  EXPECT_EQ(store_->LastAuditActor(As(NewTenant("X")), org.id(), as.id(), "assessment.submit")
                .value_or("leak"),
            "");
}

// Concurrent PATCHes of one organisation, each adding its own label: none is lost (the row is
// locked for the read-modify-write on PostgreSQL; SQLite has one writer).
TEST_P(StoreTest, ConcurrentOrganizationUpdatesNeverLoseOne) {
  const std::string t = NewTenant("T");
  const pb::Organization org = NewOrg(t, "O");
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 15; ++j) {
        WriteOptions ctx;
        ctx.now_micros = clock_ + i * 1000 + j;
        for (;;) {
          auto r = store_->UpdateOrganization(
              As(t), org.id(),
              [&](pb::Organization& o) {
                (*o.mutable_labels())[absl::StrCat("k", i, "_", j)] = "v";
                return absl::OkStatus();
              },
              ctx);
          if (r.ok()) break;
          if (r.status().code() != absl::StatusCode::kAborted) {
            ADD_FAILURE() << r.status();
            return;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  auto final_state = store_->GetOrganization(As(t), org.id());
  ASSERT_TRUE(final_state.ok());
  EXPECT_EQ(final_state->labels_size(), 60);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) {
                           return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace socm::assessment
