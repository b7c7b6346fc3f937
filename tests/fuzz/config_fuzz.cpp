// Network configs (one plugin config, or a conflist): what parses must print
// back to a config that parses to the same network.
#include "netlib/network_config.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace nsnet;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  json config = json::parse(fuzz::text(data, size), nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) return 0;
  fuzz::accepts([&] {
    Network n = network_from_json(config);
    json printed = network_to_json(n);
    fuzz::require(network_to_json(network_from_json(printed)) == printed, "network_to_json round trip");
    Network again = network_from_conflist(conflist_from_network(n));
    fuzz::require(again.name == n.name, "conflist round trip keeps the name");
  });
  fuzz::accepts([&] { network_from_conflist(config); });
  return 0;
}
