#include "plugin/logging.hpp"

#include <filesystem>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "netlib/state.hpp"

namespace nsnet::cni {

void setup_plugin_logging(bool with_file) {
  auto stderr_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  stderr_sink->set_level(spdlog::level::warn);
  stderr_sink->set_pattern("nsnet: %l: %v");
  std::vector<spdlog::sink_ptr> sinks = {stderr_sink};
  if (with_file) {
    try {
      auto dir = state_dir();
      std::filesystem::create_directories(dir);
      auto file_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>((dir / "cni.log").string());
      file_sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e [%P] %l: %v");
      sinks.push_back(file_sink);
    } catch (const std::exception&) {
      // An unusable state dir is reported by the command that needs it.
    }
  }
  auto logger = std::make_shared<spdlog::logger>("nsnet-cni", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace nsnet::cni
