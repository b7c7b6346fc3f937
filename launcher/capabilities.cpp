#include "launcher/capabilities.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <string_view>

#include "netlib/error.hpp"

namespace nsnet::launcher {
namespace {

constexpr std::array<std::string_view, 41> kNames = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
    "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
    "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO",
    "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE",
    "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
    "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE"};

constexpr CapMask bit(int cap) { return CapMask{1} << cap; }

CapMask all_capabilities() {
  int last = std::min(last_capability(), 63);
  return last == 63 ? ~CapMask{0} : (bit(last + 1) - 1);
}

// Returns the mask a name stands for: one bit, or all bits for ALL.
CapMask lookup(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  if (name == "ALL") return all_capabilities();
  std::string_view bare = name;
  if (bare.starts_with("CAP_")) bare.remove_prefix(4);
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == bare) return bit(static_cast<int>(i));
  fail(Code::InvalidArgument, "unknown capability '{}' (e.g. NET_ADMIN, SYS_PTRACE, ALL)", name);
}

}  // namespace

CapMask default_capabilities() {
  return bit(CAP_CHOWN) | bit(CAP_DAC_OVERRIDE) | bit(CAP_FSETID) | bit(CAP_FOWNER) |
         bit(CAP_MKNOD) | bit(CAP_NET_RAW) | bit(CAP_SETGID) | bit(CAP_SETUID) |
         bit(CAP_SETFCAP) | bit(CAP_SETPCAP) | bit(CAP_NET_BIND_SERVICE) |
         bit(CAP_SYS_CHROOT) | bit(CAP_KILL) | bit(CAP_AUDIT_WRITE);
}

CapMask adjust_capabilities(CapMask base, const std::vector<std::string>& add,
                            const std::vector<std::string>& drop) {
  for (const auto& name : add) base |= lookup(name);
  for (const auto& name : drop) base &= ~lookup(name);
  return base;
}

std::string capability_names(CapMask mask) {
  std::string out;
  for (int i = 0; i < 64; ++i) {
    if (!(mask & bit(i))) continue;
    if (!out.empty()) out += ',';
    out += i < static_cast<int>(kNames.size()) ? std::string(kNames[i]) : std::to_string(i);
  }
  return out;
}

int last_capability() {
  std::ifstream in("/proc/sys/kernel/cap_last_cap");
  int last = CAP_LAST_CAP;
  in >> last;
  return last;
}

StepResult drop_bounding_set(CapMask keep, int last_cap) {
  for (int cap = 0; cap <= last_cap; ++cap) {
    if (keep & bit(cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
      return failed("drop capability from the bounding set");
  }
  return {};
}

StepResult clear_inherited_capabilities() {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return failed("clear ambient capabilities");
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) < 0) return failed("capget");
  for (auto& d : data) d.inheritable = 0;
  if (syscall(SYS_capset, &header, data) < 0) return failed("clear inheritable capabilities");
  return {};
}

StepResult set_capabilities(CapMask keep, bool root_uid) {
  CapMask granted = root_uid ? keep : 0;
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  for (int i = 0; i < 2; ++i)
    data[i].effective = data[i].permitted = static_cast<uint32_t>(granted >> (32 * i));
  if (syscall(SYS_capset, &header, data) < 0) return failed("capset");
  return {};
}

}  // namespace nsnet::launcher
