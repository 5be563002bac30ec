#pragma once
// What one tenant may keep in the system of record. A shared service bounds every tenant's
// share; going over answers RESOURCE_EXHAUSTED (HTTP 429) with the quota named, and writes
// nothing. The operator sets them per deployment (--max-*-per-tenant).

#include <cstdint>

namespace socm::assessment {

struct TenantQuotas {
  int64_t max_organizations = 10000;
  int64_t max_assessments = 200000;
  int64_t max_evidence_bytes = int64_t{20} << 30;
};

}  // namespace socm::assessment
