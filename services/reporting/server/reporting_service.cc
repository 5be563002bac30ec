#include "services/reporting/server/reporting_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/caller_metadata.h"
#include "services/common/crypto.h"
#include "services/common/grpc_status.h"
#include "services/common/status.h"
#include "services/reporting/domain/report.h"
#include "services/scoring/domain/scoring.h"

namespace socm::reporting {
namespace {

using soc::maturity::assessment::v1::Assessment;
namespace spb = soc::maturity::scoring::v1;

struct Format {
  const char* content_type;
  const char* extension;
};

absl::StatusOr<Format> FormatOf(rpb::ReportFormat format) {
  switch (format) {
    case rpb::REPORT_FORMAT_UNSPECIFIED:
    case rpb::REPORT_FORMAT_HTML:
      return Format{"text/html; charset=utf-8", "html"};
    case rpb::REPORT_FORMAT_PDF:
      return Format{"application/pdf", "pdf"};
    case rpb::REPORT_FORMAT_JSON:
      return Format{"application/json; charset=utf-8", "json"};
    case rpb::REPORT_FORMAT_CSV:
      return Format{"text/csv; charset=utf-8", "csv"};
    case rpb::REPORT_FORMAT_XLSX:
      return Format{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"};
    case rpb::REPORT_FORMAT_SVG:
      return Format{"image/svg+xml; charset=utf-8", "svg"};
    case rpb::REPORT_FORMAT_SHEET:
      return Format{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"};
    default:
      return InvalidFields({Violation("format", "unknown format")});
  }
}

absl::StatusOr<std::string> Render(rpb::ReportFormat format, const ReportInput& input) {
  switch (format) {
    case rpb::REPORT_FORMAT_PDF:
      return RenderPdf(input);
    case rpb::REPORT_FORMAT_JSON:
      return RenderJson(input);
    case rpb::REPORT_FORMAT_CSV:
      return RenderCsv(input);
    case rpb::REPORT_FORMAT_XLSX:
      return RenderXlsx(input);
    case rpb::REPORT_FORMAT_SVG:
      return RenderRadarSvg(input);
    case rpb::REPORT_FORMAT_SHEET:
      return RenderSheet(input);
    default:
      return RenderHtml(input);
  }
}

}  // namespace

grpc::ServerUnaryReactor* ReportingServiceImpl::RenderReport(
    grpc::CallbackServerContext* context, const rpb::RenderReportRequest* request,
    rpb::RenderReportResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    std::vector<FieldViolation> violations;
    const std::string lang = request->lang().empty() ? "ja" : request->lang();
    if (lang != "ja" && lang != "en") violations.push_back(Violation("lang", "must be ja or en"));
    auto format = FormatOf(request->format());
    if (!format.ok()) violations.push_back(Violation("format", "unknown format"));
    if (!violations.empty()) return InvalidFields(violations);

    const Caller& caller = *authorized;
    const std::string revision_key = absl::StrCat(
        caller.tenant.value(), "/", request->organization_id(), "/", request->assessment_id());
    const int32_t known = last_revision_.Get(revision_key).value_or(0);
    auto assessment = assessments_.GetAssessment(caller, request->organization_id(),
                                                 request->assessment_id(), known);
    if (!assessment.ok()) return assessment.status();
    last_revision_.Put(revision_key, assessment->revision());
    // The report prints the organisation's name, which a rename changes without touching the
    // assessment's revision: the name is part of the key.
    auto organization = assessments_.GetOrganization(caller, request->organization_id());
    if (!organization.ok()) return organization.status();
    const std::string name_hash = Sha256Hex(organization->display_name()).substr(0, 16);
    auto key_of = [&](int32_t revision) {
      // "report2": reports rendered before catalogues had a shape of their own are never reused.
      return absl::StrCat("t:", caller.tenant.value(), ":report2:", request->assessment_id(), ":",
                          revision, ":", rpb::ReportFormat_Name(request->format()), ":", lang, ":",
                          name_hash);
    };
    // Evidence, comments and the trend change without the assessment's revision moving: what
    // the format shows of them is read first and its digest joins the key.
    const rpb::ReportFormat f = request->format();
    const bool shows_evidence = f == rpb::REPORT_FORMAT_HTML || f == rpb::REPORT_FORMAT_PDF ||
                                f == rpb::REPORT_FORMAT_JSON || f == rpb::REPORT_FORMAT_UNSPECIFIED;
    const bool shows_comments =
        f == rpb::REPORT_FORMAT_JSON || (shows_evidence && request->comments());
    const bool shows_trend = shows_evidence && f != rpb::REPORT_FORMAT_JSON;
    ReportExtras extras;
    std::vector<Assessment> history;
    std::string extras_digest = "-";
    if (shows_evidence) {
      auto evidence =
          assessments_.ListEvidence(caller, request->organization_id(), request->assessment_id());
      if (!evidence.ok()) return evidence.status();
      extras.evidence = std::move(*evidence);
      if (shows_comments) {
        auto comments =
            assessments_.ListComments(caller, request->organization_id(), request->assessment_id());
        if (!comments.ok()) return comments.status();
        extras.comments = std::move(*comments);
      }
      if (shows_trend) {
        auto list = assessments_.ListAssessments(caller, request->organization_id());
        if (!list.ok()) return list.status();
        history = std::move(*list);
      }
      std::string seen;
      for (const auto& e : extras.evidence) absl::StrAppend(&seen, "e", e.id(), ";");
      for (const auto& c : extras.comments) absl::StrAppend(&seen, "c", c.id(), ";");
      for (const auto& a : history) absl::StrAppend(&seen, "a", a.id(), ":", a.revision(), ";");
      absl::StrAppend(&seen, request->comments() ? "with-comments" : "");
      extras_digest = Sha256Hex(seen).substr(0, 16);
    }
    std::string key = absl::StrCat(key_of(assessment->revision()), ":", extras_digest);
    if (auto cached = cache_.Get(key)) {
      if (response->ParseFromString(*cached)) return absl::OkStatus();
    }
    // The header only (an older assessment service sends no unchanged flag): now the document.
    if (assessment->unchanged() ||
        (known > 0 && assessment->revision() == known && assessment->catalogue_id().empty())) {
      assessment =
          assessments_.GetAssessment(caller, request->organization_id(), request->assessment_id());
      if (!assessment.ok()) return assessment.status();
      last_revision_.Put(revision_key, assessment->revision());
      // A write may have come in between.
      key = absl::StrCat(key_of(assessment->revision()), ":", extras_digest);
    }
    auto catalogue =
        catalogues_.Get(caller, assessment->catalogue_id(), assessment->catalogue_version());
    if (!catalogue.ok()) return catalogue.status();

    const auto score = scoring::ComputeScore(*assessment, **catalogue, lang);
    if (shows_trend) {
      // The earlier assessments on the same catalogue, oldest first, and this one last.
      std::vector<std::pair<Assessment, spb::Score>> points;
      for (auto& a : history) {
        if (a.catalogue_id() != assessment->catalogue_id() || a.id() == assessment->id() ||
            a.assessed_on() > assessment->assessed_on()) {
          continue;
        }
        auto c = catalogues_.Get(caller, a.catalogue_id(), a.catalogue_version());
        if (!c.ok()) return c.status();
        auto s = scoring::ComputeScore(a, **c, lang);
        points.emplace_back(std::move(a), std::move(s));
      }
      std::stable_sort(points.begin(), points.end(), [](const auto& x, const auto& y) {
        return x.first.assessed_on() < y.first.assessed_on();
      });
      points.emplace_back(*assessment, score);
      extras.trend = scoring::BuildTrend(points);
    }
    ReportInput input{&score,
                      catalogue->get(),
                      &*assessment,
                      organization->display_name(),
                      lang == "en" ? Lang::kEn : Lang::kJa,
                      shows_evidence ? &extras : nullptr};
    auto content = Render(request->format(), input);
    if (!content.ok()) return content.status();
    response->set_content(std::move(*content));
    response->set_content_type(format->content_type);
    std::string file_name = ReportFileName(input, format->extension);
    if (request->format() == rpb::REPORT_FORMAT_SHEET) {
      // "<org>-<date>-report.xlsx" -> "<org>-<date>-sheet.xlsx": not to be taken for the report.
      const size_t at = file_name.rfind("-report.xlsx");
      if (at != std::string::npos) file_name.replace(at, std::string::npos, "-sheet.xlsx");
    }
    response->set_file_name(file_name);
    response->set_revision(assessment->revision());
    cache_.Set(key, response->SerializeAsString(), std::chrono::hours(24));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportingServiceImpl::RenderBlankSheet(
    grpc::CallbackServerContext* context, const rpb::RenderBlankSheetRequest* request,
    rpb::RenderReportResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    std::vector<FieldViolation> violations;
    const std::string lang = request->lang().empty() ? "ja" : request->lang();
    if (lang != "ja" && lang != "en") violations.push_back(Violation("lang", "must be ja or en"));
    if (request->catalogue_id().empty()) violations.push_back(Violation("catalogueId", "required"));
    if (!violations.empty()) return InvalidFields(violations);
    const Caller& caller = *authorized;
    auto catalogue = catalogues_.Get(caller, request->catalogue_id(), request->version());
    if (!catalogue.ok()) return catalogue.status();
    const std::string key =
        absl::StrCat(caller.tenant.value(), ":blank-sheet:", (*catalogue)->id(), ":",
                     (*catalogue)->version(), ":", lang, (*catalogue)->builtin() ? ":b" : "");
    if (auto cached = cache_.Get(key)) {
      if (response->ParseFromString(*cached)) return absl::OkStatus();
    }
    ReportInput input{nullptr, catalogue->get(), nullptr, "", lang == "en" ? Lang::kEn : Lang::kJa};
    auto content = RenderSheet(input);
    if (!content.ok()) return content.status();
    response->set_content(std::move(*content));
    response->set_content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    response->set_file_name(
        absl::StrCat((*catalogue)->id(), "-", (*catalogue)->version(), "-sheet-", lang, ".xlsx"));
    // A catalogue version never changes, so neither does its blank sheet.
    cache_.Set(key, response->SerializeAsString(), std::chrono::hours(24));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportingServiceImpl::RenderPortfolio(
    grpc::CallbackServerContext* context, const rpb::RenderPortfolioRequest* request,
    rpb::RenderReportResponse* response) {
  return work_.Answer(context, [=]() -> absl::Status {
    auto authorized = AuthorizedCaller(*context, Need::kAnyKey);
    if (!authorized.ok()) return authorized.status();
    std::vector<FieldViolation> violations;
    const std::string lang = request->lang().empty() ? "ja" : request->lang();
    if (lang != "ja" && lang != "en") violations.push_back(Violation("lang", "must be ja or en"));
    if (request->catalogue_id().empty()) violations.push_back(Violation("catalogueId", "required"));
    if (request->format() != rpb::REPORT_FORMAT_CSV &&
        request->format() != rpb::REPORT_FORMAT_XLSX) {
      violations.push_back(Violation("format", "must be csv or xlsx"));
    }
    if (!violations.empty()) return InvalidFields(violations);
    const Caller& caller = *authorized;
    // The latest version names the columns; each line is scored on its own pinned version.
    auto latest = catalogues_.Get(caller, request->catalogue_id(), "");
    if (!latest.ok()) return latest.status();
    soc::maturity::assessment::v1::ListPortfolioRowsRequest rows_request;
    rows_request.set_catalogue_id(request->catalogue_id());
    rows_request.set_industry(request->industry());
    rows_request.set_label(request->label());
    auto rows = assessments_.ListPortfolioRows(caller, rows_request);
    if (!rows.ok()) return rows.status();
    std::vector<soc::maturity::scoring::v1::PortfolioOrganization> lines;
    lines.reserve(rows->rows_size());
    for (const auto& row : rows->rows()) {
      if (!row.has_latest_assessment()) {
        lines.push_back(scoring::PortfolioLine(row.organization(), nullptr, nullptr));
        continue;
      }
      const auto& a = row.latest_assessment();
      auto catalogue = catalogues_.Get(caller, a.catalogue_id(), a.catalogue_version());
      if (!catalogue.ok()) return catalogue.status();
      const auto score = scoring::ComputeScore(a, **catalogue, lang, false);
      lines.push_back(scoring::PortfolioLine(row.organization(), &a, &score));
    }
    const PortfolioInput input{latest->get(), &lines, lang == "en" ? Lang::kEn : Lang::kJa};
    const bool csv = request->format() == rpb::REPORT_FORMAT_CSV;
    if (csv) {
      response->set_content(RenderPortfolioCsv(input));
      response->set_content_type("text/csv; charset=utf-8");
    } else {
      auto content = RenderPortfolioXlsx(input);
      if (!content.ok()) return content.status();
      response->set_content(std::move(*content));
      response->set_content_type(
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }
    response->set_file_name(absl::StrCat("portfolio-", (*latest)->id(), csv ? ".csv" : ".xlsx"));
    response->set_revision(1);
    return absl::OkStatus();
  });
}

}  // namespace socm::reporting
