#include "services/common/runtime.h"

#include "absl/synchronization/mutex.h"

namespace socm {

void PrepareRuntime() {
#ifdef NDEBUG
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
}

}  // namespace socm
