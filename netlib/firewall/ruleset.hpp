// The one nftables table nsnet owns, `inet nsnet`: its sets, maps, chains and
// rules. The rules are a constant list; everything per network and per
// container is an element of a set or map, so the rule count never grows and
// an ADD costs the same at the 1000th container as at the first.
//
//   guard        filter prerouting, raw: packets to or from 127/8 that did not
//                come in on lo are dropped (route_localnet is on for our
//                bridges, which would otherwise route them: CVE-2020-8558)
//   prerouting   nat: traffic to a local address -> publish
//   output       nat: the host's own traffic to a local address -> publish
//   publish      DNAT by (proto, host address, port) then by (proto, port)
//   postrouting  nat: localhost and hairpin masquerade, host-IP SNAT,
//                per-network masquerade (multicast and clusterCIDR excluded)
//   forward      filter: ct state invalid from our bridges is dropped, so no
//                packet leaves with an internal source address
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nsnet::ruleset {

inline constexpr const char* kFamily = "inet";
inline constexpr const char* kTable = "nsnet";

// Set and map names. v4/v6 twins share one code path (family_set()).
inline constexpr const char* kBridges = "bridges";        // ifname; comment net:NAME
inline constexpr const char* kSubnets = "subnets";        // every network's subnets
inline constexpr const char* kMasquerade = "masquerade";  // subnets of ipMasq networks
inline constexpr const char* kClusterDestinations = "cluster";  // subnet . clusterCIDR: not masqueraded
inline constexpr const char* kSnat = "snat";              // container addr : host addr
// DNAT targets: address and port come from two maps with the same key
// (libnftables 1.0.6 crashes parsing a JSON dnat whose map yields addr . port).
inline constexpr const char* kDnatAddr = "dnat_addr";        // proto . host addr . port : addr
inline constexpr const char* kDnatPort = "dnat_port";        // proto . host addr . port : port
inline constexpr const char* kDnatAnyAddr = "dnat_any_addr"; // proto . port : addr
inline constexpr const char* kDnatAnyPort = "dnat_any_port"; // proto . port : port

// "subnets" + v4 -> "subnets_v4".
std::string family_set(const char* base, bool v4);

// Every set/map name of the table, for sweeping elements by comment.
const std::vector<std::string>& all_sets();

// Commands that create the table, sets and maps if missing (keeping their
// elements) and (re)write every chain's rules. Idempotent; part of every
// attach and of reconcile, so a flushed or half-deleted table heals itself.
nlohmann::json ensure_commands();

// True when a listing of our table holds exactly the rules ensure_commands()
// writes and every base chain accepts by default. Each rule written carries
// the comment "nsnet HASH K/N": a hash of this build's definition of the
// table (made at configure time from ruleset.cpp and .hpp) and its place
// among the N rules, so the listing alone tells whether it is whole. Then an
// attach need not rewrite them: a commit that changes nothing still costs a
// transaction, and closing the nft socket after any commit waits for an RCU
// grace period (5-15 ms measured).
bool rules_current(const nlohmann::json& listing);

// The same test on what any listing yields: whether every chain of our
// table accepts by default (a regular chain, without policy, does), and each
// rule's comment (probe.hpp reads them over raw nfnetlink).
bool rules_current(bool chains_accept, const std::vector<std::string>& rule_comments);

// Commands that create the table and sets if missing, without touching the
// chains; lets a delete run against a table someone flushed.
nlohmann::json ensure_sets_commands();

// {"list": {"table": ...}} for our table only.
nlohmann::json list_table_command();

// {"family": "inet", "table": "nsnet"} plus extra fields.
nlohmann::json object(nlohmann::json fields);

}  // namespace nsnet::ruleset
