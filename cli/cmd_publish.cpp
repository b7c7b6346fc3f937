// nsnet publish NAME SPEC... / nsnet unpublish NAME SPEC...
#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/named.hpp"
#include "cli/ports.hpp"
#include "netlib/error.hpp"
#include "netlib/firewall/port_spec.hpp"
#include "netlib/firewall/publishing.hpp"

namespace nsnet::cli {
namespace {

constexpr const char* kPublishHelp = R"(Usage: nsnet publish NAME SPEC...

Publishes ports of the named netns NAME (made by `nsnet create`) on the host.
SPEC is [HOSTIP:]HOSTPORT:PORT[/tcp|udp|sctp], e.g. 2525:25,
8000-8010:8000-8010/udp, 198.51.100.10:25:25 or [2001:db8::1]:25:25. Without
HOSTIP the port is published on every host address, or on the namespace's
--host-ip if it has one.

A published port answers on the host's own addresses only: from outside (the
service sees the client's real address), from the host itself (its addresses
and 127.0.0.1) and from namespaces (hairpin). Publishing a UDP port flushes
its conntrack entries so no client stays stuck on an old path.

Refuses, changing nothing: a host port another namespace publishes (naming
it), a host port a host process listens on (naming the process), a HOSTIP
that is not on the host.
)";

constexpr const char* kUnpublishHelp = R"(Usage: nsnet unpublish NAME SPEC...

Stops publishing ports of the named netns NAME; SPEC exactly as given to
`nsnet create -p` or `nsnet publish` (see `nsnet show NAME`).
)";

// NAME's attachment and the mappings of the specs; nullopt after --help.
std::optional<std::pair<AttachmentRecord, std::vector<PortMapping>>> parse(const char* command,
                                                                           Args args,
                                                                           const char* help) {
  auto p = parse_args(command, args, {});
  if (p.help) {
    fmt::print("{}", help);
    return std::nullopt;
  }
  if (p.positional.size() < 2)
    fail(Code::InvalidArgument, "usage: nsnet {} NAME SPEC...; see 'nsnet {} --help'", command,
         command);
  const auto& name = p.positional[0];
  auto record = find_named_record(name);
  if (!record)
    fail(Code::NotFound, "no namespace '{}' made by nsnet create; see `nsnet list`", name);
  return std::pair{*record, parse_port_specs({p.positional.begin() + 1, p.positional.end()})};
}

void report(const AttachmentRecord& r, const char* verb, const std::vector<PortMapping>& ms) {
  for (const auto& m : ms) fmt::print("{}: {} {}\n", r.key.container_id, verb, format_port_mapping(m));
}

}  // namespace

int run_publish(Args args) {
  auto req = parse("publish", args, kPublishHelp);
  if (!req) return 0;
  auto& [record, mappings] = *req;
  refuse_host_listeners(mappings, record.host_ip);
  publish_ports(record.key, mappings);
  report(record, "published", mappings);
  return 0;
}

int run_unpublish(Args args) {
  auto req = parse("unpublish", args, kUnpublishHelp);
  if (!req) return 0;
  auto& [record, mappings] = *req;
  unpublish_ports(record.key, mappings);
  report(record, "unpublished", mappings);
  return 0;
}

}  // namespace nsnet::cli
