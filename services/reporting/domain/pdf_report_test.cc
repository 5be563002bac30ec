#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

TEST(PdfReportTest, IsA4WithSeveralPagesAndAnEmbeddedCjkFont) {
  fixture::Example ex = fixture::WorkedExample();
  fixture::FindAnswer(ex.assessment, "A-1")->set_note("<b>not markup</b> & \x01 note");
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    auto pdf = RenderPdf(fixture::InputFor(ex, lang, "株式会社 <ACME>"));
    ASSERT_TRUE(pdf.ok()) << pdf.status();
    EXPECT_EQ(pdf->substr(0, 4), "%PDF");

    const std::string path = ::testing::TempDir() + "/report.pdf";
    fixture::WriteFile(path, *pdf);
    int status = 0;
    const std::string info = fixture::Run("pdfinfo '" + path + "' 2>&1", &status);
    ASSERT_EQ(status, 0) << info;
    EXPECT_NE(info.find("(A4)"), std::string::npos) << info;
    std::smatch pages;
    ASSERT_TRUE(std::regex_search(info, pages, std::regex("Pages:\\s+(\\d+)"))) << info;
    EXPECT_GE(std::stoi(pages[1]), 2) << info;

    // pdffonts: name, type, encoding, emb, sub, uni, object, generation.
    const std::string fonts = fixture::Run("pdffonts '" + path + "' 2>&1", &status);
    ASSERT_EQ(status, 0) << fonts;
    EXPECT_TRUE(std::regex_search(
        fonts, std::regex("Noto(Sans|Serif)CJK\\S*\\s+.*\\s+yes\\s+yes\\s+(yes|no)\\s+\\d+")))
        << fonts;
    EXPECT_EQ(fonts.find(" no  "), std::string::npos) << "a font is not embedded:\n" << fonts;

    // The text is searchable and in the chosen language; a note prints as
    // text, never as Pango markup. Whitespace goes, as cells wrap lines.
    std::string text = fixture::Run("pdftotext '" + path + "' - 2>&1", &status);
    ASSERT_EQ(status, 0);
    text.erase(std::remove_if(text.begin(), text.end(),
                              [](unsigned char c) { return std::isspace(c) != 0; }),
               text.end());
    EXPECT_NE(text.find(lang == Lang::kJa ? "セキュリティ対応組織運営" : "SOC/CSIRTmanagement"),
              std::string::npos);
    EXPECT_NE(text.find("<b>notmarkup</b>&note"), std::string::npos);
    EXPECT_NE(text.find("I-5"), std::string::npos);
  }
}

TEST(PdfReportTest, CutsANoteTooLongForOnePage) {
  fixture::Example ex = fixture::WorkedExample();
  std::string note;
  for (int i = 0; i < 500; ++i) note += "word" + std::to_string(i) + " ";
  fixture::FindAnswer(ex.assessment, "C-2")->set_note(note);
  auto pdf = RenderPdf(fixture::InputFor(ex, Lang::kEn));
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  const std::string path = ::testing::TempDir() + "/long-note.pdf";
  fixture::WriteFile(path, *pdf);
  int status = 0;
  const std::string text = fixture::Run("pdftotext '" + path + "' - 2>&1", &status);
  ASSERT_EQ(status, 0);
  EXPECT_NE(text.find("word10"), std::string::npos);
  EXPECT_EQ(text.find("word499"), std::string::npos);
  EXPECT_NE(text.find("\u2026"), std::string::npos);
}

}  // namespace
}  // namespace socm::reporting
