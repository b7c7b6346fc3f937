#include "netlib/firewall/probe.hpp"

// netinet/in.h before the linux/ headers: glibc then keeps linux/in.h out.
#include <netinet/in.h>

#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/gen.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "netlib/error.hpp"
#include "netlib/firewall/kernel_keys.hpp"
#include "netlib/firewall/ruleset.hpp"
#include "netlib/mnl_socket.hpp"

namespace nsnet {
namespace {

// Thrown inside the probe for anything it cannot judge; probe_table() turns
// it into nullopt. Never leaves this file.
struct Doubt {};
// Thrown when nf_tables reports ENOENT: the table or a set is gone.
struct Absent {};

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
void free_chain(nftnl_chain* c) { nftnl_chain_free(c); }
void free_rule(nftnl_rule* r) { nftnl_rule_free(r); }
void free_set(nftnl_set* s) { nftnl_set_free(s); }
void free_gen(nftnl_gen* g) { nftnl_gen_free(g); }
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;
using ChainPtr = Owned<nftnl_chain, free_chain>;
using RulePtr = Owned<nftnl_rule, free_rule>;
using SetPtr = Owned<nftnl_set, free_set>;
using GenPtr = Owned<nftnl_gen, free_gen>;

template <typename P, typename T>
P allocated(T* p) {
  if (!p) throw Doubt{};
  return P(p);
}

// One nfnetlink socket, its requests built by libnftnl.
class Session {
 public:
  // A message with room for the request; `flags` add to NLM_F_REQUEST.
  nlmsghdr* header(uint16_t type, uint16_t family, uint16_t flags) {
    return nftnl_nlmsg_build_hdr(request_, type, family, flags, ++seq_);
  }

  void request(const nlmsghdr* nlh, const MnlSocket::OnMessage& on_message) {
    int err = socket_.request(nlh, on_message);
    if (err == ENOENT) throw Absent{};
    if (err != 0) throw Doubt{};
  }

 private:
  MnlSocket socket_{NETLINK_NETFILTER};
  uint32_t seq_ = 0;
  char request_[8192] = {};
};

constexpr uint16_t kInet = NFPROTO_INET;

// The ruleset generation: a commit by anyone while we read changes it.
uint32_t generation(Session& s) {
  uint32_t id = 0;
  s.request(s.header(NFT_MSG_GETGEN, AF_UNSPEC, NLM_F_ACK), [&](const nlmsghdr* nlh) {
    auto gen = allocated<GenPtr>(nftnl_gen_alloc());
    if (nftnl_gen_nlmsg_parse(nlh, gen.get()) < 0) throw Doubt{};
    id = nftnl_gen_get_u32(gen.get(), NFTNL_GEN_ID);
  });
  return id;
}

// Whether every chain of our table accepts by default. Chains have no table
// filter in the kernel's dump: skip other tables' ones.
bool our_chains_accept(Session& s) {
  bool all_accept = true;
  s.request(s.header(NFT_MSG_GETCHAIN, kInet, NLM_F_DUMP), [&](const nlmsghdr* nlh) {
    auto chain = allocated<ChainPtr>(nftnl_chain_alloc());
    if (nftnl_chain_nlmsg_parse(nlh, chain.get()) < 0) throw Doubt{};
    const char* table = nftnl_chain_get_str(chain.get(), NFTNL_CHAIN_TABLE);
    if (!table || std::strcmp(table, ruleset::kTable) != 0) return;
    if (nftnl_chain_is_set(chain.get(), NFTNL_CHAIN_POLICY) &&
        nftnl_chain_get_u32(chain.get(), NFTNL_CHAIN_POLICY) != NF_ACCEPT)
      all_accept = false;
  });
  return all_accept;
}

int take_comment(const nftnl_udata* attr, void* data) {
  if (nftnl_udata_type(attr) == NFTNL_UDATA_RULE_COMMENT) {
    auto* text = static_cast<const char*>(nftnl_udata_get(attr));
    *static_cast<std::string*>(data) = std::string(text, strnlen(text, nftnl_udata_len(attr)));
  }
  return 0;
}

std::string rule_comment(const nftnl_rule* rule) {
  if (!nftnl_rule_is_set(rule, NFTNL_RULE_USERDATA)) return "";
  uint32_t len = 0;
  const void* data = nftnl_rule_get_data(rule, NFTNL_RULE_USERDATA, &len);
  std::string comment;
  if (nftnl_udata_parse(data, len, take_comment, &comment) < 0) throw Doubt{};
  return comment;
}

// The comment of every rule of our table.
std::vector<std::string> our_rule_comments(Session& s) {
  auto filter = allocated<RulePtr>(nftnl_rule_alloc());
  nftnl_rule_set_str(filter.get(), NFTNL_RULE_TABLE, ruleset::kTable);
  auto* nlh = s.header(NFT_MSG_GETRULE, kInet, NLM_F_DUMP);
  nftnl_rule_nlmsg_build_payload(nlh, filter.get());
  std::vector<std::string> out;
  s.request(nlh, [&](const nlmsghdr* reply) {
    auto rule = allocated<RulePtr>(nftnl_rule_alloc());
    if (nftnl_rule_nlmsg_parse(reply, rule.get()) < 0) throw Doubt{};
    const char* table = nftnl_rule_get_str(rule.get(), NFTNL_RULE_TABLE);
    if (!table || std::strcmp(table, ruleset::kTable) != 0) return;
    out.push_back(rule_comment(rule.get()));
  });
  return out;
}

struct SetInfo {
  uint32_t flags = 0;
  uint32_t key_len = 0;
};

std::map<std::string, SetInfo> our_sets(Session& s) {
  auto filter = allocated<SetPtr>(nftnl_set_alloc());
  nftnl_set_set_str(filter.get(), NFTNL_SET_TABLE, ruleset::kTable);
  auto* nlh = s.header(NFT_MSG_GETSET, kInet, NLM_F_DUMP);
  nftnl_set_nlmsg_build_payload(nlh, filter.get());
  std::map<std::string, SetInfo> out;
  s.request(nlh, [&](const nlmsghdr* reply) {
    auto set = allocated<SetPtr>(nftnl_set_alloc());
    if (nftnl_set_nlmsg_parse(reply, set.get()) < 0) throw Doubt{};
    const char* name = nftnl_set_get_str(set.get(), NFTNL_SET_NAME);
    if (!name) throw Doubt{};
    out[name] = {nftnl_set_get_u32(set.get(), NFTNL_SET_FLAGS), nftnl_set_get_u32(set.get(), NFTNL_SET_KEY_LEN)};
  });
  return out;
}

// A set is of the shape we made it (ruleset.cpp), or the probe cannot read it.
bool shape_matches(const SetInfo& set, const KernelKey& key) {
  uint32_t expected = 0;
  if (key.shape == SetShape::Interval) expected = NFT_SET_INTERVAL;
  if (key.shape == SetShape::ConcatInterval) expected = NFT_SET_INTERVAL | NFT_SET_CONCAT;
  return set.flags == expected && set.key_len == key.key.size();
}

KeyBytes bytes(nftnl_set_elem* e, uint16_t attr) {
  if (!nftnl_set_elem_is_set(e, attr)) return {};
  uint32_t len = 0;
  auto* data = static_cast<const uint8_t*>(nftnl_set_elem_get(e, attr, &len));
  return KeyBytes(data, data + len);
}

int collect_element(nftnl_set_elem* e, void* data) {
  uint32_t flags = nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_FLAGS) ? nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_FLAGS) : 0;
  static_cast<std::vector<KernelElement>*>(data)->push_back(
      {bytes(e, NFTNL_SET_ELEM_KEY), bytes(e, NFTNL_SET_ELEM_KEY_END), (flags & NFT_SET_ELEM_INTERVAL_END) != 0});
  return 0;
}

std::vector<KernelElement> set_elements(Session& s, const std::string& name) {
  auto set = allocated<SetPtr>(nftnl_set_alloc());
  nftnl_set_set_str(set.get(), NFTNL_SET_TABLE, ruleset::kTable);
  nftnl_set_set_str(set.get(), NFTNL_SET_NAME, name.c_str());
  nftnl_set_set_u32(set.get(), NFTNL_SET_FAMILY, kInet);
  auto* nlh = s.header(NFT_MSG_GETSETELEM, kInet, NLM_F_DUMP);
  nftnl_set_elems_nlmsg_build_payload(nlh, set.get());
  s.request(nlh, [&](const nlmsghdr* reply) {
    if (nftnl_set_elems_nlmsg_parse(reply, set.get()) < 0) throw Doubt{};
  });
  std::vector<KernelElement> out;
  nftnl_set_elem_foreach(set.get(), collect_element, &out);
  return out;
}

std::vector<Element> missing_elements(Session& s, const std::vector<Element>& wanted) {
  auto sets = our_sets(s);
  std::map<std::string, std::vector<KernelElement>> dumps;
  std::vector<Element> missing;
  for (const auto& w : wanted) {
    auto key = kernel_key(w);
    auto set = sets.find(w.set);
    if (set == sets.end()) throw Absent{};
    if (!key || !shape_matches(set->second, *key)) throw Doubt{};
    auto dump = dumps.find(w.set);
    if (dump == dumps.end()) dump = dumps.emplace(w.set, set_elements(s, w.set)).first;
    if (!set_holds(dump->second, *key)) missing.push_back(w);
  }
  return missing;
}

ProbeResult probe(Session& s, const std::vector<Element>& wanted) {
  if (!ruleset::rules_current(our_chains_accept(s), our_rule_comments(s))) return {false, wanted};
  return {true, missing_elements(s, wanted)};
}

}  // namespace

std::optional<ProbeResult> probe_table(const std::vector<Element>& wanted) {
  try {
    Session session;
    uint32_t before = generation(session);
    ProbeResult result;
    try {
      result = probe(session, wanted);
    } catch (const Absent&) {
      result = {false, wanted};
    }
    if (generation(session) != before) return std::nullopt;
    return result;
  } catch (const Doubt&) {
    return std::nullopt;
  } catch (const Error&) {  // no netlink socket: libnftables will say why
    return std::nullopt;
  }
}

}  // namespace nsnet
