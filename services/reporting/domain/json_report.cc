#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <nlohmann/json.hpp>
#include <string>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_view.h"
#include "services/reporting/domain/text.h"

namespace socm::reporting {
namespace {

namespace apb = soc::maturity::assessment::v1;
// Keys keep the order written here, the order a person reads the document in.
using json = nlohmann::ordered_json;

json Narratives(const std::vector<internal::Highlight>& list) {
  json out = json::array();
  for (const internal::Highlight& h : list) {
    const internal::FunctionRow& f = *h.function;
    json item = {{"code", f.code}, {"name", f.name}};
    if (f.score) item["score"] = *f.score;
    if (f.level) item["level"] = *f.level;
    item["narrative"] = h.narrative;
    item["advice"] = h.advice;
    out.push_back(std::move(item));
  }
  return out;
}

// The score travels in the same protobuf JSON mapping the score route uses,
// so a portal parses both with one model.
json ScoreJson(const soc::maturity::scoring::v1::Score& score) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(score, &text, options).ok()) {
    return json::object();
  }
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// The score names its functions in the language it was computed for; the
// report's copy uses the report's language, like the rest of the document.
soc::maturity::scoring::v1::Score ScoreInLanguage(const internal::ReportView& v) {
  soc::maturity::scoring::v1::Score score = *v.score;
  for (auto& f : *score.mutable_functions()) {
    for (const internal::FunctionRow& row : v.functions) {
      if (row.code == f.code() && row.function != nullptr) f.set_name(std::string(row.name));
    }
  }
  return score;
}

}  // namespace

std::string RenderJson(const ReportInput& input) {
  const internal::ReportView v = internal::BuildView(input, /*with_roles=*/false);
  const apb::Assessment& a = *v.assessment;
  const std::string& catalogue_id =
      !v.score->catalogue_id().empty() ? v.score->catalogue_id() : a.catalogue_id();
  const std::string& catalogue_version =
      !v.score->catalogue_version().empty() ? v.score->catalogue_version() : a.catalogue_version();
  json doc = {
      {"organization", {{"id", a.organization_id()}, {"displayName", v.organization}}},
      {"language", internal::LangCode(v.lang)},
      {"assessment",
       {{"id", a.id()},
        {"title", a.title()},
        {"assessedOn", a.assessed_on()},
        {"status", apb::AssessmentStatus_Name(a.status())},
        {"revision", v.score->revision() != 0 ? v.score->revision() : a.revision()},
        {"catalogueId", catalogue_id},
        {"catalogueVersion", catalogue_version},
        {"catalogueName", internal::Pick(v.catalogue->name(), v.lang)}}},
      {"score", ScoreJson(ScoreInLanguage(v))},
      {"narratives",
       {{"strengths", Narratives(v.strengths)}, {"weaknesses", Narratives(v.weaknesses)}}},
  };
  // The export carries every evidence record in full (its whole SHA-256) and the comments, so
  // a portal or an archive holds the proof behind each rating.
  if (input.extras != nullptr) {
    json evidence = json::array();
    for (const auto& e : input.extras->evidence) {
      evidence.push_back({{"id", e.id()},
                          {"roleCode", e.role_code()},
                          {"filename", e.filename()},
                          {"contentType", e.content_type()},
                          {"size", e.size()},
                          {"sha256", e.sha256()},
                          {"author", e.author()}});
    }
    doc["evidence"] = std::move(evidence);
    json comments = json::array();
    for (const auto& c : input.extras->comments) {
      comments.push_back(
          {{"id", c.id()},
           {"roleCode", c.role_code()},
           {"author", c.author()},
           {"createTime", google::protobuf::util::TimeUtil::ToString(c.create_time())},
           {"body", c.body()}});
    }
    doc["comments"] = std::move(comments);
  }
  // Invalid UTF-8 in a user's text must not make the whole report fail.
  return doc.dump(2, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace) + "\n";
}

}  // namespace socm::reporting
