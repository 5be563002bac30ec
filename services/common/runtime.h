#pragma once
// Process-wide settings every binary of the suite applies first in main.

namespace socm {

// Debian builds Abseil without NDEBUG, so absl::Mutex keeps a lock graph for deadlock
// detection and updates it on every lock; gRPC locks many times per call, and that showed
// as about 5 % of a loaded service's CPU. Release builds (NDEBUG) switch it off; debug
// builds keep it.
void PrepareRuntime();

}  // namespace socm
