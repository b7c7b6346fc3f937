// Parent side of the filesystem setup: decides every mount, checks what can
// be checked with a clear message, and allocates all the strings the child
// will use.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <climits>
#include <cstdlib>

#include "launcher/mounts.hpp"
#include "netlib/error.hpp"

namespace nsnet::launcher {
namespace {

using Kind = MountEntry::Kind;

// Docker's masked and read-only paths: kernel interfaces that leak host
// information (kcore, keys, timer_list...) or change host-wide state.
const char* const kMasked[] = {
    "/proc/acpi",          "/proc/asound",  "/proc/interrupts", "/proc/kcore",
    "/proc/keys",          "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
    "/proc/sched_debug",   "/proc/scsi",    "/sys/firmware",    "/sys/devices/virtual/powercap"};
const char* const kReadOnly[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                 "/proc/sysrq-trigger"};
const char* const kDevices[] = {"null", "zero", "full", "random", "urandom", "tty"};

void check_dev_null() {
  struct stat st{};
  if (::stat("/dev/null", &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 ||
      minor(st.st_rdev) != 3)
    fail(Code::Internal, "the host's /dev/null is not the null device (char 1:3); refusing to use it");
}

std::string real_directory(const std::string& path, const char* what) {
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved))
    fail(Code::NotFound, "{} '{}' does not exist; {}", what, path,
         std::string(what) == "rootfs" ? "make one with scripts/mkrootfs DIR" : "check the path");
  struct stat st{};
  if (::stat(resolved, &st) < 0 || !S_ISDIR(st.st_mode))
    fail(Code::InvalidArgument, "{} '{}' is not a directory", what, path);
  return resolved;
}

void add_dev(std::vector<MountEntry>& m) {
  m.push_back({Kind::Tmpfs, "/dev", "", "mode=755,size=65536k", true, false, MS_NOSUID | MS_NOEXEC});
  for (const char* dev : kDevices)
    m.push_back({Kind::Bind, std::string("/dev/") + dev, std::string("/dev/") + dev, "", false, false, 0});
  m.push_back({Kind::Devpts, "/dev/pts", "", "newinstance,ptmxmode=0666,mode=0620", true, false, 0});
  m.push_back({Kind::Tmpfs, "/dev/shm", "", "mode=1777,size=65536k", true, false,
               MS_NOSUID | MS_NODEV | MS_NOEXEC});
  const std::pair<const char*, const char*> links[] = {{"/dev/ptmx", "pts/ptmx"},
                                                       {"/dev/fd", "/proc/self/fd"},
                                                       {"/dev/stdin", "/proc/self/fd/0"},
                                                       {"/dev/stdout", "/proc/self/fd/1"},
                                                       {"/dev/stderr", "/proc/self/fd/2"}};
  for (auto [link, to] : links) m.push_back({Kind::Symlink, link, to, "", false, false, 0});
}

// /etc/hostname, hosts and resolv.conf as written for this container. On the
// read-only host root a missing target cannot be made, so it is skipped.
void add_etc(std::vector<MountEntry>& m, const std::string& etc_dir, bool host_root) {
  for (const char* file : {"hostname", "hosts", "resolv.conf"}) {
    std::string target = std::string("/etc/") + file;
    if (host_root && ::access(target.c_str(), F_OK) < 0) continue;
    m.push_back({Kind::Bind, target, etc_dir + "/" + file, "", false, true, 0});
  }
}

void add_user_mounts(std::vector<MountEntry>& m, const RunOptions& o) {
  for (const auto& b : o.binds) {
    struct stat st{};
    if (::stat(b.source.c_str(), &st) < 0)
      fail(Code::NotFound, "bind source '{}' does not exist on the host", b.source);
    m.push_back({Kind::Bind, b.target, b.source, "", S_ISDIR(st.st_mode), b.read_only, 0});
  }
  for (const auto& t : o.tmpfs)
    m.push_back({Kind::Tmpfs, t, "", "mode=1777", true, false, MS_NOSUID | MS_NODEV});
}

}  // namespace

RootPlan plan_root(const RunOptions& opts, const std::string& etc_dir, const std::string& staging) {
  check_dev_null();
  RootPlan plan;
  plan.host_root = !opts.rootfs;
  plan.root = opts.rootfs ? real_directory(*opts.rootfs, "rootfs") : staging;
  plan.chroot_mode = opts.chroot_mode;
  auto& m = plan.mounts;
  m.push_back({Kind::Proc, "/proc", "", "", true, false, 0});
  add_dev(m);
  for (const char* path : kMasked) m.push_back({Kind::Mask, path, "", "", false, false, 0});
  for (const char* path : kReadOnly) m.push_back({Kind::ReadOnly, path, "", "", false, false, 0});
  if (plan.host_root)
    m.push_back({Kind::Tmpfs, "/tmp", "", "mode=1777", true, false, MS_NOSUID | MS_NODEV});
  add_etc(m, etc_dir, plan.host_root);
  add_user_mounts(m, opts);
  return plan;
}

}  // namespace nsnet::launcher
