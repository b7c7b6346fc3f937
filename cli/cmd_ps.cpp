#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "launcher/control.hpp"
#include "netlib/error.hpp"

namespace nsnet::cli {
namespace {

std::string human_bytes(std::optional<uint64_t> bytes) {
  if (!bytes) return "-";
  constexpr double kKiB = 1024, kMiB = 1024 * kKiB, kGiB = 1024 * kMiB;
  const auto size = static_cast<double>(*bytes);  // one decimal is all we print
  if (size >= kGiB) return fmt::format("{:.1f}G", size / kGiB);
  if (size >= kMiB) return fmt::format("{:.1f}M", size / kMiB);
  return fmt::format("{:.1f}K", size / kKiB);
}

std::string human_duration(int64_t s) {
  if (s < 120) return fmt::format("{}s", s);
  if (s < 7200) return fmt::format("{}m", s / 60);
  return fmt::format("{}h{}m", s / 3600, s / 60 % 60);
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

int cmd_ps(Args args) {
  bool json = false;
  for (const auto& a : args) {
    if (a == "--json") {
      json = true;
    } else if (a == "-h" || a == "--help") {
      fmt::print(
          "Usage: nsnet ps [--json]\n\n"
          "Lists the containers started by `nsnet run`: name, status, network\n"
          "namespace (\"-\" for --net none), host pid of its init, cgroup, memory in\n"
          "use, uptime and command. The status is running, starting, exiting, or\n"
          "dead: its launcher was killed before it could clean up (the container's\n"
          "processes die with it); `nsnet rm NAME` or `nsnet rm --dead` removes what\n"
          "it left.\n");
      return 0;
    } else {
      fail(Code::InvalidArgument, "nsnet ps: unknown argument '{}'", a);
    }
  }
  const int64_t now = ::time(nullptr);
  nlohmann::json list = nlohmann::json::array();
  if (!json)
    fmt::print("{:<16} {:<8} {:<12} {:>8} {:<40} {:>8} {:>7}  {}\n", "NAME", "STATUS", "NETNS",
               "PID", "CGROUP", "MEMORY", "UPTIME", "COMMAND");
  for (const auto& r : launcher::list_records()) {
    const std::string status = launcher::status_name(r);
    const bool running = status == "running";
    std::optional<uint64_t> memory;
    if (running) memory = launcher::memory_usage(r);
    if (json) {
      list.push_back({{"name", r.name},
                      {"status", status},
                      {"netns", r.netns},
                      {"pid", r.pid},
                      {"cgroup", r.cgroup},
                      {"memory_bytes", memory ? nlohmann::json(*memory) : nlohmann::json()},
                      {"uptime_seconds", now - r.started},
                      {"command", r.command},
                      {"detached", r.detached}});
    } else {
      fmt::print("{:<16} {:<8} {:<12} {:>8} {:<40} {:>8} {:>7}  {}\n", r.name, status,
                 r.netns.empty() ? "-" : r.netns, r.pid > 0 ? std::to_string(r.pid) : "-",
                 r.cgroup.empty() ? "-" : r.cgroup, human_bytes(memory),
                 running ? human_duration(now - r.started) : "-", joined(r.command));
    }
  }
  if (json) fmt::print("{}\n", list.dump(2));
  return 0;
}

}  // namespace nsnet::cli
