#include "launcher/options.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <string_view>

#include <fmt/format.h>

#include "netlib/error.hpp"

namespace nsnet::launcher {
namespace {

const char* const kUsage =
    "Usage: nsnet run NAME [OPTIONS] -- CMD [ARGS...]\n"
    "\n"
    "Runs CMD in the named network namespace NAME (/run/netns/NAME, made by\n"
    "`nsnet create` or `ip netns add`) with its own PID, UTS, IPC, mount and\n"
    "cgroup namespaces. CMD is PID 1 there; signals sent to `nsnet run` (TERM,\n"
    "INT, HUP, QUIT, USR1, USR2) are passed on to it, and `nsnet run` exits with\n"
    "its status (128+N when killed by signal N).\n"
    "\n"
    "Namespaces:\n"
    "  --net none             a fresh network namespace with only lo (up);\n"
    "                         NAME then only names the container\n"
    "  --name CNAME           container name for ps/stop/logs (default NAME)\n"
    "  --hostname H           UTS hostname (default: the container name)\n"
    "  --init                 run a minimal init as PID 1 and CMD as its child:\n"
    "                         it reaps orphaned zombies, and CMD gets TERM even\n"
    "                         without a handler (the kernel ignores signals that\n"
    "                         PID 1 does not handle)\n"
    "  --userns               a user namespace: container ids 0..65535 map to\n"
    "                         host ids 100000..165535 (joined after the netns)\n"
    "  --userns-map HOST:N    map container ids 0..N-1 to host ids HOST..HOST+N-1\n"
    "  --unprivileged-port-start N\n"
    "                         set net.ipv4.ip_unprivileged_port_start in the\n"
    "                         netns (0 lets a user-namespaced server bind :25)\n"
    "\n"
    "Filesystem:\n"
    "  --rootfs DIR           root filesystem, entered with pivot_root; the old\n"
    "                         root is unmounted (default: the host's root,\n"
    "                         read-only, with a private /tmp)\n"
    "  --chroot               enter --rootfs with chroot instead: a weaker mode\n"
    "                         for teaching only, chroot can be escaped\n"
    "  --bind SRC[:DST]       bind-mount host path SRC at DST (default SRC)\n"
    "  --ro-bind SRC[:DST]    the same, read-only\n"
    "  --tmpfs DST            an empty tmpfs at DST\n"
    "\n"
    "Process:\n"
    "  --user UID[:GID]       run CMD as this numeric user (and group)\n"
    "  -e, --env K=V          set an environment variable (K alone: copy the\n"
    "                         launcher's value)\n"
    "  -w, --workdir DIR      working directory inside the container (default /)\n"
    "  --cap-add CAP          add a capability to the default set (or ALL)\n"
    "  --cap-drop CAP         remove a capability from it (or ALL)\n"
    "\n"
    "Limits (cgroup v2 or v1):\n"
    "  --memory SIZE          memory limit, e.g. 64M (no swap beyond it)\n"
    "  --cpus N               CPU time, e.g. 0.5 = half a CPU\n"
    "  --pids N               maximum number of processes and threads\n"
    "\n"
    "  -d, --detach           run in the background; output goes to\n"
    "                         $NSNET_STATE_DIR/logs/NAME.log (see nsnet logs)\n"
    "  -h, --help             this text\n";

struct Option {
  std::string_view name;
  std::string_view alias;
  bool takes_value;
  std::function<void(RunOptions&, const std::string&)> apply;
};

uint64_t parse_unsigned(const std::string& text, const char* what) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    fail(Code::InvalidArgument, "{} '{}' is not a non-negative integer", what, text);
  return v;
}

uint32_t parse_id(const std::string& text, const char* what) {
  uint64_t v = parse_unsigned(text, what);
  if (v >= UINT32_MAX) fail(Code::InvalidArgument, "{} '{}' is out of range", what, text);
  return static_cast<uint32_t>(v);
}

std::string absolute_target(const std::string& path, const char* what) {
  if (path.empty() || path[0] != '/')
    fail(Code::InvalidArgument, "{} '{}' must be an absolute path", what, path);
  return path;
}

const std::vector<Option>& option_table() {
  static const std::vector<Option> table = {
      {"--net", "", true,
       [](RunOptions& o, const std::string& v) {
         if (v != "none")
           fail(Code::InvalidArgument,
                "--net takes only 'none'; give a named netns as NAME instead of '{}'", v);
         o.new_net = true;
       }},
      {"--name", "", true, [](RunOptions& o, const std::string& v) { o.name = v; }},
      {"--hostname", "", true, [](RunOptions& o, const std::string& v) { o.hostname = v; }},
      {"--init", "", false, [](RunOptions& o, const std::string&) { o.init = true; }},
      {"--userns", "", false, [](RunOptions& o, const std::string&) { o.userns.emplace(); }},
      {"--userns-map", "", true,
       [](RunOptions& o, const std::string& v) {
         auto colon = v.find(':');
         if (colon == std::string::npos)
           fail(Code::InvalidArgument, "--userns-map '{}' must be HOSTID:COUNT", v);
         o.userns = IdMap{parse_id(v.substr(0, colon), "--userns-map host id"),
                          parse_id(v.substr(colon + 1), "--userns-map count")};
         if (o.userns->count == 0)
           fail(Code::InvalidArgument, "--userns-map '{}' maps no ids", v);
       }},
      {"--unprivileged-port-start", "", true,
       [](RunOptions& o, const std::string& v) {
         uint64_t port = parse_unsigned(v, "--unprivileged-port-start");
         if (port > 65535) fail(Code::InvalidArgument, "port '{}' is above 65535", v);
         o.unprivileged_port_start = static_cast<int>(port);
       }},
      {"--rootfs", "", true, [](RunOptions& o, const std::string& v) { o.rootfs = v; }},
      {"--chroot", "", false, [](RunOptions& o, const std::string&) { o.chroot_mode = true; }},
      {"--bind", "", true,
       [](RunOptions& o, const std::string& v) { o.binds.push_back(parse_bind(v, false)); }},
      {"--ro-bind", "", true,
       [](RunOptions& o, const std::string& v) { o.binds.push_back(parse_bind(v, true)); }},
      {"--tmpfs", "", true,
       [](RunOptions& o, const std::string& v) {
         o.tmpfs.push_back(absolute_target(v, "--tmpfs"));
       }},
      {"--user", "", true,
       [](RunOptions& o, const std::string& v) {
         auto colon = v.find(':');
         o.uid = parse_id(v.substr(0, colon), "--user uid");
         o.gid = colon == std::string::npos ? *o.uid : parse_id(v.substr(colon + 1), "--user gid");
       }},
      {"--env", "-e", true,
       [](RunOptions& o, const std::string& v) {
         if (v.empty() || v[0] == '=') fail(Code::InvalidArgument, "--env '{}' must be K=V", v);
         if (v.find('=') != std::string::npos) {
           o.env.push_back(v);
         } else if (const char* host = std::getenv(v.c_str())) {
           o.env.push_back(v + "=" + host);
         }
       }},
      {"--workdir", "-w", true,
       [](RunOptions& o, const std::string& v) { o.workdir = absolute_target(v, "--workdir"); }},
      {"--cap-add", "", true, [](RunOptions& o, const std::string& v) { o.cap_add.push_back(v); }},
      {"--cap-drop", "", true, [](RunOptions& o, const std::string& v) { o.cap_drop.push_back(v); }},
      {"--memory", "-m", true,
       [](RunOptions& o, const std::string& v) { o.limits.memory_bytes = parse_size(v); }},
      {"--cpus", "", true, [](RunOptions& o, const std::string& v) { o.limits.cpus = parse_cpus(v); }},
      {"--pids", "", true,
       [](RunOptions& o, const std::string& v) {
         o.limits.pids = parse_unsigned(v, "--pids");
         if (*o.limits.pids == 0) fail(Code::InvalidArgument, "--pids must be at least 1");
       }},
      {"--detach", "-d", false, [](RunOptions& o, const std::string&) { o.detach = true; }},
  };
  return table;
}

const Option* find_option(std::string_view arg) {
  for (const auto& opt : option_table())
    if (arg == opt.name || (!opt.alias.empty() && arg == opt.alias)) return &opt;
  return nullptr;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name == "." || name == "..") return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  return true;
}

void check_consistency(RunOptions& o) {
  if (o.netns.empty())
    fail(Code::InvalidArgument, "nsnet run needs a NAME (a named netns, or any name with --net none)");
  if (o.command.empty()) fail(Code::InvalidArgument, "nsnet run needs a command after '--'");
  if (o.name.empty()) o.name = o.netns;
  if (!valid_name(o.name))
    fail(Code::InvalidArgument,
         "container name '{}' must be 1-64 letters, digits, '-', '_' or '.'", o.name);
  if (o.new_net) o.netns.clear();
  if (o.hostname.empty()) o.hostname = o.name;
  if (o.hostname.size() > 64) fail(Code::InvalidArgument, "hostname '{}' is longer than 64", o.hostname);
  if (o.chroot_mode && !o.rootfs) fail(Code::InvalidArgument, "--chroot needs --rootfs DIR");
}

}  // namespace

const char* run_usage() { return kUsage; }

uint64_t parse_size(const std::string& text) {
  std::string digits = text;
  uint64_t unit = 1;
  if (!digits.empty()) {
    switch (std::tolower(static_cast<unsigned char>(digits.back()))) {
      case 'k': unit = 1ULL << 10; break;
      case 'm': unit = 1ULL << 20; break;
      case 'g': unit = 1ULL << 30; break;
      case 'b': unit = 1; break;
      default: unit = 0;
    }
    if (unit) digits.pop_back(); else unit = 1;
  }
  uint64_t n = parse_unsigned(digits, "size");
  if (n == 0 || n > UINT64_MAX / unit)
    fail(Code::InvalidArgument, "size '{}' must be positive and fit in 64 bits (e.g. 64M)", text);
  return n * unit;
}

double parse_cpus(const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v) || v <= 0)
    fail(Code::InvalidArgument, "--cpus '{}' must be a positive number such as 0.5", text);
  return v;
}

BindSpec parse_bind(const std::string& text, bool read_only) {
  auto colon = text.find(':');
  BindSpec b{text.substr(0, colon), colon == std::string::npos ? text : text.substr(colon + 1),
             read_only};
  if (b.source.empty()) fail(Code::InvalidArgument, "bind '{}' has no source", text);
  absolute_target(b.target, "bind target");
  return b;
}

std::optional<RunOptions> parse_run_options(std::span<const std::string> args) {
  RunOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      const auto rest = args.subspan(i + 1);
      o.command.assign(rest.begin(), rest.end());
      break;
    }
    if (arg == "-h" || arg == "--help") {
      fmt::print("{}", kUsage);
      return std::nullopt;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      auto eq = arg.find('=');
      std::string key = arg.substr(0, eq);
      const Option* opt = find_option(key);
      if (!opt) fail(Code::InvalidArgument, "unknown option '{}'; see 'nsnet run --help'", key);
      std::string value;
      if (eq != std::string::npos) {
        if (!opt->takes_value) fail(Code::InvalidArgument, "option '{}' takes no value", key);
        value = arg.substr(eq + 1);
      } else if (opt->takes_value) {
        if (i + 1 >= args.size()) fail(Code::InvalidArgument, "option '{}' needs a value", key);
        value = args[++i];
      }
      opt->apply(o, value);
      continue;
    }
    if (o.netns.empty()) {
      o.netns = arg;
    } else {  // the command may follow NAME without '--'
      const auto rest = args.subspan(i);
      o.command.assign(rest.begin(), rest.end());
      break;
    }
  }
  check_consistency(o);
  return o;
}

}  // namespace nsnet::launcher
