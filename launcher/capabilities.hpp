// Capabilities: the set a container keeps, computed in the parent from the
// default set and --cap-add/--cap-drop, applied in the child without
// allocating (raw capset and prctl).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "launcher/child_report.hpp"

namespace nsnet::launcher {

using CapMask = uint64_t;  // bit N = capability N

// Docker's default set: enough for a typical server to chown, bind low
// ports, switch users and chroot, but no SYS_ADMIN, NET_ADMIN, SYS_PTRACE...
CapMask default_capabilities();

// Applies --cap-add then --cap-drop (names with or without CAP_, any case,
// or ALL). Throws nsnet::Error(InvalidArgument) for an unknown name.
CapMask adjust_capabilities(CapMask base, const std::vector<std::string>& add,
                            const std::vector<std::string>& drop);

std::string capability_names(CapMask mask);  // "CHOWN,KILL,..."

// The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap).
int last_capability();

// Child side, in this order (spawn.cpp), each step needing what the one
// before leaves. First, as root, remove every capability not in keep from
// the bounding set (this needs SETPCAP, so it comes first).
StepResult drop_bounding_set(CapMask keep, int last_cap);
// Then empty ambient and inheritable, whatever the launcher was started
// with: an ambient capability would survive the exec of a non-root program,
// an inheritable one can be regained through file capabilities
// (CVE-2022-24769). Then the uid switch (setresgid, setresuid).
StepResult clear_inherited_capabilities();
// Last, set permitted and effective to keep (nothing for a non-root uid, as
// Docker does).
StepResult set_capabilities(CapMask keep, bool root_uid);

}  // namespace nsnet::launcher
