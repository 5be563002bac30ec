#include <algorithm>
#include <string_view>
#include <vector>

#include "services/reporting/domain/radar.h"

namespace socm::reporting::internal {
namespace {

constexpr int kMaxLines = 3;

// Widths are estimated in ems from the kind of character, because an SVG has
// no text measurement and the PDF should break its labels the same way. Wide
// for CJK, narrower for Latin; erring wide only wraps a little early.
bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool IsHiragana(char32_t cp) { return cp >= 0x3041 && cp <= 0x309F; }

double EmWidth(char32_t cp) {
  if (IsWide(cp)) return 1.0;
  if (cp >= 0x80) return cp == 0xA0 ? 0.28 : 0.6;
  if (cp == ' ') return 0.28;
  if (std::string_view("ilj.,:;'|!").find(static_cast<char>(cp)) != std::string_view::npos) {
    return 0.28;
  }
  if (std::string_view("ftr()[]-/").find(static_cast<char>(cp)) != std::string_view::npos) {
    return 0.38;
  }
  if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W') return 0.86;
  if (cp >= 'A' && cp <= 'Z') return 0.68;
  return 0.56;
}

bool In(std::u32string_view set, char32_t cp) { return set.find(cp) != std::u32string_view::npos; }

// Japanese line breaking, roughly: never before closing punctuation and small
// kana, never after an opening bracket.
constexpr std::u32string_view kClosing =
    U"、。，．)）」』】〕〉》]｝}ー・：；！？ぁぃぅぇぉっゃゅょァィゥェォッャュョ々〜,.:;!?";
constexpr std::u32string_view kOpening = U"(（「『【〔〈《[｛{";
constexpr std::u32string_view kBreakAfter = U"、。)）」』】〕〉》・";

struct Glyph {
  char32_t cp;
  size_t start;
  size_t length;
  double width;
};

std::vector<Glyph> Decode(std::string_view text) {
  std::vector<Glyph> out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t cp = NextCodePoint(text, &pos);
    out.push_back({cp, start, pos - start, EmWidth(cp)});
  }
  return out;
}

bool IsKatakana(char32_t cp) { return (cp >= 0x30A0 && cp <= 0x30FF) || cp == 0x30FC; }

// How good a place to break before g[i] is, 0 (never) to 5. Japanese has no
// spaces, so script changes stand in for the word boundaries a reader
// expects: 5 at a space, bracket or punctuation; 4 where a run of hiragana
// (usually a particle) ends; 3 where kanji meets katakana or Latin; 2 inside
// a kanji compound; 1 inside a katakana word, the worst place.
int BreakQuality(const std::vector<Glyph>& g, size_t i) {
  const char32_t prev = g[i - 1].cp;
  const char32_t cur = g[i].cp;
  if (cur == ' ' || prev == 0xA0 || cur == 0xA0) return 0;
  if (prev == ' ') return 5;
  if (!IsWide(prev) && !IsWide(cur)) return 0;
  if (In(kClosing, cur) || In(kOpening, prev)) return 0;
  if (In(kOpening, cur) || In(kBreakAfter, prev)) return 5;
  if (IsHiragana(prev) && !IsHiragana(cur)) return 4;
  if (IsKatakana(prev) && IsKatakana(cur)) return 1;
  if (IsKatakana(prev) != IsKatakana(cur) || IsWide(prev) != IsWide(cur)) return 3;
  return 2;
}

struct Wrapped {
  std::vector<WrappedLine> lines;
  bool forced = false;  // a word had to be cut mid-way
  int worst = 99;       // the lowest BreakQuality used
};

// Greedy wrapping into lines of at most `max_em`. Where a line must end, the
// best break in its second half wins over a later but worse one.
Wrapped Greedy(std::string_view text, const std::vector<Glyph>& g, double max_em) {
  Wrapped out;
  const auto emit = [&](size_t from, size_t to) {
    while (to > from && g[to - 1].cp == ' ') --to;
    WrappedLine line{{}, 0};
    if (to > from) {
      line.text.assign(
          text.substr(g[from].start, g[to - 1].start + g[to - 1].length - g[from].start));
      for (size_t k = from; k < to; ++k) line.width += g[k].width;
    }
    out.lines.push_back(std::move(line));
  };
  size_t line_start = 0;
  double width = 0;
  // Per quality, the last break seen on this line and the width before it.
  constexpr int kBest = 5;
  size_t best[kBest + 1] = {};
  double best_width[kBest + 1] = {};
  for (size_t i = 0; i < g.size(); ++i) {
    if (i > line_start) {
      const int q = BreakQuality(g, i);
      if (q > 0) {
        best[q] = i;
        best_width[q] = width;
      }
    }
    if (g[i].cp != ' ' && i > line_start && width + g[i].width > max_em) {
      size_t cut = 0;
      for (int q = kBest; q >= 1 && cut == 0; --q) {
        if (best[q] > line_start && best_width[q] >= max_em / 2) cut = best[q];
      }
      for (int q = kBest; q >= 1 && cut == 0; --q) {
        if (best[q] > line_start) cut = best[q];
      }
      if (cut == 0) {
        cut = i;
        out.forced = true;
      } else {
        out.worst = std::min(out.worst, BreakQuality(g, cut));
      }
      emit(line_start, cut);
      line_start = cut;
      while (line_start < g.size() && g[line_start].cp == ' ') ++line_start;
      width = 0;
      for (size_t& b : best) b = 0;
      for (size_t k = line_start; k < i; ++k) {
        if (k > line_start) {
          const int q = BreakQuality(g, k);
          if (q > 0) {
            best[q] = k;
            best_width[q] = width;
          }
        }
        width += g[k].width;
      }
    }
    width += g[i].width;
  }
  if (line_start < g.size()) emit(line_start, g.size());
  return out;
}

// Greedy wrapping leaves a long first line and a stub ("評" / "価 3/5");
// the narrowest width that needs no more lines, and no worse breaks, spreads
// the text evenly.
std::vector<WrappedLine> Balanced(std::string_view text, double max_em) {
  const std::vector<Glyph> g = Decode(text);
  Wrapped best = Greedy(text, g, max_em);
  if (best.lines.size() < 2) return best.lines;
  double lo = max_em / 2;
  double hi = max_em;
  for (int step = 0; step < 6; ++step) {
    const double mid = (lo + hi) / 2;
    Wrapped w = Greedy(text, g, mid);
    if (!w.forced && w.lines.size() <= best.lines.size() && w.worst >= best.worst) {
      hi = mid;
      best = std::move(w);
    } else {
      lo = mid;
    }
  }
  return best.lines;
}

}  // namespace

std::vector<WrappedLine> RadarLabelLines(const FunctionRow& f, double max_em) {
  std::string head(f.code);
  head.append(kRadarCodeSeparator);
  head.append(CleanText(f.name));
  const std::string level = LevelOutOfMax(f);
  std::vector<WrappedLine> lines = Balanced(head + " " + level, max_em);
  if (lines.size() <= kMaxLines) return lines;

  // Too long a name: three lines of it, the last cut with an ellipsis, and
  // the level after it, since the level must always show.
  const std::vector<Glyph> g = Decode(head);
  lines = Greedy(head, g, max_em).lines;
  lines.resize(kMaxLines);
  WrappedLine& last = lines.back();
  std::vector<Glyph> kept = Decode(last.text);
  double width = last.width;
  while (!kept.empty() && width + 1.0 > max_em) {
    width -= kept.back().width;
    kept.pop_back();
  }
  last.text.resize(kept.empty() ? 0 : kept.back().start + kept.back().length);
  last.text.append("\u2026");
  last.width = width + 1.0;
  double level_width = 0;
  for (char c : level) level_width += EmWidth(static_cast<unsigned char>(c));
  if (last.width + 0.28 + level_width <= max_em) {
    last.text.append(" ").append(level);
  } else {
    lines.push_back({level, level_width});
  }
  return lines;
}

}  // namespace socm::reporting::internal
