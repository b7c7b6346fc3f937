#include "plugin/request.hpp"

#include <algorithm>
#include <cctype>

#include "netlib/error.hpp"
#include "netlib/firewall/port_spec.hpp"
#include "netlib/network_config.hpp"
#include "plugin/cni_args.hpp"
#include "plugin/result.hpp"
#include "plugin/version.hpp"

namespace nsnet::cni {
namespace {

using nlohmann::json;

const json* find_path(const json& obj, std::initializer_list<const char*> keys) {
  const json* at = &obj;
  for (const char* key : keys) {
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end() || it->is_null()) return nullptr;
    at = &*it;
  }
  return at;
}

std::vector<std::string> string_list(const json* list, std::string_view field) {
  std::vector<std::string> out;
  if (!list) return out;
  if (!list->is_array()) fail(Code::InvalidConfig, "'{}' must be a list of addresses", field);
  for (const auto& item : *list) {
    if (!item.is_string()) fail(Code::InvalidConfig, "'{}' must be a list of strings, not {}", field, item.dump());
    out.push_back(item.get<std::string>());
  }
  return out;
}

// "ADDR/LEN" as written; a bare "ADDR" gets the prefix of the subnet it is in.
Cidr requested_address(const std::string& text, std::string_view field, const Network& network) {
  Cidr cidr;
  try {
    cidr = Cidr::parse_host(text);
  } catch (const Error& e) {
    fail(Code::InvalidConfig, "'{}': {}", field, e.what());
  }
  if (network.ipam.type != "nsnet") return cidr;  // the delegate judges its own addresses
  for (const auto& set : network.ipam.ranges)
    for (const auto& range : set)
      if (range.subnet.contains(cidr.address()))
        return text.find('/') == std::string::npos ? Cidr(cidr.address(), range.subnet.prefix()) : cidr;
  fail(Code::InvalidConfig, "'{}': {} is in no subnet of network '{}'", field, cidr.address().str(),
       network.name);
}

bool valid_mac(std::string_view mac) {
  if (mac.size() != 17) return false;
  for (size_t i = 0; i < mac.size(); ++i)
    if (i % 3 == 2 ? mac[i] != ':' : !std::isxdigit(static_cast<unsigned char>(mac[i]))) return false;
  return true;
}

// Static addresses and MAC, from every source the conventions define
// (CONVENTIONS.md): CNI_ARGS, then args.cni, then runtimeConfig, the
// runtime's capability arguments. Later sources win for the MAC.
void read_address_requests(Request& req) {
  CniArgs env_args = parse_cni_args(req.env.args);
  std::vector<std::pair<std::string, std::string>> ips;  // (text, where from)
  for (const auto& ip : env_args.ips) ips.emplace_back(ip, "CNI_ARGS IP");
  for (const auto& ip : string_list(find_path(req.config, {"args", "cni", "ips"}), "args.cni.ips"))
    ips.emplace_back(ip, "args.cni.ips");
  for (const auto& ip : string_list(find_path(req.config, {"runtimeConfig", "ips"}), "runtimeConfig.ips"))
    ips.emplace_back(ip, "runtimeConfig.ips");
  for (const auto& [text, field] : ips) {
    Cidr cidr = requested_address(text, field, req.network);
    if (std::find(req.requested_ips.begin(), req.requested_ips.end(), cidr) == req.requested_ips.end())
      req.requested_ips.push_back(cidr);
  }

  auto set_mac = [&](const json* value, std::string_view field) {
    if (!value) return;
    if (!value->is_string() || !valid_mac(value->get<std::string>()))
      // CNI_ARGS is raw bytes: a strict dump() would throw on invalid UTF-8.
      fail(Code::InvalidConfig, "'{}': {} is not a MAC address (xx:xx:xx:xx:xx:xx)", field,
           value->dump(-1, ' ', false, json::error_handler_t::replace));
    req.mac = value->get<std::string>();
  };
  if (env_args.mac) {
    json mac = *env_args.mac;
    set_mac(&mac, "CNI_ARGS MAC");
  }
  set_mac(find_path(req.config, {"args", "cni", "mac"}), "args.cni.mac");
  set_mac(find_path(req.config, {"runtimeConfig", "mac"}), "runtimeConfig.mac");
}

// Port publishing (capability "portMappings", done by this plugin itself, no
// portmap plugin needed) and the egress host IP: "hostIP" in the plugin's
// config, or runtimeConfig.hostIP from a runtime, which wins.
void read_publishing(Request& req) {
  if (const json* list = find_path(req.config, {"runtimeConfig", "portMappings"})) {
    if (!list->is_array()) fail(Code::InvalidConfig, "'runtimeConfig.portMappings' must be a list");
    for (size_t i = 0; i < list->size(); ++i)
      req.port_mappings.push_back(
          port_mapping_from_json((*list)[i], fmt::format("runtimeConfig.portMappings[{}]", i)));
  }
  for (auto path : {std::initializer_list<const char*>{"hostIP"}, {"runtimeConfig", "hostIP"}}) {
    const json* v = find_path(req.config, path);
    if (!v) continue;
    auto field = path.size() == 1 ? "hostIP" : "runtimeConfig.hostIP";
    if (!v->is_string() || !IpAddress::valid(v->get<std::string>()))
      fail(Code::InvalidConfig, "'{}': {} is not an IP address", field, v->dump());
    req.host_ip = IpAddress::parse(v->get<std::string>());
  }
}

}  // namespace

json parse_config_text(std::string_view text) {
  // Copying and printing json recurse: bound the nesting so deep input cannot
  // overflow the stack.
  constexpr int kMaxDepth = 64;
  int depth = 0;
  json::parser_callback_t measure = [&](int d, json::parse_event_t, json&) {
    depth = std::max(depth, d);
    return true;
  };
  json config = json::parse(text, measure, /*allow_exceptions=*/false);
  if (config.is_discarded())
    fail(Code::Decode, "the network config on stdin is not valid JSON ({} bytes)", text.size());
  if (depth > kMaxDepth)
    fail(Code::Decode, "the network config on stdin is nested deeper than {} levels", kMaxDepth);
  if (!config.is_object()) fail(Code::Decode, "the network config on stdin must be a JSON object");
  return config;
}

std::string config_version(const json& config) {
  auto it = config.find("cniVersion");
  return it != config.end() && it->is_string() ? it->get<std::string>() : "";
}

Request make_request(Env env, json config) {
  Request req;
  req.env = std::move(env);
  req.cni_version = config_version(config);
  if (req.cni_version.empty())
    fail(Code::InvalidConfig, "network config: 'cniVersion' is missing");
  require_supported_version(req.cni_version);
  require_command_in_version(req.env.command, req.cni_version);
  req.config = std::move(config);
  req.network = network_from_json(req.config);
  if (const json* prev = find_path(req.config, {"prevResult"})) {
    if (prev->is_object() && prev->contains("cniVersion")) {
      const json& version = prev->at("cniVersion");
      if (!version.is_string() || !is_supported_version(version.get<std::string>()))
        fail(Code::IncompatibleVersion, "prevResult: cniVersion {} is not one nsnet can read",
             version.dump());
    }
    result_from_json(*prev, "prevResult");  // validates it
    req.prev_result = convert_result(*prev, req.cni_version);
  }
  // Capability arguments (runtimeConfig) matter to ADD only.
  if (req.env.command == "ADD") {
    read_address_requests(req);
    read_publishing(req);
  }
  return req;
}

}  // namespace nsnet::cni
