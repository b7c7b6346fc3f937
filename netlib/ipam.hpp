// Address management behind attach(). The built-in allocator keeps leases in
// the state directory; the CNI plugin supplies one that delegates to another
// IPAM plugin (host-local, static, ...) through CNI_PATH.
#pragma once

#include <vector>

#include "netlib/attachment.hpp"

namespace nsnet {

class Ipam {
 public:
  virtual ~Ipam() = default;
  // Leases one address from each range set (or the requested ones) for key.
  // Idempotent for the same key. Throws Error naming the owner on conflict.
  virtual std::vector<ResultIp> allocate(const AttachRequest& request) = 0;
  // Releases everything key holds; succeeds when it holds nothing.
  virtual void release(const AttachmentKey& key, const Network& network) = 0;
};

}  // namespace nsnet
