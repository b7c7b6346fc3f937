// What the launcher records about a running container, so that ps, stop and
// logs (separate processes) can find it:
//   $NSNET_STATE_DIR/run.lock              serialises claim, release and sweep
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
  pid_t pid = 0;      // the container's init, as the host sees it; 0 while starting
  pid_t monitor_pid = 0;     // the launcher (the monitor with -d), which cleans up
  uint64_t start_ticks = 0;  // of pid, to tell a reused pid apart
  uint64_t monitor_start_ticks = 0;
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
bool is_running(const ContainerRecord& r);       // the container's init
bool launcher_alive(const ContainerRecord& r);   // the process that cleans up after it
// "running", "starting" (its launcher is making it), "exiting" (its launcher
// is cleaning up) or "dead" (its launcher was killed: see nsnet rm).
const char* status_name(const ContainerRecord& r);

void write_record(const ContainerRecord& r);  // atomic: temp file + rename
std::optional<ContainerRecord> read_record(const std::string& name);
// Every claimed name; a directory without a readable record (left by a
// launcher killed while claiming) is listed by name only, and is dead.
std::vector<ContainerRecord> list_records();

// Held while a name is claimed, released or swept (an flock on run.lock), so
// none of them sees another half-done: a state directory without a record
// is then always the leftover of a killed launcher.
class StateLock {
 public:
  StateLock();
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  int fd_;
};

// Claims first.name for a new container: creates its state directory with
// `first` as its record. Throws Error(Conflict) if a live container has the
// name; sweeps a dead one.
void claim_name(const ContainerRecord& first);
// Removes the state directory (only the files the launcher wrote).
void release_name(const std::string& name) noexcept;

// With the StateLock held: if NAME's launcher and container are gone,
// removes what they left (the processes still in its cgroup, the cgroup,
// the state directory) and returns true; false while it is alive. Throws
// Error(Io) when the state directory cannot be removed (a mount on it).
bool sweep_if_dead(const std::string& name);

}  // namespace nsnet::launcher
