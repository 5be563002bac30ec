#include <gtest/gtest.h>

#include <vector>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

const fixture::Example& Ex() {
  static const fixture::Example ex = fixture::WorkedExample();
  return ex;
}

using Records = std::vector<std::vector<std::string>>;

// A strict RFC 4180 reader: CRLF between records, quotes doubled inside
// quoted fields; anything else fails the test.
Records Parse(const std::string& csv) {
  Records records(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    std::string& field = records.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty()) << "quote inside an unquoted field at " << i;
      quoted = true;
    } else if (c == ',') {
      records.back().emplace_back();
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < csv.size() && csv[i + 1] == '\n') << "bare CR at " << i;
      ++i;
      if (i + 1 < csv.size()) records.emplace_back(1);
    } else {
      EXPECT_NE(c, '\n') << "bare LF outside quotes at " << i;
      field.push_back(c);
    }
  }
  EXPECT_FALSE(quoted);
  return records;
}

TEST(CsvReportTest, BomHeaderAndOneRowPerRole) {
  const std::string csv = RenderCsv(fixture::InputFor(Ex(), Lang::kEn));
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const Records records = Parse(csv.substr(3));
  ASSERT_EQ(records.size(), 55u);
  EXPECT_EQ(records[0],
            (std::vector<std::string>{"Function code", "Function", "Role code", "Role name",
                                      "In-source", "Out-source", "Effective", "Target", "Note"}));
  for (const auto& r : records) EXPECT_EQ(r.size(), 9u);
  // in 4, no out-source, effective 4, target 5.
  EXPECT_EQ(records[1], (std::vector<std::string>{"A", "SOC/CSIRT management", "A-1",
                                                  "Overall policy management", "4", "", "4", "5",
                                                  "documented, approved by the CISO"}));
  EXPECT_EQ(records.back()[2], "I-5");
}

TEST(CsvReportTest, JapaneseHeaderAndNames) {
  const Records records = Parse(RenderCsv(fixture::InputFor(Ex(), Lang::kJa)).substr(3));
  ASSERT_EQ(records.size(), 55u);
  EXPECT_EQ(records[0][0], "機能コード");
  EXPECT_EQ(records[1][1], "セキュリティ対応組織運営");
  EXPECT_EQ(records[1][3], "全体方針管理");
}

TEST(CsvReportTest, QuotesCommaQuoteAndNewline) {
  fixture::Example ex = Ex();
  const std::string note = "one, \"two\"\nthree";
  fixture::FindAnswer(ex.assessment, "B-1")->set_note(note);
  fixture::FindAnswer(ex.assessment, "B-2")->clear_in_source();
  fixture::FindAnswer(ex.assessment, "B-2")->clear_out_source();
  for (auto& f : *ex.score.mutable_functions()) {
    for (auto& r : *f.mutable_roles()) {
      if (r.code() == "B-2") {
        r.clear_in_source();
        r.clear_out_source();
        r.clear_effective();
        r.set_counted(false);
      }
    }
  }
  const std::string csv = RenderCsv(fixture::InputFor(ex, Lang::kEn));
  EXPECT_NE(csv.find("\"one, \"\"two\"\"\nthree\""), std::string::npos);
  const Records records = Parse(csv.substr(3));
  ASSERT_EQ(records.size(), 55u);
  const auto row = [&](const std::string& code) {
    for (const auto& r : records) {
      if (r[2] == code) return r;
    }
    return std::vector<std::string>();
  };
  EXPECT_EQ(row("B-1")[8], note);
  EXPECT_EQ(row("B-2")[4], "");
  EXPECT_EQ(row("B-2")[5], "");
  EXPECT_EQ(row("B-2")[6], "");
}

TEST(CsvReportTest, DefusesFormulas) {
  fixture::Example ex = Ex();
  fixture::FindAnswer(ex.assessment, "A-1")->set_note("=HYPERLINK(\"http://x\",\"y\")");
  const Records records = Parse(RenderCsv(fixture::InputFor(ex, Lang::kEn)).substr(3));
  EXPECT_EQ(records[1][8], "'=HYPERLINK(\"http://x\",\"y\")");
}

}  // namespace
}  // namespace socm::reporting
