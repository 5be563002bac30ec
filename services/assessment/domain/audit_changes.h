#pragma once
// What an assessment's write changed, for its audit entry: one change per answer that differs
// (by role code) and one per other field that differs, each with its JSON before and after.
// Saving one answer of 54 records that answer, not two copies of the whole assessment. The
// bookkeeping fields every write moves (revision, etag, update time) are left out.

#include <vector>

#include "soc/maturity/assessment/v1/assessment.pb.h"

namespace socm::assessment {

std::vector<soc::maturity::assessment::v1::AuditChange> AssessmentChanges(
    const soc::maturity::assessment::v1::Assessment& before,
    const soc::maturity::assessment::v1::Assessment& after);

}  // namespace socm::assessment
