#include "cli/commands.hpp"

#include <fmt/format.h>

namespace nsnet::cli {

int run_network(Args args);  // cli/cmd_network.cpp
int run_publish(Args args);    // cli/cmd_publish.cpp
int run_unpublish(Args args);  // cli/cmd_publish.cpp
int run_reconcile(Args args);  // cli/cmd_reconcile.cpp
int run_doctor(Args args);     // cli/cmd_reconcile.cpp
int cmd_run(Args args);   // cli/cmd_run.cpp
int cmd_ps(Args args);    // cli/cmd_ps.cpp
int cmd_stop(Args args);  // cli/cmd_stop.cpp
int cmd_logs(Args args);  // cli/cmd_logs.cpp
int cmd_rm(Args args);    // cli/cmd_rm.cpp

std::span<const Command> commands() {
  static const Command table[] = {
      {"create", "make a named netns and connect it to a network", run_create},
      {"delete", "disconnect and delete named network namespaces", run_delete},
      {"list", "list named network namespaces and their addresses", run_list},
      {"show", "show a named netns: interfaces, addresses, routes, network", run_show},
      {"exec", "run a command inside a named netns (as ip netns exec)", run_exec},
      {"publish", "publish ports of a named netns on the host", run_publish},
      {"unpublish", "stop publishing ports of a named netns", run_unpublish},
      {"reconcile", "re-create nsnet's nftables state after a firewall reload", run_reconcile},
      {"doctor", "check forwarding, firewall, stale netns and MTU; say how to fix", run_doctor},
      {"network", "create, list, inspect and remove networks (CNI conflists)", run_network},
      {"routes", "host-gw routes to the pod subnets of other cluster nodes", run_routes},
      {"version", "print the version", [](Args) { fmt::print("nsnet 0.1.0\n"); return 0; }},
      {"run", "run a program in a named netns with its own namespaces and limits", cmd_run},
      {"ps", "list containers (nsnet run): running, or dead with leftovers", cmd_ps},
      {"stop", "stop a container: TERM, then KILL", cmd_stop},
      {"logs", "print a detached container's output", cmd_logs},
      {"rm", "remove what a dead container's launcher left (cgroup, state)", cmd_rm},
  };
  return table;
}

}  // namespace nsnet::cli
