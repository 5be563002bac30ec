#include "services/assessment/domain/sheet_reader.h"

#include <libxml/xmlreader.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/assessment/domain/assessment_rules.h"
#include "services/catalogue/domain/model_shape.h"

namespace socm::assessment {
namespace {

namespace cpb = soc::maturity::catalogue::v1;
namespace pb = soc::maturity::assessment::v1;

absl::Status Refused(std::string message) {
  return absl::InvalidArgumentError(absl::StrCat("workbook: ", message));
}

// ---- text helpers ------------------------------------------------------------------------

// Decodes one UTF-8 code point at `i`, advancing it; U+FFFD on a bad byte.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = n == 1 ? b : b & (0xFF >> (n + 1));
  for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x3000;
}

// Full-width ASCII folded to ASCII, every dash to '-', spaces dropped, upper case.
std::string Fold(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = NextCodePoint(text, i);
    if (IsSpace(cp)) continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 || cp == 0x2014 ||
        cp == 0x2015 || cp == 0x2212 || cp == 0x30FC || cp == 0xFF70) {
      cp = '-';
    }
    if (cp >= 'a' && cp <= 'z') cp -= 32;
    AppendUtf8(out, cp);
  }
  return out;
}

std::string Trim(std::string_view text) {
  size_t begin = 0, end = text.size();
  // Trim ASCII and the two-byte/three-byte spaces Excel users type.
  auto space_at = [&](size_t i, size_t& width) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
      width = 1;
      return true;
    }
    if (text.substr(i, 2) == "\xC2\xA0") {
      width = 2;
      return true;
    }
    if (text.substr(i, 3) == "\xE3\x80\x80") {
      width = 3;
      return true;
    }
    return false;
  };
  size_t w = 0;
  while (begin < end && space_at(begin, w)) begin += w;
  while (end > begin) {
    size_t back = end - 1;
    while (back > begin && (static_cast<unsigned char>(text[back]) & 0xC0) == 0x80) --back;
    if (!space_at(back, w) || back + w != end) break;
    end = back;
  }
  return std::string(text.substr(begin, end - begin));
}

// The integer a cell's text means ("3", "3.0", "３"), if it means one.
std::optional<int> IntegerOf(std::string_view text) {
  const std::string folded = Fold(text);
  if (folded.empty() || folded.size() > 20) return std::nullopt;
  double value = 0;
  if (!absl::SimpleAtod(folded, &value) || !std::isfinite(value)) return std::nullopt;
  if (value != std::floor(value) || std::fabs(value) > 1e6) return std::nullopt;
  return static_cast<int>(value);
}

bool IsMark(const std::string& text) {
  static const std::set<std::string> kMarks = {"●", "◉", "■", "✓", "✔", "X", "1"};
  return kMarks.count(Fold(text)) > 0;
}

bool IsNotMark(const std::string& text) {
  static const std::set<std::string> kBlanks = {"", "○", "◯", "-", "0"};
  return kBlanks.count(Fold(text)) > 0;
}

// ---- the ZIP archive and its XML parts ---------------------------------------------------

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

// The bytes every part may still unpack to, shared by all of them.
struct Budget {
  uint64_t left;
  bool exhausted = false;
};

// One part of the archive as an XML stream: inflated as libxml2 asks for bytes, counted
// against the budget, and scanned for a DTD, which is refused rather than parsed.
struct PartStream {
  zip_file_t* file = nullptr;
  Budget* budget = nullptr;
  bool dtd = false;
  std::string tail;   // the end of the previous chunk, for a "<!DOCTYPE" split across two
  std::string error;  // libxml2's first message, instead of its printing to stderr

  static void OnError(void* context, xmlErrorPtr error) {
    auto* self = static_cast<PartStream*>(context);
    if (self->error.empty() && error != nullptr && error->message != nullptr) {
      self->error = Trim(error->message);
    }
  }

  static int Read(void* context, char* buffer, int length) {
    auto* self = static_cast<PartStream*>(context);
    if (self->budget->left == 0) {
      // One byte past the limit tells a part that ends exactly at it from one that goes on.
      char probe;
      if (zip_fread(self->file, &probe, 1) > 0) {
        self->budget->exhausted = true;
        return -1;
      }
      return 0;
    }
    const uint64_t want = std::min<uint64_t>(static_cast<uint64_t>(length), self->budget->left);
    const zip_int64_t n = zip_fread(self->file, buffer, want);
    if (n < 0) return -1;
    self->budget->left -= static_cast<uint64_t>(n);
    std::string window = self->tail;
    window.append(buffer, static_cast<size_t>(n));
    if (absl::StrContains(window, "<!DOCTYPE") || absl::StrContains(window, "<!ENTITY")) {
      self->dtd = true;
      return -1;
    }
    self->tail = window.substr(window.size() > 16 ? window.size() - 16 : 0);
    return static_cast<int>(n);
  }
  static int Close(void*) { return 0; }
};

struct ReaderFree {
  void operator()(xmlTextReaderPtr r) const { xmlFreeTextReader(r); }
};
using XmlReader = std::unique_ptr<xmlTextReader, ReaderFree>;

std::string Attribute(xmlTextReaderPtr r, const char* name) {
  xmlChar* value = xmlTextReaderGetAttribute(r, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

std::string_view LocalName(xmlTextReaderPtr r) {
  const xmlChar* name = xmlTextReaderConstLocalName(r);
  return name == nullptr ? std::string_view() : reinterpret_cast<const char*>(name);
}

class Workbook {
 public:
  Workbook(std::string_view bytes, const SheetLimits& limits)
      : bytes_(bytes), limits_(limits), budget_{limits.max_unpacked_bytes} {}

  absl::Status Open() {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
    if (source == nullptr) return Refused("cannot read the file");
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    zip_error_fini(&error);
    if (archive == nullptr) {
      zip_source_free(source);
      return Refused("not an XLSX workbook (the file is not a ZIP archive)");
    }
    zip_.reset(archive);
    if (zip_get_num_entries(archive, 0) > limits_.max_entries) {
      return Refused(absl::StrCat("more than ", limits_.max_entries, " parts"));
    }
    return absl::OkStatus();
  }

  bool Has(const std::string& name) const {
    return zip_name_locate(zip_.get(), name.c_str(), 0) >= 0;
  }

  // Streams the part through `visit(reader)` for each node. A missing part is NOT_FOUND.
  template <typename Visit>
  absl::Status Walk(const std::string& name, Visit visit) {
    const zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), 0);
    if (index < 0) return absl::NotFoundError(name);
    // A part that says it unpacks past the budget is refused before any inflating; one that
    // lies about its size is stopped by the budget as it unpacks.
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &stat) == 0 &&
        (stat.valid & ZIP_STAT_SIZE) && stat.size > budget_.left) {
      budget_.exhausted = true;
      return Refused(absl::StrCat("the workbook unpacks to more than ",
                                  limits_.max_unpacked_bytes >> 20, " MiB"));
    }
    zip_file_t* file = zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) return Refused(absl::StrCat("cannot unpack ", name));
    PartStream stream;
    stream.file = file;
    stream.budget = &budget_;
    XmlReader reader(xmlReaderForIO(&PartStream::Read, &PartStream::Close, &stream, nullptr,
                                    nullptr,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    absl::Status status = absl::OkStatus();
    if (reader == nullptr) {
      status = Refused(absl::StrCat("cannot read ", name));
    } else {
      xmlTextReaderSetStructuredErrorHandler(reader.get(), &PartStream::OnError, &stream);
    }
    while (status.ok()) {
      const int step = xmlTextReaderRead(reader.get());
      if (step == 0) break;
      if (step < 0) {
        status = Failed(stream, name);
        break;
      }
      if (xmlTextReaderNodeType(reader.get()) == XML_READER_TYPE_DOCUMENT_TYPE) {
        status = Refused(absl::StrCat(name, " holds a DTD; documents with DTDs are refused"));
        break;
      }
      if (xmlTextReaderDepth(reader.get()) > limits_.max_xml_depth) {
        status = Refused(
            absl::StrCat(name, " is nested deeper than ", limits_.max_xml_depth, " elements"));
        break;
      }
      status = visit(reader.get());
    }
    reader.reset();
    zip_fclose(file);
    return status;
  }

 private:
  absl::Status Failed(const PartStream& stream, const std::string& name) const {
    if (stream.dtd)
      return Refused(absl::StrCat(name, " holds a DTD; documents with DTDs are refused"));
    if (budget_.exhausted) {
      return Refused(absl::StrCat("the workbook unpacks to more than ",
                                  limits_.max_unpacked_bytes >> 20, " MiB"));
    }
    return Refused(absl::StrCat(name, " is not well-formed XML", stream.error.empty() ? "" : ": ",
                                stream.error));
  }

  std::string_view bytes_;
  const SheetLimits& limits_;
  Budget budget_;
  std::unique_ptr<zip_t, ZipCloser> zip_;
};

// ---- the parts: workbook, relationships, shared strings, a sheet -------------------------

struct SheetRef {
  std::string name;
  std::string part;  // "xl/worksheets/sheet1.xml"
};

absl::StatusOr<std::vector<SheetRef>> ListSheets(Workbook& book) {
  std::vector<std::pair<std::string, std::string>> named;  // name, relationship id
  SOCM_STATUS_RETURN(book.Walk("xl/workbook.xml", [&](xmlTextReaderPtr r) {
    if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && LocalName(r) == "sheet") {
      // r:id lives in the relationships namespace; its local name is "id".
      std::string id;
      while (xmlTextReaderMoveToNextAttribute(r) == 1) {
        if (LocalName(r) == "id") id = reinterpret_cast<const char*>(xmlTextReaderConstValue(r));
      }
      xmlTextReaderMoveToElement(r);
      named.emplace_back(Attribute(r, "name"), id);
    }
    return absl::OkStatus();
  }));
  std::map<std::string, std::string> targets;
  const absl::Status rels = book.Walk("xl/_rels/workbook.xml.rels", [&](xmlTextReaderPtr r) {
    if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && LocalName(r) == "Relationship") {
      targets[Attribute(r, "Id")] = Attribute(r, "Target");
    }
    return absl::OkStatus();
  });
  if (!rels.ok() && !absl::IsNotFound(rels)) return rels;
  std::vector<SheetRef> out;
  for (size_t i = 0; i < named.size(); ++i) {
    std::string target = targets.count(named[i].second) ? targets[named[i].second] : "";
    if (target.empty()) target = absl::StrCat("worksheets/sheet", i + 1, ".xml");
    if (absl::StartsWith(target, "/")) {
      target = target.substr(1);
    } else {
      target = "xl/" + target;
    }
    out.push_back({named[i].first, target});
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> SharedStrings(Workbook& book, const SheetLimits& limits) {
  std::vector<std::string> strings;
  int in_si = -1;       // depth of the open <si>, -1 when none
  int skip_depth = -1;  // depth of an <rPh> (phonetic reading) whose text is not the cell's
  bool in_t = false;
  const absl::Status status = book.Walk("xl/sharedStrings.xml", [&](xmlTextReaderPtr r) {
    const int type = xmlTextReaderNodeType(r);
    const int depth = xmlTextReaderDepth(r);
    const std::string_view name = LocalName(r);
    if (type == XML_READER_TYPE_ELEMENT) {
      if (name == "si") {
        if (static_cast<int>(strings.size()) >= limits.max_shared_strings) {
          return Refused(absl::StrCat("more than ", limits.max_shared_strings, " shared strings"));
        }
        strings.emplace_back();
        in_si = depth;
        if (xmlTextReaderIsEmptyElement(r)) in_si = -1;
      } else if (name == "rPh" && skip_depth < 0 && !xmlTextReaderIsEmptyElement(r)) {
        skip_depth = depth;
      } else if (name == "t" && in_si >= 0 && skip_depth < 0) {
        in_t = !xmlTextReaderIsEmptyElement(r);
      }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      if (name == "si") in_si = -1;
      if (name == "rPh" && depth == skip_depth) skip_depth = -1;
      if (name == "t") in_t = false;
    } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                type == XML_READER_TYPE_CDATA) &&
               in_t && in_si >= 0 && skip_depth < 0) {
      strings.back().append(reinterpret_cast<const char*>(xmlTextReaderConstValue(r)));
    }
    return absl::OkStatus();
  });
  if (!status.ok() && !absl::IsNotFound(status)) return status;
  return strings;
}

struct Cell {
  std::string text;
  bool formula_without_value = false;
};
// (row, column) -> cell, zero-based, only cells that hold something.
using Grid = std::map<std::pair<int, int>, Cell>;

bool ParseReference(std::string_view ref, int& row, int& column) {
  size_t i = 0;
  int col = 0;
  while (i < ref.size() && absl::ascii_isalpha(static_cast<unsigned char>(ref[i])) && i < 3) {
    col = col * 26 + (absl::ascii_toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    ++i;
  }
  int r = 0;
  if (i == 0 || !absl::SimpleAtoi(std::string(ref.substr(i)), &r) || r < 1 || r > 1048576)
    return false;
  row = r - 1;
  column = col - 1;
  return true;
}

absl::StatusOr<Grid> ReadGrid(Workbook& book, const std::string& part,
                              const std::vector<std::string>& strings, const SheetLimits& limits) {
  Grid grid;
  int row = -1, column = -1, rows = 0, cells = 0;
  std::string type, value, inline_text;
  bool has_formula = false, has_value = false, in_cell = false;
  enum class Text { kNone, kValue, kInline } reading = Text::kNone;
  int rph_depth = -1;
  auto finish_cell = [&]() -> absl::Status {
    in_cell = false;
    Cell cell;
    if (type == "s") {
      if (!has_value) return absl::OkStatus();
      int index = -1;
      if (!absl::SimpleAtoi(Trim(value), &index) || index < 0 ||
          index >= static_cast<int>(strings.size())) {
        return Refused(absl::StrCat("cell ", CellName(row, column), " refers to shared string ",
                                    Trim(value), " of ", strings.size()));
      }
      cell.text = strings[index];
    } else if (type == "inlineStr") {
      cell.text = inline_text;
    } else if (type == "b") {
      cell.text = Trim(value) == "1" ? "TRUE" : "FALSE";
    } else {
      cell.text = value;
    }
    cell.formula_without_value = has_formula && !has_value && type != "inlineStr";
    if (cell.text.empty() && !cell.formula_without_value) return absl::OkStatus();
    if (++cells > limits.max_cells) {
      return Refused(absl::StrCat("more than ", limits.max_cells, " cells"));
    }
    grid[{row, column}] = std::move(cell);
    return absl::OkStatus();
  };
  SOCM_STATUS_RETURN(book.Walk(part, [&](xmlTextReaderPtr r) -> absl::Status {
    const int node = xmlTextReaderNodeType(r);
    const std::string_view name = LocalName(r);
    if (node == XML_READER_TYPE_ELEMENT) {
      const bool empty = xmlTextReaderIsEmptyElement(r);
      if (name == "row") {
        if (++rows > limits.max_rows) {
          return Refused(absl::StrCat("the sheet has more than ", limits.max_rows, " rows"));
        }
        int r_attr = 0;
        row = absl::SimpleAtoi(Attribute(r, "r"), &r_attr) && r_attr >= 1 && r_attr <= 1048576
                  ? r_attr - 1
                  : row + 1;
        column = -1;
      } else if (name == "c") {
        int ref_row = 0, ref_column = 0;
        if (ParseReference(Attribute(r, "r"), ref_row, ref_column)) {
          row = ref_row;
          column = ref_column;
        } else {
          ++column;
        }
        if (row < 0) row = 0;
        type = Attribute(r, "t");
        value.clear();
        inline_text.clear();
        has_formula = has_value = false;
        in_cell = true;
        if (empty) return finish_cell();
      } else if (in_cell && name == "f") {
        has_formula = true;
      } else if (in_cell && name == "v") {
        has_value = true;
        reading = empty ? Text::kNone : Text::kValue;
      } else if (in_cell && name == "rPh") {
        if (!empty) rph_depth = xmlTextReaderDepth(r);
      } else if (in_cell && name == "t" && rph_depth < 0) {
        reading = empty ? Text::kNone : Text::kInline;
      }
    } else if (node == XML_READER_TYPE_END_ELEMENT) {
      if (name == "c" && in_cell) return finish_cell();
      if (name == "v" || name == "t") reading = Text::kNone;
      if (name == "rPh" && xmlTextReaderDepth(r) == rph_depth) rph_depth = -1;
    } else if (node == XML_READER_TYPE_TEXT || node == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
               node == XML_READER_TYPE_CDATA) {
      const char* text = reinterpret_cast<const char*>(xmlTextReaderConstValue(r));
      if (reading == Text::kValue) value.append(text);
      if (reading == Text::kInline) inline_text.append(text);
    }
    return absl::OkStatus();
  }));
  return grid;
}

// ---- reading the layout ------------------------------------------------------------------

std::string CellText(const Grid& grid, int row, int column) {
  auto it = grid.find({row, column});
  return it == grid.end() ? std::string() : it->second.text;
}

// "2026-11-01" from a date cell: an Excel serial day, or text like 2026/11/1 or 2026年11月1日.
std::string DateOf(const std::string& text) {
  const std::string folded = Fold(text);
  double serial = 0;
  if (absl::SimpleAtod(folded, &serial) && serial > 20000 && serial < 80000) {
    // Days since 1899-12-30 (Excel's 1900 system, leap-year bug included by that epoch).
    int64_t z = static_cast<int64_t>(serial) - 25569 + 719468;  // to days since 0000-03-01
    const int64_t era = z / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return absl::StrFormat("%04d-%02d-%02d", y, m, d);
  }
  int y = 0, m = 0, d = 0;
  std::string digits;
  std::vector<int> parts;
  for (size_t i = 0; i <= folded.size(); ++i) {
    if (i < folded.size() && folded[i] >= '0' && folded[i] <= '9') {
      digits.push_back(folded[i]);
    } else if (!digits.empty()) {
      int n = 0;
      if (digits.size() <= 4 && absl::SimpleAtoi(digits, &n)) parts.push_back(n);
      digits.clear();
    }
  }
  if (parts.size() < 3) return {};
  y = parts[0];
  m = parts[1];
  d = parts[2];
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31) return {};
  return absl::StrFormat("%04d-%02d-%02d", y, m, d);
}

struct Run {
  int first_column;  // the column of the scale's lowest level
};

bool NameMatches(const std::string& text, const cpb::Dimension& d) {
  const std::string folded = Fold(text);
  if (folded.empty()) return false;
  for (const std::string& name : {d.name().ja(), d.name().en(), d.code()}) {
    if (!name.empty() && Fold(name) == folded) return true;
  }
  // The ISOG-J sheet's own words, whatever the catalogue calls the ladders.
  if (d.code() == catalogue::kInSource) return folded == "インソース" || folded == "IN-SOURCE";
  if (d.code() == catalogue::kOutSource) return folded == "アウトソース" || folded == "OUT-SOURCE";
  return false;
}

bool IsOneOf(const std::string& text, std::initializer_list<const char*> words) {
  const std::string folded = Fold(text);
  for (const char* w : words) {
    if (folded == Fold(w)) return true;
  }
  return false;
}

}  // namespace

std::string NormalizeRoleCode(std::string_view text) {
  std::string code = Fold(text);
  while (!code.empty() && code.back() == '.') code.pop_back();
  return code;
}

std::string CellName(int row, int column) {
  std::string letters;
  for (int c = column + 1; c > 0; c = (c - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  }
  return absl::StrCat(letters, row + 1);
}

absl::StatusOr<SheetRead> ReadSheet(std::string_view xlsx, const cpb::Catalogue& catalogue,
                                    const SheetLimits& limits) {
  static const bool initialized = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialized;

  Workbook book(xlsx, limits);
  SOCM_STATUS_RETURN(book.Open());
  auto sheets = ListSheets(book);
  if (!sheets.ok()) {
    if (absl::IsNotFound(sheets.status()))
      return Refused("not an XLSX workbook (no xl/workbook.xml)");
    return sheets.status();
  }
  if (sheets->empty()) return Refused("the workbook has no sheet");
  auto strings = SharedStrings(book, limits);
  if (!strings.ok()) return strings.status();

  std::set<std::string> roles;
  for (const auto& f : catalogue.functions()) {
    for (const auto& r : f.roles()) roles.insert(r.code());
  }

  // The sheet named for the purpose, else the first that holds a role code.
  std::vector<const SheetRef*> order;
  for (const SheetRef& s : *sheets) {
    if (s.name == "入力シート" || absl::EqualsIgnoreCase(s.name, "Input"))
      order.insert(order.begin(), &s);
    else
      order.push_back(&s);
  }
  const SheetRef* chosen = nullptr;
  Grid grid;
  int searched = 0;
  for (const SheetRef* s : order) {
    if (++searched > limits.max_sheets_searched) break;
    auto read = ReadGrid(book, s->part, *strings, limits);
    if (!read.ok()) {
      if (absl::IsNotFound(read.status())) continue;
      return read.status();
    }
    const bool has_role = std::any_of(read->begin(), read->end(), [&](const auto& entry) {
      return roles.count(NormalizeRoleCode(entry.second.text)) > 0;
    });
    if (has_role) {
      chosen = s;
      grid = std::move(*read);
      break;
    }
  }
  if (chosen == nullptr) {
    return Refused(absl::StrCat("no sheet lists a role of catalogue ", catalogue.id()));
  }

  SheetRead out;
  out.sheet_name = chosen->name;
  auto where = [&](int row, int column) {
    return absl::StrCat(chosen->name, "!", CellName(row, column));
  };

  // The code column: the one most role codes are in.
  std::map<int, int> code_columns;
  for (const auto& [key, cell] : grid) {
    if (roles.count(NormalizeRoleCode(cell.text))) ++code_columns[key.second];
  }
  const int code_column =
      std::max_element(code_columns.begin(), code_columns.end(), [](const auto& a, const auto& b) {
        return a.second < b.second;
      })->first;
  int first_role_row = -1;
  for (const auto& [key, cell] : grid) {
    if (key.second == code_column && roles.count(NormalizeRoleCode(cell.text))) {
      first_role_row = key.first;
      break;
    }
  }

  // The header row: the nearest row above the first role holding the scale's numbers in a
  // run, once per dimension.
  const catalogue::Scale scale = catalogue::ScaleOf(catalogue);
  const int dims = catalogue.dimensions_size();
  int header_row = -1;
  std::vector<Run> runs;
  for (int row = first_role_row - 1; row >= 0 && row >= first_role_row - 12; --row) {
    std::vector<Run> found;
    auto it = grid.lower_bound({row, 0});
    std::vector<std::pair<int, int>> numbers;  // column, value
    for (; it != grid.end() && it->first.first == row; ++it) {
      if (auto n = IntegerOf(it->second.text)) numbers.emplace_back(it->first.second, *n);
    }
    for (size_t i = 0; i < numbers.size(); ++i) {
      if (numbers[i].second != scale.lowest) continue;
      size_t k = 1;
      while (i + k < numbers.size() &&
             numbers[i + k].first == numbers[i].first + static_cast<int>(k) &&
             numbers[i + k].second == scale.lowest + static_cast<int>(k)) {
        ++k;
      }
      if (static_cast<int>(k) == scale.Size()) found.push_back({numbers[i].first});
    }
    if (static_cast<int>(found.size()) >= dims) {
      header_row = row;
      runs = found;
      break;
    }
  }
  if (header_row < 0) {
    return Refused(absl::StrCat("no header row above ", where(first_role_row, code_column),
                                " numbers the levels ", scale.Range(), " once per dimension (",
                                dims, ")"));
  }
  runs.resize(dims);

  // Which run is which dimension: the labels above the runs, else the catalogue's order.
  std::vector<int> run_of_dimension(dims, -1);
  for (int row = header_row - 1; row >= 0 && row >= header_row - 4; --row) {
    for (auto it = grid.lower_bound({row, 0}); it != grid.end() && it->first.first == row; ++it) {
      for (int d = 0; d < dims; ++d) {
        if (run_of_dimension[d] >= 0 || !NameMatches(it->second.text, catalogue.dimensions(d))) {
          continue;
        }
        // The run the label stands over: the last that starts at or left of... its end.
        int best = -1;
        for (int k = 0; k < dims; ++k) {
          const int start = runs[k].first_column;
          if (start <= it->first.second + scale.Size() - 1 &&
              it->first.second <= start + scale.Size() - 1) {
            best = k;
            break;
          }
        }
        if (best >= 0 && std::find(run_of_dimension.begin(), run_of_dimension.end(), best) ==
                             run_of_dimension.end()) {
          run_of_dimension[d] = best;
        }
      }
    }
  }
  for (int d = 0; d < dims; ++d) {
    if (run_of_dimension[d] >= 0) continue;
    for (int k = 0; k < dims; ++k) {
      if (std::find(run_of_dimension.begin(), run_of_dimension.end(), k) ==
          run_of_dimension.end()) {
        run_of_dimension[d] = k;
        break;
      }
    }
  }

  // Note and target columns, by their headers; the date beside 記入日.
  int note_column = -1, target_column = -1;
  for (int row = header_row; row >= 0 && row >= header_row - 3; --row) {
    for (auto it = grid.lower_bound({row, 0}); it != grid.end() && it->first.first == row; ++it) {
      if (note_column < 0 && IsOneOf(it->second.text, {"備考", "Note", "Notes", "メモ"})) {
        note_column = it->first.second;
      }
      if (target_column < 0 && IsOneOf(it->second.text, {"目標", "Target"})) {
        target_column = it->first.second;
      }
    }
  }
  for (const auto& [key, cell] : grid) {
    if (key.first >= first_role_row) break;
    if (!IsOneOf(cell.text, {"記入日", "Date", "Assessed on"})) continue;
    for (auto it = grid.upper_bound(key); it != grid.end() && it->first.first == key.first; ++it) {
      out.assessed_on = DateOf(it->second.text);
      if (!out.assessed_on.empty()) break;
    }
    break;
  }

  // The role rows.
  std::map<std::string, int> seen;  // code -> row
  const int last_row = grid.empty() ? 0 : grid.rbegin()->first.first;
  for (int row = header_row + 1; row <= last_row; ++row) {
    auto code_cell = grid.find({row, code_column});
    if (code_cell == grid.end()) continue;
    const std::string code = NormalizeRoleCode(code_cell->second.text);
    if (roles.count(code) == 0) {
      // Something shaped like a role code that the catalogue lacks; other text is ignored.
      const size_t dash = code.find('-');
      int number = 0;
      if (dash != std::string::npos && dash > 0 && dash <= 4 &&
          absl::SimpleAtoi(code.substr(dash + 1), &number) &&
          absl::ascii_isupper(static_cast<unsigned char>(code[0]))) {
        out.problems.push_back({where(row, code_column), code,
                                absl::StrCat("catalogue ", catalogue.id(), " ", catalogue.version(),
                                             " has no role ", code)});
      }
      continue;
    }
    if (auto [it, fresh] = seen.emplace(code, row); !fresh) {
      out.problems.push_back(
          {where(row, code_column), code,
           absl::StrCat("role ", code, " is listed twice (also in row ", it->second + 1, ")")});
      continue;
    }
    pb::Answer answer;
    answer.set_role_code(code);
    for (int d = 0; d < dims; ++d) {
      const int first = runs[run_of_dimension[d]].first_column;
      std::vector<int> marked;
      for (int k = 0; k < scale.Size(); ++k) {
        auto it = grid.find({row, first + k});
        if (it == grid.end()) continue;
        if (it->second.formula_without_value) {
          out.problems.push_back({where(row, first + k), code, "a formula cell without a value"});
        } else if (IsMark(it->second.text)) {
          marked.push_back(k);
        } else if (!IsNotMark(it->second.text)) {
          out.problems.push_back({where(row, first + k), code,
                                  absl::StrCat("\"", it->second.text,
                                               "\" is not a mark (● marks a level, ○ does not)")});
        }
      }
      if (marked.size() > 1) {
        out.problems.push_back({where(row, first + marked[0]), code,
                                absl::StrCat("two marks in ", catalogue.dimensions(d).code(), ": ",
                                             CellName(row, first + marked[0]), " and ",
                                             CellName(row, first + marked[1]))});
      } else if (marked.size() == 1) {
        (*answer.mutable_levels())[catalogue.dimensions(d).code()] = scale.lowest + marked[0];
      }
    }
    if (note_column >= 0) {
      const std::string note = Trim(CellText(grid, row, note_column));
      if (note.size() > kMaxNote) {
        out.problems.push_back({where(row, note_column), code,
                                absl::StrCat("a note of at most ", kMaxNote, " bytes")});
      } else if (!note.empty()) {
        answer.set_note(note);
      }
    }
    if (target_column >= 0) {
      auto it = grid.find({row, target_column});
      if (it != grid.end() && !Trim(it->second.text).empty()) {
        const auto target = IntegerOf(it->second.text);
        if (!target || !scale.Contains(*target)) {
          out.problems.push_back(
              {where(row, target_column), code, absl::StrCat("a target must be ", scale.Range())});
        } else {
          answer.set_target(*target);
        }
      }
    }
    catalogue::FillShortForms(answer);
    out.answers.push_back(std::move(answer));
  }
  return out;
}

}  // namespace socm::assessment
