#pragma once
// The radar's geometry, shared by the SVG and the PDF so that both draw the
// same chart: axis 0 points up, the others follow clockwise, the top of the
// catalogue's scale lies on the outer ring and 0 at the centre. Labels sit just outside the outer
// ring, aligned away from the centre so that they never cross the chart.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "services/reporting/domain/report_view.h"

namespace socm::reporting::internal {

struct RadarPoint {
  double x;
  double y;
};

// Where a label's anchor point is relative to its text block.
enum class HAlign { kStart, kMiddle, kEnd };
enum class VAlign { kBelowAnchor, kCentred, kAboveAnchor };

struct RadarGeometry {
  double cx;
  double cy;
  double radius;
  int axes;
  // The top of the scale, on the outer ring.
  int highest = 5;

  double Angle(int axis) const {
    constexpr double kPi = 3.14159265358979323846;
    return -kPi / 2 + 2 * kPi * axis / (axes > 0 ? axes : 1);
  }
  RadarPoint At(int axis, double value) const {
    const double top = highest > 0 ? highest : 1;
    const double r = radius * std::clamp(value, 0.0, top) / top;
    return {cx + r * std::cos(Angle(axis)), cy + r * std::sin(Angle(axis))};
  }
  RadarPoint LabelAnchor(int axis, double gap) const {
    const double r = radius + gap;
    return {cx + r * std::cos(Angle(axis)), cy + r * std::sin(Angle(axis))};
  }
  // Axes pointing sideways read away from the chart; those near the vertical
  // are centred on the axis.
  HAlign Horizontal(int axis) const {
    const double c = std::cos(Angle(axis));
    return c > 0.3 ? HAlign::kStart : c < -0.3 ? HAlign::kEnd : HAlign::kMiddle;
  }
  VAlign Vertical(int axis) const {
    const double s = std::sin(Angle(axis));
    return s < -0.3 ? VAlign::kAboveAnchor : s > 0.3 ? VAlign::kBelowAnchor : VAlign::kCentred;
  }
};

// The value plotted for a function: its integer level, as the labels show it.
inline double PlottedLevel(const FunctionRow& f) { return f.level ? *f.level : 0.0; }

// The in-source-only polygon's value: that score rounded half up as levels are.
inline double InSourceOnlyLevel(const FunctionRow& f) {
  return f.in_source_only ? std::floor(*f.in_source_only + 0.5 + 1e-9) : 0.0;
}

// The rings a radar draws: one per level of the scale above 0 (1..5 for 0..5, 1..3 for 1..3).
inline int FirstRing(const ReportView& view) { return std::max(1, view.lowest); }

// "4/5", or "-/5" for a function nothing was counted in; 5 is the top of the scale.
inline std::string LevelOutOfMax(const FunctionRow& f) {
  return (f.level ? std::to_string(*f.level) : std::string("-")) + "/" + std::to_string(f.highest);
}

// Between a function's code and its name in a label; no line break there.
inline constexpr const char* kRadarCodeSeparator = "\u00a0";

struct WrappedLine {
  std::string text;
  double width;  // estimated, in ems
};

// A function's axis label, "A セキュリティ対応組織運営 4/5", broken into at
// most three balanced lines of about `max_em` ems; the first line starts with
// the code and kRadarCodeSeparator, the last ends with the level. A name too
// long for three lines is shortened with an ellipsis, never the level.
std::vector<WrappedLine> RadarLabelLines(const FunctionRow& f, double max_em);

// Appends the radar as an <svg> element (no XML declaration), for the
// standalone SVG and for inlining into the HTML report.
void AppendRadarSvg(std::string* out, const ReportView& view);

}  // namespace socm::reporting::internal
