// nsnet list [--json]
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/named.hpp"
#include "netlib/netns.hpp"

namespace nsnet::cli {
namespace {

constexpr const char* kHelp = R"(Usage: nsnet list [--json]

Lists the named network namespaces (those of /run/netns, made by nsnet or by
`ip netns add`) with the network and addresses nsnet gave them. A "stale"
entry is a /run/netns file that is no namespace: remove it with
`nsnet delete NAME`.

  --json   one JSON array of {name, stale, network, bridge, addresses}
)";

nlohmann::json describe(const std::string& name) {
  nlohmann::json j = {{"name", name},
                      {"stale", !is_netns_file(named_netns_path(name))},
                      {"network", nullptr},
                      {"bridge", nullptr},
                      {"addresses", nlohmann::json::array()}};
  if (auto r = find_named_record(name)) {
    j["network"] = r->key.network;
    j["bridge"] = r->bridge;
    for (const auto& ip : r->ips) j["addresses"].push_back(ip.address.str());
  }
  return j;
}

std::string text_or_dash(const nlohmann::json& j) { return j.is_null() ? "-" : j.get<std::string>(); }

}  // namespace

int run_list(Args args) {
  auto p = parse_args("list", args, {}, {"--json"});
  if (p.help) return fmt::print("{}", kHelp), 0;
  auto all = nlohmann::json::array();
  for (const auto& name : list_named_netns()) all.push_back(describe(name));
  if (p.flag("--json")) return fmt::print("{}\n", all.dump(2)), 0;
  fmt::print("{:<20} {:<12} {:<10} {}\n", "NAME", "NETWORK", "BRIDGE", "ADDRESSES");
  for (const auto& j : all) {
    std::string addrs;
    for (const auto& a : j["addresses"]) addrs += (addrs.empty() ? "" : " ") + a.get<std::string>();
    if (j["stale"].get<bool>()) addrs = "(stale entry: remove with `nsnet delete " +
                                        j["name"].get<std::string>() + "`)";
    fmt::print("{:<20} {:<12} {:<10} {}\n", j["name"].get<std::string>(), text_or_dash(j["network"]),
               text_or_dash(j["bridge"]), addrs.empty() ? "-" : addrs);
  }
  return 0;
}

}  // namespace nsnet::cli
