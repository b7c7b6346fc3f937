// nsnet reconcile / nsnet doctor
#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "netlib/doctor.hpp"
#include "netlib/error.hpp"
#include "netlib/firewall/publishing.hpp"

namespace nsnet::cli {
namespace {

constexpr const char* kReconcileHelp = R"(Usage: nsnet reconcile

Re-creates what nsnet keeps in nftables from its records: the table
inet nsnet, its rules, and every attachment's NAT, masquerade and published
ports; removes elements that no attachment owns any more. Run it after
`nft flush ruleset`, a firewalld reload or an nftables.service restart.
Idempotent; touches no link, address or route, and no other table.
)";

constexpr const char* kDoctorHelp = R"(Usage: nsnet doctor

Checks what keeps namespaces from working and says how to fix it: forwarding
off, legacy (x_tables) iptables rules that nftables cannot see, stale
/run/netns entries, the nsnet nftables table or some of its elements missing,
a bridge MTU larger than that of the egress route. Changes nothing. Exits 1
if it found a problem.
)";

}  // namespace

int run_reconcile(Args args) {
  auto p = parse_args("reconcile", args, {});
  if (p.help) return fmt::print("{}", kReconcileHelp), 0;
  if (!p.positional.empty())
    fail(Code::InvalidArgument, "nsnet reconcile takes no arguments; see 'nsnet reconcile --help'");
  auto report = reconcile_firewall();
  fmt::print("reconciled {} attachments; removed {} orphaned elements\n", report.attachments,
             report.swept);
  return 0;
}

int run_doctor(Args args) {
  auto p = parse_args("doctor", args, {});
  if (p.help) return fmt::print("{}", kDoctorHelp), 0;
  if (!p.positional.empty())
    fail(Code::InvalidArgument, "nsnet doctor takes no arguments; see 'nsnet doctor --help'");
  bool any = false;
  for (const auto& f : diagnose()) {
    fmt::print("{} {}\n", f.problem ? "PROBLEM" : "ok     ", f.text);
    any = any || f.problem;
  }
  return any ? 1 : 0;
}

}  // namespace nsnet::cli
