#include "netlib/pod_cidr.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "netlib/error.hpp"
#include "netlib/state.hpp"

namespace nsnet {

bool is_pod_cidr_keyword(std::string_view subnet) {
  return subnet == kUsePodCidr || subnet == kUsePodCidrIPv6;
}

std::filesystem::path pod_cidr_file() {
  return state_dir() / "podcidr";
}

std::vector<Cidr> parse_pod_cidrs(std::string_view text, const std::string& path) {
  std::vector<Cidr> out;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    auto last = line.find_last_not_of(" \t\r");
    std::string_view cidr = std::string_view(line).substr(first, last - first + 1);
    out.push_back(with_context(fmt::format("pod subnet file {}, line {}", path, n),
                               [&] { return Cidr::parse(cidr).network(); }));
  }
  return out;
}

Cidr resolve_pod_cidr(std::string_view keyword, const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    fail(Code::InvalidConfig,
         "\"subnet\": \"{}\" needs this node's pod subnet in {}, which cannot be read; the "
         "installer (deploy/kubernetes) writes it, or write the node's podCIDR there",
         keyword, path.string());
  std::stringstream text;
  text << in.rdbuf();
  auto cidrs = parse_pod_cidrs(text.str(), path.string());
  bool v6 = keyword == kUsePodCidrIPv6;
  auto it = std::find_if(cidrs.begin(), cidrs.end(), [&](const Cidr& c) { return c.is_v4() != v6; });
  if (it == cidrs.end())
    fail(Code::InvalidConfig, "\"subnet\": \"{}\": {} holds no IPv{} pod subnet", keyword,
         path.string(), v6 ? 6 : 4);
  return *it;
}

}  // namespace nsnet
