#include "plugin/env.hpp"

#include <vector>

#include <fmt/ranges.h>

#include "netlib/error.hpp"
#include "netlib/names.hpp"

namespace nsnet::cni {
namespace {

struct CommandNeeds {
  std::string_view command;
  bool container_id, netns, ifname, path;
};

// Required variables per command, as SPEC.md section 2 lists them.
constexpr CommandNeeds kNeeds[] = {
    {"ADD", true, true, true, false},     {"DEL", true, false, true, false},
    {"CHECK", true, true, true, true},    {"STATUS", false, false, false, false},
    {"GC", false, false, false, true},    {"VERSION", false, false, false, false},
};

void validate_variable(const char* name, std::string_view value, void (*validate)(std::string_view)) {
  try {
    validate(value);
  } catch (const Error& e) {
    fail(Code::InvalidEnv, "{}: {}", name, e.what());
  }
}

}  // namespace

Env read_env(const Getenv& getenv) {
  auto get = [&](const char* name) {
    const char* v = getenv(name);
    return std::string(v ? v : "");
  };
  Env env{get("CNI_COMMAND"), get("CNI_CONTAINERID"), get("CNI_NETNS"),
          get("CNI_IFNAME"),  get("CNI_ARGS"),        get("CNI_PATH")};
  if (env.command.empty()) fail(Code::InvalidEnv, "CNI_COMMAND is not set");
  const CommandNeeds* needs = nullptr;
  for (const auto& n : kNeeds)
    if (n.command == env.command) needs = &n;
  if (!needs)
    fail(Code::InvalidEnv, "CNI_COMMAND '{}' is not one of ADD, DEL, CHECK, STATUS, GC, VERSION",
         env.command);

  std::vector<std::string_view> missing;
  if (needs->container_id && env.container_id.empty()) missing.push_back("CNI_CONTAINERID");
  if (needs->netns && env.netns.empty()) missing.push_back("CNI_NETNS");
  if (needs->ifname && env.ifname.empty()) missing.push_back("CNI_IFNAME");
  if (needs->path && env.path.empty()) missing.push_back("CNI_PATH");
  if (!missing.empty())
    throw Error(Code::InvalidEnv, fmt::format("{} needs {}: not set", env.command, fmt::join(missing, ", ")));

  if (!env.container_id.empty()) validate_variable("CNI_CONTAINERID", env.container_id, validate_container_id);
  if (!env.ifname.empty()) validate_variable("CNI_IFNAME", env.ifname, validate_ifname);
  return env;
}

}  // namespace nsnet::cni
