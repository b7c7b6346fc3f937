// IPAM by another plugin (host-local, static, dhcp...), for any ipam.type
// other than "nsnet": spec section 4, delegation. Each operation executes
// the plugin from CNI_PATH with our environment and our network config.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "netlib/ipam.hpp"

namespace nsnet::cni {

class DelegatedIpam : public Ipam {
 public:
  // config: the network config we were given, passed on unchanged.
  DelegatedIpam(std::string type, std::string cni_path, nlohmann::json config);

  // ADD. Keeps the whole result (routes, dns) for last_result().
  std::vector<ResultIp> allocate(const AttachRequest& request) override;
  // DEL.
  void release(const AttachmentKey& key, const Network& network) override;
  // CHECK, STATUS and GC, forwarded as they are.
  void check(const AttachmentKey& key);
  void status();
  void gc();

  const AttachResult& last_result() const { return last_result_; }

 private:
  nlohmann::json run(const std::string& command, const AttachmentKey* key);

  std::string type_;
  std::string cni_path_;
  nlohmann::json config_;
  AttachResult last_result_;
};

}  // namespace nsnet::cni
