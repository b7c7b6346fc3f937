#include <fmt/format.h>

#include "cli/commands.hpp"
#include "launcher/control.hpp"
#include "netlib/error.hpp"

namespace nsnet::cli {

int cmd_logs(Args args) {
  std::string name;
  bool follow = false;
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      fmt::print(
          "Usage: nsnet logs NAME [-f]\n\n"
          "Prints the output of a container started with `nsnet run -d` (kept after\n"
          "it exits, until the next run with that name). -f keeps printing new output\n"
          "until the container exits.\n");
      return 0;
    }
    if (a == "-f" || a == "--follow") {
      follow = true;
    } else if (name.empty()) {
      name = a;
    } else {
      fail(Code::InvalidArgument, "nsnet logs: unexpected argument '{}'", a);
    }
  }
  if (name.empty()) fail(Code::InvalidArgument, "nsnet logs needs a container NAME");
  launcher::print_logs(name, follow);
  return 0;
}

}  // namespace nsnet::cli
