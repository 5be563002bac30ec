#include "services/assessment/domain/foreign_audit.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status.h"

namespace socm::assessment {
namespace {

// "<micros>-<hex>", as every entry id of the log.
bool IsEntryId(const std::string& id) {
  const size_t dash = id.find('-');
  if (dash == std::string::npos || dash == 0 || dash > 20 || id.size() - dash - 1 < 4 ||
      id.size() > 64) {
    return false;
  }
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == dash) continue;
    const char ch = id[i];
    if (i < dash ? !absl::ascii_isdigit(static_cast<unsigned char>(ch))
                 : !absl::ascii_isxdigit(static_cast<unsigned char>(ch))) {
      return false;
    }
  }
  return true;
}

void Bound(std::vector<FieldViolation>& out, const char* field, const std::string& value,
           size_t most) {
  if (value.size() > most) {
    out.push_back(Violation(field, absl::StrCat("at most ", most, " bytes")));
  }
}

}  // namespace

std::vector<FieldViolation> CheckCatalogueRecord(
    const soc::maturity::catalogue::v1::CatalogueAuditRecord& record) {
  std::vector<FieldViolation> out;
  if (!IsEntryId(record.id())) out.push_back(Violation("id", "must be <microseconds>-<hex>"));
  if (record.tenant_id().empty()) out.push_back(Violation("tenantId", "required"));
  Bound(out, "tenantId", record.tenant_id(), 128);
  // The catalogue service speaks for its own events and no other service's.
  if (!absl::StartsWith(record.action(), "catalogue.") || record.action().size() > 64) {
    out.push_back(Violation("action", "must be a catalogue action (catalogue.…)"));
  }
  // Between 2020 and 2200: a clock far off or a forged time would misplace the entry.
  if (record.time_micros() < 1577836800000000LL || record.time_micros() > 7258118400000000LL) {
    out.push_back(Violation("timeMicros", "out of range"));
  }
  Bound(out, "actor", record.actor(), 256);
  Bound(out, "target", record.target(), 512);
  Bound(out, "afterJson", record.after_json(), 16 * 1024);
  Bound(out, "clientAddress", record.client_address(), 128);
  return out;
}

ForeignEntry EntryOfCatalogueRecord(
    const soc::maturity::catalogue::v1::CatalogueAuditRecord& record) {
  ForeignEntry out;
  out.tenant = record.tenant_id();
  auto& entry = out.entry;
  entry.set_id(record.id());
  entry.set_actor(record.actor());
  entry.set_action(record.action());
  entry.set_target(record.target());
  *entry.mutable_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(record.time_micros());
  entry.set_after_json(record.after_json());
  entry.set_client_address(record.client_address());
  return out;
}

}  // namespace socm::assessment
