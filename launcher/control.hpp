// ps, stop and logs: acting on containers started by other launcher
// processes, through their state records.
#pragma once

#include <string>

#include "launcher/state.hpp"

namespace nsnet::launcher {

// The record of a running container; throws Error(NotFound) otherwise.
ContainerRecord find_running(const std::string& name);

// Memory use in bytes as the container's cgroup counts it, if known.
std::optional<uint64_t> memory_usage(const ContainerRecord& r);

// SIGTERM to the container's init (forwarded to the program), SIGKILL after
// `timeout_s`; waits until its launcher has cleaned up (or cleans up itself
// when that launcher is gone). Returns true when KILL was needed.
bool stop_container(const std::string& name, int timeout_s);

// Prints the log of a detached container; with follow, keeps printing until
// the container is gone.
void print_logs(const std::string& name, bool follow);

}  // namespace nsnet::launcher
