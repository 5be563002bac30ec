#pragma once
// Audit records written by another service of the suite (today the catalogue service's
// publications) become entries of the tenant's audit log here. The other service is trusted
// with its own events only: a record must name a tenant and an action of that service, and
// every field is bounded, so a faulty or hostile record cannot pose as an assessment's entry
// or bloat the log.
#include <string>
#include <vector>

#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"
#include "soc/maturity/common/v1/errors.pb.h"

namespace socm::assessment {

struct ForeignEntry {
  std::string tenant;
  soc::maturity::assessment::v1::AuditEntry entry;
};

// What is wrong with the record, field by field ("" fields are the record's own names).
std::vector<soc::maturity::common::v1::FieldViolation> CheckCatalogueRecord(
    const soc::maturity::catalogue::v1::CatalogueAuditRecord& record);

// The entry a valid record makes: tenant-level (no organisation), its id and time kept, so a
// record taken twice is the same entry.
ForeignEntry EntryOfCatalogueRecord(
    const soc::maturity::catalogue::v1::CatalogueAuditRecord& record);

}  // namespace socm::assessment
