// The practice store on both engines: the portfolio's latest assessment and filters, campaigns
// in one transaction with their progress, comments and evidence, each inside the caller's
// tenant and organisation scope.
#include "services/assessment/store/sql_practice_store.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "services/assessment/domain/assessment_rules.h"
#include "services/assessment/store/store_test_fixture.h"

namespace socm::assessment {
namespace {

using testing::Engine;
using C = absl::StatusCode;

class PracticeStoreTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    blobs_ = std::make_unique<SqlBlobStore>(database());
    practice_ = std::make_unique<SqlPracticeStore>(database(), *blobs_);
  }
  void TearDown() override {
    practice_.reset();
    blobs_.reset();
    StoreFixture::TearDown();
  }

  pb::Organization Org(const std::string& tenant, const std::string& name,
                       const std::string& industry, const std::string& tier) {
    pb::Organization org;
    org.set_display_name(name);
    org.set_industry(industry);
    (*org.mutable_labels())["tier"] = tier;
    auto created = store_->CreateOrganization(As(tenant), org, W());
    EXPECT_TRUE(created.ok()) << created.status();
    return *created;
  }

  pb::Assessment Dated(const std::string& tenant, const std::string& org, const std::string& date,
                       const std::string& catalogue) {
    pb::Assessment a;
    a.set_organization_id(org);
    a.set_catalogue_id(catalogue);
    a.set_catalogue_version("1");
    a.set_title("FY " + date);
    a.set_assessed_on(date);
    auto created = store_->CreateAssessment(As(tenant), a, W());
    EXPECT_TRUE(created.ok()) << created.status();
    return *created;
  }

  // What the assessment service keeps of a score.
  static std::string Kept(const std::map<std::string, double>& scores) {
    pb::ApprovedScore kept;
    for (const auto& [code, score] : scores) (*kept.mutable_function_scores())[code] = score;
    return absl::Base64Escape(kept.SerializeAsString());
  }

  static Caller Pinned(const std::string& tenant, const std::string& org) {
    Caller caller = As(tenant);
    caller.organizations = {org};
    caller.role = Role::kAssessor;
    return caller;
  }

  std::unique_ptr<SqlBlobStore> blobs_;
  std::unique_ptr<SqlPracticeStore> practice_;
};

TEST_P(PracticeStoreTest, PortfolioHasTheLatestAssessmentOnTheCatalogue) {
  const std::string t = NewTenant("MSSP");
  const pb::Organization a = Org(t, "A", "finance", "gold");
  const pb::Organization b = Org(t, "B", "energy", "gold");
  const pb::Organization c = Org(t, "C", "finance", "silver");
  Dated(t, a.id(), "2025-04-01", "isogj");
  const pb::Assessment a_latest = Dated(t, a.id(), "2026-04-01", "isogj");
  Dated(t, a.id(), "2027-04-01", "sim3");  // newer, another catalogue
  Dated(t, b.id(), "2026-04-01", "isogj");
  const pb::Assessment b_latest = Dated(t, b.id(), "2026-04-01", "isogj");  // same day, newer

  auto all = practice_->ListPortfolioRows(As(t), "isogj", {}, {0, 50}, false);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->items.size(), 3u);
  EXPECT_EQ(all->items[0].latest_assessment().id(), a_latest.id());
  EXPECT_EQ(all->items[1].latest_assessment().id(), b_latest.id());
  EXPECT_FALSE(all->items[2].has_latest_assessment());
  EXPECT_FALSE(all->more);
  // Headers only: the same assessments from the columns, no answers.
  auto headers = practice_->ListPortfolioRows(As(t), "isogj", {}, {0, 50}, true);
  ASSERT_TRUE(headers.ok()) << headers.status();
  ASSERT_EQ(headers->items.size(), 3u);
  const pb::Assessment& h = headers->items[0].latest_assessment();
  EXPECT_EQ(h.id(), a_latest.id());
  EXPECT_EQ(h.title(), a_latest.title());
  EXPECT_EQ(h.assessed_on(), "2026-04-01");
  EXPECT_EQ(h.catalogue_version(), "1");
  EXPECT_EQ(h.revision(), 1);
  EXPECT_EQ(h.status(), pb::DRAFT);
  EXPECT_EQ(h.answers_size(), 0);

  OrganizationFilter finance_gold;
  finance_gold.industry = "finance";
  finance_gold.label_key = "tier";
  finance_gold.label_value = "gold";
  auto filtered = practice_->ListPortfolioRows(As(t), "isogj", finance_gold, {0, 50}, false);
  ASSERT_TRUE(filtered.ok());
  ASSERT_EQ(filtered->items.size(), 1u);
  EXPECT_EQ(filtered->items[0].organization().id(), a.id());

  auto page = practice_->ListPortfolioRows(As(t), "isogj", {}, {1, 1}, false);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].organization().id(), b.id());
  EXPECT_TRUE(page->more);

  // A pinned key sees its organisation only; another tenant sees none of them.
  auto pinned = practice_->ListPortfolioRows(Pinned(t, c.id()), "isogj", {}, {0, 50}, false);
  ASSERT_TRUE(pinned.ok());
  ASSERT_EQ(pinned->items.size(), 1u);
  EXPECT_EQ(pinned->items[0].organization().id(), c.id());
  const std::string other = NewTenant("Other");
  auto theirs = practice_->ListPortfolioRows(As(other), "isogj", {}, {0, 50}, false);
  ASSERT_TRUE(theirs.ok());
  EXPECT_TRUE(theirs->items.empty());
}

TEST_P(PracticeStoreTest, ApprovedScoresAreEachOrganizationsLatestApprovedOneKeptOrToScore) {
  const std::string t = NewTenant("MSSP");
  const std::string other = NewTenant("Other");
  const pb::Organization a = Org(t, "A", "finance", "gold");
  const pb::Organization b = Org(t, "B", "energy", "gold");
  const pb::Organization c = Org(t, "C", "finance", "gold");
  const pb::Organization elsewhere = Org(other, "X", "finance", "gold");
  auto approved = [&](const std::string& tenant, const std::string& org, const std::string& date) {
    pb::Assessment a;
    a.set_organization_id(org);
    a.set_catalogue_id("isogj");
    a.set_catalogue_version("1");
    a.set_title("FY " + date);
    a.set_assessed_on(date);
    a.set_status(pb::APPROVED);
    auto created = store_->CreateAssessment(As(tenant), a, W());
    EXPECT_TRUE(created.ok()) << created.status();
    return *created;
  };
  auto set_status = [&](const pb::Assessment& of, pb::AssessmentStatus status) {
    auto updated = store_->UpdateAssessment(
        As(t), of.organization_id(), of.id(), "", "t",
        [&](pb::Assessment& x) {
          x.set_status(status);
          return absl::OkStatus();
        },
        W());
    EXPECT_TRUE(updated.ok()) << updated.status();
    return *updated;
  };
  const pb::Assessment a_old = approved(t, a.id(), "2025-04-01");
  const pb::Assessment a_latest = approved(t, a.id(), "2026-04-01");
  Dated(t, a.id(), "2027-04-01", "isogj");  // newer, but a draft
  const pb::Assessment b_latest = approved(t, b.id(), "2026-04-01");
  Dated(t, c.id(), "2026-04-01", "isogj");  // a draft only: no row
  approved(other, elsewhere.id(), "2026-04-01");

  auto rows = practice_->ListApprovedScores(As(t), "isogj", "");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].score.assessment_id(), a_latest.id());
  EXPECT_EQ((*rows)[1].score.assessment_id(), b_latest.id());
  // Nothing kept yet: the assessments themselves are read to score them.
  EXPECT_FALSE((*rows)[0].stored);
  auto documents = practice_->GetAssessments(As(t), {a_latest.id(), b_latest.id(), "as_none"});
  ASSERT_TRUE(documents.ok()) << documents.status();
  ASSERT_EQ(documents->size(), 2u);
  EXPECT_EQ(documents->at(a_latest.id()).title(), "FY 2026-04-01");
  // Within the caller's scope and tenant only.
  EXPECT_EQ(practice_->GetAssessments(Pinned(t, b.id()), {a_latest.id(), b_latest.id()})->size(),
            1u);
  EXPECT_TRUE(practice_->GetAssessments(As(other), {a_latest.id()})->empty());

  // Kept at the current revision: read back as kept. Kept at another revision: ignored.
  ASSERT_TRUE(store_
                  ->StoreApprovedScores(As(t), {{a.id(), a_latest.id(), a_latest.revision(),
                                                 Kept({{"A", 2.5}, {"B", 4}})},
                                                {b.id(), b_latest.id(), 7, Kept({})}})
                  .ok());
  rows = practice_->ListApprovedScores(As(t), "isogj", "");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  ASSERT_TRUE((*rows)[0].stored);
  EXPECT_EQ((*rows)[0].score.function_scores().at("A"), 2.5);
  EXPECT_EQ((*rows)[0].score.function_scores().at("B"), 4);
  EXPECT_EQ((*rows)[0].score.organization_id(), a.id());
  EXPECT_EQ((*rows)[0].score.revision(), a_latest.revision());
  EXPECT_FALSE((*rows)[1].stored);

  // The industry, the caller's scope and the tenant filter in the same query.
  auto finance = practice_->ListApprovedScores(As(t), "isogj", "finance");
  ASSERT_TRUE(finance.ok());
  ASSERT_EQ(finance->size(), 1u);
  EXPECT_EQ((*finance)[0].score.organization_id(), a.id());
  auto pinned = practice_->ListApprovedScores(Pinned(t, b.id()), "isogj", "");
  ASSERT_TRUE(pinned.ok());
  ASSERT_EQ(pinned->size(), 1u);
  EXPECT_EQ((*pinned)[0].score.organization_id(), b.id());
  auto theirs = practice_->ListApprovedScores(As(other), "isogj", "");
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(theirs->size(), 1u);
  EXPECT_EQ((*theirs)[0].score.organization_id(), elsewhere.id());
  EXPECT_TRUE(practice_->ListApprovedScores(As(t), "sim3", "")->empty());
  // Scores kept by an older way of computing them count no more.
  ASSERT_TRUE(database()
                  .Run([&](db::Connection& c) -> absl::Status {
                    return c.Exec("UPDATE approved_scores SET method=method-1", {}).status();
                  })
                  .ok());
  EXPECT_FALSE(practice_->ListApprovedScores(As(t), "isogj", "").value()[0].stored);
  ASSERT_TRUE(store_
                  ->StoreApprovedScores(As(t), {{a.id(), a_latest.id(), a_latest.revision(),
                                                 Kept({{"A", 2.5}, {"B", 4}})}})
                  .ok());
  EXPECT_TRUE(practice_->ListApprovedScores(As(t), "isogj", "").value()[0].stored);
  // Another tenant's caller cannot write over these rows' kept scores.
  ASSERT_TRUE(store_
                  ->StoreApprovedScores(
                      As(other), {{a.id(), a_latest.id(), a_latest.revision(), Kept({{"A", 0}})}})
                  .ok());
  rows = practice_->ListApprovedScores(As(t), "isogj", "");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].score.function_scores().at("A"), 2.5);

  // Reopened, the latest approved one is the older; approved again, its kept scores are of an
  // older revision and no longer count.
  const pb::Assessment reopened = set_status(a_latest, pb::DRAFT);
  rows = practice_->ListApprovedScores(As(t), "isogj", "");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].score.assessment_id(), a_old.id());
  EXPECT_FALSE((*rows)[0].stored);
  const pb::Assessment again = set_status(reopened, pb::APPROVED);
  rows = practice_->ListApprovedScores(As(t), "isogj", "");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].score.assessment_id(), a_latest.id());
  EXPECT_EQ((*rows)[0].score.revision(), again.revision());
  EXPECT_FALSE((*rows)[0].stored);
  // Nothing is kept for an assessment that is not approved.
  ASSERT_TRUE(store_->StoreApprovedScores(As(t), {{c.id(), "as_none", 1, Kept({})}}).ok());
}

TEST_P(PracticeStoreTest, CampaignCreatesOneDraftPerMatchingOrganizationAndFollowsProgress) {
  const std::string t = NewTenant("MSSP");
  std::vector<pb::Organization> orgs;
  for (int i = 0; i < 5; ++i) {
    orgs.push_back(Org(t, absl::StrCat("O", i), "finance", i < 3 ? "gold" : "silver"));
  }
  pb::Campaign campaign;
  campaign.set_title("FY2027");
  campaign.set_due_on("2027-06-30");
  pb::Assessment templ;
  templ.set_catalogue_id("isogj");
  templ.set_catalogue_version("1");
  templ.set_title("FY2027");
  templ.set_assessed_on("2027-04-01");
  OrganizationFilter gold;
  gold.label_key = "tier";
  gold.label_value = "gold";
  WriteOptions write = W();
  write.idempotency_key = "round-1";
  write.request_hash = "h";
  auto created = practice_->CreateCampaign(As(t), campaign, gold, templ, 54, write);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->assessments_size(), 3);
  EXPECT_EQ(created->counts().at("DRAFT"), 3);
  EXPECT_EQ(created->assessments(0).total(), 54);

  // The same key again: the first campaign, nothing new.
  WriteOptions again = W();
  again.idempotency_key = "round-1";
  again.request_hash = "h";
  auto replay = practice_->CreateCampaign(As(t), campaign, gold, templ, 54, again);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->id(), created->id());
  auto listed = practice_->ListCampaigns(As(t), {0, 50});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->items.size(), 1u);

  // Progress follows the assessments.
  const auto& first = created->assessments(0);
  ASSERT_TRUE(store_
                  ->UpdateAssessment(
                      As(t), first.organization_id(), first.assessment_id(), "", "test",
                      [](pb::Assessment& a) {
                        auto* answer = a.add_answers();
                        answer->set_role_code("A-1");
                        (*answer->mutable_levels())["inSource"] = 3;
                        return ApplyTransition(a, Transition::kSubmit, {"key_x", false});
                      },
                      W())
                  .ok());
  auto now = practice_->GetCampaign(As(t), created->id());
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->counts().at("DRAFT"), 2);
  EXPECT_EQ(now->counts().at("SUBMITTED"), 1);
  EXPECT_EQ(now->counts().at("APPROVED"), 0);
  EXPECT_EQ(now->assessments(0).answered(), 1);
  EXPECT_EQ(now->assessments(0).status(), pb::SUBMITTED);

  // A pinned key of a member sees its own line; of a non-member, nothing.
  auto member = practice_->GetCampaign(Pinned(t, orgs[1].id()), created->id());
  ASSERT_TRUE(member.ok());
  ASSERT_EQ(member->assessments_size(), 1);
  EXPECT_EQ(member->assessments(0).organization_id(), orgs[1].id());
  EXPECT_EQ(practice_->GetCampaign(Pinned(t, orgs[4].id()), created->id()).status().code(),
            C::kNotFound);
  auto none = practice_->ListCampaigns(Pinned(t, orgs[4].id()), {0, 50});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(practice_->GetCampaign(As(NewTenant("Other")), created->id()).status().code(),
            C::kNotFound);

  // An unknown organisation named is refused with its index, and nothing is created.
  OrganizationFilter named;
  named.ids = {orgs[0].id(), "org_nope"};
  const auto refused = practice_->CreateCampaign(As(t), campaign, named, templ, 54, W());
  EXPECT_EQ(refused.status().code(), C::kInvalidArgument);
  EXPECT_NE(refused.status().ToString().find("organizationIds[1]"), std::string::npos);
  auto count = store_->ListAssessments(As(t), orgs[0].id(), {0, 50});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->items.size(), 1u);
  OrganizationFilter nobody;
  nobody.industry = "retail";
  EXPECT_EQ(practice_->CreateCampaign(As(t), campaign, nobody, templ, 54, W()).status().code(),
            C::kFailedPrecondition);
}

// Every change a benchmark could show moves the tenant's approved generation; a draft's
// answers, which it cannot show, do not (they are most of the writes).
TEST_P(PracticeStoreTest, TheApprovedGenerationMovesWithEveryChangeABenchmarkCouldShow) {
  const std::string t = NewTenant("MSSP");
  const std::string other = NewTenant("Other");
  const pb::Organization a = Org(t, "A", "finance", "gold");
  const pb::Organization b = Org(t, "B", "energy", "gold");
  auto generation = [&](const std::string& tenant) {
    auto g = practice_->ApprovedGeneration(As(tenant));
    EXPECT_TRUE(g.ok()) << g.status();
    return g.value_or(-1);
  };
  auto update = [&](const pb::Assessment& of, const std::string& title,
                    pb::AssessmentStatus status) {
    auto updated = store_->UpdateAssessment(
        As(t), of.organization_id(), of.id(), "", "t",
        [&](pb::Assessment& x) {
          x.set_title(title);
          x.set_status(status);
          return absl::OkStatus();
        },
        W());
    EXPECT_TRUE(updated.ok()) << updated.status();
    return *updated;
  };
  int64_t last = generation(t);
  auto moved = [&]() {
    const int64_t now = generation(t);
    const bool did = now != last;
    last = now;
    return did;
  };
  const int64_t others = generation(other);

  pb::Assessment draft = Dated(t, a.id(), "2026-04-01", "isogj");
  EXPECT_FALSE(moved()) << "a draft created";
  draft = update(draft, "answers written", pb::DRAFT);
  EXPECT_FALSE(moved()) << "a draft written";
  draft = update(draft, "submitted", pb::SUBMITTED);
  EXPECT_FALSE(moved()) << "submitted";
  draft = update(draft, "approved", pb::APPROVED);
  EXPECT_TRUE(moved()) << "approved";
  draft = update(draft, "reopened", pb::DRAFT);
  EXPECT_TRUE(moved()) << "reopened";
  draft = update(draft, "approved again", pb::APPROVED);
  EXPECT_TRUE(moved());
  ASSERT_TRUE(store_->DeleteAssessment(As(t), a.id(), draft.id(), "", W()).ok());
  EXPECT_TRUE(moved()) << "an approved one deleted";

  pb::Assessment imported;
  imported.set_organization_id(b.id());
  imported.set_catalogue_id("isogj");
  imported.set_catalogue_version("1");
  imported.set_title("FY 2025");
  imported.set_assessed_on("2025-04-01");
  imported.set_status(pb::APPROVED);
  ASSERT_TRUE(store_->CreateAssessment(As(t), imported, W()).ok());
  EXPECT_TRUE(moved()) << "history imported approved";
  const pb::Assessment gone = Dated(t, b.id(), "2026-05-01", "isogj");
  EXPECT_FALSE(moved());
  ASSERT_TRUE(store_->DeleteAssessment(As(t), b.id(), gone.id(), "", W()).ok());
  EXPECT_FALSE(moved()) << "a draft deleted";
  // Whoever writes: an older replica during a rolling deploy, a migration, SQL run by hand.
  auto by_hand = [&](const std::string& sql) {
    ASSERT_TRUE(
        database()
            .Run([&](db::Connection& c) -> absl::Status { return c.Exec(sql, {t}).status(); })
            .ok())
        << sql;
  };
  by_hand("UPDATE assessments SET title='by hand' WHERE tenant_id=$1 AND status='DRAFT'");
  EXPECT_FALSE(moved()) << "drafts changed by hand";
  by_hand("UPDATE assessments SET title='by hand' WHERE tenant_id=$1 AND status='APPROVED'");
  EXPECT_TRUE(moved()) << "an approved one changed by hand";

  ASSERT_TRUE(store_
                  ->UpdateOrganization(
                      As(t), b.id(),
                      [](pb::Organization& o) {
                        o.set_industry("finance");
                        return absl::OkStatus();
                      },
                      W())
                  .ok());
  EXPECT_TRUE(moved()) << "an organisation's industry changed";
  ASSERT_TRUE(store_->DeleteOrganization(As(t), b.id(), /*force=*/true, W()).ok());
  EXPECT_TRUE(moved()) << "an organisation deleted";
  EXPECT_EQ(generation(other), others) << "another tenant's changes do not move this one";
}

TEST_P(PracticeStoreTest, CommentsAndEvidenceStayWithTheirAssessment) {
  const std::string t = NewTenant("MSSP");
  const pb::Organization org = Org(t, "A", "finance", "gold");
  const pb::Assessment as = Dated(t, org.id(), "2026-04-01", "isogj");
  for (const char* body : {"first", "second"}) {
    pb::RoleComment comment;
    comment.set_role_code("A-1");
    comment.set_body(body);
    ASSERT_TRUE(practice_->CreateComment(As(t), org.id(), as.id(), comment, W()).ok());
  }
  auto comments = practice_->ListComments(As(t), org.id(), as.id(), "A-1", {0, 50});
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->items.size(), 2u);
  EXPECT_EQ(comments->items[0].body(), "first");
  EXPECT_EQ(comments->items[0].author(), "key_test");

  std::string bytes("\x89PNG\r\n\x1a\n\0\xff", 10);
  pb::Evidence evidence;
  evidence.set_role_code("A-1");
  evidence.set_filename("../../etc/passwd");
  evidence.set_content_type("image/png");
  auto added = practice_->AddEvidence(As(t), org.id(), as.id(), evidence, bytes, W());
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->size(), 10);
  auto got = practice_->GetEvidence(As(t), org.id(), as.id(), "A-1", added->id());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->second, bytes);
  EXPECT_EQ(got->first.filename(), "../../etc/passwd");
  // Another tenant, another role's path, another organisation's key: not found.
  EXPECT_EQ(practice_->GetEvidence(As(NewTenant("X")), org.id(), as.id(), "A-1", added->id())
                .status()
                .code(),
            C::kNotFound);
  EXPECT_EQ(practice_->GetEvidence(As(t), org.id(), as.id(), "A-2", added->id()).status().code(),
            C::kNotFound);
  const pb::Organization other = Org(t, "B", "finance", "gold");
  EXPECT_EQ(practice_->ListEvidence(Pinned(t, other.id()), org.id(), as.id(), "").status().code(),
            C::kNotFound);

  // Deleting the assessment takes its comments and evidence, bytes included.
  ASSERT_TRUE(store_->DeleteAssessment(As(t), org.id(), as.id(), "", W()).ok());
  EXPECT_EQ(blobs_->Get(t, added->id()).status().code(), C::kNotFound);
  EXPECT_EQ(practice_->ListComments(As(t), org.id(), as.id(), "", {0, 50}).status().code(),
            C::kNotFound);
  int64_t left = -1;
  ASSERT_TRUE(database()
                  .Run([&](db::Connection& c) -> absl::Status {
                    auto rows = c.Query(
                        "SELECT (SELECT COUNT(*) FROM role_comments) + (SELECT COUNT(*) FROM "
                        "evidence) + (SELECT COUNT(*) FROM evidence_blobs)");
                    if (!rows.ok()) return rows.status();
                    left = rows->front().Int(0);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(left, 0);
}

TEST_P(PracticeStoreTest, EvidenceIsRemovedFromADraftOnly) {
  const std::string t = NewTenant("MSSP");
  const pb::Organization org = Org(t, "A", "finance", "gold");
  const pb::Assessment as = Dated(t, org.id(), "2026-04-01", "isogj");
  pb::Evidence evidence;
  evidence.set_role_code("B-1");
  evidence.set_filename("policy.pdf");
  evidence.set_content_type("application/pdf");
  auto added = practice_->AddEvidence(As(t), org.id(), as.id(), evidence, "%PDF-1.7", W());
  ASSERT_TRUE(added.ok());
  ASSERT_TRUE(store_
                  ->UpdateAssessment(
                      As(t), org.id(), as.id(), "", "test",
                      [](pb::Assessment& a) {
                        return ApplyTransition(a, Transition::kSubmit, {"key_x", false});
                      },
                      W())
                  .ok());
  EXPECT_EQ(practice_->DeleteEvidence(As(t), org.id(), as.id(), "B-1", added->id(), W()).code(),
            C::kFailedPrecondition);
  ASSERT_TRUE(practice_->GetEvidence(As(t), org.id(), as.id(), "B-1", added->id()).ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, PracticeStoreTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         testing::EngineName);

}  // namespace
}  // namespace socm::assessment
