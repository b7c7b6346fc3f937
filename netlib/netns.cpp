#include "netlib/netns.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

#include "netlib/error.hpp"
#include "netlib/names.hpp"

namespace fs = std::filesystem;

namespace nsnet {
namespace {

[[noreturn]] void fail_stale(const fs::path& path) {
  fail(Code::Conflict,
       "{} exists but is not a network namespace (a stale entry, left by a crash or a "
       "failed `ip netns add`); remove it with `nsnet delete {}` or `ip netns delete {}`",
       path.string(), path.filename().string(), path.filename().string());
}

// /run/netns must be a shared mount point so that unmounting NAME in one mount
// namespace unmounts it in all of them (iproute2's netns_add does the same).
void make_run_dir_shared() {
  if (::mkdir(kNetnsRunDir, 0755) < 0 && errno != EEXIST)
    fail_errno(errno, fmt::format("cannot create {}", kNetnsRunDir));
  bool made_mount_point = false;
  while (::mount("", kNetnsRunDir, "none", MS_SHARED | MS_REC, nullptr) < 0) {
    if (errno != EINVAL || made_mount_point)
      fail_errno(errno, fmt::format("mount --make-shared {}", kNetnsRunDir));
    if (::mount(kNetnsRunDir, kNetnsRunDir, "none", MS_BIND | MS_REC, nullptr) < 0)
      fail_errno(errno, fmt::format("mount --bind {} {}", kNetnsRunDir, kNetnsRunDir));
    made_mount_point = true;
  }
}

// Runs in a short-lived thread: the new netns dies with the thread unless the
// bind mount holds it, and no other thread ever enters it.
int bind_new_netns(const fs::path& target) {
  if (::unshare(CLONE_NEWNET) < 0) return errno;
  // /proc/thread-self, not /proc/self: only this thread is in the new netns.
  if (::mount("/proc/thread-self/ns/net", target.c_str(), "none", MS_BIND, nullptr) < 0)
    return errno;
  return 0;
}

}  // namespace

fs::path named_netns_path(std::string_view name) {
  validate_netns_name(name);
  return fs::path(kNetnsRunDir) / name;
}

fs::path netns_path(std::string_view name_or_path) {
  if (name_or_path.starts_with('/')) return fs::path(name_or_path);
  return named_netns_path(name_or_path);
}

bool is_netns_file(const fs::path& path) {
  struct statfs st {};
  return ::statfs(path.c_str(), &st) == 0 && st.f_type == NSFS_MAGIC;
}

void create_named_netns(std::string_view name) {
  auto path = named_netns_path(name);
  make_run_dir_shared();
  int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd < 0) {
    if (errno != EEXIST) fail_errno(errno, fmt::format("cannot create {}", path.string()));
    if (!is_netns_file(path)) fail_stale(path);
    fail(Code::Conflict, "network namespace '{}' already exists; pick another name or "
         "remove it with `nsnet delete {}`", name, name);
  }
  ::close(fd);
  int err = 0;
  std::thread([&] { err = bind_new_netns(path); }).join();
  if (err != 0) {
    ::unlink(path.c_str());
    fail_errno(err, fmt::format("cannot create network namespace {}", path.string()));
  }
}

UniqueFd open_netns(std::string_view name_or_path) {
  auto path = netns_path(name_or_path);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT)
      fail(Code::NotFound, "network namespace {} does not exist", path.string());
    fail_errno(errno, fmt::format("cannot open network namespace {}", path.string()));
  }
  struct statfs st {};
  if (::fstatfs(fd.get(), &st) < 0 || st.f_type != NSFS_MAGIC) fail_stale(path);
  // /proc/PID/ns/uts is nsfs too; setns(CLONE_NEWNET) on it would fail late.
  if (::ioctl(fd.get(), NS_GET_NSTYPE) != CLONE_NEWNET)
    fail(Code::InvalidArgument, "{} is a namespace of another type, not a network namespace",
         path.string());
  return fd;
}

bool delete_named_netns(std::string_view name) {
  auto path = named_netns_path(name);
  // EINVAL: not a mount point (a stale entry); removing the file is enough.
  if (::umount2(path.c_str(), MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
    fail_errno(errno, fmt::format("cannot unmount {}", path.string()));
  // unlink gives EBUSY while the mount is still visible in another mount
  // namespace that has not seen the (propagated) unmount yet.
  for (int attempt = 0;; ++attempt) {
    if (::unlink(path.c_str()) == 0) return true;
    if (errno == ENOENT) return false;
    if (errno != EBUSY || attempt == 50)
      fail_errno(errno, fmt::format("cannot remove {}", path.string()));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ::umount2(path.c_str(), MNT_DETACH);
  }
}

std::vector<std::string> list_named_netns() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kNetnsRunDir, ec))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool is_current_netns(int fd) {
  struct stat a {}, b {};
  return ::fstat(fd, &a) == 0 && ::stat("/proc/thread-self/ns/net", &b) == 0 &&
         a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

}  // namespace nsnet
