// `nsnet routes`: host-gw routing between the nodes of a cluster.
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "netlib/cluster_nodes.hpp"
#include "netlib/error.hpp"
#include "netlib/routes_sync.hpp"

namespace nsnet::cli {
namespace {

constexpr const char* kUsage =
    "Usage: nsnet routes sync --nodes FILE [--self NAME] [--dry-run] [--json]\n"
    "       nsnet routes list [--json]\n\n"
    "Host-gw routing between cluster nodes (no overlay): `sync` makes the main\n"
    "routing table hold one route to every other node's pod subnet via that\n"
    "node's address, replaces routes whose gateway changed and removes those of\n"
    "nodes no longer listed. Idempotent. Only routes of nsnet's own route\n"
    "protocol (proto 110) are ever changed; a route to the same subnet made by\n"
    "anyone else is reported as a conflict and left alone.\n\n"
    "  --nodes FILE  JSON, '-' for stdin: {\"nodes\": [{\"name\": \"n1\",\n"
    "                \"address\": \"198.51.100.1\", \"podCIDR\": \"10.244.1.0/24\"}, ...]}\n"
    "                or a Kubernetes NodeList (kubectl get nodes -o json)\n"
    "  --self NAME   this node (default: the node owning one of this host's addresses)\n"
    "  --dry-run     print what would change, change nothing\n"
    "  --json        machine-readable output\n\n"
    "Exit status 1 if any route could not be set (the others are still set).\n";

nlohmann::json read_json(const std::string& path) {
  try {
    if (path == "-") return nlohmann::json::parse(std::cin);
    std::ifstream in(path);
    if (!in) fail(Code::NotFound, "cannot read nodes file '{}': no such readable file", path);
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    fail(Code::Decode, "not valid JSON: {}", e.what());
  }
}

nlohmann::json to_json(const std::vector<NodeRoute>& routes) {
  auto out = nlohmann::json::array();
  for (const auto& r : routes) {
    nlohmann::json j{{"dst", r.pod_cidr.str()}, {"via", r.via.str()}};
    if (!r.node.empty()) j["node"] = r.node;
    out.push_back(j);
  }
  return out;
}

void print_routes(std::string_view verb, const std::vector<NodeRoute>& routes) {
  for (const auto& r : routes)
    fmt::print("{}{} via {}{}\n", verb.empty() ? "" : fmt::format("{} ", verb), r.pod_cidr.str(), r.via.str(),
               r.node.empty() ? "" : fmt::format(" (node {})", r.node));
}

struct SyncOptions {
  std::string nodes_file;
  std::optional<std::string> self;
  bool dry_run = false;
  bool json = false;
};

SyncOptions parse_sync_options(Args args) {
  SyncOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= args.size()) fail(Code::InvalidArgument, "{} needs a value; see 'nsnet routes --help'", flag);
      return args[++i];
    };
    if (args[i] == "--nodes") o.nodes_file = value("--nodes");
    else if (args[i] == "--self") o.self = value("--self");
    else if (args[i] == "--dry-run") o.dry_run = true;
    else if (args[i] == "--json") o.json = true;
    else fail(Code::InvalidArgument, "routes sync: unknown argument '{}'; see 'nsnet routes --help'", args[i]);
  }
  if (o.nodes_file.empty())
    fail(Code::InvalidArgument, "routes sync needs --nodes FILE; see 'nsnet routes --help'");
  return o;
}

int sync(Args args) {
  SyncOptions o = parse_sync_options(args);
  auto nodes = with_context(fmt::format("nodes file '{}'", o.nodes_file),
                            [&] { return parse_cluster_nodes(read_json(o.nodes_file)); });
  std::string self = o.self ? *o.self : find_self_node(nodes, local_addresses());
  NodeRoutePlan plan = plan_node_routes(nodes, self);
  for (const auto& why : plan.skipped) fmt::print(stderr, "nsnet: warning: {}\n", why);

  RouteSyncResult r = sync_node_routes(plan.routes, o.dry_run);
  if (o.json) {
    fmt::print("{}\n", nlohmann::json{{"self", self},
                                      {"dryRun", o.dry_run},
                                      {"added", to_json(r.added)},
                                      {"removed", to_json(r.removed)},
                                      {"unchanged", to_json(r.unchanged)},
                                      {"failures", r.failures}}
                           .dump(2));
  } else {
    std::string_view prefix = o.dry_run ? "would " : "";
    print_routes(fmt::format("{}add", prefix), r.added);
    print_routes(fmt::format("{}remove", prefix), r.removed);
    fmt::print("node {}: {} routes to other nodes; {} added, {} removed, {} unchanged\n", self,
               plan.routes.size(), r.added.size(), r.removed.size(), r.unchanged.size());
  }
  for (const auto& f : r.failures) fmt::print(stderr, "nsnet: {}\n", f);
  return r.failures.empty() ? 0 : 1;
}

int list(Args args) {
  bool json = !args.empty() && args[0] == "--json";
  if (args.size() > (json ? 1u : 0u))
    fail(Code::InvalidArgument, "routes list: unknown argument '{}'; see 'nsnet routes --help'",
         args.back());
  auto routes = installed_node_routes();
  if (json) fmt::print("{}\n", to_json(routes).dump(2));
  else print_routes("", routes);
  return 0;
}

}  // namespace

int run_routes(Args args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    fmt::print(args.empty() ? stderr : stdout, "{}", kUsage);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "sync") return sync(args.subspan(1));
  if (args[0] == "list") return list(args.subspan(1));
  fail(Code::InvalidArgument, "routes: unknown subcommand '{}'; see 'nsnet routes --help'", args[0]);
}

}  // namespace nsnet::cli
