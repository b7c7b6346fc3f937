// Networks kept as CNI conflists in the conf dir (cni_conf_dir()), so that
// one network serves `nsnet create --network NAME` and `podman run --network
// NAME` alike. CLI-side only: the CNI plugin gets its config on stdin.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "netlib/network.hpp"

namespace nsnet {

// NSNET_CNI_CONF_DIR, default /etc/cni/net.d: where runtimes look too.
std::filesystem::path cni_conf_dir();

// One network config file of the conf dir, of any plugin type.
struct StoredNetwork {
  std::string name;
  std::filesystem::path file;
  nlohmann::json config;  // a conflist, or a single plugin config (.conf)
};

// Every readable network config in dir (*.conflist, *.conf, *.json), sorted
// by file name, which is the order runtimes pick them in.
std::vector<StoredNetwork> read_network_configs(const std::filesystem::path& dir);

// The nsnet network called name in the conf dir. Throws Error(NotFound)
// saying how to create it, or Error(InvalidConfig) if it is not nsnet's.
Network load_network(const std::string& name);

// Writes network as NAME.conflist into the conf dir. Throws Error(Conflict)
// naming the other network if the name is taken, a subnet overlaps or the
// bridge is already used.
std::filesystem::path save_network(const Network& network);

// Removes the config file of network name. Throws Error(NotFound).
void remove_network(const std::string& name);

}  // namespace nsnet
