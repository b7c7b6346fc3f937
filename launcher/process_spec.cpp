#include "launcher/process_spec.hpp"

#include <cstdlib>
#include <sstream>

namespace nsnet::launcher {
namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Later K=V entries replace earlier ones with the same K.
void set_env(std::vector<std::string>& env, const std::string& entry) {
  auto key = entry.substr(0, entry.find('=') + 1);
  for (auto& e : env)
    if (e.starts_with(key)) {
      e = entry;
      return;
    }
  env.push_back(entry);
}

std::string env_value(const std::vector<std::string>& env, const std::string& key) {
  for (const auto& e : env)
    if (e.starts_with(key + "=")) return e.substr(key.size() + 1);
  return "";
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

ProcessSpec make_process_spec(const RunOptions& opts, RootPlan root) {
  ProcessSpec s;
  s.new_net = opts.new_net;
  s.port_start = opts.new_net ? opts.unprivileged_port_start.value_or(-1) : -1;
  s.userns = opts.userns.has_value();
  s.hostname = opts.hostname;
  s.init = opts.init;
  s.root = std::move(root);
  s.workdir = opts.workdir;
  s.set_user = opts.uid.has_value();
  s.uid = opts.uid.value_or(0);
  s.gid = opts.gid.value_or(0);
  s.caps = adjust_capabilities(default_capabilities(), opts.cap_add, opts.cap_drop);
  s.last_cap = last_capability();

  s.args = opts.command;
  set_env(s.env, std::string("PATH=") + kDefaultPath);
  set_env(s.env, "HOSTNAME=" + opts.hostname);
  set_env(s.env, s.uid == 0 ? "HOME=/root" : "HOME=/");
  if (const char* term = std::getenv("TERM")) set_env(s.env, std::string("TERM=") + term);
  for (const auto& e : opts.env) set_env(s.env, e);

  std::istringstream path(env_value(s.env, "PATH"));
  for (std::string dir; std::getline(path, dir, ':');)
    if (!dir.empty()) s.search_dirs.push_back(dir);
  s.argv = pointers(s.args);
  s.envp = pointers(s.env);
  return s;
}

}  // namespace nsnet::launcher
