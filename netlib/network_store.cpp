#include "netlib/network_store.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <spdlog/spdlog.h>

#include "netlib/error.hpp"
#include "netlib/network_config.hpp"
#include "netlib/record.hpp"
#include "netlib/state.hpp"

namespace nsnet {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

bool is_config_file(const fs::path& p) {
  auto ext = p.extension();
  return ext == ".conflist" || ext == ".conf" || ext == ".json";
}

// The plugin configs of a stored network: its "plugins", or itself.
std::vector<json> plugins_of(const json& config) {
  auto it = config.find("plugins");
  if (it != config.end() && it->is_array()) return *it;
  return {config};
}

std::string string_at(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// The subnets a stored network's IPAM hands out, in host-local's forms
// (ranges or subnet), whatever the plugin type.
std::vector<Cidr> subnets_of(const json& config) {
  std::vector<Cidr> out;
  auto add = [&](const json& range) {
    auto text = string_at(range, "subnet");
    if (!text.empty() && text.find('/') != std::string::npos) {
      try {
        out.push_back(Cidr::parse(text).network());
      } catch (const Error&) {  // someone else's broken config: not ours to judge
      }
    }
  };
  for (const auto& plugin : plugins_of(config)) {
    auto ipam = plugin.find("ipam");
    if (ipam == plugin.end() || !ipam->is_object()) continue;
    add(*ipam);
    auto ranges = ipam->find("ranges");
    if (ranges == ipam->end() || !ranges->is_array()) continue;
    for (const auto& set : *ranges)
      if (set.is_array())
        for (const auto& range : set)
          if (range.is_object()) add(range);
  }
  return out;
}

std::vector<std::string> bridges_of(const json& config) {
  std::vector<std::string> out;
  for (const auto& plugin : plugins_of(config))
    if (plugin.is_object() && !string_at(plugin, "bridge").empty())
      out.push_back(string_at(plugin, "bridge"));
  return out;
}

// The built-in network "nsnet" counts as configured unless a file redefines it.
std::vector<StoredNetwork> with_builtin(std::vector<StoredNetwork> stored) {
  Network builtin = Network::default_network();
  bool redefined = std::any_of(stored.begin(), stored.end(),
                               [&](const auto& s) { return s.name == builtin.name; });
  if (!redefined)
    stored.push_back({builtin.name, "(built in)", conflist_from_network(builtin)});
  return stored;
}

void refuse_conflicts(const Network& network, const std::vector<StoredNetwork>& others) {
  for (const auto& other : with_builtin(others)) {
    if (other.name == network.name)
      fail(Code::Conflict, "network '{}' already exists ({}); remove it first with `nsnet network rm {}`",
           network.name, other.file.string(), network.name);
    for (const auto& theirs : subnets_of(other.config))
      for (const auto& set : network.ipam.ranges)
        for (const auto& range : set)
          if (range.subnet.overlaps(theirs))
            fail(Code::Conflict, "subnet {} overlaps {} of network '{}' ({}); choose another subnet",
                 range.subnet.str(), theirs.str(), other.name, other.file.string());
    for (const auto& bridge : bridges_of(other.config))
      if (bridge == network.bridge)
        fail(Code::Conflict, "bridge {} is already used by network '{}' ({}); choose another with --bridge",
             bridge, other.name, other.file.string());
  }
}

}  // namespace

fs::path cni_conf_dir() {
  const char* dir = std::getenv("NSNET_CNI_CONF_DIR");
  return dir && *dir ? dir : "/etc/cni/net.d";
}

std::vector<StoredNetwork> read_network_configs(const fs::path& dir) {
  std::vector<StoredNetwork> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || !is_config_file(entry.path())) continue;
    std::ifstream in(entry.path());
    json config = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!config.is_object() || string_at(config, "name").empty()) {
      spdlog::warn("skipping {}: not a CNI network config", entry.path().string());
      continue;
    }
    out.push_back({string_at(config, "name"), entry.path(), std::move(config)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.file < b.file; });
  return out;
}

Network load_network(const std::string& name) {
  auto dir = cni_conf_dir();
  for (const auto& stored : read_network_configs(dir))
    if (stored.name == name)
      return with_context(fmt::format("network '{}' ({})", name, stored.file.string()),
                          [&] { return network_from_conflist(stored.config); });
  if (name == Network::default_network().name) return Network::default_network();
  fail(Code::NotFound, "network '{}' not found in {}: create it with `nsnet network create {} --subnet CIDR`",
       name, dir.string(), name);
}

fs::path save_network(const Network& network) {
  auto dir = cni_conf_dir();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail(Code::Io, "cannot create {}: {}", dir.string(), ec.message());
  refuse_conflicts(network, read_network_configs(dir));
  auto file = dir / (network.name + ".conflist");
  write_file_atomic(file, conflist_from_network(network).dump(2) + "\n");
  return file;
}

void remove_network(const std::string& name) {
  // Its attachments would lose the config that DEL and GC need.
  auto with_state = state_networks();  // (asking network_is_empty alone would make its directory)
  if (std::find(with_state.begin(), with_state.end(), name) != with_state.end() && !network_is_empty(name))
    fail(Code::Conflict, "network '{}' still has attachments (see `nsnet list`); delete them first", name);
  auto dir = cni_conf_dir();
  for (const auto& stored : read_network_configs(dir)) {
    if (stored.name != name) continue;
    std::error_code ec;
    if (!fs::remove(stored.file, ec) && ec)
      fail(Code::Io, "cannot remove {}: {}", stored.file.string(), ec.message());
    return;
  }
  fail(Code::NotFound, "network '{}' not found in {}", name, dir.string());
}

}  // namespace nsnet
