// Named network namespaces exactly as iproute2 makes them: /run/netns a shared
// mount, /run/netns/NAME a bind mount of the namespace's nsfs inode. So
// `ip netns exec` works on what nsnet makes and the reverse.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "netlib/fd.hpp"

namespace nsnet {

inline constexpr const char* kNetnsRunDir = "/run/netns";

// /run/netns/NAME; throws Error(InvalidArgument) if name is not a valid
// netns name (so a name can never reach another path).
std::filesystem::path named_netns_path(std::string_view name);

// named_netns_path(arg), or arg itself if it is an absolute path (such as
// /proc/PID/ns/net, as a CNI runtime gives it).
std::filesystem::path netns_path(std::string_view name_or_path);

// True if path is a mounted namespace file (nsfs).
bool is_netns_file(const std::filesystem::path& path);

// Creates the named netns NAME. Fails (Conflict) if the name exists, and
// reports a stale entry (a file that is no namespace) with the remedy.
// Leaves no thread of the process in the new namespace.
void create_named_netns(std::string_view name);

// Opens a namespace by name or path, O_RDONLY|O_CLOEXEC. Throws NotFound if
// absent and a stale-entry error if the file is not a namespace.
UniqueFd open_netns(std::string_view name_or_path);

// Unmounts and removes /run/netns/NAME (a name, never a path), retrying on EBUSY. Returns false if
// there was nothing to delete. Also removes stale entries.
bool delete_named_netns(std::string_view name);

// The names in /run/netns, sorted (stale entries included).
std::vector<std::string> list_named_netns();

// True if fd refers to the netns this thread is in.
bool is_current_netns(int fd);

}  // namespace nsnet
