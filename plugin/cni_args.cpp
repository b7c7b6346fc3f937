#include "plugin/cni_args.hpp"

#include <utility>

#include "netlib/error.hpp"

namespace nsnet::cni {
namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    auto at = text.find(sep);
    auto part = text.substr(0, at);
    if (!part.empty()) parts.push_back(part);
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return parts;
}

bool is_true(std::string_view v) { return v == "1" || v == "true" || v == "True" || v == "TRUE"; }

}  // namespace

CniArgs parse_cni_args(std::string_view text) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  bool ignore_unknown = false;
  for (auto pair : split(text, ';')) {
    auto eq = pair.find('=');
    if (eq == std::string_view::npos)
      fail(Code::InvalidEnv, "CNI_ARGS: '{}' is not KEY=VALUE", pair);
    pairs.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
    if (pairs.back().first == "IgnoreUnknown") ignore_unknown = is_true(pairs.back().second);
  }
  CniArgs args;
  for (auto [key, value] : pairs) {
    if (key == "IP") {
      for (auto ip : split(value, ',')) args.ips.emplace_back(ip);
    } else if (key == "MAC") {
      args.mac = std::string(value);
    } else if (key != "IgnoreUnknown" && !ignore_unknown) {
      fail(Code::UnsupportedField, "CNI_ARGS: unsupported field '{}' = '{}' (add IgnoreUnknown=1 to ignore it)",
           key, value);
    }
  }
  return args;
}

}  // namespace nsnet::cni
