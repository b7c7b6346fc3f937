// The CNI commands that act on a network, over netlib's attach / detach /
// check: one parsed Request in, the result (ADD) out.
#pragma once

#include <nlohmann/json.hpp>

#include "plugin/request.hpp"

namespace nsnet::cni {

// Attaches the container; returns the result in the request's version,
// merged after prevResult when a plugin ran before us.
nlohmann::json cmd_add(const Request& req);
void cmd_del(const Request& req);
void cmd_check(const Request& req);
void cmd_status(const Request& req);
void cmd_gc(const Request& req);

}  // namespace nsnet::cni
