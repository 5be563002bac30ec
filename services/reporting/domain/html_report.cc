#include <string>
#include <string_view>

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

// The page must open from a mail attachment or a portal's download without
// fetching anything, so the styles live inline, and the CSP forbids anything
// else even if an escaping bug ever let markup through.
constexpr const char* kHead = R"(<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>
:root{--ink:#1d2330;--muted:#5b6472;--line:#d5dae1;--head:#f1f3f6;--accent:#1f6feb;--good:#2f9e44;--bad:#c92a2a}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);font:14px/1.6 "Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic",Meiryo,system-ui,sans-serif}
main{max-width:1000px;margin:0 auto;padding:32px 28px}
h1{font-size:24px;margin:0 0 2px}
.subtitle{font-size:18px;margin:0 0 16px;color:var(--muted)}
h2{font-size:18px;border-bottom:2px solid var(--ink);padding-bottom:3px;margin:32px 0 12px}
h3{font-size:15px;margin:0 0 6px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 18px;margin:0 0 16px}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0}
.kpis{display:flex;gap:14px;flex-wrap:wrap}
.kpi{flex:1 1 200px;border:1px solid var(--line);border-radius:6px;padding:10px 14px}
.kpi .label{color:var(--muted);font-size:12px}
.kpi .value{font-size:24px;font-weight:700}
.kpi .value small{font-size:14px;font-weight:400;color:var(--muted)}
.kpi .text{font-size:13px}
figure.radar{margin:16px 0 0}
figure.radar svg{display:block;width:100%;max-width:860px;height:auto;margin:0 auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid var(--line);padding:5px 7px;text-align:left;vertical-align:top}
thead th{background:var(--head)}
table.roles{table-layout:fixed}
col.w5{width:5%}col.w6{width:6%}col.w7{width:7%}col.w9{width:9%}col.w15{width:15%}col.w16{width:16%}col.w21{width:21%}col.w42{width:42%}col.w14{width:14%}col.w10{width:10%}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.code{white-space:nowrap;font-weight:600}
tr.fn th{background:#e6ebf2;font-size:14px}
tr.unanswered td{color:var(--muted)}
.lv{font-weight:700}
.lt{display:block;color:var(--muted);font-size:12px;line-height:1.45}
.note{white-space:pre-wrap;overflow-wrap:anywhere}
tr.extras td{background:#fafbfc;font-size:12px}
tr.extras ul{margin:2px 0 0;padding-left:18px}
tr.extras .who{color:var(--muted);margin-right:6px}
tr.extras .body{white-space:pre-wrap;overflow-wrap:anywhere}
.up{color:var(--good)}.down{color:var(--bad)}
h3.sources{margin-top:12px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.card{border:1px solid var(--line);border-left:5px solid var(--good);border-radius:4px;padding:10px 14px;margin:0 0 12px}
.card.weak{border-left-color:var(--bad)}
.card p{margin:4px 0}
.card .advice{color:var(--muted)}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;white-space:nowrap}
.badge.s1{background:#d3f9d8}
.badge.s2{background:#fff3bf}
.muted{color:var(--muted)}
footer{margin-top:32px;color:var(--muted);font-size:12px}
@page{size:A4;margin:14mm 12mm}
@media (max-width:700px){.cols{grid-template-columns:1fr}}
@media print{
body{font-size:10pt}
main{max-width:none;padding:0}
h2{break-after:avoid;margin-top:18px}
.kpi,.card,tr,figure.radar{break-inside:avoid}
thead{display:table-header-group}
figure.radar svg{max-width:165mm}
section.functions,section.roles{break-before:page}
}
</style>
)";

void Esc(std::string* out, std::string_view text) { AppendEscaped(out, text); }

void Cell(std::string* out, std::string_view cls, std::string_view text) {
  out->append(cls.empty() ? "<td>" : "<td class=\"");
  if (!cls.empty()) {
    out->append(cls);
    out->append("\">");
  }
  Esc(out, text);
  out->append("</td>");
}

void Header(std::string* out, const ReportView& v) {
  const Words& w = *v.words;
  out->append("<header>\n<h1>");
  Esc(out, w.report_title);
  out->append("</h1>\n");
  if (!v.organization.empty()) {
    out->append("<p class=\"subtitle\">");
    Esc(out, v.organization);
    out->append("</p>\n");
  }
  out->append("<dl class=\"meta\">\n");
  const auto item = [&](const char* label, std::string_view value) {
    if (value.empty()) return;
    out->append("<dt>");
    Esc(out, label);
    out->append("</dt><dd>");
    Esc(out, value);
    out->append("</dd>\n");
  };
  const auto& a = *v.assessment;
  item(w.organization, v.organization);
  item(w.assessment_title, a.title());
  item(w.assessed_on, a.assessed_on());
  item(w.status, internal::StatusWord(a.status(), v.lang));
  std::string catalogue(internal::Pick(v.catalogue->name(), v.lang));
  const std::string& id =
      !v.score->catalogue_id().empty() ? v.score->catalogue_id() : v.catalogue->id();
  const std::string& version =
      !v.score->catalogue_version().empty() ? v.score->catalogue_version() : v.catalogue->version();
  if (catalogue.empty()) catalogue = id;
  if (!version.empty()) catalogue.append(" v").append(version);
  item(w.catalogue, catalogue);
  out->append("</dl>\n</header>\n");
}

void Summary(std::string* out, const ReportView& v) {
  const Words& w = *v.words;
  const auto& s = *v.score;
  out->append("<section class=\"summary\">\n<h2>");
  Esc(out, w.summary);
  out->append("</h2>\n<div class=\"kpis\">\n<div class=\"kpi\"><div class=\"label\">");
  Esc(out, w.overall);
  out->append("</div><div class=\"value\">");
  if (s.overall().has_score()) {
    out->append(internal::FormatTenths(s.overall().score()));
    out->append(" <small>");
    Esc(out, w.level);
    out->push_back(' ');
    out->append(s.overall().has_level() ? std::to_string(s.overall().level()) : "-");
    out->append("/" + std::to_string(v.highest) + "</small>");
  } else {
    Esc(out, w.not_scored);
  }
  out->append("</div></div>\n<div class=\"kpi\"><div class=\"label\">");
  Esc(out, w.completeness);
  out->append("</div><div class=\"value\">");
  out->append(std::to_string(s.completeness().answered()));
  out->append(" <small>/ ");
  out->append(std::to_string(s.completeness().total()));
  out->push_back(' ');
  Esc(out, w.roles_answered);
  out->append("</small></div></div>\n<div class=\"kpi\"><div class=\"label\">");
  Esc(out, w.policy);
  out->append("</div><div class=\"text\">");
  Esc(out, internal::PolicyWord(s.policy(), v.lang));
  out->append("</div></div>\n</div>\n<figure class=\"radar\">\n");
  internal::AppendRadarSvg(out, v);
  out->append("</figure>\n</section>\n");
}

void FunctionTable(std::string* out, const ReportView& v) {
  const Words& w = *v.words;
  out->append("<section class=\"functions\">\n<h2>");
  Esc(out, w.functions);
  out->append("</h2>\n<table>\n<thead><tr><th>");
  Esc(out, w.code);
  out->append("</th><th>");
  Esc(out, w.function);
  for (const char* h : {w.score, w.level, w.target, w.gap, w.answered}) {
    out->append("</th><th class=\"num\">");
    Esc(out, h);
  }
  out->append("</th></tr></thead>\n<tbody>\n");
  for (const FunctionRow& f : v.functions) {
    out->append("<tr>");
    Cell(out, "code", f.code);
    Cell(out, "", f.name);
    Cell(out, "num", f.score ? internal::FormatTenths(*f.score) : "-");
    Cell(out, "num", f.level ? internal::LevelOutOfMax(f) : "-");
    Cell(out, "num", internal::FormatTenths(f.target));
    Cell(out, "num", internal::FormatTenths(f.gap));
    Cell(out, "num", std::to_string(f.answered) + "/" + std::to_string(f.total));
    out->append("</tr>\n");
  }
  out->append("</tbody>\n</table>\n</section>\n");
}

// How far each function leans on out-source, for models with both ladders.
void SourcingTable(std::string* out, const ReportView& v) {
  if (!v.sourcing) return;
  const Words& w = *v.words;
  out->append("<section class=\"sourcing\">\n<h2>");
  Esc(out, w.sourcing);
  out->append("</h2>\n<p class=\"muted\">");
  Esc(out, w.sourcing_note);
  out->append("</p>\n<table>\n<thead><tr><th>");
  Esc(out, w.code);
  out->append("</th><th>");
  Esc(out, w.function);
  for (const char* h : {w.out_sourced_roles, w.in_source_only, w.dependency}) {
    out->append("</th><th class=\"num\">");
    Esc(out, h);
  }
  out->append("</th></tr></thead>\n<tbody>\n");
  for (const FunctionRow& f : v.functions) {
    out->append("<tr>");
    Cell(out, "code", f.code);
    Cell(out, "", f.name);
    Cell(out, "num", std::to_string(f.out_sourced_roles));
    Cell(out, "num", internal::FormatTenths(f.in_source_only));
    Cell(out, "num", internal::FormatTenths(f.dependency));
    out->append("</tr>\n");
  }
  out->append("</tbody>\n</table>\n</section>\n");
}

void Cards(std::string* out, const ReportView& v, const std::vector<Highlight>& list,
           bool strength) {
  const Words& w = *v.words;
  out->append("<div>\n<h3>");
  Esc(out, strength ? w.strengths : w.weaknesses);
  out->append("</h3>\n");
  if (list.empty()) {
    out->append("<p class=\"muted\">");
    Esc(out, w.none);
    out->append("</p>\n");
  }
  for (const Highlight& h : list) {
    const FunctionRow& f = *h.function;
    out->append(strength ? "<div class=\"card\">" : "<div class=\"card weak\">");
    out->append("<h3>");
    Esc(out, f.code);
    out->push_back(' ');
    Esc(out, f.name);
    out->append(" <span class=\"lv\">");
    out->append(internal::LevelOutOfMax(f));
    out->append("</span></h3>\n");
    if (!h.narrative.empty()) {
      out->append("<p>");
      Esc(out, h.narrative);
      out->append("</p>\n");
    }
    if (!h.advice.empty()) {
      out->append("<p class=\"advice\">");
      Esc(out, w.advice);
      out->append(": ");
      Esc(out, h.advice);
      out->append("</p>\n");
    }
    out->append("</div>\n");
  }
  out->append("</div>\n");
}

void LevelCell(
    std::string* out, const ReportView& v, std::optional<int> level,
    const google::protobuf::RepeatedPtrField<soc::maturity::catalogue::v1::LevelText>& ladder) {
  out->append("<td>");
  if (level) {
    out->append("<span class=\"lv\">");
    out->append(std::to_string(*level));
    out->append("</span>");
    const std::string_view text = internal::LevelText(ladder, *level, v.lang);
    if (!text.empty()) {
      out->append("<span class=\"lt\">");
      Esc(out, text);
      out->append("</span>");
    }
  }
  out->append("</td>");
}

// A role's evidence (names and hashes) and its discussion, in a row under the role's.
void RoleExtras(std::string* out, const ReportView& v, const RoleRow& r, size_t columns) {
  if (r.evidence.empty() && r.comments.empty()) return;
  out->append("<tr class=\"extras\"><td colspan=\"" + std::to_string(columns) + "\">");
  if (!r.evidence.empty()) {
    out->append("<div><b>");
    Esc(out, internal::Say(v.lang, "エビデンス", "Evidence"));
    out->append("</b><ul>");
    for (const auto* e : r.evidence) {
      out->append("<li>");
      Esc(out, internal::EvidenceLine(*e));
      out->append("</li>");
    }
    out->append("</ul></div>");
  }
  if (!r.comments.empty()) {
    out->append("<div><b>");
    Esc(out, internal::Say(v.lang, "コメント", "Comments"));
    out->append("</b><ul>");
    for (const auto* c : r.comments) {
      out->append("<li><span class=\"who\">");
      Esc(out, internal::CommentHead(*c));
      out->append("</span><span class=\"body\">");
      Esc(out, c->body());
      out->append("</span></li>");
    }
    out->append("</ul></div>");
  }
  out->append("</td></tr>\n");
}

// The earlier assessments on the catalogue beside this one, per function, with the change.
void TrendTableHtml(std::string* out, const ReportView& v) {
  const internal::TrendTable t = internal::BuildTrendTable(v);
  if (t.dates.empty()) return;
  const Words& w = *v.words;
  out->append("<section class=\"trend\">\n<h2>");
  Esc(out, internal::Say(v.lang, "前回からの推移", "Trend since earlier assessments"));
  out->append("</h2>\n<table>\n<thead><tr><th>");
  Esc(out, w.code);
  out->append("</th><th>");
  Esc(out, w.function);
  for (const auto& d : t.dates) {
    out->append("</th><th class=\"num\">");
    Esc(out, d);
  }
  out->append("</th><th class=\"num\">");
  Esc(out, internal::Say(v.lang, "前回比", "Change"));
  out->append("</th></tr></thead>\n<tbody>\n");
  for (const auto& row : t.rows) {
    out->append("<tr>");
    Cell(out, "code", row.code);
    Cell(out, "", row.name);
    for (const auto& score : row.scores) Cell(out, "num", internal::FormatTenths(score));
    if (row.delta) {
      const double d = *row.delta;
      out->append(d > 0.05    ? "<td class=\"num up\">"
                  : d < -0.05 ? "<td class=\"num down\">"
                              : "<td class=\"num\">");
      out->append(d > 0 ? "+" : "").append(internal::FormatTenths(d)).append("</td>");
    } else {
      Cell(out, "num", "-");
    }
    out->append("</tr>\n");
  }
  out->append("</tbody>\n</table>\n</section>\n");
}

void RoleTable(std::string* out, const ReportView& v) {
  const Words& w = *v.words;
  out->append("<section class=\"roles\">\n<h2>");
  Esc(out, w.roles_title);
  // Fixed widths: the level texts and notes wrap inside their columns
  // instead of squeezing the names.
  // The dimensions share the 42 % two ladders had.
  const size_t dims = v.dimensions.size();
  const char* dim_col = dims <= 1 ? "w42" : dims == 2 ? "w21" : dims == 3 ? "w14" : "w10";
  out->append(
      "</h2>\n<table class=\"roles\">\n<colgroup><col class=\"w6\"><col class=\"w16\">"
      "<col class=\"w5\">");
  for (size_t i = 0; i < dims; ++i) out->append("<col class=\"").append(dim_col).append("\">");
  out->append(
      "<col class=\"w9\"><col class=\"w7\"><col class=\"w15\"></colgroup>\n"
      "<thead><tr>");
  for (const char* h : {w.role, w.role_name, w.area}) {
    out->append("<th>");
    Esc(out, h);
    out->append("</th>");
  }
  for (const auto& d : v.dimensions) {
    out->append("<th>");
    Esc(out, d.name);
    out->append("</th>");
  }
  for (const char* h : {w.effective, w.target}) {
    out->append("<th class=\"num\">");
    Esc(out, h);
    out->append("</th>");
  }
  out->append("<th>");
  Esc(out, w.note);
  out->append("</th></tr></thead>\n<tbody>\n");
  for (const FunctionRow& f : v.functions) {
    out->append("<tr class=\"fn\"><th colspan=\"" + std::to_string(6 + dims) + "\">");
    Esc(out, f.code);
    out->push_back(' ');
    Esc(out, f.name);
    out->append(" \u2014 ");
    out->append(internal::LevelOutOfMax(f));
    if (f.score) {
      out->append(" (");
      out->append(internal::FormatTenths(*f.score));
      out->push_back(')');
    }
    out->append("</th></tr>\n");
    for (const RoleRow& r : f.roles) {
      const bool answered = r.effective.has_value();
      out->append(answered ? "<tr>" : "<tr class=\"unanswered\">");
      Cell(out, "code", r.code);
      Cell(out, "", r.name);
      Cell(out, "", r.area);
      for (size_t i = 0; i < dims; ++i) LevelCell(out, v, r.levels[i], *v.dimensions[i].ladder);
      out->append("<td class=\"num\">");
      if (!answered) {
        Esc(out, w.unanswered);
      } else {
        out->append(internal::FormatInt(r.effective));
        if (!r.counted) {
          out->append("<span class=\"lt\">");
          Esc(out, w.not_counted);
          out->append("</span>");
        }
      }
      out->append("</td>");
      Cell(out, "num", internal::FormatInt(r.target));
      Cell(out, "note", r.note);
      out->append("</tr>\n");
      RoleExtras(out, v, r, 6 + dims);
    }
  }
  out->append("</tbody>\n</table>\n</section>\n");
}

void Guidance(std::string* out, const ReportView& v) {
  const Words& w = *v.words;
  const auto& c = *v.catalogue;
  out->append("<section class=\"guidance\">\n<h2>");
  Esc(out, w.rating_guidance);
  out->append("</h2>\n");
  const std::string_view guidance = internal::Pick(c.rating_guidance(), v.lang);
  if (!guidance.empty()) {
    out->append("<p>");
    Esc(out, guidance);
    out->append("</p>\n");
  }
  // One row per level of the scale: its number and label, then each dimension's text.
  out->append("<table class=\"ladders\">\n<thead><tr><th class=\"num\">");
  Esc(out, w.level);
  out->append("</th><th>");
  Esc(out, w.scale);
  for (const auto& d : v.dimensions) {
    out->append("</th><th>");
    Esc(out, d.name);
  }
  out->append("</th></tr></thead>\n<tbody>\n");
  for (int level = v.lowest; level <= v.highest; ++level) {
    out->append("<tr>");
    Cell(out, "num", std::to_string(level));
    std::string_view label;
    for (const auto& l : c.scale().levels()) {
      if (l.level() == level) label = internal::Pick(l.label(), v.lang);
    }
    Cell(out, "", label == std::to_string(level) ? std::string_view() : label);
    for (const auto& d : v.dimensions) {
      Cell(out, "", internal::LevelText(*d.ladder, level, v.lang));
    }
    out->append("</tr>\n");
  }
  out->append("</tbody>\n</table>\n</section>\n");
}

void Provenance(std::string* out, const ReportView& v) {
  const Words& w = *v.words;
  const auto& p = v.catalogue->provenance();
  if (p.parts_size() == 0 && p.sources_size() == 0) return;
  out->append("<section class=\"provenance\">\n<h2>");
  Esc(out, w.provenance);
  out->append("</h2>\n");
  if (p.parts_size() > 0) {
    out->append("<table>\n<tbody>\n");
    for (const auto& part : p.parts()) {
      out->append("<tr><td>");
      Esc(out, part.scope());
      out->append("</td><td><span class=\"badge s");
      out->append(std::to_string(part.status()));
      out->append("\">");
      Esc(out, internal::ProvenanceWord(part.status(), v.lang));
      out->append("</span></td>");
      Cell(out, "", internal::Pick(part.note(), v.lang));
      out->append("</tr>\n");
    }
    out->append("</tbody>\n</table>\n");
  }
  if (p.sources_size() > 0) {
    out->append("<h3 class=\"sources\">");
    Esc(out, w.sources);
    out->append("</h3>\n<ul>\n");
    for (const auto& source : p.sources()) {
      out->append("<li>");
      Esc(out, source);
      out->append("</li>\n");
    }
    out->append("</ul>\n");
  }
  out->append("</section>\n");
}

}  // namespace

std::string RenderHtml(const ReportInput& input) {
  const ReportView v = internal::BuildView(input);
  const Words& w = *v.words;
  std::string out;
  out.reserve(64 * 1024);
  out.append("<!DOCTYPE html>\n<html lang=\"");
  out.append(internal::LangCode(v.lang));
  out.append("\">\n<head>\n");
  out.append(kHead);
  out.append("<title>");
  Esc(&out, w.report_title);
  for (std::string_view part : {v.organization, std::string_view(v.assessment->title())}) {
    if (part.empty()) continue;
    out.append(" \u2014 ");
    Esc(&out, part);
  }
  out.append("</title>\n</head>\n<body>\n<main>\n");
  Header(&out, v);
  Summary(&out, v);
  FunctionTable(&out, v);
  TrendTableHtml(&out, v);
  SourcingTable(&out, v);
  out.append("<section class=\"highlights\">\n<h2>");
  Esc(&out, w.strengths_and_weaknesses);
  out.append("</h2>\n<div class=\"cols\">\n");
  Cards(&out, v, v.strengths, /*strength=*/true);
  Cards(&out, v, v.weaknesses, /*strength=*/false);
  out.append("</div>\n</section>\n");
  RoleTable(&out, v);
  Guidance(&out, v);
  Provenance(&out, v);
  out.append("<footer>");
  Esc(&out, w.generated_by);
  out.append(" \u00b7 ");
  Esc(&out, v.catalogue->id());
  if (!v.catalogue->version().empty()) {
    out.append(" v");
    Esc(&out, v.catalogue->version());
  }
  if (!v.assessment->id().empty()) {
    out.append(" \u00b7 ");
    Esc(&out, v.assessment->id());
    out.append(" (");
    Esc(&out, w.revision);
    out.push_back(' ');
    out.append(
        std::to_string(v.score->revision() != 0 ? v.score->revision() : v.assessment->revision()));
    out.push_back(')');
  }
  out.append("</footer>\n</main>\n</body>\n</html>\n");
  return out;
}

}  // namespace socm::reporting
