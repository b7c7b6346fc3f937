// The CNI_* environment variables of one plugin call, read and checked once.
#pragma once

#include <functional>
#include <string>

namespace nsnet::cni {

struct Env {
  std::string command;       // ADD, DEL, CHECK, STATUS, GC or VERSION
  std::string container_id;  // CNI_CONTAINERID
  std::string netns;         // CNI_NETNS (may be empty for DEL)
  std::string ifname;        // CNI_IFNAME
  std::string args;          // CNI_ARGS, "KEY=VALUE;..."
  std::string path;          // CNI_PATH, ':'-separated plugin directories
};

using Getenv = std::function<const char*(const char*)>;

// Reads the variables command needs (spec section 2). Throws
// Error(InvalidEnv) naming every missing variable at once, or the one whose
// value is malformed.
Env read_env(const Getenv& getenv);

}  // namespace nsnet::cni
