#include "netlib/names.hpp"

#include <climits>
#include <cstdint>

#include "netlib/error.hpp"

namespace nsnet {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

void validate_netns_name(std::string_view name) {
  if (name.empty()) fail(Code::InvalidArgument, "a namespace name must not be empty");
  if (name.size() > NAME_MAX)
    fail(Code::InvalidArgument, "namespace name '{}' is longer than {} bytes", name, NAME_MAX);
  if (name.find('/') != std::string_view::npos)
    fail(Code::InvalidArgument, "namespace name '{}' must not contain '/'", name);
  if (name == "." || name == "..")
    fail(Code::InvalidArgument, "'{}' is not a valid namespace name", name);
}

void validate_container_id(std::string_view id) {
  if (id.empty()) fail(Code::InvalidArgument, "the container id must not be empty");
  // Ids and network names become path components (NAME_MAX) and nft comments.
  if (id.size() > 128)
    fail(Code::InvalidArgument, "'{}...' is longer than 128 characters", id.substr(0, 32));
  if (!is_alnum(id[0]))
    fail(Code::InvalidArgument, "container id '{}' must start with a letter or digit", id);
  for (char c : id) {
    if (!is_alnum(c) && c != '_' && c != '-' && c != '.')
      fail(Code::InvalidArgument,
           "container id '{}' may only contain letters, digits, '_', '-' and '.'", id);
  }
}

void validate_ifname(std::string_view name) {
  if (name.empty()) fail(Code::InvalidArgument, "the interface name must not be empty");
  if (name.size() > 15)
    fail(Code::InvalidArgument, "interface name '{}' is longer than 15 bytes", name);
  if (name == "." || name == "..")
    fail(Code::InvalidArgument, "'{}' is not a valid interface name", name);
  for (unsigned char c : name) {
    if (c == '/' || c == ':' || c <= ' ' || c == 0x7f)
      fail(Code::InvalidArgument,
           "interface name '{}' must not contain '/', ':', spaces or control characters", name);
  }
}

void validate_key(const AttachmentKey& key) {
  with_context("network name", [&] { validate_container_id(key.network); });
  // Any netns name may be a container id (`nsnet create "my db"`); the state
  // directory escapes it, so only '/', "." and ".." need refusing here.
  with_context("container id", [&] { validate_netns_name(key.container_id); });
  validate_ifname(key.ifname);
}

std::string host_veth_name(const AttachmentKey& key) {
  // FNV-1a over the three parts, NUL-separated so ("ab","c") != ("a","bc").
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
    h = (h ^ 0) * 0x100000001b3ull;
  };
  mix(key.network);
  mix(key.container_id);
  mix(key.ifname);
  return fmt::format("nsv{:012x}", h & 0xffffffffffffull);
}

}  // namespace nsnet
