// nsnet show NAME [--json]
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/named.hpp"
#include "netlib/address.hpp"
#include "netlib/attachment.hpp"
#include "netlib/error.hpp"
#include "netlib/link.hpp"
#include "netlib/netns.hpp"
#include "netlib/route.hpp"

namespace nsnet::cli {
namespace {

using nlohmann::json;

constexpr const char* kHelp = R"(Usage: nsnet show NAME [--json]

Shows the named network namespace NAME as the kernel sees it (its interfaces,
their addresses, its routes) and, if nsnet attached it, its network, bridge,
host-side veth and published ports, and whether everything nsnet made for it
is still in place (bridge, veth and its master, addresses, routes).

  --json   one JSON object {name, netns, interfaces, routes, attachment}
)";

json interfaces_json(NlSocket& sock) {
  auto out = json::array();
  std::map<int, json> by_index;
  for (const auto& l : list_links(sock)) {
    json j = {{"name", l.name}, {"index", l.index}, {"kind", l.kind}, {"mtu", l.mtu},
              {"up", l.up},     {"mac", l.mac},     {"addresses", json::array()}};
    by_index[l.index] = j;
  }
  for (const auto& a : list_addresses(sock))
    if (by_index.contains(a.ifindex)) by_index[a.ifindex]["addresses"].push_back(a.cidr.str());
  for (auto& [index, j] : by_index) out.push_back(j);
  return out;
}

json routes_json(NlSocket& sock, const json& interfaces) {
  std::map<int, std::string> names;
  for (const auto& i : interfaces) names[i["index"].get<int>()] = i["name"].get<std::string>();
  auto out = json::array();
  for (const auto& r : list_routes(sock)) {
    json j = {{"dst", r.route.dst.prefix() == 0 ? "default" : r.route.dst.str()}};
    if (r.route.gw) j["gw"] = r.route.gw->str();
    if (names.contains(r.ifindex)) j["dev"] = names[r.ifindex];
    out.push_back(j);
  }
  return out;
}

void print_text(const json& j) {
  fmt::print("{}  (netns {})\n", j["name"].get<std::string>(), j["netns"].get<std::string>());
  if (const auto& a = j["attachment"]; !a.is_null()) {
    fmt::print("  network {}, bridge {}, host veth {}\n", a["network"].get<std::string>(),
               a["bridge"].get<std::string>(), a["hostVeth"].get<std::string>());
    fmt::print("  {}\n", a["problem"].is_null() ? "attachment intact"
                                                 : "PROBLEM: " + a["problem"].get<std::string>());
    if (a.contains("hostIP")) fmt::print("  host IP {} (egress SNAT, default publish address)\n",
                                         a["hostIP"].get<std::string>());
    for (const auto& p : a["portMappings"]) {
      std::string host = p.contains("hostIP") ? p["hostIP"].get<std::string>() + ":" : "";
      fmt::print("  publishes host port {}{}/{} -> {}\n", host, p["hostPort"].get<int>(),
                 p["protocol"].get<std::string>(), p["containerPort"].get<int>());
    }
  } else {
    fmt::print("  not attached by nsnet\n");
  }
  fmt::print("interfaces:\n");
  for (const auto& i : j["interfaces"]) {
    fmt::print("  {:<10} {:<5} mtu {:<6} {}\n", i["name"].get<std::string>(),
               i["up"].get<bool>() ? "UP" : "DOWN", i["mtu"].get<int>(), i["mac"].get<std::string>());
    for (const auto& a : i["addresses"]) fmt::print("             {}\n", a.get<std::string>());
  }
  fmt::print("routes:\n");
  for (const auto& r : j["routes"]) {
    std::string line = r["dst"].get<std::string>();
    if (r.contains("gw")) line += " via " + r["gw"].get<std::string>();
    if (r.contains("dev")) line += " dev " + r["dev"].get<std::string>();
    fmt::print("  {}\n", line);
  }
}

// What check() finds wrong with the attachment, or null if all is in place.
json attachment_problem(const AttachmentRecord& record) {
  Network network;
  network.name = record.key.network;
  network.bridge = record.bridge;
  try {
    check(record.key, network);
    return nullptr;
  } catch (const Error& e) {
    return e.what();
  }
}

}  // namespace

int run_show(Args args) {
  auto p = parse_args("show", args, {}, {"--json"});
  if (p.help) return fmt::print("{}", kHelp), 0;
  if (p.positional.size() != 1)
    fail(Code::InvalidArgument, "usage: nsnet show NAME [--json]; see 'nsnet show --help'");
  const auto& name = p.positional[0];
  auto netns = open_netns(named_netns_path(name).string());
  auto sock = NlSocket::open_in(netns.get());
  json j = {{"name", name}, {"netns", named_netns_path(name).string()}};
  j["interfaces"] = interfaces_json(sock);
  j["routes"] = routes_json(sock, j["interfaces"]);
  auto record = find_named_record(name);
  j["attachment"] = record ? record->to_json() : json(nullptr);
  if (record) j["attachment"]["problem"] = attachment_problem(*record);
  if (p.flag("--json"))
    fmt::print("{}\n", j.dump(2));
  else
    print_text(j);
  return 0;
}

}  // namespace nsnet::cli
