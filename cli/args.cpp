#include "cli/args.hpp"

#include <algorithm>
#include <charconv>

#include "netlib/error.hpp"

namespace nsnet::cli {

std::optional<std::string> ParsedArgs::value(std::string_view option) const {
  auto it = values.find(option);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ParsedArgs::all(std::string_view option) const {
  auto it = lists.find(option);
  return it == lists.end() ? std::vector<std::string>{} : it->second;
}

ParsedArgs parse_args(std::string_view command, Args args,
                      std::initializer_list<std::string_view> value_options,
                      std::initializer_list<std::string_view> flag_options) {
  auto known = [](auto list, std::string_view o) {
    return std::find(list.begin(), list.end(), o) != list.end();
  };
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (a == "--") {
      out.rest.assign(args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (a == "--help" || a == "-h") {
      out.help = true;
      continue;
    }
    if (a.size() < 2 || a[0] != '-') {
      out.positional.emplace_back(a);
      continue;
    }
    auto eq = a.find('=');
    auto name = a.substr(0, eq);
    if (known(value_options, name)) {
      std::string value;
      if (eq != std::string_view::npos) {
        value = std::string(a.substr(eq + 1));
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        fail(Code::InvalidArgument, "{} needs a value; see 'nsnet {} --help'", name, command);
      }
      out.values[std::string(name)] = value;
      out.lists[std::string(name)].push_back(value);
    } else if (known(flag_options, a)) {
      out.flags.emplace(a);
    } else {
      fail(Code::InvalidArgument, "unknown option '{}'; see 'nsnet {} --help'", a, command);
    }
  }
  return out;
}

int parse_int(std::string_view option, std::string_view text) {
  int v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0)
    fail(Code::InvalidArgument, "{} wants a non-negative number, not '{}'", option, text);
  return v;
}

}  // namespace nsnet::cli
