#pragma once
// Validation of what the practice routes take (campaigns, filters, comments, evidence) and the
// safe download name of an uploaded file: pure functions, tested without a server.

#include <string>
#include <vector>

#include "services/common/status.h"
#include "soc/maturity/assessment/v1/practice.pb.h"

namespace socm::assessment {

namespace pb = soc::maturity::assessment::v1;

inline constexpr size_t kMaxCommentBytes = 10000;
inline constexpr size_t kMaxEvidenceBytes = 10u << 20;
inline constexpr size_t kMaxFileNameBytes = 255;

// A "key=value" label filter; false when it is not one.
bool ParseLabelFilter(const std::string& label, std::string* key, std::string* value);

// Every field of a new campaign but the catalogue's existence and the organisations'.
std::vector<FieldViolation> ValidateNewCampaign(const pb::CreateCampaignRequest& request);

std::vector<FieldViolation> ValidateComment(const std::string& body);

// The upload's name, declared type and size.
std::vector<FieldViolation> ValidateEvidence(const std::string& filename,
                                             const std::string& content_type, size_t size);

// A name for Content-Disposition that no browser or shell reads as anything but a name:
// ASCII letters, digits, ".", "-" and "_" only, no leading dot, at most 100 bytes, never empty.
// "../../etc/passwd" -> "passwd"; "ré\u202Esum.pdf" -> "r_sum.pdf".
std::string SafeFileName(const std::string& filename);

}  // namespace socm::assessment
