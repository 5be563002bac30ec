#pragma once
// Reads a filled self-check workbook (XLSX) into answers, as ../shared/spec/isogj-sheet.md
// lays it out: our own sheet.xlsx and sheets in the ISOG-J layout made by other tools. A pure
// function of the file's bytes and the catalogue; libzip and libxml2 read the formats.
//
// Two kinds of trouble:
// - the file is not a workbook we can read at all, or is hostile (not a ZIP, unpacks past the
//   limit, a DTD, XML nested too deep, a shared-string index out of range, too many rows):
//   an INVALID_ARGUMENT status with a message a person understands, after bounded work;
// - the workbook reads, but some rows are wrong (an unknown mark, two marks in a group, a role
//   listed twice, a code the catalogue lacks, a target off the scale, a formula without a
//   value): SheetRead::problems, each with its cell ("入力シート!F12") and role code, beside
//   every answer that did read.
// Example:
//   auto read = ReadSheet(bytes, catalogue);
//   if (read.ok() && read->problems.empty()) ... read->answers ...

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"

namespace socm::assessment {

struct SheetLimits {
  // What all the parts the reader opens may unpack to, together.
  uint64_t max_unpacked_bytes = 50ull << 20;
  int max_entries = 2000;
  int max_xml_depth = 64;
  int max_rows = 10000;
  int max_cells = 200000;
  int max_shared_strings = 200000;
  int max_sheets_searched = 32;
};

struct SheetProblem {
  std::string cell;  // "入力シート!F12"; the sheet alone when no cell applies
  std::string role_code;
  std::string message;
};

struct SheetRead {
  std::string sheet_name;
  // One answer per role row the sheet has, in sheet order, with levels and short forms.
  std::vector<soc::maturity::assessment::v1::Answer> answers;
  std::vector<SheetProblem> problems;
  // The sheet's 記入日 (or Date) as YYYY-MM-DD, when it has one.
  std::string assessed_on;
};

absl::StatusOr<SheetRead> ReadSheet(std::string_view xlsx,
                                    const soc::maturity::catalogue::v1::Catalogue& catalogue,
                                    const SheetLimits& limits = {});

// "A-1", "A-1.", "Ａ－１", " A‐1 " -> "A-1": full-width forms folded, dashes unified, spaces
// and a trailing dot dropped. Exposed for tests.
std::string NormalizeRoleCode(std::string_view text);

// "F12" from a zero-based row and column.
std::string CellName(int row, int column);

}  // namespace socm::assessment
