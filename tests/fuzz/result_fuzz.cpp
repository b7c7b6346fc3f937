// CNI results from others (prevResult, an IPAM delegate): parse, convert to
// every version, merge, and print ours back.
#include "plugin/result.hpp"
#include "plugin/version.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace nsnet;
using namespace nsnet::cni;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  json input = json::parse(fuzz::text(data, size), nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;
  fuzz::accepts([&] {
    AttachResult parsed = result_from_json(input, "prevResult");
    for (auto version : kSupportedVersions) {
      json converted = convert_result(input, version);
      result_from_json(converted, "converted");
      json ours = result_to_json(parsed, version);
      fuzz::require(result_from_json(ours, "ours").ips.size() == parsed.ips.size(), "result_to_json round trip");
      json merged = merge_results(converted, ours);
      result_from_json(merged, "merged");
    }
  });
  return 0;
}
