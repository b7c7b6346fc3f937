// Plugin logging: stdout belongs to the result, so logs go to a file in the
// state dir (everything from info up) and to stderr (warnings and errors).
#pragma once

namespace nsnet::cni {

// Replaces spdlog's default logger (which would write to stdout) for the
// rest of the process. with_file: also log to STATE_DIR/cni.log; when that
// cannot be opened the stderr half still works.
void setup_plugin_logging(bool with_file);

}  // namespace nsnet::cni
