// The `nsnet` subcommands. Each lives in its own file cli/cmd_NAME.cpp and
// takes the arguments after its name; it returns the process exit code and
// throws nsnet::Error for failures (main prints them as one line).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace nsnet::cli {

using Args = std::span<const std::string>;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `nsnet --help`
  int (*run)(Args args);
};

// The table of commands, in the order `nsnet --help` lists them.
std::span<const Command> commands();

int run_create(Args args);  // cli/cmd_create.cpp
int run_delete(Args args);  // cli/cmd_delete.cpp
int run_list(Args args);    // cli/cmd_list.cpp
int run_show(Args args);    // cli/cmd_show.cpp
int run_exec(Args args);    // cli/cmd_exec.cpp
int run_routes(Args args);  // cli/cmd_routes.cpp

}  // namespace nsnet::cli
