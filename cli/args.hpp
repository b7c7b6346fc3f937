// The small argument parser the commands share: positionals, "--opt VALUE"
// or "--opt=VALUE", boolean flags, "--help", and everything after "--".
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"

namespace nsnet::cli {

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string, std::less<>> values;  // the last of each
  std::map<std::string, std::vector<std::string>, std::less<>> lists;  // every one, in order
  std::set<std::string, std::less<>> flags;
  std::vector<std::string> rest;  // after "--"
  bool help = false;

  std::optional<std::string> value(std::string_view option) const;
  // Every value of a repeatable option (-p A -p B), in order.
  std::vector<std::string> all(std::string_view option) const;
  bool flag(std::string_view option) const { return flags.contains(option); }
};

// Throws Error(InvalidArgument) for an unknown option or a missing value,
// naming `command` so the message can point at its --help.
ParsedArgs parse_args(std::string_view command, Args args,
                      std::initializer_list<std::string_view> value_options,
                      std::initializer_list<std::string_view> flag_options = {});

// Parses a non-negative decimal integer option value, naming the option.
int parse_int(std::string_view option, std::string_view text);

}  // namespace nsnet::cli
