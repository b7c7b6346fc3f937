#include "plugin/result.hpp"

#include "netlib/error.hpp"
#include "plugin/version.hpp"

namespace nsnet::cni {
namespace {

using nlohmann::json;

bool has_ip_version_field(std::string_view version) { return compare_versions(version, "1.0.0") < 0; }

json interface_to_json(const ResultInterface& i) {
  json out = {{"name", i.name}};
  if (!i.mac.empty()) out["mac"] = i.mac;
  if (!i.sandbox.empty()) out["sandbox"] = i.sandbox;
  return out;
}

json ip_to_json(const ResultIp& ip) {
  json out = {{"address", ip.address.str()}};
  if (ip.gateway) out["gateway"] = ip.gateway->str();
  if (ip.interface >= 0) out["interface"] = ip.interface;
  return out;
}

json route_to_json(const Route& r) {
  json out = {{"dst", r.dst.str()}};
  if (r.gw) out["gw"] = r.gw->str();
  return out;
}

// Reading someone else's result: every error names the field.
class ResultReader {
 public:
  explicit ResultReader(std::string_view what) : what_(what) {}

  [[noreturn]] void bad(const std::string& field, std::string_view why) const {
    fail(Code::InvalidConfig, "{}: '{}' {}", what_, field, why);
  }

  const json& list(const json& obj, const char* key) const {
    static const json empty = json::array();
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return empty;
    if (!it->is_array()) bad(key, "must be a list");
    return *it;
  }

  std::string string(const json& obj, const char* key, const std::string& path, bool required) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) bad(path + "." + key, "is missing");
      return "";
    }
    if (!it->is_string()) bad(path + "." + key, "must be a string");
    return it->get<std::string>();
  }

  template <typename T, typename Parse>
  T parsed(const std::string& text, const std::string& field, Parse parse) const {
    try {
      return parse(text);
    } catch (const Error& e) {
      bad(field, e.what());
    }
  }

 private:
  std::string_view what_;
};

}  // namespace

json result_to_json(const AttachResult& result, std::string_view version) {
  json out = {{"cniVersion", version}, {"interfaces", json::array()}, {"ips", json::array()}};
  for (const auto& i : result.interfaces) out["interfaces"].push_back(interface_to_json(i));
  for (const auto& ip : result.ips) out["ips"].push_back(ip_to_json(ip));
  if (!result.routes.empty()) {
    out["routes"] = json::array();
    for (const auto& r : result.routes) out["routes"].push_back(route_to_json(r));
  }
  out["dns"] = result.dns.is_object() ? result.dns : json::object();
  return convert_result(std::move(out), version);
}

json convert_result(json result, std::string_view version) {
  result["cniVersion"] = version;
  auto ips = result.find("ips");
  if (ips == result.end() || !ips->is_array()) return result;
  for (auto& ip : *ips) {
    if (!ip.is_object()) continue;
    if (!has_ip_version_field(version)) {
      ip.erase("version");
    } else if (!ip.contains("version")) {
      auto address = ip.value("address", "");
      ip["version"] = address.find(':') == std::string::npos ? "4" : "6";
    }
  }
  return result;
}

json merge_results(const json& prev, const json& ours) {
  json merged = prev;
  auto append = [&](const char* key, auto&& transform) {
    auto it = ours.find(key);
    if (it == ours.end() || !it->is_array()) return;
    if (!merged.contains(key) || !merged[key].is_array()) merged[key] = json::array();
    for (const auto& item : *it) merged[key].push_back(transform(item));
  };
  int shift = merged.contains("interfaces") && merged["interfaces"].is_array()
                  ? static_cast<int>(merged["interfaces"].size())
                  : 0;
  append("interfaces", [](const json& i) { return i; });
  append("ips", [&](json ip) {
    if (ip.contains("interface") && ip["interface"].is_number_integer())
      ip["interface"] = ip["interface"].get<int>() + shift;
    return ip;
  });
  append("routes", [](const json& r) { return r; });
  bool prev_has_dns = merged.contains("dns") && merged["dns"].is_object() && !merged["dns"].empty();
  if (!prev_has_dns && ours.contains("dns")) merged["dns"] = ours["dns"];
  return merged;
}

AttachResult result_from_json(const json& result, std::string_view what) {
  ResultReader r(what);
  if (!result.is_object()) r.bad("", "must be a JSON object");
  AttachResult out;
  const json& interfaces = r.list(result, "interfaces");
  for (size_t i = 0; i < interfaces.size(); ++i) {
    std::string path = fmt::format("interfaces[{}]", i);
    if (!interfaces[i].is_object()) r.bad(path, "must be an object");
    out.interfaces.push_back({r.string(interfaces[i], "name", path, true),
                              r.string(interfaces[i], "mac", path, false),
                              r.string(interfaces[i], "sandbox", path, false)});
  }
  const json& ips = r.list(result, "ips");
  for (size_t i = 0; i < ips.size(); ++i) {
    std::string path = fmt::format("ips[{}]", i);
    if (!ips[i].is_object()) r.bad(path, "must be an object");
    ResultIp ip;
    ip.address = r.parsed<Cidr>(r.string(ips[i], "address", path, true), path + ".address",
                                [](const std::string& s) { return Cidr::parse(s); });
    auto gw = r.string(ips[i], "gateway", path, false);
    if (!gw.empty())
      ip.gateway = r.parsed<IpAddress>(gw, path + ".gateway",
                                       [](const std::string& s) { return IpAddress::parse(s); });
    if (auto it = ips[i].find("interface"); it != ips[i].end() && !it->is_null()) {
      if (!it->is_number_integer() || it->get<int64_t>() < 0 ||
          it->get<int64_t>() >= static_cast<int64_t>(interfaces.size()))
        r.bad(path + ".interface", "is not an index into interfaces");
      ip.interface = it->get<int>();
    }
    out.ips.push_back(ip);
  }
  const json& routes = r.list(result, "routes");
  for (size_t i = 0; i < routes.size(); ++i) {
    std::string path = fmt::format("routes[{}]", i);
    if (!routes[i].is_object()) r.bad(path, "must be an object");
    Route route;
    route.dst = r.parsed<Cidr>(r.string(routes[i], "dst", path, true), path + ".dst",
                               [](const std::string& s) { return Cidr::parse(s); });
    auto gw = r.string(routes[i], "gw", path, false);
    if (!gw.empty())
      route.gw = r.parsed<IpAddress>(gw, path + ".gw",
                                     [](const std::string& s) { return IpAddress::parse(s); });
    out.routes.push_back(route);
  }
  if (auto dns = result.find("dns"); dns != result.end() && dns->is_object()) out.dns = *dns;
  return out;
}

}  // namespace nsnet::cni
