#include "cli/named.hpp"

#include <cstdlib>

#include "netlib/error.hpp"
#include "netlib/state.hpp"

namespace nsnet::cli {

Network resolve_network(const std::string& name) {
  if (name == "nsnet") return Network::default_network();
  const char* dir = std::getenv("NSNET_CNI_CONF_DIR");
  fail(Code::NotFound,
       "unknown network '{}': this build knows only the built-in network 'nsnet' (network "
       "configs in {} are not read yet); use --bridge/--gateway to vary it",
       name, dir && *dir ? dir : "/etc/cni/net.d");
}

std::optional<AttachmentRecord> find_named_record(const std::string& name) {
  for (const auto& network : state_networks())
    if (auto r = load_record({network, name, kNamedIfname})) return r;
  return std::nullopt;
}

}  // namespace nsnet::cli
