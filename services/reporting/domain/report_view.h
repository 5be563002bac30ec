#pragma once
// ReportView joins the three inputs of a report once, so that every format
// walks the same rows: the catalogue gives the order and the names, the score
// the numbers, the assessment the notes. A function or role the score knows
// but the catalogue does not is still shown, after the catalogue's ones.
//
//   ReportView v = BuildView(input);
//   for (const FunctionRow& f : v.functions) ... f.name, f.level, f.roles ...

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/text.h"

namespace socm::reporting::internal {

// One ladder of the catalogue: a column of the role tables and of the level legend.
struct DimensionColumn {
  std::string_view code;
  std::string_view name;  // in the report's language
  const google::protobuf::RepeatedPtrField<soc::maturity::catalogue::v1::LevelText>* ladder;
};

struct RoleRow {
  std::string_view code;
  std::string_view name;  // in the report's language; empty when unknown
  std::string_view area;
  // One entry per ReportView::dimensions, in that order.
  std::vector<std::optional<int>> levels;
  std::optional<int> effective;
  std::optional<int> target;
  // Answered but left out of the mean by the policy, or unanswered.
  bool counted = false;
  std::string_view note;
  // From ReportInput::extras, oldest first.
  std::vector<const soc::maturity::assessment::v1::Evidence*> evidence;
  std::vector<const soc::maturity::assessment::v1::RoleComment*> comments;
};

struct FunctionRow {
  std::string_view code;
  std::string_view name;                                             // in the report's language
  const soc::maturity::catalogue::v1::Function* function = nullptr;  // null when unknown
  std::optional<double> score;
  std::optional<int> level;
  std::optional<double> target;
  std::optional<double> gap;
  int answered = 0;
  int total = 0;
  std::vector<RoleRow> roles;
  // The top of the catalogue's scale, which labels print as "4/5".
  int highest = 5;
  // The sourcing view, for catalogues with inSource and outSource.
  bool has_sourcing = false;
  int out_sourced_roles = 0;
  std::optional<double> in_source_only;
  std::optional<double> dependency;
};

// A strength or weakness with the sentences the report shows for it.
struct Highlight {
  const FunctionRow* function;
  std::string_view narrative;  // achieved for a strength, missing for a weakness
  std::string_view advice;     // the level band's advice; empty without a level
};

struct ReportView {
  ReportView() = default;
  // Highlights point into `functions`: a move keeps them valid, a copy would not.
  ReportView(ReportView&&) = default;
  ReportView& operator=(ReportView&&) = default;
  ReportView(const ReportView&) = delete;
  ReportView& operator=(const ReportView&) = delete;

  // Never null: a null input reads as the empty message.
  const soc::maturity::scoring::v1::Score* score = nullptr;
  const soc::maturity::catalogue::v1::Catalogue* catalogue = nullptr;
  const soc::maturity::assessment::v1::Assessment* assessment = nullptr;
  std::string_view organization;
  Lang lang = Lang::kJa;
  const Words* words = nullptr;
  std::vector<FunctionRow> functions;
  std::vector<Highlight> strengths;
  std::vector<Highlight> weaknesses;
  bool any_target = false;
  int role_count = 0;
  // The catalogue's shape.
  int lowest = 0;
  int highest = 5;
  std::vector<DimensionColumn> dimensions;
  // True when some function has the sourcing view.
  bool sourcing = false;
  // The earlier assessments and this one, oldest first (empty below two points).
  const std::vector<soc::maturity::scoring::v1::TrendPoint>* trend = nullptr;
  // A normalized copy when the input catalogue came in ISOG-J's first form.
  std::shared_ptr<const soc::maturity::catalogue::v1::Catalogue> normalized;
};

// `with_roles` false leaves FunctionRow::roles empty, for the radar, which
// needs nothing below the functions.
ReportView BuildView(const ReportInput& input, bool with_roles = true);

// The text of `level` on a ladder, or "" when the ladder lacks it.
std::string_view LevelText(
    const google::protobuf::RepeatedPtrField<soc::maturity::catalogue::v1::LevelText>& ladder,
    int level, Lang lang);

// The advice of the band holding `level`, or "".
std::string_view AdviceFor(const soc::maturity::catalogue::v1::Catalogue& catalogue, int level,
                           Lang lang);

}  // namespace socm::reporting::internal
