#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/reporting/domain/radar.h"
#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_extras.h"
#include "services/reporting/domain/report_view.h"
#include "services/reporting/domain/text.h"

namespace socm::reporting {
namespace {

using internal::AppendEscaped;
using internal::FunctionRow;
using internal::Highlight;
using internal::ReportView;
using internal::RoleRow;
using internal::Words;

// One family for both languages: Noto Sans CJK carries Latin glyphs too, and
// a single family keeps the mixed Japanese/English lines even.
constexpr const char* kFamily = "Noto Sans CJK JP";

// A4 in PostScript points, the unit of a PDF page.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 40;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kFooterSpace = 22;
constexpr double kCellPad = 3.5;
// A table row cannot break across pages, so a note longer than this is cut
// in the PDF (the HTML, CSV and XLSX carry it whole).
constexpr size_t kMaxNoteBytes = 600;

struct Rgb {
  double r, g, b;
};
constexpr Rgb Hex(unsigned v) {
  return {((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0};
}
constexpr Rgb kInk = Hex(0x1D2330);
constexpr Rgb kMuted = Hex(0x5B6472);
constexpr Rgb kLine = Hex(0xC8CED6);
constexpr Rgb kHeadFill = Hex(0xE6EBF2);
constexpr Rgb kGroupFill = Hex(0xF1F3F6);
constexpr Rgb kCurrent = Hex(0x1F6FEB);
constexpr Rgb kTarget = Hex(0xD9480F);
constexpr Rgb kInSource = Hex(0x2B8A3E);
constexpr Rgb kGood = Hex(0x2F9E44);
constexpr Rgb kBad = Hex(0xC92A2A);

void SetColour(cairo_t* cr, Rgb c, double alpha = 1) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

struct GObjectUnref {
  void operator()(void* p) const { g_object_unref(p); }
};
using Layout = std::unique_ptr<PangoLayout, GObjectUnref>;

// Pango markup from plain text: the same escaping as XML.
std::string Markup(std::string_view text) { return internal::Escaped(text); }

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct TextStyle {
  double size = 9;
  bool bold = false;
  Rgb colour = kInk;
  PangoAlignment align = PANGO_ALIGN_LEFT;
};

struct Column {
  double width;
  PangoAlignment align = PANGO_ALIGN_LEFT;
};

// A cell's text is Pango markup, so a cell can mix a bold level with its
// smaller ladder text.
struct Cell {
  std::string markup;
  bool bold = false;
};

// A flowing document on A4 pages: a cursor moves down, and whatever does not
// fit in what is left of a page starts the next one.
class Document {
 public:
  Document(std::string* sink, const ReportView& view)
      : view_(view),
        surface_(
            cairo_pdf_surface_create_for_stream(AppendToString, sink, kPageWidth, kPageHeight)),
        cr_(cairo_create(surface_)),
        context_(pango_font_map_create_context(pango_cairo_font_map_get_default())),
        font_(pango_font_description_new()) {
    // 72 dpi makes a Pango point a PDF point.
    pango_cairo_context_set_resolution(context_, 72);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_, options);
    cairo_font_options_destroy(options);
    // The language picks Japanese glyph forms for the Han characters.
    pango_context_set_language(context_, pango_language_from_string(internal::LangCode(view.lang)));
    pango_font_description_set_family(font_, kFamily);
    cairo_pdf_surface_restrict_to_version(surface_, CAIRO_PDF_VERSION_1_5);
  }

  ~Document() {
    pango_font_description_free(font_);
    g_object_unref(context_);
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
  }
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  cairo_t* cr() const { return cr_; }
  double y() const { return y_; }
  void set_y(double y) { y_ = y; }
  double Bottom() const { return kPageHeight - kMargin - kFooterSpace; }

  // Whether the fonts resolve to the Noto CJK family; another family would
  // draw Japanese as empty boxes.
  bool HasCjkFont() {
    pango_font_description_set_size(font_, 10 * PANGO_SCALE);
    PangoFont* font = pango_font_map_load_font(pango_cairo_font_map_get_default(), context_, font_);
    if (font == nullptr) return false;
    PangoFontDescription* found = pango_font_describe(font);
    const char* family = pango_font_description_get_family(found);
    const bool ok =
        family != nullptr && std::string_view(family).find("CJK") != std::string_view::npos;
    pango_font_description_free(found);
    g_object_unref(font);
    return ok;
  }

  void SetMetadata(std::string_view title) {
    const std::string clean = internal::CleanText(title);
    if (!clean.empty())
      cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, clean.c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "SOC Maturity");
  }

  Layout Make(const std::string& markup, const TextStyle& style, double width) {
    Layout layout(pango_layout_new(context_));
    pango_font_description_set_size(font_, static_cast<int>(style.size * PANGO_SCALE));
    pango_font_description_set_weight(font_, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font_);
    if (width > 0) {
      pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout.get(), style.align);
    pango_layout_set_markup(layout.get(), markup.data(), static_cast<int>(markup.size()));
    return layout;
  }

  static PangoRectangle Extents(PangoLayout* layout) {
    PangoRectangle logical;
    pango_layout_get_extents(layout, nullptr, &logical);
    return {logical.x / PANGO_SCALE, logical.y / PANGO_SCALE,
            static_cast<int>(std::ceil(static_cast<double>(logical.width) / PANGO_SCALE)),
            static_cast<int>(std::ceil(static_cast<double>(logical.height) / PANGO_SCALE))};
  }
  static double Height(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void Show(PangoLayout* layout, double x, double y, Rgb colour) {
    SetColour(cr_, colour);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout);
  }

  void NewPage() {
    if (page_ > 0) cairo_show_page(cr_);
    ++page_;
    y_ = kMargin;
    Footer();
    if (!header_columns_.empty()) {
      std::vector<Layout> layouts;
      const double height = Measure(header_columns_, header_cells_, header_size_, &layouts);
      Draw(header_columns_, layouts, height, &kHeadFill);
    }
  }

  // Starts a new page unless `height` still fits on this one.
  void Need(double height) {
    if (y_ + height > Bottom()) NewPage();
  }

  // A paragraph across the content width at the cursor.
  void Paragraph(const std::string& markup, const TextStyle& style, double space_after = 6,
                 double indent = 0) {
    Layout layout = Make(markup, style, kContentWidth - indent);
    const double h = Height(layout.get());
    Need(h);
    Show(layout.get(), kMargin + indent, y_, style.colour);
    y_ += h + space_after;
  }

  // A section heading, kept with at least `keep` points of what follows.
  void Heading(std::string_view text, double keep = 80) {
    Layout layout = Make(Markup(text), {13, true, kInk, PANGO_ALIGN_LEFT}, kContentWidth);
    const double h = Height(layout.get());
    if (y_ > kMargin) y_ += 10;  // space above, except at the top of a page
    Need(h + 6 + keep);
    Show(layout.get(), kMargin, y_, kInk);
    y_ += h + 2;
    SetColour(cr_, kInk);
    cairo_set_line_width(cr_, 1.2);
    cairo_move_to(cr_, kMargin, y_);
    cairo_line_to(cr_, kMargin + kContentWidth, y_);
    cairo_stroke(cr_);
    y_ += 6;
  }

  // One table row. A row that does not fit starts a new page, which repeats
  // the table's header row (see RepeatHeader) so that every page of a long
  // table can be read alone.
  void Row(const std::vector<Column>& columns, const std::vector<Cell>& cells, double size,
           const Rgb* fill = nullptr) {
    std::vector<Layout> layouts;
    const double height = Measure(columns, cells, size, &layouts);
    if (y_ + height > Bottom()) NewPage();
    Draw(columns, layouts, height, fill);
  }

  // Draws `cells` as a header now and again at the top of every new page,
  // until EndTable.
  void RepeatHeader(const std::vector<Column>& columns, const std::vector<Cell>& cells,
                    double size) {
    header_columns_ = columns;
    header_cells_ = cells;
    header_size_ = size;
    std::vector<Layout> layouts;
    const double height = Measure(columns, cells, size, &layouts);
    // A header alone at the foot of a page is useless: keep a row with it.
    if (y_ + 2 * height > Bottom()) {
      NewPage();
    } else {
      Draw(columns, layouts, height, &kHeadFill);
    }
  }
  void EndTable() {
    header_columns_.clear();
    header_cells_.clear();
  }

  absl::Status Finish() {
    cairo_show_page(cr_);
    cairo_surface_finish(surface_);
    const cairo_status_t status = cairo_surface_status(surface_);
    if (status != CAIRO_STATUS_SUCCESS) {
      return absl::InternalError(std::string("pdf: ") + cairo_status_to_string(status));
    }
    return absl::OkStatus();
  }

 private:
  double Measure(const std::vector<Column>& columns, const std::vector<Cell>& cells, double size,
                 std::vector<Layout>* layouts) {
    double height = 0;
    for (size_t i = 0; i < columns.size() && i < cells.size(); ++i) {
      TextStyle style{size, cells[i].bold, kInk, columns[i].align};
      layouts->push_back(Make(cells[i].markup, style, columns[i].width - 2 * kCellPad));
      height = std::max(height, Height(layouts->back().get()));
    }
    return height + 2 * kCellPad;
  }

  void Draw(const std::vector<Column>& columns, const std::vector<Layout>& layouts, double height,
            const Rgb* fill) {
    double total = 0;
    for (const Column& c : columns) total += c.width;
    if (fill != nullptr) {
      SetColour(cr_, *fill);
      cairo_rectangle(cr_, kMargin, y_, total, height);
      cairo_fill(cr_);
    }
    double x = kMargin;
    for (size_t i = 0; i < layouts.size(); ++i) {
      Show(layouts[i].get(), x + kCellPad, y_ + kCellPad, kInk);
      x += columns[i].width;
    }
    SetColour(cr_, kLine);
    cairo_set_line_width(cr_, 0.6);
    cairo_move_to(cr_, kMargin, y_ + height);
    cairo_line_to(cr_, kMargin + total, y_ + height);
    cairo_stroke(cr_);
    y_ += height;
  }

  void Footer() {
    std::string left = Markup(view_.organization);
    const std::string& title = view_.assessment->title();
    if (!title.empty()) {
      if (!left.empty()) left.append(" \u2014 ");
      left.append(Markup(title));
    }
    const TextStyle style{7.5, false, kMuted, PANGO_ALIGN_LEFT};
    Layout l = Make(left, style, kContentWidth - 60);
    pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
    const double y = kPageHeight - kMargin - 6;
    Show(l.get(), kMargin, y, kMuted);
    TextStyle right = style;
    right.align = PANGO_ALIGN_RIGHT;
    Layout r = Make(std::to_string(page_), right, 60);
    Show(r.get(), kMargin + kContentWidth - 60, y, kMuted);
  }

  const ReportView& view_;
  cairo_surface_t* surface_;
  cairo_t* cr_;
  PangoContext* context_;
  PangoFontDescription* font_;
  int page_ = 0;
  double y_ = kMargin;
  std::vector<Column> header_columns_;
  std::vector<Cell> header_cells_;
  double header_size_ = 0;
};

constexpr double kLabelSize = 8.5;
constexpr double kLabelWidth = 118;

// The SVG's line breaks, so that both charts read the same. Noto's Latin
// space is narrow next to kana, so a figure space (also unbreakable) keeps the
// code apart from the name.
std::string LabelMarkup(const FunctionRow& f) {
  const std::vector<internal::WrappedLine> lines =
      internal::RadarLabelLines(f, kLabelWidth / kLabelSize);
  const std::string prefix = std::string(f.code) + internal::kRadarCodeSeparator;
  const std::string level = internal::LevelOutOfMax(f);
  std::string m;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view text = lines[i].text;
    if (i > 0) m.push_back('\n');
    if (i == 0 && text.substr(0, prefix.size()) == prefix) {
      m.append("<b>");
      AppendEscaped(&m, f.code);
      m.append("</b>\u2007");
      text.remove_prefix(prefix.size());
    }
    const bool level_here = i + 1 == lines.size() && text.size() >= level.size() &&
                            text.substr(text.size() - level.size()) == level;
    if (level_here) text.remove_suffix(level.size());
    AppendEscaped(&m, text);
    if (level_here) {
      m.append("<span foreground=\"#1f6feb\" weight=\"bold\">").append(level).append("</span>");
    }
  }
  return m;
}

void Polygon(cairo_t* cr, const internal::RadarGeometry& geo, int n,
             const std::vector<double>& values) {
  for (int i = 0; i < n; ++i) {
    const internal::RadarPoint p = geo.At(i, values[i]);
    if (i == 0) {
      cairo_move_to(cr, p.x, p.y);
    } else {
      cairo_line_to(cr, p.x, p.y);
    }
  }
  cairo_close_path(cr);
}

// The radar of the SVG, drawn with cairo into the band [top, top + height].
void Radar(Document& doc, const ReportView& v, double top, double height) {
  cairo_t* cr = doc.cr();
  const int n = static_cast<int>(v.functions.size());
  if (n == 0) return;
  constexpr double kLabelGap = 10;
  const double radius = std::min(135.0, (height - 120) / 2);
  if (radius < 40) return;
  const internal::RadarGeometry geo{kPageWidth / 2, top + height / 2 + 4, radius, n, v.highest};
  const int first_ring = internal::FirstRing(v);

  cairo_set_line_width(cr, 0.6);
  for (int ring = first_ring; ring <= v.highest; ++ring) {
    Polygon(cr, geo, n, std::vector<double>(n, ring));
    SetColour(cr, ring == v.highest ? kMuted : kLine);
    cairo_stroke(cr);
  }
  SetColour(cr, kMuted);
  for (int i = 0; i < n; ++i) {
    const internal::RadarPoint end = geo.At(i, v.highest);
    cairo_move_to(cr, geo.cx, geo.cy);
    cairo_line_to(cr, end.x, end.y);
  }
  cairo_stroke(cr);
  for (int ring = first_ring; ring <= v.highest; ++ring) {
    Layout l = doc.Make(std::to_string(ring), {6.5, false, kMuted, PANGO_ALIGN_LEFT}, 0);
    const internal::RadarPoint p = geo.At(0, ring);
    doc.Show(l.get(), p.x + 3, p.y - 9, kMuted);
  }

  if (v.any_target) {
    static constexpr double kDash[] = {5, 3};
    cairo_set_dash(cr, kDash, 2, 0);
    cairo_set_line_width(cr, 1.4);
    SetColour(cr, kTarget);
    for (int i = 0; i < n; ++i) {
      const FunctionRow& a = v.functions[i];
      const FunctionRow& b = v.functions[(i + 1) % n];
      if (!a.target || !b.target || n < 2) continue;
      const internal::RadarPoint p = geo.At(i, *a.target);
      const internal::RadarPoint q = geo.At((i + 1) % n, *b.target);
      cairo_move_to(cr, p.x, p.y);
      cairo_line_to(cr, q.x, q.y);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }

  std::vector<double> levels;
  for (const FunctionRow& f : v.functions) levels.push_back(internal::PlottedLevel(f));
  Polygon(cr, geo, n, levels);
  SetColour(cr, kCurrent, 0.22);
  cairo_fill_preserve(cr);
  SetColour(cr, kCurrent);
  cairo_set_line_width(cr, 1.8);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke(cr);
  for (int i = 0; i < n; ++i) {
    const internal::RadarPoint p = geo.At(i, levels[i]);
    cairo_arc(cr, p.x, p.y, 2.4, 0, 2 * 3.14159265358979323846);
    cairo_fill(cr);
  }

  if (v.sourcing) {
    std::vector<double> own;
    for (const FunctionRow& f : v.functions) own.push_back(internal::InSourceOnlyLevel(f));
    static constexpr double kDots[] = {1.5, 2};
    cairo_set_dash(cr, kDots, 2, 0);
    cairo_set_line_width(cr, 1.4);
    Polygon(cr, geo, n, own);
    SetColour(cr, kInSource);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }

  for (int i = 0; i < n; ++i) {
    const internal::HAlign h = geo.Horizontal(i);
    const PangoAlignment align = h == internal::HAlign::kStart ? PANGO_ALIGN_LEFT
                                 : h == internal::HAlign::kEnd ? PANGO_ALIGN_RIGHT
                                                               : PANGO_ALIGN_CENTER;
    // The lines are already broken; the slack lets Pango keep them unless an
    // estimate was far off.
    Layout l =
        doc.Make(LabelMarkup(v.functions[i]), {kLabelSize, false, kInk, align}, kLabelWidth * 1.15);
    const PangoRectangle box = Document::Extents(l.get());
    const internal::RadarPoint a = geo.LabelAnchor(i, kLabelGap);
    double x = a.x - box.x - box.width / 2.0;
    if (h == internal::HAlign::kStart) x = a.x - box.x;
    if (h == internal::HAlign::kEnd) x = a.x - box.x - box.width;
    double y = a.y - box.height / 2.0;
    if (geo.Vertical(i) == internal::VAlign::kAboveAnchor) y = a.y - box.height;
    if (geo.Vertical(i) == internal::VAlign::kBelowAnchor) y = a.y;
    doc.Show(l.get(), x, y, kInk);
  }

  // Legend in the band's top-left corner, which no label reaches.
  const double lx = kMargin;
  double ly = top + 4;
  SetColour(cr, kCurrent, 0.22);
  cairo_rectangle(cr, lx, ly, 16, 9);
  cairo_fill_preserve(cr);
  SetColour(cr, kCurrent);
  cairo_set_line_width(cr, 1.4);
  cairo_stroke(cr);
  Layout current = doc.Make(Markup(v.words->current), {8.5, false, kInk, PANGO_ALIGN_LEFT}, 0);
  doc.Show(current.get(), lx + 22, ly - 2, kInk);
  // A dashed line and its word, one legend row below the last.
  const auto dashed = [&](const double* dash, Rgb colour, const char* word) {
    ly += 15;
    cairo_set_dash(cr, dash, 2, 0);
    SetColour(cr, colour);
    cairo_move_to(cr, lx, ly + 4.5);
    cairo_line_to(cr, lx + 16, ly + 4.5);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    Layout l = doc.Make(Markup(word), {8.5, false, kInk, PANGO_ALIGN_LEFT}, 0);
    doc.Show(l.get(), lx + 22, ly - 2, kInk);
  };
  static constexpr double kDash[] = {5, 3};
  static constexpr double kDots[] = {1.5, 2};
  if (v.any_target) dashed(kDash, kTarget, v.words->target);
  if (v.sourcing) dashed(kDots, kInSource, v.words->in_source_only);
}

void TitlePage(Document& doc, const ReportView& v) {
  const Words& w = *v.words;
  const auto& a = *v.assessment;
  const auto& s = *v.score;
  doc.Paragraph(Markup(w.report_title), {18, true, kInk}, 4);
  if (!v.organization.empty()) doc.Paragraph(Markup(v.organization), {14, false, kMuted}, 10);

  std::string catalogue(internal::Pick(v.catalogue->name(), v.lang));
  const std::string& version =
      !s.catalogue_version().empty() ? s.catalogue_version() : v.catalogue->version();
  if (!version.empty()) catalogue.append(" v").append(version);
  const std::vector<Column> meta{{88}, {kContentWidth - 88}};
  const auto meta_row = [&](const char* label, std::string_view value) {
    if (value.empty()) return;
    const std::string muted = "<span foreground=\"#5b6472\">" + Markup(label) + "</span>";
    doc.Row(meta, {{muted}, {Markup(value)}}, 9);
  };
  meta_row(w.assessment_title, a.title());
  meta_row(w.assessed_on, a.assessed_on());
  meta_row(w.status, internal::StatusWord(a.status(), v.lang));
  meta_row(w.catalogue, catalogue);
  doc.set_y(doc.y() + 12);

  // Three boxes: overall, completeness, policy.
  std::string overall = "<span size=\"8192\" foreground=\"#5b6472\">" + Markup(w.overall) +
                        "</span>\n<span size=\"16384\" weight=\"bold\">";
  if (s.overall().has_score()) {
    overall.append(internal::FormatTenths(s.overall().score()));
    overall.append("</span> <span foreground=\"#5b6472\">");
    overall.append(Markup(w.level));
    overall.append(" ").append(s.overall().has_level() ? std::to_string(s.overall().level()) : "-");
    overall.append("/" + std::to_string(v.highest) + "</span>");
  } else {
    overall.append(Markup(w.not_scored)).append("</span>");
  }
  std::string completeness =
      "<span size=\"8192\" foreground=\"#5b6472\">" + Markup(w.completeness) +
      "</span>\n<span size=\"16384\" weight=\"bold\">" +
      std::to_string(s.completeness().answered()) + "</span> <span foreground=\"#5b6472\">/ " +
      std::to_string(s.completeness().total()) + " " + Markup(w.roles_answered) + "</span>";
  std::string policy = "<span size=\"8192\" foreground=\"#5b6472\">" + Markup(w.policy) +
                       "</span>\n" + Markup(internal::PolicyWord(s.policy(), v.lang));
  const double gap = 8;
  const double box_width = (kContentWidth - 2 * gap) / 3;
  std::vector<Layout> boxes;
  double box_height = 0;
  for (const std::string* m : {&overall, &completeness, &policy}) {
    boxes.push_back(doc.Make(*m, {9, false, kInk}, box_width - 16));
    box_height = std::max(box_height, Document::Height(boxes.back().get()));
  }
  box_height += 14;
  cairo_t* cr = doc.cr();
  for (size_t i = 0; i < boxes.size(); ++i) {
    const double x = kMargin + static_cast<double>(i) * (box_width + gap);
    SetColour(cr, kLine);
    cairo_set_line_width(cr, 0.8);
    cairo_rectangle(cr, x, doc.y(), box_width, box_height);
    cairo_stroke(cr);
    doc.Show(boxes[i].get(), x + 8, doc.y() + 7, kInk);
  }
  doc.set_y(doc.y() + box_height + 14);

  const double band = std::min(470.0, doc.Bottom() - doc.y());
  Radar(doc, v, doc.y(), band);
  doc.set_y(doc.y() + band);
}

void FunctionTable(Document& doc, const ReportView& v) {
  const Words& w = *v.words;
  doc.Heading(w.functions);
  const std::vector<Column> columns{{34},
                                    {kContentWidth - 34 - 5 * 58},
                                    {58, PANGO_ALIGN_RIGHT},
                                    {58, PANGO_ALIGN_RIGHT},
                                    {58, PANGO_ALIGN_RIGHT},
                                    {58, PANGO_ALIGN_RIGHT},
                                    {58, PANGO_ALIGN_RIGHT}};
  std::vector<Cell> header;
  for (const char* h : {w.code, w.function, w.score, w.level, w.target, w.gap, w.answered}) {
    header.push_back({Markup(h), true});
  }
  doc.RepeatHeader(columns, header, 9);
  for (const FunctionRow& f : v.functions) {
    doc.Row(columns,
            {{Markup(f.code), true},
             {Markup(f.name)},
             {f.score ? internal::FormatTenths(*f.score) : "-"},
             {f.level ? internal::LevelOutOfMax(f) : "-"},
             {internal::FormatTenths(f.target)},
             {internal::FormatTenths(f.gap)},
             {std::to_string(f.answered) + "/" + std::to_string(f.total)}},
            9);
  }
  doc.EndTable();
}

// How far each function leans on out-source, for models with both ladders.
void SourcingTable(Document& doc, const ReportView& v) {
  if (!v.sourcing) return;
  const Words& w = *v.words;
  doc.Heading(w.sourcing);
  doc.Paragraph(Markup(w.sourcing_note), {8, false, kMuted}, 6);
  const std::vector<Column> columns{{34},
                                    {kContentWidth - 34 - 3 * 80},
                                    {80, PANGO_ALIGN_RIGHT},
                                    {80, PANGO_ALIGN_RIGHT},
                                    {80, PANGO_ALIGN_RIGHT}};
  std::vector<Cell> header;
  for (const char* h : {w.code, w.function, w.out_sourced_roles, w.in_source_only, w.dependency}) {
    header.push_back({Markup(h), true});
  }
  doc.RepeatHeader(columns, header, 9);
  for (const FunctionRow& f : v.functions) {
    doc.Row(columns,
            {{Markup(f.code), true},
             {Markup(f.name)},
             {std::to_string(f.out_sourced_roles)},
             {internal::FormatTenths(f.in_source_only)},
             {internal::FormatTenths(f.dependency)}},
            9);
  }
  doc.EndTable();
}

// The earlier assessments on the catalogue beside this one, per function, with the change.
void TrendTablePdf(Document& doc, const ReportView& v) {
  const internal::TrendTable t = internal::BuildTrendTable(v);
  if (t.dates.empty()) return;
  const Words& w = *v.words;
  doc.Heading(internal::Say(v.lang, "前回からの推移", "Trend since earlier assessments"));
  const double number = 54;
  std::vector<Column> columns{
      {34}, {kContentWidth - 34 - number * static_cast<double>(t.dates.size() + 1)}};
  for (size_t i = 0; i <= t.dates.size(); ++i) columns.push_back({number, PANGO_ALIGN_RIGHT});
  std::vector<Cell> header{{Markup(w.code), true}, {Markup(w.function), true}};
  for (const auto& d : t.dates) header.push_back({Markup(d), true});
  header.push_back({Markup(internal::Say(v.lang, "前回比", "Change")), true});
  doc.RepeatHeader(columns, header, 9);
  for (const auto& row : t.rows) {
    std::vector<Cell> cells{{Markup(row.code), true}, {Markup(row.name)}};
    for (const auto& score : row.scores) cells.push_back({internal::FormatTenths(score)});
    std::string delta = "-";
    if (row.delta) {
      const double d = *row.delta;
      const char* colour = d > 0.05 ? "#2b8a3e" : d < -0.05 ? "#c92a2a" : "#5b6472";
      delta = absl::StrCat("<span foreground=\"", colour, "\">", d > 0 ? "+" : "",
                           internal::FormatTenths(d), "</span>");
    }
    cells.push_back({delta});
    doc.Row(columns, cells, 9);
  }
  doc.EndTable();
}

void Highlights(Document& doc, const ReportView& v, const std::vector<Highlight>& list,
                bool strength) {
  const Words& w = *v.words;
  doc.Paragraph(Markup(strength ? w.strengths : w.weaknesses), {11, true, kInk}, 4);
  if (list.empty()) doc.Paragraph(Markup(w.none), {9, false, kMuted});
  for (const Highlight& h : list) {
    const FunctionRow& f = *h.function;
    std::string m = "<b>";
    AppendEscaped(&m, f.code);
    m.push_back(' ');
    AppendEscaped(&m, f.name);
    m.append(" ").append(internal::LevelOutOfMax(f)).append("</b>");
    if (!h.narrative.empty()) m.append("\n").append(Markup(h.narrative));
    if (!h.advice.empty()) {
      m.append("\n<span foreground=\"#5b6472\">").append(Markup(w.advice)).append(": ");
      m.append(Markup(h.advice)).append("</span>");
    }
    Layout l = doc.Make(m, {9.5, false, kInk}, kContentWidth - 14);
    pango_layout_set_spacing(l.get(), 2 * PANGO_SCALE);
    const double height = Document::Height(l.get());
    doc.Need(height + 8);
    SetColour(doc.cr(), strength ? kGood : kBad);
    cairo_rectangle(doc.cr(), kMargin, doc.y(), 3.5, height + 4);
    cairo_fill(doc.cr());
    doc.Show(l.get(), kMargin + 12, doc.y() + 2, kInk);
    doc.set_y(doc.y() + height + 12);
  }
}

std::string LevelMarkup(
    const ReportView& v, std::optional<int> level,
    const google::protobuf::RepeatedPtrField<soc::maturity::catalogue::v1::LevelText>& ladder) {
  if (!level) return {};
  std::string m = "<b>" + std::to_string(*level) + "</b>";
  const std::string_view text = internal::LevelText(ladder, *level, v.lang);
  if (!text.empty()) {
    m.append("\n<span size=\"6656\" foreground=\"#5b6472\">")
        .append(Markup(text))
        .append("</span>");
  }
  return m;
}

void RoleTable(Document& doc, const ReportView& v) {
  const Words& w = *v.words;
  doc.NewPage();
  doc.Heading(w.roles_title);
  // The dimensions share the width two ladders had.
  const size_t dims = std::max<size_t>(1, v.dimensions.size());
  const double dim_width = 192.0 / static_cast<double>(dims);
  std::vector<Column> columns{{30}, {96}, {26, PANGO_ALIGN_CENTER}};
  for (size_t i = 0; i < v.dimensions.size(); ++i) columns.push_back({dim_width});
  columns.push_back({50, PANGO_ALIGN_RIGHT});
  columns.push_back({42, PANGO_ALIGN_RIGHT});
  columns.push_back({kContentWidth - 30 - 96 - 26 -
                     dim_width * static_cast<double>(v.dimensions.size()) - 50 - 42});
  std::vector<Cell> header{
      {Markup(w.role), true}, {Markup(w.role_name), true}, {Markup(w.area), true}};
  for (const auto& d : v.dimensions) header.push_back({Markup(d.name), true});
  for (const char* h : {w.effective, w.target, w.note}) header.push_back({Markup(h), true});
  doc.RepeatHeader(columns, header, 7.5);
  const std::vector<Column> group{{kContentWidth}};
  for (const FunctionRow& f : v.functions) {
    std::string title =
        Markup(f.code) + " " + Markup(f.name) + " \u2014 " + internal::LevelOutOfMax(f);
    if (f.score) title.append(" (").append(internal::FormatTenths(*f.score)).append(")");
    // A group title alone at the foot of a page reads badly: keep it with a row.
    doc.Need(40);
    doc.Row(group, {{title, true}}, 8.5, &kGroupFill);
    for (const RoleRow& r : f.roles) {
      const bool answered = r.effective.has_value();
      std::string effective =
          answered ? internal::FormatInt(r.effective)
                   : "<span foreground=\"#5b6472\">" + Markup(w.unanswered) + "</span>";
      if (answered && !r.counted) {
        effective.append("\n<span size=\"6144\" foreground=\"#5b6472\">")
            .append(Markup(w.not_counted))
            .append("</span>");
      }
      std::vector<Cell> cells{{Markup(r.code), true}, {Markup(r.name)}, {Markup(r.area)}};
      for (size_t i = 0; i < v.dimensions.size(); ++i) {
        cells.push_back({LevelMarkup(v, r.levels[i], *v.dimensions[i].ladder)});
      }
      cells.push_back({effective});
      cells.push_back({internal::FormatInt(r.target)});
      cells.push_back({Markup(internal::Shorten(r.note, kMaxNoteBytes))});
      doc.Row(columns, cells, 7.5);
      if (!r.evidence.empty() || !r.comments.empty()) {
        std::string m;
        for (const auto* e : r.evidence) {
          m.append(m.empty() ? "" : "\n")
              .append("<b>")
              .append(Markup(internal::Say(v.lang, "エビデンス", "Evidence")));
          m.append("</b> ").append(Markup(internal::EvidenceLine(*e)));
        }
        for (const auto* c : r.comments) {
          m.append(m.empty() ? "" : "\n").append("<span foreground=\"#5b6472\">");
          m.append(Markup(internal::CommentHead(*c))).append("</span> ");
          m.append(Markup(internal::Shorten(c->body(), kMaxNoteBytes)));
        }
        doc.Row(group, {{m}}, 7);
      }
    }
  }
  doc.EndTable();
}

void Guidance(Document& doc, const ReportView& v) {
  const Words& w = *v.words;
  const auto& c = *v.catalogue;
  doc.Heading(w.rating_guidance);
  const std::string_view guidance = internal::Pick(c.rating_guidance(), v.lang);
  if (!guidance.empty()) doc.Paragraph(Markup(guidance), {9, false, kInk}, 8);
  // One row per level of the scale: its label, then each dimension's text.
  const double text_width =
      (kContentWidth - 90) / static_cast<double>(std::max<size_t>(1, v.dimensions.size()));
  std::vector<Column> columns{{90}};
  std::vector<Cell> header{{Markup(w.level), true}};
  for (const auto& d : v.dimensions) {
    columns.push_back({text_width});
    header.push_back({Markup(d.name), true});
  }
  doc.RepeatHeader(columns, header, 8);
  for (int level = v.lowest; level <= v.highest; ++level) {
    std::string label = "<b>" + std::to_string(level) + "</b>";
    for (const auto& l : c.scale().levels()) {
      const std::string_view text = internal::Pick(l.label(), v.lang);
      if (l.level() == level && text != std::to_string(level)) {
        label.append("\n<span size=\"6656\" foreground=\"#5b6472\">")
            .append(Markup(text))
            .append("</span>");
      }
    }
    std::vector<Cell> cells{{label}};
    for (const auto& d : v.dimensions) {
      cells.push_back({Markup(internal::LevelText(*d.ladder, level, v.lang))});
    }
    doc.Row(columns, cells, 8);
  }
  doc.EndTable();

  const auto& p = c.provenance();
  if (p.parts_size() == 0 && p.sources_size() == 0) return;
  doc.Heading(w.provenance);
  const std::vector<Column> parts{{150}, {92}, {kContentWidth - 150 - 92}};
  for (const auto& part : p.parts()) {
    const bool confirmed =
        part.status() == soc::maturity::catalogue::v1::PROVENANCE_STATUS_CONFIRMED;
    const std::string status = std::string("<span foreground=\"") +
                               (confirmed ? "#2f9e44" : "#b35c00") + "\">" +
                               Markup(internal::ProvenanceWord(part.status(), v.lang)) + "</span>";
    doc.Row(parts,
            {{Markup(part.scope())}, {status, true}, {Markup(internal::Pick(part.note(), v.lang))}},
            8);
  }
  if (p.sources_size() > 0) {
    doc.set_y(doc.y() + 8);
    doc.Paragraph(Markup(w.sources), {9.5, true, kInk}, 3);
    for (const auto& source : p.sources()) {
      doc.Paragraph("\u2022 " + Markup(source), {8, false, kInk}, 2, 6);
    }
  }
}

}  // namespace

absl::StatusOr<std::string> RenderPdf(const ReportInput& input) {
  const ReportView v = internal::BuildView(input);
  std::string out;
  {
    Document doc(&out, v);
    if (cairo_surface_status(cairo_get_target(doc.cr())) != CAIRO_STATUS_SUCCESS) {
      return absl::InternalError("pdf: cannot create the surface");
    }
    if (!doc.HasCjkFont()) {
      // Without it Japanese prints as empty boxes; better no PDF than that.
      return absl::FailedPreconditionError("pdf: the font Noto Sans CJK JP is not installed");
    }
    std::string title = std::string(v.words->report_title);
    if (!v.organization.empty()) title.append(" \u2014 ").append(v.organization);
    doc.SetMetadata(title);

    doc.NewPage();
    TitlePage(doc, v);
    doc.NewPage();
    FunctionTable(doc, v);
    TrendTablePdf(doc, v);
    SourcingTable(doc, v);
    doc.Heading(v.words->strengths_and_weaknesses);
    Highlights(doc, v, v.strengths, /*strength=*/true);
    Highlights(doc, v, v.weaknesses, /*strength=*/false);
    RoleTable(doc, v);
    Guidance(doc, v);
    absl::Status finished = doc.Finish();
    if (!finished.ok()) return finished;
  }
  return out;
}

}  // namespace socm::reporting
