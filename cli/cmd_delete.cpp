// nsnet delete NAME...
#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/named.hpp"
#include "cli/named_journal.hpp"
#include "netlib/attachment.hpp"
#include "netlib/error.hpp"
#include "netlib/fault.hpp"
#include "netlib/local_ipam.hpp"
#include "netlib/netns.hpp"

namespace nsnet::cli {
namespace {

constexpr const char* kHelp = R"(Usage: nsnet delete NAME...

Disconnects each named network namespace from its network (removes the veth
pair, releases the address, removes the network's bridge with its last
member if nsnet made it) and deletes the namespace, as `ip netns delete` does.
Succeeds when parts are already gone; fails only for a NAME of which nothing
is left. Also removes stale /run/netns entries, and whatever a `nsnet create`
or `nsnet delete` of NAME that was killed half-way left (lease, veth,
firewall elements).
)";

// Returns false if there was nothing called name.
bool delete_one(const std::string& name) {
  NamedJournal journal(name);
  bool interrupted = journal.roll_back_interrupted();
  auto record = find_named_record(name);
  if (record) {
    // Killed from here on, the next create or delete of name finishes this.
    journal.begin({record->key.network, true});
    fault_point("delete-journal");
    Network network;
    network.name = record->key.network;
    network.bridge = record->bridge;
    LocalIpam ipam;
    detach(record->key, network, ipam);
    fault_point("delete-detach");
  }
  bool had_netns = delete_named_netns(name);
  fault_point("delete-netns");
  journal.end();
  return interrupted || record || had_netns;
}

}  // namespace

int run_delete(Args args) {
  auto p = parse_args("delete", args, {});
  if (p.help) return fmt::print("{}", kHelp), 0;
  if (p.positional.empty())
    fail(Code::InvalidArgument, "usage: nsnet delete NAME...; see 'nsnet delete --help'");
  int rc = 0;
  for (const auto& name : p.positional) {
    try {
      if (!delete_one(name))
        fail(Code::NotFound, "no network namespace '{}' (see `nsnet list`)", name);
    } catch (const Error& e) {
      fmt::print(stderr, "nsnet: delete {}: {}\n", name, e.what());
      rc = 1;
    }
  }
  return rc;
}

}  // namespace nsnet::cli
