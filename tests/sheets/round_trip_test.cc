// Export, then import: the sheet we write reads back as exactly the answers, targets and
// notes it was written from, on ISOG-J (two dimensions, 0..5) and SIM3 (one, 0..4), in both
// languages, for random answer sets, notes in Japanese, emoji and text that looks like a formula.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "services/assessment/domain/sheet_reader.h"
#include "services/catalogue/domain/model_shape.h"
#include "services/reporting/domain/report.h"

namespace socm {
namespace {

namespace apb = soc::maturity::assessment::v1;
namespace cpb = soc::maturity::catalogue::v1;

cpb::Catalogue Load(const std::string& relative) {
  std::ifstream in(std::string(SOCM_CATALOGUE_DATA_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  cpb::Catalogue c;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &c).ok());
  catalogue::NormalizeCatalogue(c);
  return c;
}

apb::Assessment RandomAnswers(const cpb::Catalogue& c, unsigned seed) {
  static const char* kNotes[] = {"方針は文書化済み、CISO 承認",
                                 "24/7 by the MSSP 🛡️",
                                 "=HYPERLINK(\"http://evil.example\",\"click\")",
                                 "+1 -1 @SUM(A1)",
                                 "line one\nline two",
                                 "<b>&amp;</b>"};
  std::mt19937 random(seed);
  const catalogue::Scale scale = catalogue::ScaleOf(c);
  apb::Assessment a;
  a.set_assessed_on("2026-12-04");
  for (const auto& f : c.functions()) {
    for (const auto& r : f.roles()) {
      apb::Answer answer;
      answer.set_role_code(r.code());
      for (const auto& d : c.dimensions()) {
        if (random() % 3 == 0) continue;  // this dimension unanswered
        (*answer.mutable_levels())[d.code()] =
            scale.lowest + static_cast<int>(random() % scale.Size());
      }
      if (random() % 4 == 0)
        answer.set_target(scale.lowest + static_cast<int>(random() % scale.Size()));
      if (random() % 3 == 0) answer.set_note(kNotes[random() % 6]);
      catalogue::FillShortForms(answer);
      *a.add_answers() = answer;
    }
  }
  return a;
}

void RoundTrip(const cpb::Catalogue& c, reporting::Lang lang, unsigned seed) {
  const apb::Assessment written = RandomAnswers(c, seed);
  auto xlsx = reporting::RenderSheet({nullptr, &c, &written, "株式会社サンプル", lang});
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  auto read = assessment::ReadSheet(*xlsx, c);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->problems.empty())
      << read->problems[0].cell << ": " << read->problems[0].message;
  EXPECT_EQ(read->sheet_name, lang == reporting::Lang::kJa ? "入力シート" : "Input");
  EXPECT_EQ(read->assessed_on, "2026-12-04");
  ASSERT_EQ(read->answers.size(), static_cast<size_t>(written.answers_size()));
  for (int i = 0; i < written.answers_size(); ++i) {
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(read->answers[i], written.answers(i)))
        << c.id() << " seed " << seed << " " << written.answers(i).DebugString() << " read as "
        << read->answers[i].DebugString();
  }
}

TEST(SheetRoundTripTest, IsogjAnswersTargetsAndNotesComeBackExactly) {
  const cpb::Catalogue c = Load("isogj-soc-csirt/2.1.1.json");
  for (unsigned seed = 1; seed <= 6; ++seed) {
    RoundTrip(c, seed % 2 ? reporting::Lang::kJa : reporting::Lang::kEn, seed);
  }
}

TEST(SheetRoundTripTest, Sim3AnswersComeBackExactly) {
  const cpb::Catalogue c = Load("sim3/1.json");
  for (unsigned seed = 1; seed <= 4; ++seed) {
    RoundTrip(c, seed % 2 ? reporting::Lang::kJa : reporting::Lang::kEn, seed);
  }
}

TEST(SheetRoundTripTest, TheBlankSheetReadsAsNoAnswers) {
  const cpb::Catalogue c = Load("isogj-soc-csirt/2.1.1.json");
  auto xlsx = reporting::RenderSheet({nullptr, &c, nullptr, "", reporting::Lang::kJa});
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  auto read = assessment::ReadSheet(*xlsx, c);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->problems.empty());
  ASSERT_EQ(read->answers.size(), 54u);
  for (const auto& a : read->answers) {
    EXPECT_TRUE(a.levels().empty() && !a.has_note() && !a.has_target()) << a.DebugString();
  }
}

// Our export, opened and saved again by LibreOffice, still imports to the same answers; its PDF
// is left beside it for a person to look at. Runs where soffice is installed (not in CI:
// apt-get install libreoffice-calc, then ctest -R sheet_round_trip or this binary).
TEST(SheetRoundTripTest, ReSavedByLibreOfficeItStillImports) {
  if (std::system("command -v soffice >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "soffice not installed (apt-get install libreoffice-calc)";
  }
  const cpb::Catalogue c = Load("isogj-soc-csirt/2.1.1.json");
  const apb::Assessment written = RandomAnswers(c, 42);
  auto xlsx =
      reporting::RenderSheet({nullptr, &c, &written, "株式会社サンプル", reporting::Lang::kJa});
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  const char* env = std::getenv("SOCM_SHEET_SAMPLES");
  const std::string dir = env != nullptr ? env : ::testing::TempDir() + "/socm-sheet-lo";
  std::filesystem::create_directories(dir + "/resaved");
  std::ofstream(dir + "/sheet.xlsx", std::ios::binary) << *xlsx;
  const std::string soffice = "soffice --headless --norestore -env:UserInstallation=file://" + dir +
                              "/profile --convert-to ";
  ASSERT_EQ(std::system((soffice + "xlsx --outdir '" + dir + "/resaved' '" + dir +
                         "/sheet.xlsx' >/dev/null 2>&1")
                            .c_str()),
            0);
  ASSERT_EQ(
      std::system((soffice + "pdf --outdir '" + dir + "' '" + dir + "/sheet.xlsx' >/dev/null 2>&1")
                      .c_str()),
      0);
  std::ifstream in(dir + "/resaved/sheet.xlsx", std::ios::binary);
  const std::string resaved((std::istreambuf_iterator<char>(in)), {});
  ASSERT_FALSE(resaved.empty());
  EXPECT_NE(resaved, *xlsx) << "LibreOffice wrote its own file";
  auto read = assessment::ReadSheet(resaved, c);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->problems.empty());
  ASSERT_EQ(read->answers.size(), static_cast<size_t>(written.answers_size()));
  for (int i = 0; i < written.answers_size(); ++i) {
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(read->answers[i], written.answers(i)))
        << written.answers(i).DebugString() << " read as " << read->answers[i].DebugString();
  }
}

}  // namespace
}  // namespace socm
