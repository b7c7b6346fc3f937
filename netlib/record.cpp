#include "netlib/record.hpp"

#include <filesystem>

#include "netlib/error.hpp"
#include "netlib/firewall/port_spec.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace nsnet {
namespace {

fs::path attachments_dir(std::string_view network) { return network_dir(network) / "attachments"; }

fs::path record_path(const AttachmentKey& key) {
  return attachments_dir(key.network) /
         (escape_component(key.container_id) + "+" + escape_component(key.ifname) + ".json");
}

json ip_json(const IpAddress& ip) { return ip.str(); }

json route_json(const Route& r) {
  json j = {{"dst", r.dst.str()}};
  if (r.gw) j["gw"] = r.gw->str();
  return j;
}

Route route_from(const json& j) {
  Route r{Cidr::parse(j.at("dst").get<std::string>()), std::nullopt};
  if (j.contains("gw")) r.gw = IpAddress::parse(j.at("gw").get<std::string>());
  return r;
}

constexpr const char* kOriginNsnetCreate = "nsnet create";
constexpr const char* kOriginCni = "cni";

// Records written before "origin" existed get the guess GC used to make:
// `nsnet create NAME` attaches /run/netns/NAME as container NAME.
Origin legacy_origin(const AttachmentRecord& r) {
  return r.netns_path == "/run/netns/" + r.key.container_id ? Origin::NsnetCreate : Origin::Cni;
}

Origin origin_from(const json& j, const AttachmentRecord& r) {
  if (!j.contains("origin")) return legacy_origin(r);
  auto text = j.at("origin").get<std::string>();
  if (text == kOriginNsnetCreate) return Origin::NsnetCreate;
  if (text == kOriginCni) return Origin::Cni;
  fail(Code::Decode, "malformed attachment record: unknown origin \"{}\"", text);
}

}  // namespace

json AttachmentRecord::to_json() const {
  json j = {{"network", key.network},     {"containerId", key.container_id},
            {"ifname", key.ifname},       {"netns", netns_path},
            {"hostVeth", host_veth},      {"bridge", bridge},
            {"mac", container_mac},       {"ips", json::array()},
            {"routes", json::array()},    {"portMappings", json::array()}};
  for (const auto& ip : ips) {
    json e = {{"address", ip.address.str()}};
    if (ip.gateway) e["gateway"] = ip_json(*ip.gateway);
    j["ips"].push_back(e);
  }
  for (const auto& r : routes) j["routes"].push_back(route_json(r));
  for (const auto& p : port_mappings) j["portMappings"].push_back(port_mapping_to_json(p));
  if (host_ip) j["hostIP"] = ip_json(*host_ip);
  j["ipMasq"] = ip_masq;
  for (const auto& c : cluster_cidrs) j["clusterCIDR"].push_back(c.str());
  j["origin"] = origin == Origin::NsnetCreate ? kOriginNsnetCreate : kOriginCni;
  return j;
}

AttachmentRecord AttachmentRecord::from_json(const json& j) {
  try {
    AttachmentRecord r;
    r.key = {j.at("network").get<std::string>(), j.at("containerId").get<std::string>(),
             j.at("ifname").get<std::string>()};
    r.netns_path = j.at("netns").get<std::string>();
    r.host_veth = j.at("hostVeth").get<std::string>();
    r.bridge = j.at("bridge").get<std::string>();
    r.container_mac = j.value("mac", "");
    for (const auto& e : j.at("ips")) {
      ResultIp ip{Cidr::parse(e.at("address").get<std::string>()), std::nullopt, 2};
      if (e.contains("gateway")) ip.gateway = IpAddress::parse(e.at("gateway").get<std::string>());
      r.ips.push_back(ip);
    }
    for (const auto& e : j.at("routes")) r.routes.push_back(route_from(e));
    for (const auto& e : j.at("portMappings"))
      r.port_mappings.push_back(port_mapping_from_json(e, "portMappings"));
    if (j.contains("hostIP")) r.host_ip = IpAddress::parse(j.at("hostIP").get<std::string>());
    r.ip_masq = j.value("ipMasq", true);
    for (const auto& c : j.value("clusterCIDR", nlohmann::json::array()))
      r.cluster_cidrs.push_back(Cidr::parse(c.get<std::string>()));
    r.origin = origin_from(j, r);
    return r;
  } catch (const json::exception& e) {
    throw Error(Code::Decode, fmt::format("malformed attachment record: {}", e.what()));
  }
}

void save_record(const AttachmentRecord& record) {
  write_file_atomic(record_path(record.key), record.to_json().dump(2) + "\n");
}

static AttachmentRecord parse_record(const fs::path& path, const std::string& text) {
  return with_context(path.string(), [&] {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) fail(Code::Decode, "not valid JSON; remove the file");
    return AttachmentRecord::from_json(j);
  });
}

std::optional<AttachmentRecord> load_record(const AttachmentKey& key) {
  auto path = record_path(key);
  auto text = read_file(path);
  if (!text) return std::nullopt;
  return parse_record(path, *text);
}

bool remove_record(const AttachmentKey& key) { return remove_file(record_path(key)); }

std::vector<AttachmentRecord> list_records(std::string_view network) {
  std::vector<AttachmentRecord> records;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(attachments_dir(network), ec)) {
    if (e.path().extension() != ".json") continue;
    if (auto text = read_file(e.path())) records.push_back(parse_record(e.path(), *text));
  }
  return records;
}

bool network_is_empty(std::string_view network) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(attachments_dir(network), ec))
    if (e.path().extension() == ".json") return false;
  return true;
}

FileLock lock_network(std::string_view network) { return FileLock(network_dir(network) / "lock"); }

}  // namespace nsnet

namespace nsnet {

static fs::path bridges_dir(std::string_view network) { return network_dir(network) / "created-bridges"; }

void remember_created_bridge(std::string_view network, const std::string& bridge) {
  write_file_atomic(bridges_dir(network) / escape_component(bridge), bridge);
}

std::vector<std::string> created_bridges(std::string_view network) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(bridges_dir(network), ec))
    if (e.path().filename().string()[0] != '.') names.push_back(unescape_component(e.path().filename().string()));
  return names;
}

void forget_created_bridge(std::string_view network, const std::string& bridge) {
  remove_file(bridges_dir(network) / escape_component(bridge));
}

}  // namespace nsnet
