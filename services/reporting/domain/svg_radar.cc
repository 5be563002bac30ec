#include <string_view>
#include <vector>

#include "services/reporting/domain/radar.h"
#include "services/reporting/domain/report.h"

namespace socm::reporting {
namespace internal {
namespace {

constexpr double kWidth = 860;
constexpr double kFontSize = 13;
constexpr double kLineHeight = 16;
constexpr double kLabelWidth = 200;
constexpr double kLabelGap = 14;
constexpr const char* kFontFamily =
    "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',Meiryo,sans-serif";
constexpr const char* kCurrentColour = "#1f6feb";
constexpr const char* kTargetColour = "#d9480f";
constexpr const char* kInSourceColour = "#2b8a3e";

void AppendNumber(std::string* out, double v) { out->append(FormatTenths(v)); }

void AppendPoint(std::string* out, RadarPoint p) {
  AppendNumber(out, p.x);
  out->push_back(',');
  AppendNumber(out, p.y);
}

void AppendLabel(std::string* out, const RadarGeometry& geo, int axis, const FunctionRow& f) {
  const std::string level = LevelOutOfMax(f);
  const std::vector<WrappedLine> lines = RadarLabelLines(f, kLabelWidth / kFontSize);
  const RadarPoint anchor = geo.LabelAnchor(axis, kLabelGap);
  const double n = static_cast<double>(lines.size());
  double first_baseline = 0;
  switch (geo.Vertical(axis)) {
    case VAlign::kAboveAnchor:
      first_baseline = anchor.y - 4 - (n - 1) * kLineHeight;
      break;
    case VAlign::kBelowAnchor:
      first_baseline = anchor.y + kFontSize;
      break;
    case VAlign::kCentred:
      first_baseline = anchor.y - n * kLineHeight / 2 + kFontSize;
      break;
  }
  const char* align = "middle";
  if (geo.Horizontal(axis) == HAlign::kStart) align = "start";
  if (geo.Horizontal(axis) == HAlign::kEnd) align = "end";

  out->append("<text class=\"axis-label\" text-anchor=\"");
  out->append(align);
  out->append("\" x=\"");
  AppendNumber(out, anchor.x);
  out->append("\" y=\"");
  AppendNumber(out, first_baseline);
  out->append("\">");
  const std::string code_prefix = std::string(f.code) + kRadarCodeSeparator;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view text = lines[i].text;
    out->append("<tspan x=\"");
    AppendNumber(out, anchor.x);
    out->append("\" y=\"");
    AppendNumber(out, first_baseline + static_cast<double>(i) * kLineHeight);
    out->append("\">");
    if (i == 0 && text.substr(0, code_prefix.size()) == code_prefix) {
      out->append("<tspan font-weight=\"bold\">");
      AppendEscaped(out, f.code);
      out->append("</tspan>");
      out->append(kRadarCodeSeparator);
      text.remove_prefix(code_prefix.size());
    }
    const bool level_here = i + 1 == lines.size() && text.size() >= level.size() &&
                            text.substr(text.size() - level.size()) == level;
    if (level_here) text.remove_suffix(level.size());
    AppendEscaped(out, text);
    if (level_here) {
      out->append("<tspan font-weight=\"bold\" fill=\"");
      out->append(kCurrentColour);
      out->append("\">");
      out->append(level);
      out->append("</tspan>");
    }
    out->append("</tspan>");
  }
  out->append("</text>\n");
}

}  // namespace

void AppendRadarSvg(std::string* out, const ReportView& view) {
  const Words& w = *view.words;
  const int n = static_cast<int>(view.functions.size());
  const RadarGeometry geo{kWidth / 2, 335, 205, n, view.highest};
  const int first_ring = FirstRing(view);
  out->reserve(out->size() + 9000);

  out->append(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"radar\" width=\"860\" height=\"640\" "
      "viewBox=\"0 0 860 640\" role=\"img\" aria-labelledby=\"radar-title radar-desc\" "
      "font-size=\"13\" font-family=\"");
  out->append(kFontFamily);
  out->append("\">\n<title id=\"radar-title\">");
  AppendEscaped(out, w.radar);
  if (!view.organization.empty()) {
    out->append(" \u2014 ");
    AppendEscaped(out, view.organization);
  }
  out->append("</title>\n<desc id=\"radar-desc\">");
  for (int i = 0; i < n; ++i) {
    const FunctionRow& f = view.functions[i];
    if (i > 0) out->append("; ");
    AppendEscaped(out, f.code);
    out->push_back(' ');
    AppendEscaped(out, f.name);
    out->push_back(' ');
    out->append(LevelOutOfMax(f));
    if (f.target) {
      out->append(" (");
      AppendEscaped(out, w.target);
      out->push_back(' ');
      out->append(FormatTenths(*f.target));
      out->push_back(')');
    }
  }
  out->append("</desc>\n<rect width=\"860\" height=\"640\" fill=\"#ffffff\"/>\n");

  // One grid ring per level of the scale, as polygons like the spreadsheet's radar chart.
  out->append("<g class=\"grid\" fill=\"none\" stroke=\"#c8ced6\" stroke-width=\"1\">\n");
  for (int ring = first_ring; ring <= view.highest && n > 0; ++ring) {
    out->append("<polygon class=\"ring\" points=\"");
    for (int i = 0; i < n; ++i) {
      if (i > 0) out->push_back(' ');
      AppendPoint(out, geo.At(i, ring));
    }
    out->append(ring == view.highest ? "\" stroke=\"#8a94a3\"/>\n" : "\"/>\n");
  }
  out->append("</g>\n<g stroke=\"#8a94a3\" stroke-width=\"1\">\n");
  for (int i = 0; i < n; ++i) {
    const RadarPoint end = geo.At(i, view.highest);
    out->append("<line class=\"axis\" x1=\"");
    AppendNumber(out, geo.cx);
    out->append("\" y1=\"");
    AppendNumber(out, geo.cy);
    out->append("\" x2=\"");
    AppendNumber(out, end.x);
    out->append("\" y2=\"");
    AppendNumber(out, end.y);
    out->append("\"/>\n");
  }
  out->append("</g>\n<g font-size=\"10\" fill=\"#6b7480\">\n");
  for (int ring = first_ring; ring <= view.highest && n > 0; ++ring) {
    const RadarPoint p = geo.At(0, ring);
    out->append("<text class=\"ring-label\" x=\"");
    AppendNumber(out, p.x + 4);
    out->append("\" y=\"");
    AppendNumber(out, p.y - 3);
    out->append("\">");
    out->append(std::to_string(ring));
    out->append("</text>\n");
  }
  out->append("</g>\n");

  if (view.any_target) {
    // A function without a target breaks the outline instead of dragging it
    // to zero, which would read as "the target is 0".
    std::string d;
    int drawn = 0;
    for (int i = 0; i < n; ++i) {
      const FunctionRow& f = view.functions[i];
      if (!f.target) continue;
      const bool joined = i > 0 && view.functions[i - 1].target.has_value();
      d.append(joined ? " L" : (d.empty() ? "M" : " M"));
      AppendPoint(&d, geo.At(i, *f.target));
      ++drawn;
    }
    if (drawn == n) {
      d.append(" Z");
    } else if (n > 1 && view.functions[0].target && view.functions[n - 1].target) {
      d.append(" L");
      AppendPoint(&d, geo.At(0, *view.functions[0].target));
    }
    out->append("<path class=\"target\" d=\"");
    out->append(d);
    out->append("\" fill=\"none\" stroke=\"");
    out->append(kTargetColour);
    out->append("\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/>\n");
    // A marker on every target, so that a target whose neighbours have none
    // (no line to draw) is still seen.
    out->append("<g class=\"target-points\" fill=\"#ffffff\" stroke=\"");
    out->append(kTargetColour);
    out->append("\" stroke-width=\"2\">\n");
    for (int i = 0; i < n; ++i) {
      if (!view.functions[i].target) continue;
      const RadarPoint p = geo.At(i, *view.functions[i].target);
      out->append("<circle cx=\"");
      AppendNumber(out, p.x);
      out->append("\" cy=\"");
      AppendNumber(out, p.y);
      out->append("\" r=\"3.5\"/>\n");
    }
    out->append("</g>\n");
  }

  if (n > 0) {
    out->append("<polygon class=\"current\" points=\"");
    for (int i = 0; i < n; ++i) {
      if (i > 0) out->push_back(' ');
      AppendPoint(out, geo.At(i, PlottedLevel(view.functions[i])));
    }
    out->append("\" fill=\"");
    out->append(kCurrentColour);
    out->append("\" fill-opacity=\"0.22\" stroke=\"");
    out->append(kCurrentColour);
    out->append("\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>\n<g fill=\"");
    out->append(kCurrentColour);
    out->append("\">\n");
    for (int i = 0; i < n; ++i) {
      const RadarPoint p = geo.At(i, PlottedLevel(view.functions[i]));
      out->append("<circle cx=\"");
      AppendNumber(out, p.x);
      out->append("\" cy=\"");
      AppendNumber(out, p.y);
      out->append("\" r=\"3.5\"/>\n");
    }
    out->append("</g>\n");
  }

  if (view.sourcing && n > 0) {
    // What the organisation reaches on its own, over the current polygon so that it shows.
    out->append("<polygon class=\"in-source-only\" points=\"");
    for (int i = 0; i < n; ++i) {
      if (i > 0) out->push_back(' ');
      AppendPoint(out, geo.At(i, InSourceOnlyLevel(view.functions[i])));
    }
    out->append("\" fill=\"none\" stroke=\"");
    out->append(kInSourceColour);
    out->append("\" stroke-width=\"2\" stroke-dasharray=\"2 3\" stroke-linejoin=\"round\"/>\n");
  }

  out->append("<g fill=\"#1d2330\">\n");
  for (int i = 0; i < n; ++i) AppendLabel(out, geo, i, view.functions[i]);
  out->append("</g>\n");

  // The legend sits in the top-left corner, which no label reaches.
  out->append("<g class=\"legend\" fill=\"#1d2330\">\n<rect x=\"20\" y=\"20\" width=\"22\" ");
  out->append("height=\"12\" fill=\"");
  out->append(kCurrentColour);
  out->append("\" fill-opacity=\"0.22\" stroke=\"");
  out->append(kCurrentColour);
  out->append("\" stroke-width=\"2\"/>\n<text x=\"50\" y=\"31\">");
  AppendEscaped(out, w.current);
  out->append("</text>\n");
  if (view.any_target) {
    out->append("<line x1=\"20\" y1=\"50\" x2=\"42\" y2=\"50\" stroke=\"");
    out->append(kTargetColour);
    out->append("\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/>\n<text x=\"50\" y=\"55\">");
    AppendEscaped(out, w.target);
    out->append("</text>\n");
  }
  if (view.sourcing) {
    const int y = view.any_target ? 74 : 50;
    out->append("<line x1=\"20\" y1=\"");
    out->append(std::to_string(y));
    out->append("\" x2=\"42\" y2=\"");
    out->append(std::to_string(y));
    out->append("\" stroke=\"");
    out->append(kInSourceColour);
    out->append("\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>\n<text x=\"50\" y=\"");
    out->append(std::to_string(y + 5));
    out->append("\">");
    AppendEscaped(out, w.in_source_only);
    out->append("</text>\n");
  }
  out->append("</g>\n</svg>\n");
}

}  // namespace internal

std::string RenderRadarSvg(const ReportInput& input) {
  const internal::ReportView view = internal::BuildView(input, /*with_roles=*/false);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  internal::AppendRadarSvg(&out, view);
  return out;
}

}  // namespace socm::reporting
