#include "cli/commands.hpp"

#include <fmt/format.h>

namespace nsnet::cli {

int run_network(Args args);  // cli/cmd_network.cpp

std::span<const Command> commands() {
  static const Command table[] = {
      {"network", "create, list, inspect and remove networks (CNI conflists)", run_network},
      {"routes", "host-gw routes to the pod subnets of other cluster nodes", run_routes},
      {"version", "print the version", [](Args) { fmt::print("nsnet 0.1.0\n"); return 0; }},
  };
  return table;
}

}  // namespace nsnet::cli
