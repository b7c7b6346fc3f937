#include "plugin/delegated_ipam.hpp"

#include "netlib/error.hpp"
#include "plugin/exec_plugin.hpp"
#include "plugin/result.hpp"

namespace nsnet::cni {

DelegatedIpam::DelegatedIpam(std::string type, std::string cni_path, nlohmann::json config)
    : type_(std::move(type)), cni_path_(std::move(cni_path)), config_(std::move(config)) {}

nlohmann::json DelegatedIpam::run(const std::string& command, const AttachmentKey* key) {
  if (cni_path_.empty())
    fail(Code::InvalidEnv, "CNI_PATH is not set: needed to run IPAM plugin '{}'", type_);
  EnvOverrides env = {{"CNI_COMMAND", command}, {"CNI_PATH", cni_path_}};
  if (key) {
    env.emplace_back("CNI_CONTAINERID", key->container_id);
    env.emplace_back("CNI_IFNAME", key->ifname);
  }
  auto plugin = find_plugin(type_, cni_path_);
  return with_context(fmt::format("IPAM {}", command),
                      [&] { return exec_plugin(plugin, env, config_.dump()); });
}

std::vector<ResultIp> DelegatedIpam::allocate(const AttachRequest& request) {
  auto result = run("ADD", &request.key);
  last_result_ = result_from_json(result, fmt::format("result of IPAM plugin {}", type_));
  if (last_result_.ips.empty()) fail(Code::Internal, "IPAM plugin {} returned no addresses", type_);
  return last_result_.ips;
}

void DelegatedIpam::release(const AttachmentKey& key, const Network&) { run("DEL", &key); }

void DelegatedIpam::check(const AttachmentKey& key) { run("CHECK", &key); }

void DelegatedIpam::status() { run("STATUS", nullptr); }

void DelegatedIpam::gc() { run("GC", nullptr); }

}  // namespace nsnet::cni
