// CNI spec versions: which we speak, and which command needs which.
#pragma once

#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nsnet::cni {

inline constexpr std::array<std::string_view, 5> kSupportedVersions = {"0.3.0", "0.3.1", "0.4.0",
                                                                       "1.0.0", "1.1.0"};
inline constexpr std::string_view kLatestVersion = "1.1.0";

bool is_supported_version(std::string_view version);

// <0, 0 or >0 as a is older than, equal to or newer than b ("1.0.0" < "1.1.0").
int compare_versions(std::string_view a, std::string_view b);

// Throws Error(IncompatibleVersion) unless we support version.
void require_supported_version(std::string_view version);

// Throws Error(IncompatibleVersion) if command (CHECK, STATUS, GC) is not in
// spec version: CHECK came with 0.4.0, STATUS and GC with 1.1.0.
void require_command_in_version(std::string_view command, std::string_view version);

// The VERSION answer: {"cniVersion", "supportedVersions"}. Answers in the
// requested version when we speak it, else in the latest.
nlohmann::json version_info(std::string_view requested);

}  // namespace nsnet::cni
