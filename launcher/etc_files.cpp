#include "launcher/etc_files.hpp"

#include <fstream>
#include <sstream>

#include "netlib/error.hpp"

namespace nsnet::launcher {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  if (in) out << in.rdbuf();
  return out.str();
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) fail(Code::Io, "cannot write {}", path);
}

// The file /etc/netns/NETNS/FILE if present, else fallback().
template <typename Fallback>
std::string netns_file(const std::string& netns, const char* file, Fallback fallback) {
  std::string own = "/etc/netns/" + netns + "/" + file;
  return !netns.empty() && exists(own) ? read_file(own) : fallback();
}

}  // namespace

void write_etc_files(const std::string& dir, const std::string& hostname, const std::string& netns) {
  write_file(dir + "/hostname", hostname + "\n");
  write_file(dir + "/hosts", netns_file(netns, "hosts", [&] {
               return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                      "127.0.1.1\t" + hostname + "\n";
             }));
  write_file(dir + "/resolv.conf",
             netns_file(netns, "resolv.conf", [] { return read_file("/etc/resolv.conf"); }));
}

}  // namespace nsnet::launcher
