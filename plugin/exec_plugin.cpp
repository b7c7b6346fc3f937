#include "plugin/exec_plugin.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include <spdlog/spdlog.h>

#include "netlib/error.hpp"

extern char** environ;

namespace nsnet::cni {
namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// stdin for the child in an anonymous file: no pipe to keep fed, so a child
// that writes before it reads cannot deadlock us.
Fd stdin_file(std::string_view text) {
  Fd fd(::memfd_create("cni-stdin", MFD_CLOEXEC));
  if (fd.get() < 0) fail_errno(errno, "memfd_create for a delegated plugin's stdin");
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno(errno, "writing a delegated plugin's stdin");
    done += static_cast<size_t>(n);
  }
  if (::lseek(fd.get(), 0, SEEK_SET) < 0) fail_errno(errno, "lseek");
  return fd;
}

std::vector<std::string> child_environment(const EnvOverrides& overrides) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos) vars[std::string(kv.substr(0, eq))] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : overrides) vars[k] = v;
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [k, v] : vars) out.push_back(fmt::format("{}={}", k, v));
  return out;
}

std::string read_all(int fd) {
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno(errno, "reading a delegated plugin's output");
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

[[noreturn]] void throw_plugin_error(const std::string& name, int status, const std::string& out) {
  auto error = nlohmann::json::parse(out, nullptr, false);
  if (error.is_object() && error.contains("code") && error["code"].is_number_integer())
    throw Error(static_cast<Code>(error["code"].get<int>()),
                fmt::format("{}: {}", name, error.value("msg", "failed")), error.value("details", ""));
  fail(Code::Internal, "{} failed ({}) without a CNI error on stdout: {}", name,
       WIFEXITED(status) ? fmt::format("exit {}", WEXITSTATUS(status)) : "killed", out);
}

}  // namespace

std::filesystem::path find_plugin(std::string_view type, std::string_view cni_path) {
  if (type.empty() || type.find('/') != std::string_view::npos || type == "." || type == "..")
    fail(Code::InvalidConfig, "'{}' is not a plugin type (a file name in CNI_PATH)", type);
  std::string_view dirs = cni_path;
  while (!dirs.empty()) {
    auto colon = dirs.find(':');
    auto dir = dirs.substr(0, colon);
    if (!dir.empty()) {
      auto candidate = std::filesystem::path(dir) / type;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  fail(Code::InvalidConfig, "plugin '{}' not found in CNI_PATH '{}': install it there", type, cni_path);
}

nlohmann::json exec_plugin(const std::filesystem::path& plugin, const EnvOverrides& overrides,
                           std::string_view stdin_text) {
  Fd in = stdin_file(stdin_text);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail_errno(errno, "pipe for a delegated plugin");
  Fd out_read(pipe_fds[0]), out_write(pipe_fds[1]);

  std::vector<std::string> env = child_environment(overrides);
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string path = plugin.string();
  char* argv[] = {path.data(), nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  pid_t pid = 0;
  int err = ::posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) fail_errno(err, fmt::format("running {}", path));
  out_write.reset();  // so that read_all sees EOF when the child exits

  std::string out = read_all(out_read.get());
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) fail_errno(errno, fmt::format("waiting for {}", path));
  spdlog::debug("{} exited {}: {}", path, status, out);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw_plugin_error(path, status, out);
  if (out.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;
  auto result = nlohmann::json::parse(out, nullptr, false);
  if (result.is_discarded()) fail(Code::Decode, "{} printed no valid JSON: {}", path, out);
  return result;
}

}  // namespace nsnet::cni
