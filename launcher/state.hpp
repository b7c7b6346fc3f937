// What the launcher records about a running container, so that ps, stop and
// logs (separate processes) can find it:
//   $NSNET_STATE_DIR/run/NAME/state.json   the record (removed on exit)
//   $NSNET_STATE_DIR/run/NAME/etc/         hostname, hosts, resolv.conf
//   $NSNET_STATE_DIR/run/NAME/root/        staging dir for the host-root mode
//   $NSNET_STATE_DIR/logs/NAME.log         output of a detached container (kept)
// NSNET_STATE_DIR defaults to /run/nsnet, so a reboot forgets everything.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nsnet::launcher {

struct ContainerRecord {
  std::string name;
  std::string netns;  // empty: its own fresh netns (--net none)
  pid_t pid = 0;      // the container's init, as the host sees it
  pid_t monitor_pid = 0;
  uint64_t start_ticks = 0;  // of pid, to tell a reused pid apart
  int64_t started = 0;       // unix time
  std::string cgroup_version;
  std::vector<std::string> cgroup_dirs;
  std::string memory_dir;
  std::string cgroup;  // as shown by ps
  std::vector<std::string> command;
  bool detached = false;
};

std::string state_root();
std::string container_dir(const std::string& name);
std::string log_path(const std::string& name);

// Start time of a process in clock ticks since boot (field 22 of
// /proc/PID/stat); 0 if it does not exist.
uint64_t process_start_ticks(pid_t pid);
bool is_running(const ContainerRecord& r);

void write_record(const ContainerRecord& r);  // atomic: temp file + rename
std::optional<ContainerRecord> read_record(const std::string& name);
std::vector<ContainerRecord> list_records();

// Claims NAME for a new container: creates its state directory. Throws
// Error(Conflict) if a live container has the name; clears a stale one.
void claim_name(const std::string& name);
// Removes the state directory (only the files the launcher wrote).
void release_name(const std::string& name) noexcept;

}  // namespace nsnet::launcher
