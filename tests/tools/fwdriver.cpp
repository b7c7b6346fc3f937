// fwdriver: drives netlib/firewall directly, for the integration tests that
// exercise NAT and publishing on links the test script made itself.
//   fwdriver add|remove|reconcile RECORD...   RECORD: FirewallAttachment JSON
//   fwdriver publish|unpublish RECORD SPEC    SPEC as for `nsnet -p`
//   fwdriver sweep OWNER                      delete elements commented OWNER
//   fwdriver status                           table, rule and element counts, rules current?
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "netlib/error.hpp"
#include "netlib/firewall/firewall.hpp"
#include "netlib/firewall/legacy_iptables.hpp"
#include "netlib/firewall/port_spec.hpp"

using namespace nsnet;

namespace {

FirewallAttachment record(const std::string& text) {
  return firewall_attachment_from_json(nlohmann::json::parse(text));
}

void print_status(Firewall& fw) {
  auto st = fw.status();
  nlohmann::json j = {{"table", st.table_present}, {"rules", st.rules}, {"current", st.rules_current},
                      {"elements", st.elements.size()}, {"owners", nlohmann::json::array()}};
  for (const auto& e : st.elements) j["owners"].push_back(e.set + " " + e.comment);
  fmt::print("{}\n", j.dump());
}

int run(const std::vector<std::string>& args) {
  if (args.empty()) fail(Code::InvalidArgument, "usage: fwdriver COMMAND ARGS...");
  Firewall fw;
  const auto& cmd = args[0];
  if (cmd == "add") {
    for (size_t i = 1; i < args.size(); ++i) fw.add(record(args[i]));
  } else if (cmd == "remove") {
    for (size_t i = 1; i < args.size(); ++i) fw.remove(record(args[i]));
  } else if (cmd == "reconcile") {
    std::vector<FirewallAttachment> all;
    for (size_t i = 1; i < args.size(); ++i) all.push_back(record(args[i]));
    fw.reconcile(all);
  } else if ((cmd == "publish" || cmd == "unpublish") && args.size() == 3) {
    auto a = record(args[1]);
    auto mappings = parse_port_spec(args[2]);
    if (cmd == "publish")
      fw.publish(a, mappings);
    else
      fw.unpublish(a, mappings);
  } else if (cmd == "sweep" && args.size() == 2) {
    fmt::print("{}\n", fw.sweep_owner(args[1]));
  } else if (cmd == "status") {
    print_status(fw);
  } else if (cmd == "legacy") {
    for (const auto& t : legacy_iptables_in_use()) fmt::print("{}\n", t);
  } else {
    fail(Code::InvalidArgument, "fwdriver: unknown command '{}'", cmd);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    fmt::print(stderr, "fwdriver: {}\n", e.what());
    return 1;
  }
}
