// Everything the container side needs, prepared in the parent before clone:
// after clone nothing may allocate, so argv, envp and every path live here.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "launcher/capabilities.hpp"
#include "launcher/mounts.hpp"
#include "launcher/options.hpp"

namespace nsnet::launcher {

struct ProcessSpec {
  // Not copyable: argv and envp point into args and env (a move keeps them).
  ProcessSpec() = default;
  ProcessSpec(const ProcessSpec&) = delete;
  ProcessSpec(ProcessSpec&&) = default;

  // namespaces
  bool new_net = false;
  int port_start = -1;  // set in the child's own netns (--net none); -1: leave
  bool userns = false;
  std::string hostname;
  bool init = false;
  RootPlan root;
  // the program
  std::string workdir;
  bool set_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
  CapMask caps = 0;
  int last_cap = 0;
  std::vector<std::string> args, env, search_dirs;
  std::vector<char*> argv, envp;  // point into args and env, null-terminated
};

// Builds the spec from the options: capabilities, environment (PATH, HOME,
// HOSTNAME, TERM, then --env), the PATH directories to search.
ProcessSpec make_process_spec(const RunOptions& opts, RootPlan root);

}  // namespace nsnet::launcher
