#include "cli/commands.hpp"

#include <fmt/format.h>

namespace nsnet::cli {

std::span<const Command> commands() {
  static const Command table[] = {
      {"routes", "host-gw routes to the pod subnets of other cluster nodes", run_routes},
      {"version", "print the version", [](Args) { fmt::print("nsnet 0.1.0\n"); return 0; }},
  };
  return table;
}

}  // namespace nsnet::cli
