// Test-only crash points. NSNET_FAULT_AT=STEP makes the process SIGKILL
// itself when it reaches the point named STEP, so the crash tests can kill it
// exactly there (tests/integration/crash_faults.sh). Without the variable a
// point costs one getenv.
#pragma once

#include <string_view>

namespace nsnet {

void fault_point(std::string_view step);

}  // namespace nsnet
