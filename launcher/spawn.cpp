// The child's side runs between clone and exec: no allocation, no
// exceptions, only system calls on data prepared in the ProcessSpec. Each
// failure goes to the parent as a ChildFailure; the order of the steps is
// the one readable sequence of the container setup.
#include "launcher/spawn.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>

#include "launcher/init.hpp"
#include "launcher/netns_join.hpp"
#include "netlib/error.hpp"

namespace nsnet::launcher {
namespace {

constexpr uint64_t kCloneIntoCgroup = 0x200000000ULL;

struct CloneArgs {  // struct clone_args of <linux/sched.h>, version 2
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
      set_tid_size, cgroup;
};

[[noreturn]] void give_up(int error_fd, StepResult r, int code = 125) {
  report_failure(error_fd, r.step, r.err, r.detail);
  ::_exit(code);
}

// The working directory must be inside the new root: a directory fd leaked
// from the host (runc CVE-2024-21626) would make getcwd fail or not start
// with '/', and the program would run with a cwd on the host.
StepResult enter_workdir(const char* workdir) {
  if (::chdir(workdir) < 0) return failed("chdir to the working directory");
  char cwd[PATH_MAX];
  if (!::getcwd(cwd, sizeof cwd) || cwd[0] != '/')
    return failed("working directory is outside the container's root", EPERM);
  return {};
}

StepResult switch_user(const ProcessSpec& s) {
  // Keep the permitted set across setresuid so set_capabilities decides.
  if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return failed("keep capabilities");
  // A user namespace has setgroups denied (required before gid_map).
  if (!s.userns && ::setgroups(0, nullptr) < 0) return failed("drop supplementary groups");
  if (::setresgid(s.gid, s.gid, s.gid) < 0) return failed("setresgid");
  if (::setresuid(s.uid, s.uid, s.uid) < 0) return failed("setresuid");
  if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) return failed("clear keep capabilities");
  return {};
}

// execvpe would search the launcher's PATH; search the container's instead.
[[noreturn]] void exec_program(const ProcessSpec& s, int error_fd) {
  const char* file = s.argv[0];
  if (std::strchr(file, '/')) {
    ::execve(file, s.argv.data(), s.envp.data());
  } else {
    int saved = ENOENT;
    for (const auto& dir : s.search_dirs) {
      char path[PATH_MAX];
      if (std::snprintf(path, sizeof path, "%s/%s", dir.c_str(), file) >= PATH_MAX) continue;
      ::execve(path, s.argv.data(), s.envp.data());
      if (errno != ENOENT && errno != ENOTDIR) saved = errno;
    }
    errno = saved;
  }
  StepResult r = failed("execute");
  r.detail = file;
  give_up(error_fd, r, errno == ENOENT ? 127 : 126);
}

[[noreturn]] void program_main(const ProcessSpec& s, int error_fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // The order matters: see capabilities.hpp. Effective is set last.
  StepResult r = drop_bounding_set(s.caps, s.last_cap);
  if (!r.failed()) r = clear_inherited_capabilities();
  if (!r.failed()) r = switch_user(s);
  if (!r.failed()) r = set_capabilities(s.caps, s.uid == 0);
  if (!r.failed() && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) r = failed("set no_new_privs");
  if (!r.failed()) {
    r = enter_workdir(s.workdir.c_str());
    if (r.failed()) r.detail = s.workdir.c_str();
  }
  if (r.failed()) give_up(error_fd, r);
  exec_program(s, error_fd);
}

StepResult setup_namespaces(const ProcessSpec& s) {
  // In a user namespace the child starts as the overflow uid; its maps are
  // written now, so become the namespace's root.
  if (s.userns && (::setresgid(0, 0, 0) < 0 || ::setresuid(0, 0, 0) < 0))
    return failed("become root in the user namespace");
  // After the parent moved us into our cgroup, so that it is our "/".
  if (::unshare(CLONE_NEWCGROUP) < 0) return failed("create the cgroup namespace");
  if (s.new_net) {
    if (auto r = bring_loopback_up(); r.failed()) return r;
    if (s.port_start >= 0)
      if (auto r = set_unprivileged_port_start(s.port_start); r.failed()) return r;
  }
  if (::sethostname(s.hostname.c_str(), s.hostname.size()) < 0) return failed("sethostname");
  return enter_root(s.root);
}

[[noreturn]] void container_main(const ProcessSpec& s, int error_fd, int go_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  // Until exec this process is the launcher's binary running inside the
  // container (and with --init it stays so as PID 1). Not dumpable, its
  // /proc/PID/exe, mem and fds are closed to the container's processes, so
  // none can reach the host's nsnet binary through it (the way of runc
  // CVE-2019-5736). execve makes the program dumpable again.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // Every inherited descriptor closes at exec; the setup needs only these.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  char go = 0;
  if (::read(go_fd, &go, 1) != 1) ::_exit(125);  // the launcher gave up or died
  // The launcher keeps its end open while it lives. Closed now means it died
  // before PDEATHSIG was armed above (which then never fires): stop here
  // rather than run a container nobody will clean up.
  struct pollfd launcher{go_fd, 0, 0};
  if (::poll(&launcher, 1, 0) > 0 && (launcher.revents & POLLHUP)) ::_exit(125);
  ::close(go_fd);
  if (auto r = setup_namespaces(s); r.failed()) give_up(error_fd, r);
  if (!s.init) program_main(s, error_fd);  // the program itself is PID 1

  sigset_t signals;
  block_init_signals(&signals);
  pid_t program = ::fork();
  if (program < 0) give_up(error_fd, failed("fork the program"));
  if (program == 0) program_main(s, error_fd);

  // init keeps only what forwarding signals to another uid needs.
  constexpr CapMask kill_only = CapMask{1} << CAP_KILL;
  StepResult r = drop_bounding_set(kill_only, s.last_cap);
  if (!r.failed()) r = clear_inherited_capabilities();
  if (!r.failed()) r = set_capabilities(kill_only, true);
  if (!r.failed() && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) r = failed("set no_new_privs");
  if (r.failed()) {
    ::kill(program, SIGKILL);
    give_up(error_fd, r);
  }
  // init execs nothing, so CLOEXEC never fires for it: close everything
  // the launcher had open (the error pipe now stays with the program only).
  ::close_range(3, ~0U, 0);
  run_init(program, &signals);
}

}  // namespace

SyncPipes SyncPipes::make() {
  int error[2], go[2];
  if (::pipe2(error, O_CLOEXEC) < 0) fail_errno(errno, "pipe");
  SyncPipes p;
  p.error_read.reset(error[0]);
  p.error_write.reset(error[1]);
  if (::pipe2(go, O_CLOEXEC) < 0) fail_errno(errno, "pipe");
  p.go_read.reset(go[0]);
  p.go_write.reset(go[1]);
  return p;
}

pid_t spawn_container(const ProcessSpec& spec, int cgroup_fd, SyncPipes& pipes) {
  CloneArgs args{};
  args.flags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS;
  if (spec.new_net) args.flags |= CLONE_NEWNET;
  // Created by the same clone, the user namespace owns the new PID, UTS,
  // IPC and mount namespaces, but not the netns joined before it.
  if (spec.userns) args.flags |= CLONE_NEWUSER;
  if (cgroup_fd >= 0) {
    args.flags |= kCloneIntoCgroup;
    args.cgroup = static_cast<uint64_t>(cgroup_fd);
  }
  args.exit_signal = SIGCHLD;
  long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) fail_errno(errno, "clone3 the container's namespaces");
  if (pid == 0) {
    ::close(pipes.error_read.get());
    ::close(pipes.go_write.get());
    container_main(spec, pipes.error_write.get(), pipes.go_read.get());
  }
  pipes.error_write.reset();
  pipes.go_read.reset();
  return static_cast<pid_t>(pid);
}

}  // namespace nsnet::launcher
