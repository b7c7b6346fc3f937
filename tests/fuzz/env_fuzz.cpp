// The CNI_* environment, one variable a line: COMMAND, CONTAINERID, NETNS,
// IFNAME, ARGS, PATH. What is accepted must be safe to put in a path.
#include <cstring>

#include "plugin/env.hpp"
#include "tests/fuzz/fuzz.hpp"

namespace {

bool path_safe(const std::string& part) {
  return part != "." && part != ".." && part.find('/') == std::string::npos &&
         part.find('\0') == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto values = fuzz::lines(fuzz::text(data, size), 6);
  const char* names[] = {"CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH"};
  auto getenv = [&](const char* name) -> const char* {
    for (size_t i = 0; i < 6; ++i)
      if (std::strcmp(name, names[i]) == 0) return values[i].empty() ? nullptr : values[i].c_str();
    return nullptr;
  };
  fuzz::accepts([&] {
    auto env = nsnet::cni::read_env(getenv);
    if (!env.container_id.empty()) fuzz::require(path_safe(env.container_id), "container id is path-safe");
    if (!env.ifname.empty()) fuzz::require(path_safe(env.ifname) && env.ifname.size() <= 15, "ifname is path-safe");
  });
  return 0;
}
