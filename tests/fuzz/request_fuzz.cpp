// One plugin call: first line CNI_COMMAND, second CNI_ARGS, the rest stdin.
#include "plugin/request.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace nsnet::cni;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parts = fuzz::lines(fuzz::text(data, size), 3);
  Env env{parts[0], "c1", "/run/netns/c1", "eth0", parts[1], "/usr/lib/cni"};
  fuzz::accepts([&] {
    Request req = make_request(env, parse_config_text(parts[2]));
    fuzz::require(req.key().container_id == "c1", "key carries the container id");
  });
  return 0;
}
