#include "launcher/init.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace nsnet::launcher {

void block_init_signals(sigset_t* set) {
  sigemptyset(set);
  for (int sig : kForwardedSignals) sigaddset(set, sig);
  sigaddset(set, SIGCHLD);
  sigprocmask(SIG_BLOCK, set, nullptr);
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

void run_init(pid_t program, const sigset_t* set) {
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(set, &info);
    if (sig < 0) continue;  // EINTR
    if (sig != SIGCHLD) {
      ::kill(program, sig);
      continue;
    }
    // One SIGCHLD can stand for many exits: reap until none is left.
    for (;;) {
      int status = 0;
      pid_t pid = ::waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      // When PID 1 exits the kernel kills the rest of the namespace.
      if (pid == program) ::_exit(exit_code_of(status));
    }
  }
}

}  // namespace nsnet::launcher
