#include "netlib/error.hpp"

#include <cstring>

namespace nsnet {

void fail_errno(int err, const std::string& what) {
  Code code = Code::Kernel;
  if (err == EACCES || err == EPERM) code = Code::Permission;
  if (err == EAGAIN) code = Code::TryAgainLater;
  throw Error(code, fmt::format("{}: {}", what, std::strerror(err)));
}

}  // namespace nsnet
