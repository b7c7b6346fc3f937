#include <fmt/format.h>

#include "cli/commands.hpp"
#include "launcher/control.hpp"
#include "netlib/error.hpp"

namespace nsnet::cli {

int cmd_stop(Args args) {
  std::string name;
  int timeout = 10;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "-h" || args[i] == "--help") {
      fmt::print(
          "Usage: nsnet stop NAME [-t SECONDS]\n\n"
          "Sends SIGTERM to the container's program (through its init), then SIGKILL\n"
          "after SECONDS (default 10). Its cgroup and state are removed.\n");
      return 0;
    }
    if (args[i] == "-t" || args[i] == "--time") {
      if (i + 1 >= args.size()) fail(Code::InvalidArgument, "nsnet stop: -t needs SECONDS");
      try {
        timeout = std::stoi(args[++i]);
      } catch (...) {
        fail(Code::InvalidArgument, "nsnet stop: -t '{}' is not a number of seconds", args[i]);
      }
    } else if (name.empty()) {
      name = args[i];
    } else {
      fail(Code::InvalidArgument, "nsnet stop: unexpected argument '{}'", args[i]);
    }
  }
  if (name.empty()) fail(Code::InvalidArgument, "nsnet stop needs a container NAME");
  bool killed = launcher::stop_container(name, timeout);
  fmt::print("{} stopped{}\n", name, killed ? fmt::format(" (killed after {}s)", timeout) : "");
  return 0;
}

}  // namespace nsnet::cli
