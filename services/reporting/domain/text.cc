#include "services/reporting/domain/text.h"

#include <cmath>

#include "soc/maturity/assessment/v1/assessment.pb.h"

namespace socm::reporting::internal {

namespace apb = soc::maturity::assessment::v1;
namespace cpb = soc::maturity::catalogue::v1;

std::string_view Pick(const cpb::LocalizedText& text, Lang lang) {
  const std::string& first = lang == Lang::kJa ? text.ja() : text.en();
  if (!first.empty()) return first;
  return lang == Lang::kJa ? text.en() : text.ja();
}

const char* LangCode(Lang lang) { return lang == Lang::kJa ? "ja" : "en"; }

char32_t NextCodePoint(std::string_view text, size_t* pos) {
  constexpr char32_t kReplacement = 0xFFFD;
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(*pos);
  if (lead < 0x80) {
    ++*pos;
    return lead;
  }
  int length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    ++*pos;
    return kReplacement;
  }
  if (*pos + length > text.size()) {
    ++*pos;
    return kReplacement;
  }
  for (int k = 1; k < length; ++k) {
    const unsigned char next = byte(*pos + k);
    if ((next & 0xC0) != 0x80) {
      ++*pos;
      return kReplacement;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  // Overlong forms, surrogates and values past Unicode are how malformed
  // input sneaks past naive filters; treat them as the invalid bytes they are.
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*pos;
    return kReplacement;
  }
  *pos += length;
  return cp;
}

namespace {

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// XML 1.0 allows tab, LF, CR and everything from U+0020 except the two
// non-characters; CR is dropped too so that line ends are uniform.
bool Allowed(char32_t cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n';
  if (cp == 0x7F) return false;
  return cp != 0xFFFE && cp != 0xFFFF;
}

template <bool kEscape>
void AppendClean(std::string* out, std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c >= 0x20 && c < 0x7F) {
      ++pos;
      if constexpr (kEscape) {
        switch (c) {
          case '&':
            out->append("&amp;");
            continue;
          case '<':
            out->append("&lt;");
            continue;
          case '>':
            out->append("&gt;");
            continue;
          case '"':
            out->append("&quot;");
            continue;
          case '\'':
            out->append("&#39;");
            continue;
          default:
            break;
        }
      }
      out->push_back(static_cast<char>(c));
      continue;
    }
    const size_t start = pos;
    const char32_t cp = NextCodePoint(text, &pos);
    if (!Allowed(cp)) continue;
    if (cp == 0xFFFD && pos - start == 1 && c >= 0x80) {
      AppendUtf8(out, cp);
    } else {
      out->append(text.data() + start, pos - start);
    }
  }
}

}  // namespace

std::string CleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendClean<false>(&out, text);
  return out;
}

void AppendEscaped(std::string* out, std::string_view text) { AppendClean<true>(out, text); }

std::string Escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  AppendEscaped(&out, text);
  return out;
}

std::string Shorten(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\u2026";
}

std::string FormatTenths(double value) {
  if (!std::isfinite(value)) return "";
  // The nudge keeps decimals such as 3.45, which binary floating point stores
  // as 3.4499999..., rounding the way a reader expects.
  long long tenths = std::llround(value * 10.0 + std::copysign(1e-9, value));
  std::string out;
  if (tenths < 0) {
    out.push_back('-');
    tenths = -tenths;
  }
  out.append(std::to_string(tenths / 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + tenths % 10));
  return out;
}

std::string FormatTenths(std::optional<double> value) {
  return value ? FormatTenths(*value) : std::string();
}

std::string FormatInt(std::optional<int> value) {
  return value ? std::to_string(*value) : std::string();
}

namespace {

constexpr Words kJa = {
    /*report_title=*/"セキュリティ対応組織 成熟度評価レポート",
    /*organization=*/"組織",
    /*assessment_title=*/"評価名",
    /*assessed_on=*/"評価日",
    /*status=*/"状態",
    /*catalogue=*/"カタログ",
    /*revision=*/"改訂",
    /*overall=*/"総合成熟度",
    /*completeness=*/"回答状況",
    /*roles_answered=*/"役割に回答",
    /*policy=*/"採点方針",
    /*policy_count_zero=*/"レベル0(実施しないと判断した)の役割を 0 として平均に含める",
    /*policy_exclude=*/"レベル0(実施しないと判断した)の役割を平均から除外する",
    /*radar=*/"成熟度レーダーチャート",
    /*current=*/"現状",
    /*target=*/"目指す姿",
    /*function=*/"機能",
    /*code=*/"コード",
    /*function_code=*/"機能コード",
    /*role_code=*/"役割コード",
    /*score=*/"成熟度",
    /*level=*/"レベル",
    /*gap=*/"ギャップ",
    /*answered=*/"回答数",
    /*summary=*/"概要",
    /*functions=*/"機能別の成熟度",
    /*strengths=*/"強み",
    /*weaknesses=*/"弱み",
    /*strengths_and_weaknesses=*/"強みと弱み",
    /*achieved=*/"できていること",
    /*missing=*/"不足していること",
    /*advice=*/"レベルに応じた助言",
    /*none=*/"該当なし",
    /*roles_title=*/"役割ごとの回答",
    /*role=*/"役割",
    /*role_name=*/"役割名",
    /*area=*/"領域",
    /*in_source=*/"インソース",
    /*out_source=*/"アウトソース",
    /*effective=*/"実効レベル",
    /*note=*/"備考",
    /*unanswered=*/"未回答",
    /*not_counted=*/"平均から除外",
    /*not_scored=*/"未評価",
    /*level_ladders=*/"実行レベル",
    /*rating_guidance=*/"評価の目安",
    /*provenance=*/"カタログの出典と確度",
    /*sources=*/"出典",
    /*confirmed=*/"確認済み",
    /*reconstructed=*/"再構成(未照合)",
    /*unspecified=*/"不明",
    /*draft=*/"下書き",
    /*submitted=*/"提出済み",
    /*approved=*/"承認済み",
    /*generated_by=*/"SOC Maturity により作成",
    /*sourcing=*/"ソーシング",
    /*in_source_only=*/"インソースのみ",
    /*dependency=*/"委託依存度",
    /*out_sourced_roles=*/"アウトソース主体の役割",
    /*sourcing_note=*/
    "インソースのみ: アウトソースの回答がなかったとした場合の機能のスコア。委託依存度: "
    "スコアとの差で、"
    "その機能が委託先に負っているレベル。アウトソース主体の役割: レベルがアウトソースから来ている"
    "集計対象の役割の数。",
    /*scale=*/"尺度",
    /*sheet_input=*/"入力シート",
    /*sheet_how_to=*/"記入方法",
    /*sheet_date=*/"記入日",
    /*sheet_target=*/"目標",
    /*sheet_rules=*/
    "役割ごとに、各グループ(インソース・アウトソースなど)の該当するレベルの ○ を ● に変えてください"
    "(1グループに ● は1つ)。実施していないグループは ○ のままにすると未回答になります。"
    "インソースとアウトソースを併用している場合は両方に記入してください。高い方が成熟度になります。"
    "目標には目指すレベルを数字で、備考には根拠やメモを記入できます。記入後、このファイルを"
    "そのまま取り込めます。",
};

constexpr Words kEn = {
    /*report_title=*/"SOC/CSIRT maturity assessment report",
    /*organization=*/"Organisation",
    /*assessment_title=*/"Assessment",
    /*assessed_on=*/"Assessed on",
    /*status=*/"Status",
    /*catalogue=*/"Catalogue",
    /*revision=*/"revision",
    /*overall=*/"Overall maturity",
    /*completeness=*/"Completeness",
    /*roles_answered=*/"roles answered",
    /*policy=*/"Scoring policy",
    /*policy_count_zero=*/"Roles at level 0 (decided not to do it) count as 0 in the mean",
    /*policy_exclude=*/"Roles at level 0 (decided not to do it) are left out of the mean",
    /*radar=*/"Maturity radar",
    /*current=*/"Current",
    /*target=*/"Target",
    /*function=*/"Function",
    /*code=*/"Code",
    /*function_code=*/"Function code",
    /*role_code=*/"Role code",
    /*score=*/"Score",
    /*level=*/"Level",
    /*gap=*/"Gap",
    /*answered=*/"Answered",
    /*summary=*/"Summary",
    /*functions=*/"Maturity per function",
    /*strengths=*/"Strengths",
    /*weaknesses=*/"Weaknesses",
    /*strengths_and_weaknesses=*/"Strengths and weaknesses",
    /*achieved=*/"What works",
    /*missing=*/"What is missing",
    /*advice=*/"Advice for this level",
    /*none=*/"none",
    /*roles_title=*/"Answers per role",
    /*role=*/"Role",
    /*role_name=*/"Role name",
    /*area=*/"Area",
    /*in_source=*/"In-source",
    /*out_source=*/"Out-source",
    /*effective=*/"Effective",
    /*note=*/"Note",
    /*unanswered=*/"unanswered",
    /*not_counted=*/"left out of the mean",
    /*not_scored=*/"not scored",
    /*level_ladders=*/"Execution levels",
    /*rating_guidance=*/"Rating guidance",
    /*provenance=*/"Catalogue provenance",
    /*sources=*/"Sources",
    /*confirmed=*/"confirmed",
    /*reconstructed=*/"reconstructed (not yet checked)",
    /*unspecified=*/"unspecified",
    /*draft=*/"draft",
    /*submitted=*/"submitted",
    /*approved=*/"approved",
    /*generated_by=*/"Generated by SOC Maturity",
    /*sourcing=*/"Sourcing",
    /*in_source_only=*/"In-source only",
    /*dependency=*/"Dependency",
    /*out_sourced_roles=*/"Out-sourced roles",
    /*sourcing_note=*/
    "In-source only: the function's score as if no out-source answer existed. Dependency: the "
    "score minus that, the levels the function owes its providers. Out-sourced roles: counted "
    "roles whose level comes from out-source.",
    /*scale=*/"Scale",
    /*sheet_input=*/"Input",
    /*sheet_how_to=*/"How to fill",
    /*sheet_date=*/"Date",
    /*sheet_target=*/"Target",
    /*sheet_rules=*/
    "For each role, turn the ○ of the level that applies into ● in each group (in-source, "
    "out-source, ...; one ● per group). Leave a group all ○ to leave it unanswered. Where a role "
    "is done both in-house and outsourced, fill both groups; the higher one counts. Target takes "
    "the level you aim for as a number, Note any evidence or remark. The filled file can be "
    "imported as it is.",
};

}  // namespace

const Words& WordsFor(Lang lang) { return lang == Lang::kJa ? kJa : kEn; }

const char* StatusWord(int status, Lang lang) {
  const Words& w = WordsFor(lang);
  switch (status) {
    case apb::DRAFT:
      return w.draft;
    case apb::SUBMITTED:
      return w.submitted;
    case apb::APPROVED:
      return w.approved;
    default:
      return w.unspecified;
  }
}

const char* PolicyWord(int policy, Lang lang) {
  const Words& w = WordsFor(lang);
  // UNSPECIFIED scores like COUNT_DECIDED_NOT_TO_AS_ZERO, the documented default.
  return policy == apb::EXCLUDE_DECIDED_NOT_TO ? w.policy_exclude : w.policy_count_zero;
}

const char* ProvenanceWord(int status, Lang lang) {
  const Words& w = WordsFor(lang);
  switch (status) {
    case cpb::PROVENANCE_STATUS_CONFIRMED:
      return w.confirmed;
    case cpb::PROVENANCE_STATUS_RECONSTRUCTED:
      return w.reconstructed;
    default:
      return w.unspecified;
  }
}

// Spreadsheets run a cell that starts with one of these as a formula, which
// turns a note such as "=HYPERLINK(...)" into an attack on whoever opens the
// file. A leading apostrophe makes the cell plain text again.
static bool LooksLikeFormula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t").find(text.front()) != std::string_view::npos;
}

void AppendCsvField(std::string* out, std::string_view raw, bool first) {
  if (!first) out->push_back(',');
  std::string text = CleanText(raw);
  if (LooksLikeFormula(text)) text.insert(0, "'");
  // RFC 4180: quote a field holding a comma, a quote or a line break, and
  // double the quotes inside. Line breaks inside a field stay LF, the record
  // separator is CRLF.
  if (text.find_first_of(",\"\n") == std::string::npos) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace socm::reporting::internal
