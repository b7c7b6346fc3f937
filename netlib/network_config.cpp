#include "netlib/network_config.hpp"

#include <algorithm>
#include <optional>

#include "netlib/error.hpp"
#include "netlib/names.hpp"
#include "netlib/pod_cidr.hpp"

namespace nsnet {
namespace {

using nlohmann::json;

[[noreturn]] void bad_field(const std::string& field, std::string_view why) {
  fail(Code::InvalidConfig, "network config: '{}' {}", field, why);
}

std::string field_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

// The member key of obj, or nullptr when it is absent or null.
const json* member(const json& obj, std::string_view key) {
  auto it = obj.find(std::string(key));
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::optional<std::string> get_string(const json& obj, std::string_view key,
                                      const std::string& path) {
  const json* v = member(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) bad_field(field_path(path, key), fmt::format("must be a string, not {}", v->dump()));
  return v->get<std::string>();
}

std::string require_string(const json& obj, std::string_view key, const std::string& path) {
  auto s = get_string(obj, key, path);
  if (!s || s->empty()) bad_field(field_path(path, key), "is missing");
  return *s;
}

bool get_bool(const json& obj, std::string_view key, bool fallback) {
  const json* v = member(obj, key);
  if (!v) return fallback;
  if (!v->is_boolean()) bad_field(std::string(key), fmt::format("must be true or false, not {}", v->dump()));
  return v->get<bool>();
}

std::optional<IpAddress> get_ip(const json& obj, std::string_view key, const std::string& path) {
  auto text = get_string(obj, key, path);
  if (!text) return std::nullopt;
  if (!IpAddress::valid(*text))
    bad_field(field_path(path, key), fmt::format("'{}' is not an IP address", *text));
  return IpAddress::parse(*text);
}

Cidr parse_cidr_field(const std::string& text, const std::string& field) {
  try {
    return Cidr::parse(text);
  } catch (const Error& e) {
    bad_field(field, e.what());
  }
}

void validate_field(const std::string& field, std::string_view value,
                    void (*validate)(std::string_view)) {
  try {
    validate(value);
  } catch (const Error& e) {
    bad_field(field, e.what());
  }
}

const json& require_array(const json& v, const std::string& field) {
  if (!v.is_array()) bad_field(field, fmt::format("must be a list, not {}", v.dump()));
  return v;
}

// An optional address of a range (rangeStart, rangeEnd, gateway) must lie in
// its subnet.
std::optional<IpAddress> get_ip_in(const json& obj, std::string_view key, const std::string& path,
                                   const Cidr& subnet) {
  auto ip = get_ip(obj, key, path);
  if (ip && !subnet.contains(*ip))
    bad_field(field_path(path, key), fmt::format("{} is not in subnet {}", ip->str(), subnet.str()));
  return ip;
}

IpRange parse_range(const json& r, const std::string& path) {
  if (!r.is_object()) bad_field(path, "must be an object with a \"subnet\"");
  IpRange range;
  std::string subnet_text = require_string(r, "subnet", path);
  auto subnet = is_pod_cidr_keyword(subnet_text)
                    ? with_context(path + ".subnet",
                                   [&] { return resolve_pod_cidr(subnet_text, pod_cidr_file()); })
                    : parse_cidr_field(subnet_text, path + ".subnet");
  range.subnet = subnet.network();
  // Keep room for the network address, the gateway and one container.
  if (range.subnet.prefix() > range.subnet.address().bits() - 2)
    bad_field(path + ".subnet", fmt::format("{} is too small to allocate from", subnet.str()));
  range.range_start = get_ip_in(r, "rangeStart", path, range.subnet);
  range.range_end = get_ip_in(r, "rangeEnd", path, range.subnet);
  range.gateway = get_ip_in(r, "gateway", path, range.subnet);
  if (range.range_start && range.range_end && *range.range_end < *range.range_start)
    bad_field(path + ".rangeEnd", fmt::format("{} is before rangeStart {}", range.range_end->str(),
                                              range.range_start->str()));
  return range;
}

std::vector<std::vector<IpRange>> parse_ranges(const json& ipam) {
  std::vector<std::vector<IpRange>> sets;
  if (const json* ranges = member(ipam, "ranges")) {
    if (member(ipam, "subnet")) bad_field("ipam.subnet", "cannot be given together with ipam.ranges");
    require_array(*ranges, "ipam.ranges");
    for (size_t i = 0; i < ranges->size(); ++i) {
      std::string set_path = fmt::format("ipam.ranges[{}]", i);
      const json& set = require_array((*ranges)[i], set_path);
      if (set.empty()) bad_field(set_path, "is an empty range set");
      std::vector<IpRange> parsed;
      for (size_t j = 0; j < set.size(); ++j) {
        parsed.push_back(parse_range(set[j], fmt::format("{}[{}]", set_path, j)));
        if (parsed.back().subnet.is_v4() != parsed.front().subnet.is_v4())
          bad_field(fmt::format("{}[{}].subnet", set_path, j),
                    "mixes IPv4 and IPv6 in one range set; put each family in its own set");
      }
      sets.push_back(std::move(parsed));
    }
  } else if (member(ipam, "subnet")) {
    // host-local's older single-range form: ipam.subnet, rangeStart, rangeEnd, gateway.
    sets.push_back({parse_range(ipam, "ipam")});
  }
  if (sets.empty()) bad_field("ipam.ranges", "is missing: give at least one subnet");
  // One address may be leased from one range only.
  for (size_t a = 0; a < sets.size(); ++a)
    for (size_t b = 0; b < sets.size(); ++b)
      for (size_t i = 0; i < sets[a].size(); ++i)
        for (size_t j = 0; j < sets[b].size(); ++j)
          if ((a < b || (a == b && i < j)) && sets[a][i].subnet.overlaps(sets[b][j].subnet))
            bad_field(fmt::format("ipam.ranges[{}][{}].subnet", b, j),
                      fmt::format("{} overlaps {} of ipam.ranges[{}][{}]", sets[b][j].subnet.str(),
                                  sets[a][i].subnet.str(), a, i));
  return sets;
}

std::vector<Route> parse_routes(const json& ipam) {
  std::vector<Route> routes;
  const json* list = member(ipam, "routes");
  if (!list) return routes;
  require_array(*list, "ipam.routes");
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = fmt::format("ipam.routes[{}]", i);
    const json& r = (*list)[i];
    if (!r.is_object()) bad_field(path, "must be an object with a \"dst\"");
    Route route;
    route.dst = parse_cidr_field(require_string(r, "dst", path), path + ".dst").network();
    route.gw = get_ip(r, "gw", path);
    if (route.gw && route.gw->is_v4() != route.dst.is_v4())
      bad_field(path + ".gw", fmt::format("{} is not of the family of dst {}", route.gw->str(),
                                          route.dst.str()));
    routes.push_back(route);
  }
  return routes;
}

IpamConfig parse_ipam(const json& config) {
  const json* ipam = member(config, "ipam");
  if (!ipam) bad_field("ipam", "is missing: give {\"type\": \"nsnet\", \"ranges\": [[{\"subnet\": ...}]]}");
  if (!ipam->is_object()) bad_field("ipam", fmt::format("must be an object, not {}", ipam->dump()));
  IpamConfig out;
  out.raw = *ipam;
  out.type = require_string(*ipam, "type", "ipam");
  out.routes = parse_routes(*ipam);
  // Other IPAM plugins define their own keys; only ours must have ranges.
  if (out.type == kPluginType) out.ranges = parse_ranges(*ipam);
  return out;
}

int parse_mtu(const json& config) {
  const json* v = member(config, "mtu");
  if (!v) return 0;
  if (!v->is_number_integer() || v->get<int64_t>() < 0 || v->get<int64_t>() > 65535 ||
      (v->get<int64_t>() > 0 && v->get<int64_t>() < 68))
    bad_field("mtu", fmt::format("must be 68-65535 (or 0 for the host's default), not {}", v->dump()));
  return v->get<int>();
}

// Keys of the reference bridge plugin whose features nsnet does not have:
// silently ignoring them would give a network other than the one asked for.
void refuse_unsupported(const json& config) {
  auto refuse = [&](std::string_view key, bool is_set) {
    if (is_set)
      fail(Code::UnsupportedField, "network config: unsupported field '{}' = {}: nsnet does not implement it",
           key, config.at(std::string(key)).dump());
  };
  for (std::string_view key : {"vlan", "vlanTrunk", "macspoofchk", "disableContainerInterface"}) {
    const json* v = member(config, key);
    refuse(key, v && *v != json(false) && *v != json(0) && !(v->is_array() && v->empty()));
  }
}

json range_to_json(const IpRange& r) {
  json out = {{"subnet", r.subnet.str()}};
  if (r.range_start) out["rangeStart"] = r.range_start->str();
  if (r.range_end) out["rangeEnd"] = r.range_end->str();
  if (r.gateway) out["gateway"] = r.gateway->str();
  return out;
}

json ipam_to_json(const IpamConfig& ipam) {
  if (ipam.type != kPluginType) return ipam.raw;
  json ranges = json::array();
  for (const auto& set : ipam.ranges) {
    json s = json::array();
    for (const auto& r : set) s.push_back(range_to_json(r));
    ranges.push_back(std::move(s));
  }
  json routes = json::array();
  for (const auto& r : ipam.routes) {
    json route = {{"dst", r.dst.str()}};
    if (r.gw) route["gw"] = r.gw->str();
    routes.push_back(std::move(route));
  }
  json out = {{"type", ipam.type}, {"ranges", std::move(ranges)}};
  if (!routes.empty()) out["routes"] = std::move(routes);
  return out;
}

// "clusterCIDR": a CIDR, a comma-separated list (as kubeadm's
// --pod-network-cidr) or a JSON list of CIDRs.
std::vector<Cidr> parse_cluster_cidrs(const json& config) {
  const json* v = member(config, "clusterCIDR");
  if (!v) return {};
  std::vector<std::string> texts;
  if (v->is_string()) {
    std::string s = v->get<std::string>();
    for (size_t start = 0, comma; start <= s.size(); start = comma + 1) {
      comma = std::min(s.find(',', start), s.size());
      texts.push_back(s.substr(start, comma - start));
    }
  } else if (v->is_array()) {
    for (const auto& e : *v) {
      if (!e.is_string()) bad_field("clusterCIDR", fmt::format("must hold CIDR strings, not {}", e.dump()));
      texts.push_back(e.get<std::string>());
    }
  } else {
    bad_field("clusterCIDR", fmt::format("must be a CIDR or a list of CIDRs, not {}", v->dump()));
  }
  std::vector<Cidr> out;
  for (size_t i = 0; i < texts.size(); ++i)
    out.push_back(parse_cidr_field(texts[i], fmt::format("clusterCIDR[{}]", i)).network());
  return out;
}

}  // namespace

Network network_from_json(const json& config) {
  if (!config.is_object()) fail(Code::InvalidConfig, "network config must be a JSON object, not {}", config.dump());
  Network n;
  n.raw = config;
  n.cni_version = require_string(config, "cniVersion", "");
  n.name = require_string(config, "name", "");
  // A network name follows the container id's rules (SPEC.md).
  validate_field("name", n.name, validate_container_id);
  require_string(config, "type", "");
  refuse_unsupported(config);
  n.bridge = get_string(config, "bridge", "").value_or(n.bridge);
  validate_field("bridge", n.bridge, validate_ifname);
  n.is_default_gateway = get_bool(config, "isDefaultGateway", n.is_default_gateway);
  // The default route goes via the bridge's address, so it needs one.
  n.is_gateway = get_bool(config, "isGateway", n.is_gateway) || n.is_default_gateway;
  n.ip_masq = get_bool(config, "ipMasq", n.ip_masq);
  n.cluster_cidrs = parse_cluster_cidrs(config);
  n.hairpin_mode = get_bool(config, "hairpinMode", n.hairpin_mode);
  n.promisc_mode = get_bool(config, "promiscMode", n.promisc_mode);
  n.force_address = get_bool(config, "forceAddress", n.force_address);
  n.mtu = parse_mtu(config);
  if (const json* dns = member(config, "dns")) {
    if (!dns->is_object()) bad_field("dns", fmt::format("must be an object, not {}", dns->dump()));
    n.dns = *dns;
  }
  n.ipam = parse_ipam(config);
  return n;
}

json network_to_json(const Network& n) {
  json out = {
      {"cniVersion", n.cni_version},
      {"name", n.name},
      {"type", kPluginType},
      {"bridge", n.bridge},
      {"isGateway", n.is_gateway},
      {"isDefaultGateway", n.is_default_gateway},
      {"ipMasq", n.ip_masq},
      {"hairpinMode", n.hairpin_mode},
      {"promiscMode", n.promisc_mode},
      {"forceAddress", n.force_address},
  };
  for (const auto& c : n.cluster_cidrs) out["clusterCIDR"].push_back(c.str());
  if (n.mtu > 0) out["mtu"] = n.mtu;
  if (n.dns.is_object() && !n.dns.empty()) out["dns"] = n.dns;
  out["ipam"] = ipam_to_json(n.ipam);
  return out;
}

json conflist_from_network(const Network& n) {
  json plugin = network_to_json(n);
  plugin.erase("cniVersion");
  plugin.erase("name");
  // Static addresses and MACs from the runtime (podman run --ip / --mac-address),
  // and published ports (podman run -p), which nsnet does itself.
  plugin["capabilities"] = {{"ips", true}, {"mac", true}, {"portMappings", true}};
  return {
      {"cniVersion", "1.0.0"},
      {"cniVersions", {"1.0.0", "1.1.0"}},
      {"name", n.name},
      {"plugins", json::array({std::move(plugin)})},
  };
}

Network network_from_conflist(const json& conflist) {
  if (!conflist.is_object()) fail(Code::InvalidConfig, "a conflist must be a JSON object");
  // json::value() throws a non-nsnet error when the key holds a non-string.
  auto string_or = [](const json& obj, const char* key, const char* fallback) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
  };
  const json* plugins = member(conflist, "plugins");
  if (!plugins) {  // a single-plugin .conf file
    if (string_or(conflist, "type", "") != kPluginType)
      fail(Code::InvalidConfig, "network '{}' is not an nsnet network (type '{}')",
           string_or(conflist, "name", "?"), string_or(conflist, "type", "?"));
    return network_from_json(conflist);
  }
  require_array(*plugins, "plugins");
  for (const auto& plugin : *plugins) {
    if (!plugin.is_object() || string_or(plugin, "type", "") != kPluginType) continue;
    json config = plugin;
    config["name"] = require_string(conflist, "name", "");
    config["cniVersion"] = require_string(conflist, "cniVersion", "");
    return network_from_json(config);
  }
  fail(Code::InvalidConfig, "network '{}' has no plugin of type nsnet", string_or(conflist, "name", "?"));
}

}  // namespace nsnet
