// The CNI plugin: one call from env + stdin to a result or an error on stdout.
#pragma once

#include <string>
#include <string_view>

#include "plugin/env.hpp"

namespace nsnet::cni {

// Runs one CNI call. output receives exactly what goes to stdout: the result
// (or nothing) on success, the error JSON {cniVersion, code, msg, details} on
// failure. Returns the exit status.
int run_plugin(const Getenv& getenv, std::string_view input, std::string& output);

// The plugin as a process: logging, stdin, stdout. Returns the exit status.
int plugin_main();

}  // namespace nsnet::cni
