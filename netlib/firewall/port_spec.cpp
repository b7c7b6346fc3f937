#include "netlib/firewall/port_spec.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "netlib/error.hpp"

namespace nsnet {
namespace {

struct PortRange {
  int first = 0;
  int last = 0;
  int size() const { return last - first + 1; }
};

[[noreturn]] void bad_spec(std::string_view spec, std::string_view why) {
  fail(Code::InvalidArgument,
       "bad port spec '{}': {} (expected [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|udp|sctp], "
       "e.g. 2525:25 or 8000-8010:8000-8010/udp)",
       spec, why);
}

int parse_port(std::string_view spec, std::string_view text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port < 1 ||
      port > 65535)
    bad_spec(spec, fmt::format("'{}' is not a port number 1-65535", text));
  return port;
}

PortRange parse_range(std::string_view spec, std::string_view text) {
  auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    int p = parse_port(spec, text);
    return {p, p};
  }
  PortRange r{parse_port(spec, text.substr(0, dash)), parse_port(spec, text.substr(dash + 1))};
  if (r.last < r.first) bad_spec(spec, fmt::format("range '{}' runs backwards", text));
  return r;
}

// Splits "[v6]:rest" or "v4:rest" off the front when three fields are given.
std::pair<std::string_view, std::string_view> split_host_ip(std::string_view spec,
                                                            std::string_view text) {
  if (text.starts_with('[')) {
    auto close = text.find("]:");
    if (close == std::string_view::npos) bad_spec(spec, "missing ']:' after an IPv6 host address");
    return {text.substr(1, close - 1), text.substr(close + 2)};
  }
  auto colons = std::count(text.begin(), text.end(), ':');
  if (colons < 2) return {{}, text};
  if (colons > 2) bad_spec(spec, "write an IPv6 host address in brackets, e.g. [2001:db8::1]:25:25");
  auto colon = text.find(':');
  return {text.substr(0, colon), text.substr(colon + 1)};
}

}  // namespace

void validate_port_mapping(const PortMapping& m) {
  if (m.protocol != "tcp" && m.protocol != "udp" && m.protocol != "sctp")
    fail(Code::InvalidConfig, "port mapping protocol '{}' is not tcp, udp or sctp", m.protocol);
  for (int port : {m.host_port, m.container_port})
    if (port < 1 || port > 65535)
      fail(Code::InvalidConfig, "port mapping {}: port {} is not in 1-65535",
           format_port_mapping(m), port);
}

std::vector<PortMapping> parse_port_spec(std::string_view spec) {
  std::string_view rest = spec;
  std::string protocol = "tcp";
  if (auto slash = rest.rfind('/'); slash != std::string_view::npos) {
    protocol = std::string(rest.substr(slash + 1));
    if (protocol != "tcp" && protocol != "udp" && protocol != "sctp")
      bad_spec(spec, fmt::format("protocol '{}' is not tcp, udp or sctp", protocol));
    rest = rest.substr(0, slash);
  }
  auto [host_ip_text, ports] = split_host_ip(spec, rest);
  std::optional<IpAddress> host_ip;
  if (!host_ip_text.empty()) {
    if (!IpAddress::valid(host_ip_text))
      bad_spec(spec, fmt::format("'{}' is not an IP address", host_ip_text));
    host_ip = IpAddress::parse(host_ip_text);
  }
  auto colon = ports.find(':');
  if (colon == std::string_view::npos) bad_spec(spec, "missing ':' between host and container port");
  auto host = parse_range(spec, ports.substr(0, colon));
  auto container = parse_range(spec, ports.substr(colon + 1));
  if (host.size() != container.size())
    bad_spec(spec, fmt::format("host range has {} ports but container range has {}", host.size(),
                               container.size()));
  std::vector<PortMapping> out;
  out.reserve(host.size());
  for (int i = 0; i < host.size(); ++i)
    out.push_back({host.first + i, container.first + i, protocol, host_ip});
  return out;
}

PortMapping port_mapping_from_json(const nlohmann::json& j, std::string_view where) {
  auto bad = [&](std::string_view field, std::string_view why) {
    fail(Code::InvalidConfig, "'{}.{}': {}", where, field, why);
  };
  if (!j.is_object()) fail(Code::InvalidConfig, "'{}' must be an object, not {}", where, j.dump());
  auto port = [&](const char* field) {
    auto it = j.find(field);
    if (it == j.end() || !it->is_number_integer()) bad(field, "must be a port number 1-65535");
    return it->get<int>();
  };
  PortMapping m{port("hostPort"), port("containerPort"), "tcp", std::nullopt};
  if (auto it = j.find("protocol"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) bad("protocol", "must be \"tcp\", \"udp\" or \"sctp\"");
    m.protocol = it->get<std::string>();
    std::transform(m.protocol.begin(), m.protocol.end(), m.protocol.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  if (auto it = j.find("hostIP"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) bad("hostIP", "must be an IP address string");
    auto text = it->get<std::string>();
    // "" and the unspecified addresses mean every host address, as for portmap.
    if (!text.empty() && text != "0.0.0.0" && text != "::") {
      if (!IpAddress::valid(text)) bad("hostIP", fmt::format("'{}' is not an IP address", text));
      m.host_ip = IpAddress::parse(text);
    }
  }
  with_context(std::string(where), [&] { validate_port_mapping(m); });
  return m;
}

nlohmann::json port_mapping_to_json(const PortMapping& m) {
  nlohmann::json j = {{"hostPort", m.host_port}, {"containerPort", m.container_port},
                      {"protocol", m.protocol}};
  if (m.host_ip) j["hostIP"] = m.host_ip->str();
  return j;
}

std::string format_port_mapping(const PortMapping& m) {
  std::string ip;
  if (m.host_ip) ip = m.host_ip->is_v4() ? m.host_ip->str() + ":" : "[" + m.host_ip->str() + "]:";
  return fmt::format("{}{}:{}/{}", ip, m.host_port, m.container_port, m.protocol);
}

}  // namespace nsnet
