// nsnet exec NAME -- CMD [ARGS...]: as `ip netns exec`.
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sched.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "netlib/error.hpp"
#include "netlib/netns.hpp"

namespace fs = std::filesystem;

namespace nsnet::cli {
namespace {

constexpr const char* kHelp = R"(Usage: nsnet exec NAME -- CMD [ARGS...]

Runs CMD inside the named network namespace NAME, exactly as
`ip netns exec NAME CMD` does: in a new mount namespace where /sys shows
NAME's interfaces and every file under /etc/netns/NAME/ is bind-mounted over
its namesake in /etc (e.g. /etc/netns/NAME/resolv.conf). CMD replaces nsnet;
its exit status is nsnet's.

Example:
  nsnet exec web1 -- python3 -m http.server 80
)";

// A private view of the mounts: /sys for the new netns, /etc/netns/NAME files.
void enter_mount_namespace(const std::string& name) {
  if (::unshare(CLONE_NEWNS) < 0) fail_errno(errno, "cannot make a mount namespace");
  // Don't let our mounts propagate back to the host.
  if (::mount("", "/", "none", MS_SLAVE | MS_REC, nullptr) < 0)
    fail_errno(errno, "cannot make / a slave mount");
  unsigned long flags = 0;
  struct statvfs st {};
  if (::statvfs("/sys", &st) == 0 && (st.f_flag & ST_RDONLY)) flags |= MS_RDONLY;
  ::umount2("/sys", MNT_DETACH);
  if (::mount(name.c_str(), "/sys", "sysfs", flags, nullptr) < 0)
    fail_errno(errno, "cannot mount /sys for the network namespace");

  std::error_code ec;
  auto etc = fs::path("/etc/netns") / name;
  for (const auto& entry : fs::directory_iterator(etc, ec)) {
    auto target = fs::path("/etc") / entry.path().filename();
    if (::mount(entry.path().c_str(), target.c_str(), "none", MS_BIND, nullptr) < 0)
      fail_errno(errno, fmt::format("cannot bind {} on {}", entry.path().string(), target.string()));
  }
}

}  // namespace

int run_exec(Args args) {
  auto p = parse_args("exec", args, {});
  if (p.help) return fmt::print("{}", kHelp), 0;
  if (p.positional.size() != 1 || p.rest.empty())
    fail(Code::InvalidArgument, "usage: nsnet exec NAME -- CMD [ARGS...]; see 'nsnet exec --help'");
  const auto& name = p.positional[0];
  auto netns = open_netns(named_netns_path(name).string());
  // nsnet is single-threaded here, so the whole process (and CMD) moves.
  if (::setns(netns.get(), CLONE_NEWNET) < 0)
    fail_errno(errno, fmt::format("cannot enter network namespace {}", name));
  enter_mount_namespace(name);
  std::vector<char*> argv;
  for (const auto& a : p.rest) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  fail_errno(errno, fmt::format("cannot run {}", p.rest[0]));
}

}  // namespace nsnet::cli
