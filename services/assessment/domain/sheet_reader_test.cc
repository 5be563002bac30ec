// The importer on workbooks another writer made (tests/sheets/make_sheets.py: openpyxl, and
// zipfile for inline strings, formulas and hostile parts), generated here, never committed.
#include "services/assessment/domain/sheet_reader.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "services/catalogue/store/builtin_store.h"

namespace socm::assessment {
namespace {

using nlohmann::json;
namespace cpb = soc::maturity::catalogue::v1;

const cpb::Catalogue& Isogj() {
  static const cpb::Catalogue c = [] {
    auto store = catalogue::BuiltinCatalogueStore::Load(SOCM_CATALOGUE_DATA_DIR);
    return **(*store)->Get(TenantId(), "isogj-soc-csirt", "2.1");
  }();
  return c;
}

struct Made {
  std::string bytes;
  std::vector<json> expected;  // what the generator says it wrote, one object a line
};

Made Make(const std::string& kind) {
  const std::string out = ::testing::TempDir() + "/sheet-" + kind + ".xlsx";
  const std::string command = std::string("/usr/bin/python3 ") + SOCM_SOURCE_DIR +
                              "/tests/sheets/make_sheets.py " + kind + " '" + out + "' " +
                              SOCM_CATALOGUE_DATA_DIR + "/isogj-soc-csirt/2.1.json";
  Made made;
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) made.expected.push_back(json::parse(line));
  }
  std::ifstream in(out, std::ios::binary);
  made.bytes.assign(std::istreambuf_iterator<char>(in), {});
  return made;
}

json AsJson(const soc::maturity::assessment::v1::Answer& a) {
  json out = {{"roleCode", a.role_code()}};
  if (a.has_in_source()) out["inSource"] = a.in_source();
  if (a.has_out_source()) out["outSource"] = a.out_source();
  if (a.has_level()) out["level"] = a.level();
  if (a.has_target()) out["target"] = a.target();
  if (a.has_note()) out["note"] = a.note();
  return out;
}

void ExpectAnswers(const SheetRead& read, const std::vector<json>& expected) {
  ASSERT_EQ(read.answers.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(AsJson(read.answers[i]), expected[i]) << "answer " << i;
  }
}

TEST(SheetReaderTest, NormalizesRoleCodesAsPeopleWriteThem) {
  for (const char* text : {"A-1", "A-1.", " A-1 ", "A－1", "Ａ－１", "a-1", "A‐1", "A−1"}) {
    EXPECT_EQ(NormalizeRoleCode(text), "A-1") << text;
  }
  EXPECT_EQ(CellName(11, 5), "F12");
  EXPECT_EQ(CellName(0, 27), "AB1");
}

TEST(SheetReaderTest, AnIsogjLayoutWorkbookGivesItsAnswersExactly) {
  const Made made = Make("isogj");
  auto read = ReadSheet(made.bytes, Isogj());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->problems.empty()) << read->problems[0].cell << " " << read->problems[0].message;
  EXPECT_EQ(read->sheet_name, "入力シート");
  EXPECT_EQ(read->assessed_on, "2025-03-31");
  ASSERT_EQ(made.expected.size(), 54u);
  ExpectAnswers(*read, made.expected);
}

TEST(SheetReaderTest, TheVariationsTheLayoutAllowsReadTheSame) {
  // Shifted columns, out-source first, numbers as text, every mark and non-mark, codes with
  // dots, spaces and full-width forms, comment and blank rows.
  const Made made = Make("variations");
  auto read = ReadSheet(made.bytes, Isogj());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->problems.empty()) << read->problems[0].cell << " " << read->problems[0].message;
  ExpectAnswers(*read, made.expected);
}

TEST(SheetReaderTest, AnotherSheetNameIsFoundByItsRoleCodes) {
  const Made made = Make("renamed");
  auto read = ReadSheet(made.bytes, Isogj());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->sheet_name, "Sheet1");
  ExpectAnswers(*read, made.expected);
}

TEST(SheetReaderTest, InlineStringsFormulasCharacterReferencesAndTargets) {
  const Made made = Make("inline_and_formulas");
  auto read = ReadSheet(made.bytes, Isogj());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->problems.empty());
  ExpectAnswers(*read, made.expected);
}

TEST(SheetReaderTest, EveryProblemNamesItsCellAndTheRestStillReads) {
  const Made made = Make("problems");
  auto read = ReadSheet(made.bytes, Isogj());
  ASSERT_TRUE(read.ok()) << read.status();
  std::vector<std::string> cells;
  for (const auto& p : read->problems) cells.push_back(p.cell);
  std::vector<std::string> expected;
  for (const auto& e : made.expected) expected.push_back(e["cell"]);
  EXPECT_EQ(cells, expected);
  EXPECT_NE(read->problems[0].message.find("△"), std::string::npos);
  EXPECT_NE(read->problems[1].message.find("E4 and F4"), std::string::npos);
  EXPECT_NE(read->problems[2].message.find("listed twice"), std::string::npos);
  EXPECT_EQ(read->problems[3].role_code, "A-99");
  EXPECT_NE(read->problems[4].message.find("0..5"), std::string::npos);
  EXPECT_NE(read->problems[5].message.find("formula"), std::string::npos);
  EXPECT_EQ(read->answers.back().role_code(), "A-5");
  EXPECT_EQ(read->answers.back().in_source(), 2);
}

size_t PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<size_t>(usage.ru_maxrss);
}

TEST(SheetReaderTest, HostileFilesAreRefusedWithAClearMessageInBoundedTimeAndMemory) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not_a_zip", "not an XLSX workbook"},
      {"bomb", "unpacks to more than 50 MiB"},
      {"lying_bomb", "workbook: "},
      {"dtd", "holds a DTD"},
      {"deep", "nested deeper than"},
      {"bad_index", "refers to shared string 999 of 1"},
      {"million_rows", "more than 10000 rows"},
  };
  for (const auto& [kind, message] : cases) {
    const Made made = Make(kind);
    [[maybe_unused]] const size_t rss_before = PeakRssKb();
    const auto start = std::chrono::steady_clock::now();
    auto read = ReadSheet(made.bytes, Isogj());
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(read.ok()) << kind;
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << kind;
    EXPECT_NE(read.status().message().find(message), std::string::npos)
        << kind << ": " << read.status();
    // Generous bounds (sanitizer builds run this too); BENCHMARKS.md has the measured figures.
    EXPECT_LT(took, std::chrono::seconds(5)) << kind;
#ifndef __SANITIZE_ADDRESS__
    // AddressSanitizer keeps freed memory in quarantine (256 MiB), so only a plain build can
    // tell what the reader itself holds.
    EXPECT_LT(PeakRssKb() - rss_before, 64u * 1024) << kind << " grew the peak by over 64 MiB";
#endif
  }
  EXPECT_FALSE(ReadSheet("", Isogj()).ok());
}

}  // namespace
}  // namespace socm::assessment
