// CNI_ARGS: "KEY=VALUE;..." from the runtime.
#include "plugin/cni_args.hpp"
#include "tests/fuzz/fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = fuzz::text(data, size);
  fuzz::accepts([&] {
    auto args = nsnet::cni::parse_cni_args(text);
    for (const auto& ip : args.ips) fuzz::require(!ip.empty() && ip.find_first_of(";,") == std::string::npos, "IP values are split");
  });
  return 0;
}
