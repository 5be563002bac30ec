#include "services/assessment/domain/assessment_rules.h"

#include <gtest/gtest.h>

#include "services/catalogue/store/builtin_store.h"

namespace socm::assessment {
namespace {

RoleIndex Isogj() {
  auto store = catalogue::BuiltinCatalogueStore::Load(SOCM_CATALOGUE_DATA_DIR);
  EXPECT_TRUE(store.ok());
  return IndexRoles(**(*store)->Get(TenantId(), "isogj-soc-csirt", ""));
}

pb::Answer MakeAnswer(const std::string& code, std::optional<int> in, std::optional<int> out) {
  pb::Answer a;
  a.set_role_code(code);
  if (in) a.set_in_source(*in);
  if (out) a.set_out_source(*out);
  return a;
}

TEST(AssessmentRulesTest, IndexHas54RolesAnd9Functions) {
  const RoleIndex index = Isogj();
  EXPECT_EQ(index.roles.size(), 54u);
  EXPECT_EQ(index.functions.size(), 9u);
}

TEST(AssessmentRulesTest, AnswersMergeAndUnansweredIsNotZero) {
  pb::Assessment a;
  google::protobuf::RepeatedPtrField<pb::Answer> answers;
  *answers.Add() = MakeAnswer("B-1", 3, std::nullopt);
  *answers.Add() = MakeAnswer("A-1", 0, 4);
  ASSERT_TRUE(ApplyAnswers(a, answers, Isogj(), "answers").ok());
  ASSERT_EQ(a.answers_size(), 2);
  EXPECT_EQ(a.answers(0).role_code(), "A-1");
  EXPECT_TRUE(a.answers(0).has_in_source());
  EXPECT_EQ(a.answers(0).in_source(), 0);
  EXPECT_FALSE(a.answers(1).has_out_source());

  // Replacing an answer replaces all of it; an empty answer removes it.
  answers.Clear();
  *answers.Add() = MakeAnswer("A-1", std::nullopt, 2);
  *answers.Add() = MakeAnswer("B-1", std::nullopt, std::nullopt);
  ASSERT_TRUE(ApplyAnswers(a, answers, Isogj(), "answers").ok());
  ASSERT_EQ(a.answers_size(), 1);
  EXPECT_FALSE(a.answers(0).has_in_source());
  EXPECT_EQ(a.answers(0).out_source(), 2);
}

TEST(AssessmentRulesTest, OneBadAnswerChangesNothingAndEveryProblemHasItsPath) {
  pb::Assessment a;
  *a.add_answers() = MakeAnswer("A-1", 1, std::nullopt);
  const std::string before = a.SerializeAsString();
  google::protobuf::RepeatedPtrField<pb::Answer> answers;
  *answers.Add() = MakeAnswer("A-2", 3, std::nullopt);
  *answers.Add() = MakeAnswer("A-3", 2, std::nullopt);
  *answers.Add() = MakeAnswer("A-4", 2, std::nullopt);
  *answers.Add() = MakeAnswer("A-5", 6, -1);
  *answers.Add() = MakeAnswer("Z-9", 1, std::nullopt);
  *answers.Add() = MakeAnswer("A-2", 1, std::nullopt);
  answers.Mutable(1)->set_note(std::string(4001, 'x'));
  answers.Mutable(2)->set_target(9);
  const absl::Status status = ApplyAnswers(a, answers, Isogj(), "answers");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : ViolationsOf(status)) fields.push_back(v.field());
  EXPECT_EQ(fields, (std::vector<std::string>{"answers[1].note", "answers[2].target",
                                              "answers[3].inSource", "answers[3].outSource",
                                              "answers[4].roleCode", "answers[5].roleCode"}));
  EXPECT_EQ(a.SerializeAsString(), before);
}

TEST(AssessmentRulesTest, NotesMustBeUtf8) {
  pb::Assessment a;
  google::protobuf::RepeatedPtrField<pb::Answer> answers;
  *answers.Add() = MakeAnswer("A-1", 1, std::nullopt);
  answers.Mutable(0)->set_note("\xff\xfe");
  EXPECT_EQ(ViolationsOf(ApplyAnswers(a, answers, Isogj(), "answers"))[0].field(),
            "answers[0].note");
}

TEST(AssessmentRulesTest, StateMachine) {
  pb::Assessment a;
  a.set_status(pb::DRAFT);
  EXPECT_TRUE(CheckEditable(a).ok());
  const TransitionActor assessor{"key_assessor", false};
  const TransitionActor admin{"key_admin", true};
  EXPECT_EQ(ApplyTransition(a, Transition::kApprove, admin).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ApplyTransition(a, Transition::kReopen, admin).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ApplyTransition(a, Transition::kSubmit, assessor).ok());
  EXPECT_EQ(a.status(), pb::SUBMITTED);
  EXPECT_EQ(a.submitted_by(), "key_assessor");
  EXPECT_EQ(CheckEditable(a).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ApplyTransition(a, Transition::kApprove, admin).ok());
  EXPECT_EQ(a.status(), pb::APPROVED);
  EXPECT_EQ(ApplyTransition(a, Transition::kSubmit, admin).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ApplyTransition(a, Transition::kReopen, admin).ok());
  EXPECT_EQ(a.status(), pb::DRAFT);
}

TEST(AssessmentRulesTest, SeparationOfDuties) {
  pb::Assessment a;
  a.set_status(pb::DRAFT);
  const TransitionActor assessor{"key_assessor", false};
  const TransitionActor admin{"key_admin", true};
  const TransitionActor other_admin{"key_admin2", true};
  // The admin who submitted cannot approve; another admin can.
  ASSERT_TRUE(ApplyTransition(a, Transition::kSubmit, admin).ok());
  const absl::Status own = ApplyTransition(a, Transition::kApprove, admin);
  EXPECT_EQ(own.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(own.message().find("you submitted this assessment"), std::string::npos);
  EXPECT_EQ(a.status(), pb::SUBMITTED);
  ASSERT_TRUE(ApplyTransition(a, Transition::kApprove, other_admin).ok());
  // Only an admin reopens an approved assessment; a submitted one any assessor may.
  EXPECT_EQ(ApplyTransition(a, Transition::kReopen, assessor).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(a.status(), pb::APPROVED);
  ASSERT_TRUE(ApplyTransition(a, Transition::kReopen, admin).ok());
  ASSERT_TRUE(ApplyTransition(a, Transition::kSubmit, assessor).ok());
  ASSERT_TRUE(ApplyTransition(a, Transition::kReopen, assessor).ok());
  // The latest submit counts: submitted again by the admin, the admin cannot approve.
  ASSERT_TRUE(ApplyTransition(a, Transition::kSubmit, admin).ok());
  EXPECT_EQ(a.submitted_by(), "key_admin");
  EXPECT_EQ(ApplyTransition(a, Transition::kApprove, admin).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AssessmentRulesTest, NewAssessmentAndOrganizationValidation) {
  pb::CreateAssessmentRequest r;
  r.set_assessed_on("2026-02-30");
  r.set_title(std::string(201, 't'));
  std::vector<std::string> fields;
  for (const auto& v : ValidateNewAssessment(r)) fields.push_back(v.field());
  EXPECT_EQ(fields, (std::vector<std::string>{"catalogueId", "title", "assessedOn"}));
  r.set_catalogue_id("isogj-soc-csirt");
  r.set_title("FY2026");
  r.set_assessed_on("2024-02-29");
  EXPECT_TRUE(ValidateNewAssessment(r).empty());

  pb::Organization org;
  EXPECT_EQ(ValidateOrganization(org, "")[0].field(), "displayName");
  org.set_display_name("ACME 株式会社");
  org.set_employee_count(-1);
  EXPECT_EQ(ValidateOrganization(org, "")[0].field(), "employeeCount");
}

TEST(AssessmentRulesTest, FunctionTargetsNameRealFunctions) {
  google::protobuf::Map<std::string, double> targets;
  targets["A"] = 4;
  targets["Q"] = 3;
  targets["B"] = 5.5;
  std::vector<std::string> fields;
  for (const auto& v : ValidateFunctionTargets(targets, Isogj(), "functionTargets"))
    fields.push_back(v.field());
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{"functionTargets.B", "functionTargets.Q"}));
}

TEST(AssessmentRulesTest, AnswersStoredBeforeLevelsReadWithBothForms) {
  pb::Assessment stored;
  auto* old = stored.add_answers();
  old->set_role_code("A-1");
  old->set_in_source(3);
  old->set_out_source(1);
  NormalizeStoredAnswers(stored);
  EXPECT_EQ(stored.answers(0).levels().at("inSource"), 3);
  EXPECT_EQ(stored.answers(0).levels().at("outSource"), 1);
  EXPECT_EQ(stored.answers(0).in_source(), 3);
  EXPECT_FALSE(stored.answers(0).has_level());
}

TEST(AssessmentRulesTest, AnswersByLevelsAreStoredWithTheirShortForms) {
  pb::Assessment a;
  a.set_status(pb::DRAFT);
  google::protobuf::RepeatedPtrField<pb::Answer> answers;
  auto* one = answers.Add();
  one->set_role_code("A-2");
  (*one->mutable_levels())["outSource"] = 4;
  auto* two = answers.Add();
  two->set_role_code("A-3");
  two->set_in_source(2);
  ASSERT_TRUE(ApplyAnswers(a, answers, Isogj(), "answers").ok());
  EXPECT_EQ(a.answers(0).out_source(), 4);
  EXPECT_EQ(a.answers(1).levels().at("inSource"), 2);

  // A short form that disagrees with levels, a dimension ISOG-J lacks, a level off the scale.
  auto* clash = answers.Add();
  clash->set_role_code("A-4");
  clash->set_in_source(1);
  (*clash->mutable_levels())["inSource"] = 2;
  auto* other = answers.Add();
  other->set_role_code("A-5");
  other->set_level(3);
  auto* high = answers.Add();
  high->set_role_code("A-6");
  (*high->mutable_levels())["outSource"] = 6;
  std::set<std::string> fields;
  for (const auto& v : ViolationsOf(ApplyAnswers(a, answers, Isogj(), "answers"))) {
    fields.insert(v.field());
  }
  EXPECT_EQ(fields, (std::set<std::string>{"answers[2].inSource", "answers[3].level",
                                           "answers[4].levels.outSource"}));
}

TEST(AssessmentRulesTest, EtagDependsOnIdAndRevision) {
  EXPECT_EQ(Etag("as_1", 1), Etag("as_1", 1));
  EXPECT_NE(Etag("as_1", 1), Etag("as_1", 2));
  EXPECT_NE(Etag("as_1", 1), Etag("as_2", 1));
  EXPECT_EQ(Etag("as_1", 1).front(), '"');
}

}  // namespace
}  // namespace socm::assessment
