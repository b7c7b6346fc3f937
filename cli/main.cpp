// nsnet: the command line and, when CNI_COMMAND is set and no subcommand is
// given, the CNI plugin (runtimes exec this same binary as type "nsnet").
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "netlib/error.hpp"
#include "plugin/plugin.hpp"

namespace nsnet::cli {
namespace {

void print_usage() {
  fmt::print(
      "nsnet: give every service its own network stack.\n\n"
      "Usage: nsnet COMMAND [ARGS...]      (nsnet COMMAND --help for details)\n"
      "       CNI_COMMAND=ADD ... nsnet    (as a CNI plugin, type \"nsnet\")\n\n"
      "Commands:\n");
  for (const auto& c : commands()) fmt::print("  {:<12} {}\n", c.name, c.summary);
  fmt::print(
      "\nEnvironment:\n"
      "  NSNET_STATE_DIR      state directory (default /run/nsnet)\n"
      "  NSNET_CNI_CONF_DIR   network configs (default /etc/cni/net.d)\n");
}

int dispatch(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    print_usage();
    return argv.empty() ? 2 : 0;
  }
  if (argv[0] == "--version") {
    fmt::print("nsnet 0.1.0\n");
    return 0;
  }
  for (const auto& c : commands()) {
    if (c.name == argv[0]) return c.run(Args(argv).subspan(1));
  }
  fmt::print(stderr, "nsnet: unknown command '{}'; see 'nsnet --help'\n", argv[0]);
  return 2;
}

}  // namespace
}  // namespace nsnet::cli

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // A runtime runs plugins with no arguments and CNI_COMMAND set.
  if (args.empty() && std::getenv("CNI_COMMAND")) return nsnet::cni::plugin_main();
  try {
    return nsnet::cli::dispatch(args);
  } catch (const nsnet::Error& e) {
    fmt::print(stderr, "nsnet: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "nsnet: internal error: {}\n", e.what());
    return 1;
  }
}
