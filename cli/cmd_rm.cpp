#include <fmt/format.h>

#include "cli/commands.hpp"
#include "launcher/control.hpp"
#include "netlib/error.hpp"

namespace nsnet::cli {

int cmd_rm(Args args) {
  std::vector<std::string> names;
  bool dead = false;
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      fmt::print(
          "Usage: nsnet rm NAME... | nsnet rm --dead\n\n"
          "Removes what a dead `nsnet run` left: one whose launcher was killed (say\n"
          "by SIGKILL or the OOM killer) before it could clean up, shown as dead by\n"
          "`nsnet ps`. Any process still in its cgroup is killed, then its cgroup\n"
          "(v1 or v2) and its state directory are removed; its log stays. A running\n"
          "container is refused: stop it with `nsnet stop`. The launcher makes no\n"
          "mount outside the container's own mount namespace, which dies with it.\n\n"
          "  --dead    every container that `nsnet ps` shows as dead\n");
      return 0;
    }
    if (a == "--dead") dead = true;
    else if (a.starts_with("-")) fail(Code::InvalidArgument, "nsnet rm: unknown option '{}'", a);
    else names.push_back(a);
  }
  if (dead == !names.empty())
    fail(Code::InvalidArgument, "nsnet rm needs container NAMEs or --dead (not both)");
  if (dead) names = launcher::remove_dead_containers();
  else
    for (const auto& name : names) launcher::remove_container(name);
  for (const auto& name : names) fmt::print("{} removed\n", name);
  return 0;
}

}  // namespace nsnet::cli
