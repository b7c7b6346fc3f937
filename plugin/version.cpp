#include "plugin/version.hpp"

#include <algorithm>
#include <charconv>

#include "netlib/error.hpp"

namespace nsnet::cni {
namespace {

// "MAJOR.MINOR.PATCH" as three numbers; missing or bad parts count as 0.
std::array<int, 3> version_parts(std::string_view v) {
  std::array<int, 3> parts{};
  for (int& part : parts) {
    auto dot = v.find('.');
    auto piece = v.substr(0, dot);
    std::from_chars(piece.data(), piece.data() + piece.size(), part);
    if (dot == std::string_view::npos) break;
    v.remove_prefix(dot + 1);
  }
  return parts;
}

std::string supported_list() {
  std::string out;
  for (auto v : kSupportedVersions) out += fmt::format("{}{}", out.empty() ? "" : ", ", v);
  return out;
}

}  // namespace

bool is_supported_version(std::string_view version) {
  return std::find(kSupportedVersions.begin(), kSupportedVersions.end(), version) !=
         kSupportedVersions.end();
}

int compare_versions(std::string_view a, std::string_view b) {
  auto pa = version_parts(a), pb = version_parts(b);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

void require_supported_version(std::string_view version) {
  if (!is_supported_version(version))
    fail(Code::IncompatibleVersion, "cniVersion '{}' is not supported by nsnet; use one of {}",
         version, supported_list());
}

void require_command_in_version(std::string_view command, std::string_view version) {
  std::string_view since = command == "CHECK"                    ? "0.4.0"
                           : command == "STATUS" || command == "GC" ? "1.1.0"
                                                                  : "0.3.0";
  if (compare_versions(version, since) < 0)
    fail(Code::IncompatibleVersion, "{} needs cniVersion {} or later; the config says {}", command,
         since, version);
}

nlohmann::json version_info(std::string_view requested) {
  std::string_view answer = is_supported_version(requested) ? requested : kLatestVersion;
  return {{"cniVersion", answer}, {"supportedVersions", kSupportedVersions}};
}

}  // namespace nsnet::cni
