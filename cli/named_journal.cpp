#include "cli/named_journal.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/named.hpp"
#include "netlib/attachment.hpp"
#include "netlib/error.hpp"
#include "netlib/local_ipam.hpp"
#include "netlib/names.hpp"
#include "netlib/netns.hpp"

namespace fs = std::filesystem;

namespace nsnet::cli {
namespace {

fs::path journal_dir(const std::string& name) {
  validate_netns_name(name);  // before it becomes a path
  return state_dir() / "named" / escape_component(name);
}

}  // namespace

NamedJournal::NamedJournal(const std::string& name)
    : name_(name), dir_(journal_dir(name)), lock_(dir_ / "lock") {}

std::optional<JournalEntry> NamedJournal::read() const {
  auto path = dir_ / "journal";
  auto text = read_file(path);
  if (!text) return std::nullopt;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("network") || !j["network"].is_string())
    fail(Code::Decode, "{} is corrupt; remove it, then `nsnet delete {}`", path.string(), name_);
  return JournalEntry{j["network"].get<std::string>(), j.value("removeNetns", false)};
}

bool NamedJournal::roll_back_interrupted() {
  sweep_dead_temp_files(dir_);
  auto entry = read();
  if (!entry) return false;
  spdlog::warn("a create or delete of '{}' on network {} was killed; rolling it back", name_,
               entry->network);
  Network network;
  network.name = entry->network;
  LocalIpam ipam;
  detach({entry->network, name_, kNamedIfname}, network, ipam);
  if (entry->remove_netns) delete_named_netns(name_);
  end();
  return true;
}

void NamedJournal::begin(const JournalEntry& entry) {
  nlohmann::json j = {{"network", entry.network}, {"removeNetns", entry.remove_netns}};
  write_file_atomic(dir_ / "journal", j.dump() + "\n");
}

void NamedJournal::end() { remove_file(dir_ / "journal"); }

}  // namespace nsnet::cli
