#include "cli/commands.hpp"
#include "launcher/options.hpp"
#include "launcher/run.hpp"

namespace nsnet::cli {

int cmd_run(Args args) {
  auto opts = launcher::parse_run_options(args);
  if (!opts) return 0;  // --help
  return opts->detach ? launcher::run_detached(*opts) : launcher::run_container(*opts);
}

}  // namespace nsnet::cli
