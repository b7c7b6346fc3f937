// The unit tests' scratch space: a fresh directory under /tmp, removed with
// everything in it at the end of the test case, and optionally environment
// variables (NSNET_STATE_DIR, NSNET_CNI_CONF_DIR) pointing into it meanwhile.
#pragma once

#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace nsnet::test {

using EnvPaths = std::vector<std::pair<std::string, std::string>>;

class TempDir {
 public:
  // Each {NAME, SUB} sets NAME to dir/SUB (SUB "": the directory itself).
  explicit TempDir(EnvPaths env = {}) : env_(std::move(env)) {
    char tmpl[] = "/tmp/nsnet-unit-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::system_error(errno, std::generic_category(), "mkdtemp");
    dir = tmpl;
    for (const auto& [name, sub] : env_)
      ::setenv(name.c_str(), (sub.empty() ? dir : dir / sub).c_str(), 1);
  }
  ~TempDir() {
    for (const auto& [name, sub] : env_) ::unsetenv(name.c_str());
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path dir;

 private:
  EnvPaths env_;
};

// A private NSNET_STATE_DIR.
struct TempStateDir : TempDir {
  TempStateDir() : TempDir(EnvPaths{{"NSNET_STATE_DIR", ""}}) {}
};

}  // namespace nsnet::test
