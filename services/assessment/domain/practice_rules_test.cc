#include "services/assessment/domain/practice_rules.h"

#include <gtest/gtest.h>

namespace socm::assessment {
namespace {

std::vector<std::string> Fields(const std::vector<FieldViolation>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.field());
  return out;
}

TEST(PracticeRulesTest, CampaignFieldsAreCheckedWithTheirPaths) {
  pb::CreateCampaignRequest r;
  r.set_assessed_on("2027-04-01");
  r.set_due_on("2027-03-01");
  r.add_organization_ids("org_1");
  r.add_organization_ids("");
  r.set_label("tier");
  EXPECT_EQ(
      Fields(ValidateNewCampaign(r)),
      (std::vector<std::string>{"catalogueId", "title", "dueOn", "organizationIds[1]", "label"}));
  r.set_catalogue_id("isogj-soc-csirt");
  r.set_title("FY2027");
  r.set_due_on("2027-06-30");
  r.clear_organization_ids();
  r.set_label("tier=gold");
  EXPECT_TRUE(ValidateNewCampaign(r).empty());
  std::string key, value;
  ASSERT_TRUE(ParseLabelFilter("region=eu=west", &key, &value));
  EXPECT_EQ(key, "region");
  EXPECT_EQ(value, "eu=west");
  EXPECT_FALSE(ParseLabelFilter("=x", &key, &value));
}

TEST(PracticeRulesTest, CommentsAndEvidence) {
  EXPECT_EQ(Fields(ValidateComment(" \n")), std::vector<std::string>{"body"});
  EXPECT_EQ(Fields(ValidateComment(std::string(kMaxCommentBytes + 1, 'x'))),
            std::vector<std::string>{"body"});
  EXPECT_EQ(Fields(ValidateComment("\xff")), std::vector<std::string>{"body"});
  EXPECT_TRUE(ValidateComment("<script>alert(1)</script> is only text").empty());
  EXPECT_TRUE(ValidateEvidence("policy.pdf", "application/pdf", 10).empty());
  EXPECT_TRUE(ValidateEvidence("log.txt", "text/plain;charset=utf-8", 10).empty());
  EXPECT_EQ(Fields(ValidateEvidence("", "text/html\r\nX-Evil: 1", kMaxEvidenceBytes + 1)),
            (std::vector<std::string>{"filename", "contentType", "content"}));
  EXPECT_EQ(Fields(ValidateEvidence("a.txt", "text", 0)),
            (std::vector<std::string>{"contentType", "content"}));
}

TEST(PracticeRulesTest, SafeFileNames) {
  EXPECT_EQ(SafeFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(SafeFileName("..\\..\\boot.ini"), "boot.ini");
  EXPECT_EQ(SafeFileName("a\r\nContent-Type: text.txt"), "a_Content-Type_text.txt");
  EXPECT_EQ(SafeFileName("say \"hi\".pdf"), "say_hi_.pdf");
  EXPECT_EQ(SafeFileName("invoice\xE2\x80\xAE"
                         "fdp.exe"),
            "invoice_fdp.exe");
  EXPECT_EQ(SafeFileName("報告書.pdf"), "_.pdf");
  EXPECT_EQ(SafeFileName("..."), "evidence");
  EXPECT_EQ(SafeFileName(".htaccess"), "htaccess");
  EXPECT_EQ(SafeFileName(std::string(300, 'a')).size(), 100u);
}

}  // namespace
}  // namespace socm::assessment
