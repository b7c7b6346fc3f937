#include "cli/named.hpp"

#include "netlib/state.hpp"

namespace nsnet::cli {

std::optional<AttachmentRecord> find_named_record(const std::string& name) {
  for (const auto& network : state_networks())
    if (auto r = load_record({network, name, kNamedIfname})) return r;
  return std::nullopt;
}

}  // namespace nsnet::cli
