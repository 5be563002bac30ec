#include "services/reporting/domain/report_extras.h"

#include "absl/strings/str_cat.h"

namespace socm::reporting::internal {

std::string EvidenceLine(const soc::maturity::assessment::v1::Evidence& e) {
  const std::string size = absl::StrCat(e.size());
  // Digits grouped by three, so that sizes read at a glance.
  std::string grouped;
  for (size_t i = 0; i < size.size(); ++i) {
    if (i > 0 && (size.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(size[i]);
  }
  return absl::StrCat(e.filename(), " (", grouped, " bytes, SHA-256 ", e.sha256().substr(0, 12),
                      "\u2026)");
}

std::string CommentHead(const soc::maturity::assessment::v1::RoleComment& c) {
  const int64_t seconds = c.create_time().seconds();
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
  return absl::StrCat(c.author(), " \u00b7 ", when);
}

TrendTable BuildTrendTable(const ReportView& v, size_t max_points) {
  TrendTable table;
  if (v.trend == nullptr || v.trend->size() < 2) return table;
  const auto& all = *v.trend;
  const size_t first = all.size() > max_points ? all.size() - max_points : 0;
  for (size_t i = first; i < all.size(); ++i) table.dates.push_back(all[i].assessed_on());
  const auto& last = all.back();
  const auto& before = all[all.size() - 2];
  TrendRow overall;
  overall.name = Say(v.lang, "総合", "Overall");
  for (size_t i = first; i < all.size(); ++i) {
    overall.scores.push_back(all[i].overall().has_score()
                                 ? std::optional<double>(all[i].overall().score())
                                 : std::nullopt);
  }
  if (last.overall().has_score() && before.overall().has_score()) {
    overall.delta = last.overall().score() - before.overall().score();
  }
  table.rows.push_back(std::move(overall));
  for (const FunctionRow& f : v.functions) {
    TrendRow row;
    row.code = std::string(f.code);
    row.name = std::string(f.name);
    for (size_t i = first; i < all.size(); ++i) {
      auto it = all[i].function_scores().find(row.code);
      row.scores.push_back(
          it == all[i].function_scores().end() ? std::nullopt : std::optional<double>(it->second));
    }
    auto d = last.function_deltas().find(row.code);
    if (d != last.function_deltas().end()) row.delta = d->second;
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace socm::reporting::internal
