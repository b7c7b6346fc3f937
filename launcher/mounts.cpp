// Child side of the filesystem setup. Nothing here allocates or throws: every
// path comes from the RootPlan and every failure is a StepResult.
//
// Mount targets are opened with openat2(RESOLVE_IN_ROOT) relative to the new
// root, and mounts go onto "/proc/self/fd/N" of that handle, so a symlink in
// the rootfs (say /etc -> /host/etc) resolves inside the rootfs and can never
// point a mount at the host (the class of runc CVE-2021-30465).
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>

#include "launcher/mounts.hpp"
#include "netlib/fd.hpp"  // header only: no link dependency on netlib

namespace nsnet::launcher {
namespace {

int open_in_root(int rootfd, const char* path, int flags) {
  struct open_how how{};
  how.flags = O_PATH | O_CLOEXEC | flags;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(syscall(SYS_openat2, rootfd, path, &how, sizeof how));
}

// "/proc/self/fd/N" for a handle: the way to mount onto a resolved target.
struct FdPath {
  char text[32];
  explicit FdPath(int fd) { std::snprintf(text, sizeof text, "/proc/self/fd/%d", fd); }
};

// Creates the missing components of path (directories, and a regular file
// at the end when !is_dir), each one in a parent resolved inside root.
StepResult create_path(int rootfd, const char* path, bool is_dir) {
  char buf[PATH_MAX];
  const size_t length = std::strlen(path);
  if (length >= sizeof buf) return failed("mount target path", ENAMETOOLONG);
  std::memcpy(buf, path, length + 1);
  for (char* p = buf + 1;; ++p) {
    if (*p != '/' && *p != '\0') continue;
    const bool last = *p == '\0';
    const char saved = *p;
    *p = '\0';
    UniqueFd existing(open_in_root(rootfd, buf, 0));
    if (!existing) {
      if (errno != ENOENT) return failed("look up mount target");
      char* slash = std::strrchr(buf, '/');
      *slash = '\0';
      UniqueFd parent(open_in_root(rootfd, slash == buf ? "/" : buf, O_DIRECTORY));
      *slash = '/';
      if (!parent) return failed("open mount target's parent");
      int rc;
      if (!last || is_dir) {
        rc = ::mkdirat(parent.get(), slash + 1, 0755);
      } else {
        rc = ::openat(parent.get(), slash + 1, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (rc >= 0) ::close(rc);
      }
      if (rc < 0 && errno != EEXIST) return failed("create mount target");
    }
    *p = saved;
    if (last) return {};
  }
}

StepResult open_target(int rootfd, const MountEntry& m, UniqueFd& out) {
  out.reset(open_in_root(rootfd, m.target.c_str(), 0));
  if (out) return {};
  if (errno != ENOENT) return failed("open mount target");
  if (auto r = create_path(rootfd, m.target.c_str(), m.is_dir); r.failed()) return r;
  out.reset(open_in_root(rootfd, m.target.c_str(), 0));
  return out ? StepResult{} : failed("open mount target");
}

// Read-only has to be a second step for bind mounts; the handle opened
// after the mount is the new mount's root.
StepResult make_read_only(int rootfd, const char* target) {
  UniqueFd fd(open_in_root(rootfd, target, 0));
  if (!fd) return failed("reopen mount for read-only");
  struct mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY;
  if (::mount_setattr(fd.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
    return failed("make mount read-only");
  return {};
}

// The /dev/null used for masking must be the real character device 1:3: a
// symlink or file there would turn masking into a bind of something else
// over /proc (runc CVE-2025-31133). Verified on the handle that is mounted.
StepResult open_dev_null(int rootfd, UniqueFd& out) {
  out.reset(open_in_root(rootfd, "/dev/null", O_NOFOLLOW));
  if (!out) return failed("open the container's /dev/null");
  struct stat st{};
  if (::fstat(out.get(), &st) < 0) return failed("stat the container's /dev/null");
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3)
    return failed("/dev/null is not the null device", EPERM);
  return {};
}

StepResult mask(int rootfd, const MountEntry& m) {
  UniqueFd target(open_in_root(rootfd, m.target.c_str(), O_NOFOLLOW));
  if (!target) return errno == ENOENT ? StepResult{} : failed("open path to mask");
  struct stat st{};
  if (::fstat(target.get(), &st) < 0) return failed("stat path to mask");
  FdPath at(target.get());
  if (S_ISDIR(st.st_mode)) {
    if (::mount("tmpfs", at.text, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0)
      return failed("mask directory with tmpfs");
    return {};
  }
  UniqueFd null;
  if (auto r = open_dev_null(rootfd, null); r.failed()) return r;
  if (::mount(FdPath(null.get()).text, at.text, nullptr, MS_BIND, nullptr) < 0)
    return failed("mask file with /dev/null");
  return {};
}

StepResult apply(int rootfd, const MountEntry& m) {
  using Kind = MountEntry::Kind;
  if (m.kind == Kind::Mask) return mask(rootfd, m);
  if (m.kind == Kind::Symlink) {
    char parent[PATH_MAX];
    std::snprintf(parent, sizeof parent, "%s", m.target.c_str());
    char* slash = std::strrchr(parent, '/');
    *slash = '\0';
    UniqueFd dir(open_in_root(rootfd, slash == parent ? "/" : parent, O_DIRECTORY));
    if (!dir) return failed("open symlink's directory");
    if (::symlinkat(m.source.c_str(), dir.get(), slash + 1) < 0 && errno != EEXIST)
      return failed("create symlink");
    return {};
  }
  if (m.kind == Kind::ReadOnly) {
    UniqueFd target(open_in_root(rootfd, m.target.c_str(), O_NOFOLLOW));
    if (!target) return errno == ENOENT ? StepResult{} : failed("open read-only path");
    FdPath at(target.get());
    if (::mount(at.text, at.text, nullptr, MS_BIND | MS_REC, nullptr) < 0)
      return failed("bind read-only path");
    return make_read_only(rootfd, m.target.c_str());
  }

  UniqueFd target;
  if (auto r = open_target(rootfd, m, target); r.failed()) return r;
  FdPath at(target.get());
  int rc = 0;
  switch (m.kind) {
    case Kind::Bind:
      rc = ::mount(m.source.c_str(), at.text, nullptr, MS_BIND | MS_REC | m.flags, nullptr);
      break;
    case Kind::Tmpfs:
      rc = ::mount("tmpfs", at.text, "tmpfs", m.flags, m.data.c_str());
      break;
    case Kind::Proc:
      rc = ::mount("proc", at.text, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
      break;
    case Kind::Devpts:
      rc = ::mount("devpts", at.text, "devpts", MS_NOSUID | MS_NOEXEC, m.data.c_str());
      break;
    default:
      break;
  }
  if (rc < 0) return failed("mount");
  return m.read_only ? make_read_only(rootfd, m.target.c_str()) : StepResult{};
}

// Why pivot_root and not chroot: chroot only changes where path lookup of
// this process starts. The old root stays mounted and reachable: a process
// with CAP_SYS_CHROOT can chroot into a subdirectory while its cwd stays
// above it, then chdir("..") past the new root (".." is only stopped at the
// *current* root), or fchdir to a directory fd opened before. pivot_root
// moves the whole mount namespace onto the new root, and unmounting the old
// one leaves no path or mount that leads back to the host's files.
StepResult switch_root(int rootfd, bool chroot_mode) {
  if (::fchdir(rootfd) < 0) return failed("chdir to the new root");
  if (chroot_mode) {
    if (::chroot(".") < 0) return failed("chroot");
  } else {
    // pivot_root(".", ".") stacks the old root on top of the new one; the
    // detach then drops it (as runc does), so no put_old directory is needed.
    if (syscall(SYS_pivot_root, ".", ".") < 0) return failed("pivot_root");
    if (::umount2(".", MNT_DETACH) < 0) return failed("unmount the old root");
  }
  if (::chdir("/") < 0) return failed("chdir /");
  return {};
}

}  // namespace

StepResult enter_root(const RootPlan& plan) {
  // Private, so nothing mounted here propagates back to the host (and the
  // host's /run/netns shared mount does not leak mounts in).
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
    return failed("make mounts private");
  const char* source = plan.host_root ? "/" : plan.root.c_str();
  // A bind mount of the root onto itself makes it a mount point (pivot_root
  // needs one) and lets everything below be unmounted together.
  if (::mount(source, plan.root.c_str(), nullptr, MS_BIND | MS_REC, nullptr) < 0)
    return failed("bind the root filesystem");
  UniqueFd rootfd(::open(plan.root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!rootfd) return failed("open the root filesystem");
  if (plan.host_root) {
    struct mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (::mount_setattr(rootfd.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
      return failed("make the host root read-only");
  }
  for (const auto& m : plan.mounts) {
    auto r = apply(rootfd.get(), m);
    if (r.failed()) {
      r.detail = m.target.c_str();
      return r;
    }
  }
  return switch_root(rootfd.get(), plan.chroot_mode);
}

}  // namespace nsnet::launcher
