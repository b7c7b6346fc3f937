// Test-only crash points. NSNET_FAULT_AT=STEP makes the process SIGKILL
// itself when it reaches the point named STEP, so the crash tests can kill it
// exactly there (tests/integration/crash_faults.sh, launcher_crash.sh).
// Without the variable a point costs one getenv. Header only, so the
// launcher can use it without a link dependency on netlib.
#pragma once

#include <csignal>
#include <cstdlib>
#include <string_view>

namespace nsnet {

inline void fault_point(std::string_view step) {
  const char* at = std::getenv("NSNET_FAULT_AT");
  if (at && step == at) ::raise(SIGKILL);
}

}  // namespace nsnet
