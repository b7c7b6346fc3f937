// Running another CNI plugin (spec section 4, delegation): found in
// CNI_PATH, given our environment with some variables replaced and a config on
// stdin, answering JSON on stdout.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace nsnet::cni {

// The executable `type` in the ':'-separated directories of cni_path. Throws
// Error(InvalidConfig) naming the type and the directories searched.
std::filesystem::path find_plugin(std::string_view type, std::string_view cni_path);

using EnvOverrides = std::vector<std::pair<std::string, std::string>>;

// Runs plugin with our environment plus overrides and stdin_text as stdin.
// Returns its stdout parsed (null when empty). A non-zero exit throws
// Error with the plugin's own code, msg and details.
nlohmann::json exec_plugin(const std::filesystem::path& plugin, const EnvOverrides& overrides,
                           std::string_view stdin_text);

}  // namespace nsnet::cni
