// Shared by the fuzz targets. A parser may reject input only by throwing
// nsnet::Error (which carries a CNI code); any other exception escapes to
// libFuzzer and counts as a crash, as does a property check that fails.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "netlib/error.hpp"

namespace fuzz {

inline std::string_view text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts (a finding) unless cond holds.
inline void require(bool cond, const char* what) {
  if (!cond) {
    std::fprintf(stderr, "property failed: %s\n", what);
    std::abort();
  }
}

// The lines of text; the last line takes the rest, newlines included.
inline std::vector<std::string> lines(std::string_view text, size_t count) {
  std::vector<std::string> out;
  while (out.size() + 1 < count) {
    auto nl = text.find('\n');
    if (nl == std::string_view::npos) break;
    out.emplace_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  out.emplace_back(text);
  out.resize(count);
  return out;
}

// Runs fn; returns false if it rejected the input with nsnet::Error.
template <typename Fn>
bool accepts(Fn&& fn) {
  try {
    fn();
    return true;
  } catch (const nsnet::Error&) {
    return false;
  }
}

}  // namespace fuzz
