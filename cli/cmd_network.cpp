// `nsnet network`: networks as CNI conflists in the conf dir, shared by
// `nsnet create --network NAME` and runtimes (`podman run --network NAME`).
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "netlib/error.hpp"
#include "netlib/network_config.hpp"
#include "netlib/network_store.hpp"

namespace nsnet::cli {
namespace {

using nlohmann::json;

constexpr const char* kUsage =
    "Usage: nsnet network create NAME --subnet CIDR [--subnet CIDR6] [--bridge BR]\n"
    "                            [--gateway GW] [--no-masquerade] [--mtu N]\n"
    "       nsnet network ls [--json]\n"
    "       nsnet network inspect NAME\n"
    "       nsnet network rm NAME\n\n"
    "Networks are CNI conflists (type nsnet) in $NSNET_CNI_CONF_DIR (default\n"
    "/etc/cni/net.d), so `nsnet create --network NAME` and runtimes such as\n"
    "`podman run --network NAME` use the same network.\n\n"
    "  --subnet CIDR    a subnet to lease addresses from; once per family (dual stack)\n"
    "  --bridge BR      the host bridge (default: the first free nsnetN)\n"
    "  --gateway GW     the bridge's address in its subnet (default: the first address)\n"
    "  --no-masquerade  no source NAT for traffic leaving the host\n"
    "  --mtu N          MTU of bridge and veths (default: the default-route interface's)\n";

struct CreateOptions {
  std::string name;
  std::vector<Cidr> subnets;
  std::optional<std::string> bridge;
  std::optional<IpAddress> gateway;
  bool masquerade = true;
  int mtu = 0;
};

[[noreturn]] void usage_error(std::string_view why) {
  fail(Code::InvalidArgument, "network: {}; see 'nsnet network --help'", why);
}

std::string option_value(Args args, size_t& i) {
  if (i + 1 >= args.size()) usage_error(fmt::format("{} needs a value", args[i]));
  return args[++i];
}

template <typename T, typename Parse>
T parse_option(const std::string& option, const std::string& text, Parse parse) {
  try {
    return parse(text);
  } catch (const Error& e) {
    fail(Code::InvalidArgument, "{}: {}", option, e.what());
  }
}

CreateOptions parse_create(Args args) {
  CreateOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--subnet") {
      o.subnets.push_back(parse_option<Cidr>(a, option_value(args, i), [](auto& t) { return Cidr::parse(t); }));
    } else if (a == "--bridge") {
      o.bridge = option_value(args, i);
    } else if (a == "--gateway") {
      o.gateway = parse_option<IpAddress>(a, option_value(args, i), [](auto& t) { return IpAddress::parse(t); });
    } else if (a == "--no-masquerade") {
      o.masquerade = false;
    } else if (a == "--mtu") {
      auto text = option_value(args, i);
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), o.mtu);
      if (ec != std::errc() || end != text.data() + text.size() || o.mtu < 68 || o.mtu > 65535)
        usage_error(fmt::format("--mtu '{}' must be a number from 68 to 65535", text));
    } else if (a.starts_with("-")) {
      usage_error(fmt::format("unknown option '{}'", a));
    } else if (o.name.empty()) {
      o.name = a;
    } else {
      usage_error(fmt::format("unexpected argument '{}'", a));
    }
  }
  if (o.name.empty()) usage_error("create needs a NAME");
  if (o.subnets.empty()) usage_error("create needs --subnet CIDR");
  return o;
}

// The first nsnetN (N >= 1; nsnet0 is the built-in network's) no config uses.
std::string free_bridge_name(const std::vector<StoredNetwork>& stored) {
  std::set<std::string> used;
  for (const auto& s : stored) {
    for (const auto& plugin : s.config.contains("plugins") ? s.config["plugins"] : json::array({s.config}))
      if (plugin.is_object() && plugin.contains("bridge") && plugin["bridge"].is_string())
        used.insert(plugin["bridge"].get<std::string>());
  }
  for (int n = 1;; ++n)
    if (!used.contains(fmt::format("nsnet{}", n))) return fmt::format("nsnet{}", n);
}

Network network_from_options(const CreateOptions& o) {
  Network n;
  n.name = o.name;
  n.cni_version = "1.0.0";
  n.bridge = o.bridge.value_or(free_bridge_name(read_network_configs(cni_conf_dir())));
  n.ip_masq = o.masquerade;
  n.mtu = o.mtu;
  n.ipam.type = std::string(kPluginType);
  bool gateway_used = !o.gateway;
  for (const auto& subnet : o.subnets) {
    IpRange range{subnet.network(), std::nullopt, std::nullopt, subnet.network().address().plus(1)};
    if (o.gateway && subnet.contains(*o.gateway)) {
      range.gateway = o.gateway;
      gateway_used = true;
    }
    n.ipam.ranges.push_back({range});
  }
  if (!gateway_used) usage_error(fmt::format("--gateway {} is in no --subnet", o.gateway->str()));
  // Through the same validation as a config read from disk (name, family
  // mix, overlaps between the subnets, sizes).
  return network_from_conflist(conflist_from_network(n));
}

int create(Args args) {
  Network network = network_from_options(parse_create(args));
  auto file = save_network(network);
  fmt::print("{}\n", file.string());
  return 0;
}

std::vector<std::string> subnets_text(const Network& n) {
  std::vector<std::string> out;
  for (const auto& set : n.ipam.ranges)
    for (const auto& r : set) out.push_back(r.subnet.str());
  return out;
}

// Every nsnet network in the conf dir, with its file.
std::vector<std::pair<Network, std::string>> nsnet_networks() {
  std::vector<std::pair<Network, std::string>> out;
  for (const auto& stored : read_network_configs(cni_conf_dir())) {
    try {
      out.emplace_back(network_from_conflist(stored.config), stored.file.string());
    } catch (const Error&) {  // another plugin's network, or a broken one: not listed
    }
  }
  return out;
}

int list(Args args) {
  bool as_json = std::find(args.begin(), args.end(), "--json") != args.end();
  for (const auto& a : args)
    if (a != "--json") usage_error(fmt::format("ls: unexpected argument '{}'", a));
  auto networks = nsnet_networks();
  if (as_json) {
    json out = json::array();
    for (const auto& [n, file] : networks)
      out.push_back({{"name", n.name}, {"bridge", n.bridge}, {"subnets", subnets_text(n)},
                     {"ipMasq", n.ip_masq}, {"file", file}});
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("{:<20} {:<15} {:<40} {}\n", "NAME", "BRIDGE", "SUBNETS", "FILE");
  for (const auto& [n, file] : networks)
    fmt::print("{:<20} {:<15} {:<40} {}\n", n.name, n.bridge,
               fmt::format("{}", fmt::join(subnets_text(n), ",")), file);
  return 0;
}

const StoredNetwork& find_stored(const std::vector<StoredNetwork>& stored, const std::string& name) {
  for (const auto& s : stored)
    if (s.name == name) return s;
  fail(Code::NotFound, "network '{}' not found in {}; see 'nsnet network ls'", name, cni_conf_dir().string());
}

std::string single_name(Args args, std::string_view command) {
  if (args.size() != 1) usage_error(fmt::format("{} needs exactly one NAME", command));
  return args[0];
}

int inspect(Args args) {
  auto stored = read_network_configs(cni_conf_dir());
  fmt::print("{}\n", find_stored(stored, single_name(args, "inspect")).config.dump(2));
  return 0;
}

int remove(Args args) {
  remove_network(single_name(args, "rm"));
  return 0;
}

}  // namespace

int run_network(Args args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    fmt::print("{}", kUsage);
    return args.empty() ? 2 : 0;
  }
  auto rest = args.subspan(1);
  if (args[0] == "create") return create(rest);
  if (args[0] == "ls" || args[0] == "list") return list(rest);
  if (args[0] == "inspect") return inspect(rest);
  if (args[0] == "rm" || args[0] == "remove") return remove(rest);
  usage_error(fmt::format("unknown subcommand '{}'", args[0]));
}

}  // namespace nsnet::cli
