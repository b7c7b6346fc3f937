// How the container side tells the launcher what failed. Between clone and
// exec nothing may allocate or throw, so a failure is a fixed-size record
// (step name + errno) written in one write() to a CLOEXEC pipe: the parent
// reads either one record or EOF, and EOF means the exec succeeded.
#pragma once

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace nsnet::launcher {

struct ChildFailure {
  char step[96];
  char detail[160];  // the path or name the step was working on, if any
  int err;
};

// Writes a failure record; async-signal-safe.
inline void report_failure(int fd, const char* step, int err, const char* detail = nullptr) {
  ChildFailure f{};
  std::strncpy(f.step, step, sizeof f.step - 1);
  if (detail) std::strncpy(f.detail, detail, sizeof f.detail - 1);
  f.err = err;
  ssize_t n;
  do n = ::write(fd, &f, sizeof f);
  while (n < 0 && errno == EINTR);
}

}  // namespace nsnet::launcher

namespace nsnet::launcher {

// The outcome of one setup step in the child: empty on success, else the
// step's name and the errno it failed with.
struct StepResult {
  const char* step = nullptr;
  int err = 0;
  const char* detail = nullptr;
  bool failed() const { return step != nullptr; }
};

// Captures errno right after a failed system call.
inline StepResult failed(const char* step) { return {step, errno}; }
inline StepResult failed(const char* step, int err) { return {step, err}; }

}  // namespace nsnet::launcher
