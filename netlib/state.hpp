// The state directory (NSNET_STATE_DIR, default /run/nsnet, so a reboot
// forgets everything as the kernel does): per network one directory, one lock,
// files written atomically (temp file + rename) so a crash leaves either the
// old or the new content.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlib/fd.hpp"

namespace nsnet {

std::filesystem::path state_dir();

// A name made safe as one path component: bytes other than letters, digits,
// '_', '-' and '.' (and a leading '.') become %XX, so no name can escape.
std::string escape_component(std::string_view name);
std::string unescape_component(std::string_view component);

// <state>/networks/<escaped network>, created on demand.
std::filesystem::path network_dir(std::string_view network);
// The networks that have a directory in the state dir (unescaped names).
std::vector<std::string> state_networks();

// An exclusive flock on a file, held until destruction.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path);

 private:
  UniqueFd fd_;
};

// Writes a hidden temp file next to path, then renames it over path.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);
// nullopt if the file does not exist.
std::optional<std::string> read_file(const std::filesystem::path& path);
// Returns false if there was no such file.
bool remove_file(const std::filesystem::path& path);

// A writer killed between writing its temp file and renaming it leaves the
// hidden ".NAME.tmpPID" behind. Removes those in dir (and in its
// subdirectories) whose PID is no longer alive; call it holding the lock the
// dir's writers hold. Returns how many it removed.
size_t sweep_dead_temp_files(const std::filesystem::path& dir);

}  // namespace nsnet
