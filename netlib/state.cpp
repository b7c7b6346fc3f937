#include "netlib/state.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "netlib/error.hpp"
#include "netlib/fault.hpp"

namespace fs = std::filesystem;

namespace nsnet {
namespace {

bool is_plain(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || (c == '.' && !first);
}

void make_dirs(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail_errno(ec.value(), fmt::format("cannot create state directory {}", dir.string()));
}

// The PID in a temp file's name (".NAME.tmpPID"), or 0 if name is none.
pid_t temp_file_writer(const std::string& name) {
  auto at = name.rfind(".tmp");
  if (name.empty() || name[0] != '.' || at == 0 || at == std::string::npos) return 0;
  auto digits = name.substr(at + 4);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  return static_cast<pid_t>(std::stol(digits));
}

bool is_alive(pid_t pid) { return pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace

fs::path state_dir() {
  const char* env = std::getenv("NSNET_STATE_DIR");
  return env && *env ? fs::path(env) : fs::path("/run/nsnet");
}

std::string escape_component(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (is_plain(c, i == 0))
      out += c;
    else
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  return out;
}

std::string unescape_component(std::string_view component) {
  std::string out;
  for (size_t i = 0; i < component.size(); ++i) {
    if (component[i] == '%' && i + 2 < component.size()) {
      out += static_cast<char>(std::stoi(std::string(component.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += component[i];
    }
  }
  return out;
}

fs::path network_dir(std::string_view network) {
  auto dir = state_dir() / "networks" / escape_component(network);
  make_dirs(dir);
  // A symlink here would send this network's writes out of the state dir.
  std::error_code ec;
  if (fs::is_symlink(dir.parent_path(), ec) || fs::is_symlink(dir, ec))
    fail(Code::Permission, "{} is a symlink; the state dir must hold plain directories", dir.string());
  return dir;
}

std::vector<std::string> state_networks() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(state_dir() / "networks", ec))
    if (e.is_directory()) names.push_back(unescape_component(e.path().filename().string()));
  return names;
}

FileLock::FileLock(const fs::path& path) {
  make_dirs(path.parent_path());
  fd_.reset(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd_) fail_errno(errno, fmt::format("cannot open lock file {}", path.string()));
  // Bounded, so a stuck holder makes callers fail with code 11 (try again
  // later) instead of hanging the runtime: NSNET_LOCK_TIMEOUT seconds.
  const char* env = std::getenv("NSNET_LOCK_TIMEOUT");
  auto timeout = std::chrono::seconds(env && *env ? std::atoi(env) : 120);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (::flock(fd_.get(), LOCK_EX | LOCK_NB) < 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) fail_errno(errno, fmt::format("cannot lock {}", path.string()));
    if (std::chrono::steady_clock::now() >= deadline)
      fail(Code::TryAgainLater, "{} is held by another nsnet call for over {} s; try again later",
           path.string(), timeout.count());
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

void write_file_atomic(const fs::path& path, std::string_view content) {
  make_dirs(path.parent_path());
  // Hidden (escaped names never start with '.'), so listings skip it.
  auto tmp = path.parent_path() / fmt::format(".{}.tmp{}", path.filename().string(), ::getpid());
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) fail_errno(errno, fmt::format("cannot write {}", tmp.string()));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      fail_errno(err, fmt::format("cannot write {}", tmp.string()));
    }
    done += static_cast<size_t>(n);
  }
  fault_point("state-write");  // written, not yet renamed into place
  if (::fsync(fd.get()) < 0 || ::rename(tmp.c_str(), path.c_str()) < 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    fail_errno(err, fmt::format("cannot write {}", path.string()));
  }
}

std::optional<std::string> read_file(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    fail_errno(errno, fmt::format("cannot read {}", path.string()));
  }
  std::string content;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno(errno, fmt::format("cannot read {}", path.string()));
    if (n == 0) return content;
    content.append(buf, static_cast<size_t>(n));
  }
}

size_t sweep_dead_temp_files(const fs::path& dir) {
  size_t removed = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    pid_t writer = temp_file_writer(it->path().filename().string());
    if (writer > 0 && !it->is_symlink() && !is_alive(writer) && remove_file(it->path())) ++removed;
  }
  return removed;
}

bool remove_file(const fs::path& path) {
  if (::unlink(path.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  fail_errno(errno, fmt::format("cannot remove {}", path.string()));
}

}  // namespace nsnet
