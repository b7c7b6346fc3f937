#include "plugin/plugin.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <iterator>

#include <spdlog/spdlog.h>

#include "netlib/error.hpp"
#include "plugin/logging.hpp"
#include "plugin/operations.hpp"
#include "plugin/request.hpp"
#include "plugin/version.hpp"

namespace nsnet::cni {
namespace {

using nlohmann::json;

json error_json(Code code, std::string_view msg, std::string_view details, std::string_view version) {
  json out = {{"cniVersion", version}, {"code", static_cast<int>(code)}, {"msg", msg}};
  if (!details.empty()) out["details"] = details;
  return out;
}

// VERSION answers even to a runtime that sends nothing useful on stdin
// (Podman 4.3 probes every plugin this way, with a dummy CNI_PATH).
json version_answer(std::string_view input) {
  auto config = json::parse(input, nullptr, false);
  return version_info(config.is_object() ? config_version(config) : "");
}

json dispatch(const Request& req) {
  const auto& command = req.env.command;
  spdlog::info("{} {} {} {}", command, req.network.name, req.env.container_id, req.env.ifname);
  if (command == "ADD") return cmd_add(req);
  if (command == "DEL") cmd_del(req);
  if (command == "CHECK") cmd_check(req);
  if (command == "STATUS") cmd_status(req);
  if (command == "GC") cmd_gc(req);
  return nullptr;
}

}  // namespace

int run_plugin(const Getenv& getenv, std::string_view input, std::string& output) {
  std::string version(kLatestVersion);  // of the error output, until the config says
  try {
    Env env = read_env(getenv);
    if (env.command == "VERSION") {
      output = version_answer(input).dump();
      return 0;
    }
    json config = parse_config_text(input);
    if (is_supported_version(config_version(config))) version = config_version(config);
    json result = dispatch(make_request(std::move(env), std::move(config)));
    output = result.is_null() ? "" : result.dump();
    return 0;
  } catch (const Error& e) {
    spdlog::error("{} (code {})", e.what(), static_cast<int>(e.code()));
    // The message may quote input bytes that are not UTF-8 (CNI_ARGS).
    output = error_json(e.code(), e.what(), e.details(), version)
                 .dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const json::exception& e) {
    // A JSON value of an unexpected type somewhere we read without checking.
    spdlog::error("bad network config: {}", e.what());
    output = error_json(Code::InvalidConfig, fmt::format("bad network config: {}", e.what()), "", version).dump();
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
    output = error_json(Code::Internal, fmt::format("internal error: {}", e.what()), "", version).dump();
  }
  return 1;
}

int plugin_main() {
  const char* command = std::getenv("CNI_COMMAND");
  setup_plugin_logging(/*with_file=*/command && std::string_view(command) != "VERSION");
  // VERSION may come with nothing on stdin, even a terminal: do not wait for it.
  bool version = command && std::string_view(command) == "VERSION";
  std::string input;
  if (!version || !::isatty(STDIN_FILENO)) input.assign(std::istreambuf_iterator<char>(std::cin), {});
  std::string output;
  int status = run_plugin(std::getenv, input, output);
  if (!output.empty()) std::cout << output << '\n';
  std::cout.flush();
  return status;
}

}  // namespace nsnet::cni
