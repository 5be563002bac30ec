#include "services/assessment/domain/audit_changes.h"

#include <gtest/gtest.h>

#include <map>

namespace socm::assessment {
namespace {

namespace pb = soc::maturity::assessment::v1;

pb::Assessment FiftyFour() {
  pb::Assessment a;
  a.set_id("as_1");
  a.set_title("FY2026");
  a.set_status(pb::DRAFT);
  a.set_revision(7);
  a.set_etag("e7");
  for (int i = 1; i <= 54; ++i) {
    auto* answer = a.add_answers();
    answer->set_role_code("R-" + std::to_string(i));
    answer->set_note(std::string(200, 'n'));
  }
  return a;
}

std::map<std::string, pb::AuditChange> ByField(const std::vector<pb::AuditChange>& changes) {
  std::map<std::string, pb::AuditChange> out;
  for (const auto& c : changes) out[c.field()] = c;
  return out;
}

TEST(AuditChangesTest, OneSavedAnswerIsOneChangeWithItsBeforeAndAfter) {
  const pb::Assessment before = FiftyFour();
  pb::Assessment after = before;
  after.mutable_answers(3)->set_note("checked with the SOC lead");
  after.set_revision(8);
  after.set_etag("e8");
  after.mutable_update_time()->set_seconds(100);
  const auto changes = AssessmentChanges(before, after);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].field(), "answers.R-4");
  EXPECT_NE(changes[0].before_json().find("nnnn"), std::string::npos);
  EXPECT_NE(changes[0].after_json().find("checked with the SOC lead"), std::string::npos);
  // Small: the one answer, not the 54 of them twice.
  EXPECT_LT(changes[0].before_json().size() + changes[0].after_json().size(), 600u);
}

TEST(AuditChangesTest, AddedRemovedAnswersAndOtherFieldsAreEachOneChange) {
  pb::Assessment before = FiftyFour();
  pb::Assessment after = before;
  after.mutable_answers()->RemoveLast();  // R-54 cleared
  auto* added = after.add_answers();
  added->set_role_code("X-1");
  after.set_status(pb::SUBMITTED);
  after.set_submitted_by("key_1");
  (*after.mutable_function_targets())["A"] = 3;
  const auto changes = ByField(AssessmentChanges(before, after));
  ASSERT_EQ(changes.size(), 5u);
  EXPECT_EQ(changes.at("answers.R-54").after_json(), "");
  EXPECT_EQ(changes.at("answers.X-1").before_json(), "");
  EXPECT_NE(changes.at("status").before_json().find("DRAFT"), std::string::npos);
  EXPECT_NE(changes.at("status").after_json().find("SUBMITTED"), std::string::npos);
  EXPECT_NE(changes.at("submittedBy").after_json().find("key_1"), std::string::npos);
  EXPECT_NE(changes.at("functionTargets").after_json().find("\"A\":3"), std::string::npos);
}

TEST(AuditChangesTest, NothingChangedIsNoChange) {
  const pb::Assessment a = FiftyFour();
  pb::Assessment b = a;
  b.set_revision(8);
  b.set_etag("e8");
  EXPECT_TRUE(AssessmentChanges(a, b).empty());
}

}  // namespace
}  // namespace socm::assessment
