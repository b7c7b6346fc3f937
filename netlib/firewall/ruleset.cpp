#include "netlib/firewall/ruleset.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "netlib/firewall/ruleset_hash.hpp"

namespace nsnet::ruleset {
namespace {

using nlohmann::json;

// Tiny builders for nft's JSON expression grammar (libnftables-json(5)).
json payload(const char* protocol, const char* field) {
  return {{"payload", {{"protocol", protocol}, {"field", field}}}};
}
json meta(const char* key) { return {{"meta", {{"key", key}}}}; }
json match(json left, json right, const char* op = "==") {
  return {{"match", {{"op", op}, {"left", std::move(left)}, {"right", std::move(right)}}}};
}
json prefix(const char* addr, int len) { return {{"prefix", {{"addr", addr}, {"len", len}}}}; }
json set_ref(const std::string& name) { return "@" + name; }
json concat(json parts) { return {{"concat", std::move(parts)}}; }
json map_lookup(json key, const std::string& map) {
  return {{"map", {{"key", std::move(key)}, {"data", set_ref(map)}}}};
}
json nat(const char* kind, const char* family, json addr) {
  return {{kind, {{"family", family}, {"addr", std::move(addr)}}}};
}
json dnat(const char* family, const json& key, const std::string& addr_map,
          const std::string& port_map) {
  return {{"dnat", {{"family", family}, {"addr", map_lookup(key, addr_map)},
                    {"port", map_lookup(key, port_map)}}}};
}
json verdict(const char* v) { return {{v, nullptr}}; }
json masquerade() { return {{"masquerade", nullptr}}; }

const char* ip_proto(bool v4) { return v4 ? "ip" : "ip6"; }
const char* addr_type(bool v4) { return v4 ? "ipv4_addr" : "ipv6_addr"; }

struct SetDef {
  std::string name;
  json type;
  json data;  // null for a plain set
  bool interval = false;
};

std::vector<SetDef> set_defs() {
  std::vector<SetDef> defs{{kBridges, "ifname", nullptr}};
  for (bool v4 : {true, false}) {
    json addr = addr_type(v4);
    json specific = json::array({"inet_proto", addr, "inet_service"});
    json any = json::array({"inet_proto", "inet_service"});
    defs.push_back({family_set(kSubnets, v4), addr, nullptr, true});
    defs.push_back({family_set(kMasquerade, v4), addr, nullptr, true});
    defs.push_back({family_set(kClusterDestinations, v4), json::array({addr, addr}), nullptr, true});
    defs.push_back({family_set(kSnat, v4), addr, addr});
    defs.push_back({family_set(kDnatAddr, v4), specific, addr});
    defs.push_back({family_set(kDnatPort, v4), specific, "inet_service"});
    defs.push_back({family_set(kDnatAnyAddr, v4), any, addr});
    defs.push_back({family_set(kDnatAnyPort, v4), any, "inet_service"});
  }
  return defs;
}

json add_set(const SetDef& def) {
  json fields = {{"name", def.name}, {"type", def.type}};
  if (def.interval) fields["flags"] = json::array({"interval"});
  if (def.data.is_null()) return {{"add", {{"set", object(fields)}}}};
  fields["map"] = def.data;
  return {{"add", {{"map", object(fields)}}}};
}

struct ChainDef {
  const char* name;
  const char* type;  // nullptr: a regular chain (jump target)
  const char* hook;
  int priority;
  std::vector<json> rules;
};

std::vector<json> publish_rules() {
  std::vector<json> rules;
  for (bool v4 : {true, false}) {
    const char* ip = ip_proto(v4);
    json specific = concat({meta("l4proto"), payload(ip, "daddr"), payload("th", "dport")});
    rules.push_back(json::array(
        {dnat(ip, specific, family_set(kDnatAddr, v4), family_set(kDnatPort, v4))}));
    json any = concat({meta("l4proto"), payload("th", "dport")});
    rules.push_back(json::array(
        {match(meta("nfproto"), v4 ? "ipv4" : "ipv6"),
         dnat(ip, any, family_set(kDnatAnyAddr, v4), family_set(kDnatAnyPort, v4))}));
  }
  return rules;
}

std::vector<json> postrouting_rules() {
  json to_bridge = match(meta("oifname"), set_ref(kBridges));
  // The host reaching a published port on 127.0.0.1: the reply must come back
  // to the bridge address, not to the container's own loopback.
  std::vector<json> rules{
      json::array({to_bridge, match(payload("ip", "saddr"), prefix("127.0.0.0", 8)), masquerade()})};
  // Hairpin: a container reaching its own or a sibling's published port; the
  // reply would otherwise go straight back over the bridge, un-NATed.
  for (bool v4 : {true, false})
    rules.push_back(json::array({to_bridge, match({{"ct", {{"key", "status"}}}}, "dnat", "in"),
                                 match(payload(ip_proto(v4), "saddr"),
                                       set_ref(family_set(kSubnets, v4))),
                                 masquerade()}));
  // Anything else into our networks keeps its addresses (the client's address
  // stays visible to a published service).
  rules.push_back(json::array({to_bridge, verdict("return")}));
  for (bool v4 : {true, false}) {
    const char* ip = ip_proto(v4);
    rules.push_back(
        json::array({nat("snat", ip, map_lookup(payload(ip, "saddr"), family_set(kSnat, v4)))}));
  }
  // A network's traffic to its cluster (Kubernetes' pod network, reached by
  // host-gw routes) keeps the pod's address.
  for (bool v4 : {true, false}) {
    const char* ip = ip_proto(v4);
    rules.push_back(json::array({match(concat({payload(ip, "saddr"), payload(ip, "daddr")}),
                                       set_ref(family_set(kClusterDestinations, v4))),
                                 verdict("return")}));
  }
  for (bool v4 : {true, false}) {
    const char* ip = ip_proto(v4);
    rules.push_back(json::array(
        {match(payload(ip, "saddr"), set_ref(family_set(kMasquerade, v4))),
         match(payload(ip, "daddr"), v4 ? prefix("224.0.0.0", 4) : prefix("ff00::", 8), "!="),
         masquerade()}));
  }
  return rules;
}

std::vector<json> guard_rules() {
  json not_lo = match(meta("iifname"), "lo", "!=");
  return {json::array({not_lo, match(payload("ip", "daddr"), prefix("127.0.0.0", 8)), verdict("drop")}),
          json::array({not_lo, match(payload("ip", "saddr"), prefix("127.0.0.0", 8)), verdict("drop")})};
}

std::vector<json> forward_rules() {
  return {json::array({match(meta("iifname"), set_ref(kBridges)),
                       match({{"ct", {{"key", "state"}}}}, "invalid", "in"), verdict("drop")})};
}

std::vector<ChainDef> chain_defs() {
  json to_local = match({{"fib", {{"result", "type"}, {"flags", json::array({"daddr"})}}}}, "local");
  json jump_publish = {{"jump", {{"target", "publish"}}}};
  return {
      {"publish", nullptr, nullptr, 0, publish_rules()},
      {"guard", "filter", "prerouting", -300, guard_rules()},
      {"prerouting", "nat", "prerouting", -100, {json::array({to_local, jump_publish})}},
      {"output", "nat", "output", -100, {json::array({to_local, jump_publish})}},
      {"postrouting", "nat", "postrouting", 100, postrouting_rules()},
      {"forward", "filter", "forward", 0, forward_rules()},
  };
}

json add_chain(const ChainDef& def) {
  json fields = {{"name", def.name}};
  if (def.type) {
    fields["type"] = def.type;
    fields["hook"] = def.hook;
    fields["prio"] = def.priority;
    fields["policy"] = "accept";
  }
  return {{"add", {{"chain", object(fields)}}}};
}

}  // namespace

json object(json fields) {
  fields["family"] = kFamily;
  fields["table"] = kTable;
  return fields;
}

std::string family_set(const char* base, bool v4) {
  return std::string(base) + (v4 ? "_v4" : "_v6");
}

const std::vector<std::string>& all_sets() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& def : set_defs()) out.push_back(def.name);
    return out;
  }();
  return names;
}

json ensure_sets_commands() {
  json cmds = json::array({{{"add", {{"table", {{"family", kFamily}, {"name", kTable}}}}}}});
  for (const auto& def : set_defs()) cmds.push_back(add_set(def));
  return cmds;
}

namespace {

// The comment on every rule we write: "nsnet HASH K/N", the hash of the files
// that define the table (netlib/CMakeLists.txt) and the rule's place K among
// the table's N rules. A listing is thus its own reference: whole when its
// rules carry this build's hash and number exactly 1..N, with no need to
// build the rules to compare (which cost every ADD 2 M instructions).
std::string rule_comment(size_t k, size_t n) {
  return fmt::format("nsnet {} {}/{}", NSNET_RULESET_HASH, k, n);
}

// K and N of a comment rule_comment() wrote in this build; nullopt otherwise.
std::optional<std::pair<size_t, size_t>> rule_place(const std::string& comment) {
  static const std::string prefix = fmt::format("nsnet {} ", NSNET_RULESET_HASH);
  if (comment.rfind(prefix, 0) != 0) return std::nullopt;
  size_t k = 0, n = 0;
  char tail = 0;
  if (std::sscanf(comment.c_str() + prefix.size(), "%zu/%zu%c", &k, &n, &tail) != 2) return std::nullopt;
  if (k < 1 || k > n) return std::nullopt;
  return std::pair{k, n};
}

}  // namespace

json ensure_commands() {
  json cmds = ensure_sets_commands();
  auto chains = chain_defs();
  size_t total = 0;
  for (const auto& def : chains) {
    cmds.push_back(add_chain(def));
    cmds.push_back({{"flush", {{"chain", object({{"name", def.name}})}}}});
    total += def.rules.size();
  }
  size_t k = 0;
  for (const auto& def : chains)
    for (const auto& expr : def.rules)
      cmds.push_back({{"add", {{"rule", object({{"chain", def.name}, {"expr", expr},
                                                {"comment", rule_comment(++k, total)}})}}}});
  return cmds;
}

bool rules_current(bool chains_accept, const std::vector<std::string>& rule_comments) {
  if (!chains_accept) return false;
  std::vector<bool> seen;
  for (const auto& comment : rule_comments) {
    auto place = rule_place(comment);
    if (!place) return false;
    auto [k, n] = *place;
    if (seen.empty()) seen.resize(n);
    if (n != seen.size() || seen[k - 1]) return false;
    seen[k - 1] = true;
  }
  return !seen.empty() && std::find(seen.begin(), seen.end(), false) == seen.end();
}

bool rules_current(const json& listing) {
  bool chains_accept = true;
  std::vector<std::string> rule_comments;
  for (const auto& item : listing) {
    if (item.contains("chain") && item["chain"].value("policy", "accept") != "accept")
      chains_accept = false;
    if (item.contains("rule")) rule_comments.push_back(item["rule"].value("comment", ""));
  }
  return rules_current(chains_accept, rule_comments);
}

json list_table_command() {
  return json::array({{{"list", {{"table", {{"family", kFamily}, {"name", kTable}}}}}}});
}

}  // namespace nsnet::ruleset
