#include "services/assessment/domain/practice_rules.h"

#include "absl/strings/str_cat.h"
#include "services/assessment/domain/assessment_rules.h"
#include "services/common/crypto.h"

namespace socm::assessment {

bool ParseLabelFilter(const std::string& label, std::string* key, std::string* value) {
  const size_t eq = label.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  *key = label.substr(0, eq);
  *value = label.substr(eq + 1);
  return true;
}

std::vector<FieldViolation> ValidateNewCampaign(const pb::CreateCampaignRequest& request) {
  pb::CreateAssessmentRequest as_assessment;
  as_assessment.set_catalogue_id(request.catalogue_id());
  as_assessment.set_title(request.title());
  as_assessment.set_assessed_on(request.assessed_on());
  std::vector<FieldViolation> out = ValidateNewAssessment(as_assessment);
  if (!request.due_on().empty() && !IsDate(request.due_on())) {
    out.push_back(Violation("dueOn", "must be a date YYYY-MM-DD"));
  } else if (!request.due_on().empty() && request.due_on() < request.assessed_on()) {
    out.push_back(Violation("dueOn", "must not be before assessedOn"));
  }
  for (int i = 0; i < request.organization_ids_size(); ++i) {
    if (request.organization_ids(i).empty()) {
      out.push_back(Violation(absl::StrCat("organizationIds[", i, "]"), "must not be empty"));
    }
  }
  std::string key, value;
  if (!request.label().empty() && !ParseLabelFilter(request.label(), &key, &value)) {
    out.push_back(Violation("label", "must be key=value"));
  }
  return out;
}

std::vector<FieldViolation> ValidateComment(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return {Violation("body", "required")};
  }
  if (body.size() > kMaxCommentBytes) {
    return {Violation("body", absl::StrCat("at most ", kMaxCommentBytes, " bytes"))};
  }
  if (!IsValidUtf8(body)) return {Violation("body", "must be valid UTF-8")};
  return {};
}

std::vector<FieldViolation> ValidateEvidence(const std::string& filename,
                                             const std::string& content_type, size_t size) {
  std::vector<FieldViolation> out;
  if (filename.empty()) {
    out.push_back(Violation("filename", "required"));
  } else if (filename.size() > kMaxFileNameBytes) {
    out.push_back(Violation("filename", absl::StrCat("at most ", kMaxFileNameBytes, " bytes")));
  } else if (!IsValidUtf8(filename) || filename.find('\0') != std::string::npos) {
    out.push_back(Violation("filename", "must be valid UTF-8 without NUL"));
  }
  // type "/" subtype, each of printable ASCII with no separators that could end a header.
  const size_t slash = content_type.find('/');
  bool type_ok = !content_type.empty() && content_type.size() <= 127 && slash != 0 &&
                 slash != std::string::npos && slash + 1 < content_type.size();
  for (char ch : content_type) {
    if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == ',' || ch == '\\') {
      // A parameter such as "; charset=utf-8" keeps its spaces out: "text/plain;charset=utf-8".
      type_ok = false;
    }
  }
  if (!type_ok) out.push_back(Violation("contentType", "must be a media type such as text/plain"));
  if (size == 0) out.push_back(Violation("content", "the file is empty"));
  if (size > kMaxEvidenceBytes) out.push_back(Violation("content", "at most 10 MiB"));
  return out;
}

std::string SafeFileName(const std::string& filename) {
  // The last path segment, by either separator.
  const size_t cut = filename.find_last_of("/\\");
  const std::string base = cut == std::string::npos ? filename : filename.substr(cut + 1);
  std::string out;
  for (unsigned char ch : base) {
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
    if (plain) {
      out.push_back(static_cast<char>(ch));
    } else if (ch < 0x80 || (ch & 0xC0) == 0xC0) {
      // One "_" per character: the lead byte of a UTF-8 sequence, or an ASCII character.
      if (out.empty() || out.back() != '_') out.push_back('_');
    }
  }
  const size_t start = out.find_first_not_of('.');
  out = start == std::string::npos ? "" : out.substr(start);
  if (out.size() > 100) out = out.substr(out.size() - 100);
  return out.empty() ? "evidence" : out;
}

}  // namespace socm::assessment
