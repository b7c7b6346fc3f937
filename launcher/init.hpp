// PID 1 of the container with --init. The kernel gives PID 1 no default
// signal actions and hands it every orphan, so a program that is not written
// to be an init ignores `nsnet stop`'s TERM and collects zombies. By default
// the program is PID 1 anyway (as with `docker run`); this minimal init runs the
// program as its child, forwards signals to it, reaps everything, and exits
// with the program's status. It is code of the launcher already in memory,
// not an exec of the launcher binary inside the container.
#pragma once

#include <signal.h>
#include <sys/types.h>

namespace nsnet::launcher {

// The signals a container's init forwards to the program.
inline constexpr int kForwardedSignals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

// Blocks the forwarded signals and SIGCHLD; call before forking the program
// so none is lost in between. The program unblocks them before exec.
void block_init_signals(sigset_t* set);

// Forwards signals to `program` and reaps children until the program exits;
// returns its status as an exit code (128+N when killed by signal N).
[[noreturn]] void run_init(pid_t program, const sigset_t* set);

// The exit code for a wait status.
int exit_code_of(int status);

}  // namespace nsnet::launcher
