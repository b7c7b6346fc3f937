// `nsnet run` options: a plain struct, parsed once from the command line and
// then only read.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace nsnet::launcher {

struct BindSpec {
  std::string source;  // host path
  std::string target;  // absolute path inside the container
  bool read_only = false;
};

struct IdMap {  // container ids 0..count-1 map to host ids first..first+count-1
  uint32_t host_first = 100000;
  uint32_t count = 65536;
};

struct Limits {
  std::optional<uint64_t> memory_bytes;
  std::optional<double> cpus;
  std::optional<uint64_t> pids;
  bool any() const { return memory_bytes || cpus || pids; }
};

struct RunOptions {
  std::string name;     // container name (state, cgroup); defaults to netns
  std::string netns;    // named netns under /run/netns; empty with --net none
  bool new_net = false; // --net none: a fresh netns with only lo, up
  std::optional<std::string> rootfs;
  bool chroot_mode = false;
  std::vector<BindSpec> binds;
  std::vector<std::string> tmpfs;
  std::string hostname;
  bool init = false;  // a minimal init as PID 1, the program as its child
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  std::vector<std::string> env;  // K=V, later entries win
  std::string workdir = "/";
  Limits limits;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  std::optional<IdMap> userns;
  std::optional<int> unprivileged_port_start;
  bool detach = false;
  std::vector<std::string> command;
};

// Parses the arguments after `run`. Throws nsnet::Error(InvalidArgument).
// Returns nullopt when help was asked for (and printed).
std::optional<RunOptions> parse_run_options(std::span<const std::string> args);

// The `nsnet run --help` text.
const char* run_usage();

// Value parsers, exposed for the unit tests.
uint64_t parse_size(const std::string& text);  // 64M, 512k, 1G, 1048576
double parse_cpus(const std::string& text);    // 0.5, 2
BindSpec parse_bind(const std::string& text, bool read_only);  // SRC[:DST]

}  // namespace nsnet::launcher
