// `nsnet run`: the whole life of one container, from checks to cleanup.
#pragma once

#include <sys/types.h>

#include <functional>

#include "launcher/options.hpp"

namespace nsnet::launcher {

// What detach needs to hook into a run.
struct RunHooks {
  std::function<void()> claimed;         // the name is ours: safe to take over its log
  std::function<void(pid_t)> started;    // the program was exec'd
};

// Runs the container and waits for it. Returns the program's exit code
// (128+N if killed by signal N); setup failures throw nsnet::Error and leave
// no cgroup, mount or state behind.
int run_container(const RunOptions& opts, const RunHooks& hooks = {});

// `-d`: forks a monitor that runs the container with output to the log
// file, and returns once the program runs (printing its pid) or failed.
int run_detached(const RunOptions& opts);

}  // namespace nsnet::launcher
