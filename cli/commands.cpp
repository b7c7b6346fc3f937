#include "cli/commands.hpp"

#include <fmt/format.h>

namespace nsnet::cli {

int run_network(Args args);  // cli/cmd_network.cpp

std::span<const Command> commands() {
  static const Command table[] = {
      {"create", "make a named netns and connect it to a network", run_create},
      {"delete", "disconnect and delete named network namespaces", run_delete},
      {"list", "list named network namespaces and their addresses", run_list},
      {"show", "show a named netns: interfaces, addresses, routes, network", run_show},
      {"exec", "run a command inside a named netns (as ip netns exec)", run_exec},
      {"network", "create, list, inspect and remove networks (CNI conflists)", run_network},
      {"routes", "host-gw routes to the pod subnets of other cluster nodes", run_routes},
      {"version", "print the version", [](Args) { fmt::print("nsnet 0.1.0\n"); return 0; }},
  };
  return table;
}

}  // namespace nsnet::cli
