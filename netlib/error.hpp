// The one error type of nsnet. Every failure carries a CNI error code, a
// message that names the object and the remedy, and optional details; callers
// add context on the way up (see with_context).
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace nsnet {

// CNI spec codes (SPEC.md, "Error") and our own from 100 up.
enum class Code : int {
  IncompatibleVersion = 1,
  UnsupportedField = 2,
  UnknownContainer = 3,
  InvalidEnv = 4,
  Io = 5,
  Decode = 6,
  InvalidConfig = 7,
  TryAgainLater = 11,
  PluginNotAvailable = 50,
  LimitedConnectivity = 51,
  Internal = 100,   // a bug or an unexpected kernel answer
  Kernel = 101,     // the kernel refused an operation (netlink, mount, setns...)
  Conflict = 102,   // name, address or port already owned by someone else
  NotFound = 103,   // a named object does not exist
  InvalidArgument = 104,  // bad command-line input
  Permission = 105,
};

class Error : public std::runtime_error {
 public:
  Error(Code code, const std::string& msg, std::string details = {})
      : std::runtime_error(msg), code_(code), details_(std::move(details)) {}

  Code code() const { return code_; }
  const std::string& details() const { return details_; }

 private:
  Code code_;
  std::string details_;
};

// Throws Error with a formatted message.
template <typename... Args>
[[noreturn]] void fail(Code code, fmt::format_string<Args...> f, Args&&... args) {
  throw Error(code, fmt::format(f, std::forward<Args>(args)...));
}

// Throws Error(Kernel) for a failed system call: "what: strerror(err)".
[[noreturn]] void fail_errno(int err, const std::string& what);

// Runs fn; if it throws Error, rethrows it with "context: " prepended.
template <typename Fn>
auto with_context(const std::string& context, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    throw Error(e.code(), context + ": " + e.what(), e.details());
  }
}

}  // namespace nsnet
