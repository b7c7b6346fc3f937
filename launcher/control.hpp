// ps, stop, rm and logs: acting on containers started by other launcher
// processes, through their state records.
#pragma once

#include <string>
#include <vector>

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

// `nsnet rm`: removes what the dead launcher of NAME left (the processes
// still in its cgroup, the cgroup, the state directory; the log stays).
// Throws Error(NotFound) for an unknown name, Error(Conflict) for a live one.
void remove_container(const std::string& name);
// The same for every dead container; returns their names.
std::vector<std::string> remove_dead_containers();

// Prints the log of a detached container; with follow, keeps printing until
// the container is gone.
void print_logs(const std::string& name, bool follow);

}  // namespace nsnet::launcher
